package consent

import "time"

// State is where consent for one subject and purpose stands at an instant.
type State uint8

const (
	// None: no consent was ever recorded.
	None State = iota
	// Granted: consent holds.
	Granted
	// Withdrawn: the subject withdrew consent.
	Withdrawn
	// Expired: consent was given but its validity period has run out.
	Expired
	// Outdated: consent was given under a notice version that has since
	// changed materially, so it must be asked for again.
	Outdated
)

var stateNames = [...]string{None: "none", Granted: "granted", Withdrawn: "withdrawn", Expired: "expired", Outdated: "outdated"}

// String names the state.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "unknown"
}

// Status answers whether consent holds for a subject and purpose at an
// instant, and why.
type Status struct {
	Subject, Purpose string
	At               time.Time // the instant asked about
	State            State
	// Since is when the deciding event took effect (zero for None).
	Since time.Time
	// Notice is the notice version the deciding event was recorded under.
	Notice string
}

// Given reports whether consent holds.
func (s Status) Given() bool { return s.State == Granted }
