package consent

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/gdprkit/gdprkit/pii"
	"golang.org/x/text/language"
)

// EventKind is what an event records.
type EventKind uint8

const (
	// Grant records that the subject gave consent.
	Grant EventKind = iota + 1
	// Withdrawal records that the subject withdrew consent. It takes effect
	// at once and needs nothing but the subject and the purposes.
	Withdrawal
	// Expiry records that consent lapsed, for example because the consent
	// string it came with expired or a periodic review ended it.
	Expiry
)

var kindNames = [...]string{Grant: "grant", Withdrawal: "withdrawal", Expiry: "expiry"}

// String names the kind: "grant", "withdrawal" or "expiry".
func (k EventKind) String() string {
	if k >= Grant && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", uint8(k))
}

// ParseEventKind reads a kind's name as String writes it.
func ParseEventKind(name string) (EventKind, error) {
	for k := Grant; int(k) < len(kindNames); k++ {
		if kindNames[k] == name {
			return k, nil
		}
	}
	return 0, fmt.Errorf("consent: unknown event kind %q (want grant, withdrawal or expiry)", name)
}

// MarshalText writes the kind's name.
func (k EventKind) MarshalText() ([]byte, error) {
	if k < Grant || int(k) >= len(kindNames) {
		return nil, fmt.Errorf("consent: EventKind(%d) has no name", uint8(k))
	}
	return []byte(kindNames[k]), nil
}

// UnmarshalText reads a kind's name.
func (k *EventKind) UnmarshalText(text []byte) error {
	parsed, err := ParseEventKind(string(text))
	if err != nil {
		return err
	}
	*k = parsed
	return nil
}

// Method is how consent was given or withdrawn. The constants cover the
// usual ways; any other short lower-case name may be used.
type Method string

// Common methods.
const (
	MethodForm     Method = "form"     // a web or app form the subject submitted
	MethodCheckbox Method = "checkbox" // a box, unticked by default, that the subject ticked
	MethodBanner   Method = "banner"   // a consent banner or consent management platform
	MethodAPI      Method = "api"      // a call from another system acting on the subject's instruction
	MethodTCF      Method = "tcf"      // an IAB TCF consent string (keep it in Proof.Artifact)
	MethodGPC      Method = "gpc"      // a Global Privacy Control signal (Sec-GPC: 1), an opt-out
	MethodEmail    Method = "email"    // a confirmation link sent by e-mail (double opt-in)
	MethodVerbal   Method = "verbal"   // spoken, on a recorded call
	MethodWritten  Method = "written"  // a signed paper form
	MethodSystem   Method = "system"   // recorded by the controller's systems, such as an expiry
)

// Event is one entry of the ledger: a grant, withdrawal or expiry of
// consent by one subject for one purpose. Events are never changed or
// deleted once stored; a later event supersedes an earlier one.
//
// Logging an Event with log/slog shows it with the proof's personal details
// redacted (Event implements slog.LogValuer through pii.Redact), and so does
// printing it with fmt. encoding/json writes it in full, for exports.
type Event struct {
	// Subject is the data subject's ID.
	Subject string `json:"subject" pii:"subject"`
	// Seq orders the subject's events, across purposes: 1, 2, 3, … without
	// gaps, assigned by the store when the event is appended.
	Seq int64 `json:"seq"`
	// Purpose is what the subject consented to, such as "newsletter".
	Purpose string `json:"purpose"`
	// Kind is what the event records: a grant, withdrawal or expiry.
	Kind EventKind `json:"kind"`
	// At is when the event was recorded and took effect.
	At time.Time `json:"at"`
	// Expires is, for a grant, when it lapses; zero when it does not.
	Expires time.Time `json:"expires,omitzero"`
	// Notice is the version of the notice the subject was shown.
	Notice string `json:"notice,omitempty"`
	// Language is the language the notice was shown in.
	Language language.Tag `json:"language"`
	// Method is how the subject acted, such as MethodCheckbox.
	Method Method `json:"method,omitempty"`
	// Source is where the event came from: an application, page or system,
	// such as "web/signup" or "crm-import". Not personal.
	Source string `json:"source,omitempty"`
	// Proof holds the personal details that show how the event came about.
	Proof Proof `json:"proof"`
	// Age is, for a grant, the subject's country, age band and whether a
	// holder of parental responsibility consented (Art. 8); never the
	// birth month.
	Age Age `json:"age,omitzero"`
}

// eventFields is Event without its methods, for pii.Redact to reflect on.
type eventFields Event

// LogValue implements slog.LogValuer: the event with the proof's personal
// details redacted, as pii.Redact shows it.
func (e Event) LogValue() slog.Value { return pii.Redact(eventFields(e)).LogValue() }
