package consent

import (
	"fmt"
	"time"
)

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

// MarshalText writes the state's name, so that a Status reads well in JSON.
func (s State) MarshalText() ([]byte, error) {
	if int(s) >= len(stateNames) {
		return nil, fmt.Errorf("consent: State(%d) has no name", uint8(s))
	}
	return []byte(stateNames[s]), nil
}

// UnmarshalText reads a state's name as String writes it.
func (s *State) UnmarshalText(text []byte) error {
	for i, name := range stateNames {
		if name == string(text) {
			*s = State(i)
			return nil
		}
	}
	return fmt.Errorf("consent: unknown state %q (want none, granted, withdrawn, expired or outdated)", text)
}

// Status answers whether consent holds for a subject and purpose at an
// instant, and why.
type Status struct {
	// Subject and Purpose are what was asked about.
	Subject, Purpose string
	// At is the instant asked about.
	At time.Time
	// State is where consent stands at At.
	State State
	// Since is when the state began: the deciding event's time, the end of
	// a grant's validity (Expired) or when the superseding notice took
	// effect (Outdated). Zero for None.
	Since time.Time
	// Notice is the notice version the deciding event was recorded under.
	Notice string
	// Seq is the sequence number of the deciding event, the evidence to look
	// up in History; zero for None.
	Seq int64
	// Expires is when a consent that holds will lapse; zero when it does not.
	Expires time.Time
	// SupersededBy is, for Outdated, the materially changed notice version
	// that consent must be asked for again under.
	SupersededBy string
	// Age is, when the deciding event is a grant, what it records of the
	// subject's age and country and of parental consent (Art. 8).
	Age Age
}

// Given reports whether consent holds.
func (s Status) Given() bool { return s.State == Granted }
