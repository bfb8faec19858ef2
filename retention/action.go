package retention

import "fmt"

// Action is what happens to data whose retention period has run out.
type Action uint8

const (
	// Erase asks the source to erase the expired categories of the record
	// (RecordSource.Erase): delete the record, or clear or crypto-shred its fields.
	Erase Action = iota + 1
	// Anonymise asks the source to anonymise the expired categories of the
	// record (Anonymiser.Anonymise), for sources that keep statistics.
	Anonymise
	// Review flags the record for a person to decide: it is reported,
	// journalled and, when the source is a Reviewer, handed to it. Nothing
	// is changed.
	Review
	// Shred destroys a subject's keys through the Eraser, which makes all of
	// the subject's sealed data unreadable. The sweeper takes it for subjects
	// inactive beyond every rule that applies to them; it is not a rule's
	// action (see the package documentation).
	Shred
)

var actionNames = [...]string{Erase: "erase", Anonymise: "anonymise", Review: "review", Shred: "shred"}

// String names the action: "erase", "anonymise", "review" or "shred".
func (a Action) String() string {
	if int(a) < len(actionNames) && actionNames[a] != "" {
		return actionNames[a]
	}
	return fmt.Sprintf("action(%d)", uint8(a))
}

// MarshalText writes the action's name.
func (a Action) MarshalText() ([]byte, error) {
	if a < Erase || a > Shred {
		return nil, fmt.Errorf("retention: unknown action %d", uint8(a))
	}
	return []byte(a.String()), nil
}

// UnmarshalText reads an action's name; "anonymize" is accepted too.
func (a *Action) UnmarshalText(text []byte) error {
	switch s := string(text); s {
	case "erase":
		*a = Erase
	case "anonymise", "anonymize":
		*a = Anonymise
	case "review":
		*a = Review
	case "shred":
		*a = Shred
	default:
		return fmt.Errorf("retention: unknown action %q; want erase, anonymise, review or shred", s)
	}
	return nil
}
