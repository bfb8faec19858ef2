package retention

import (
	"errors"
	"fmt"
)

// Trigger names the event a retention period is counted from. The three
// built-in triggers read the matching Candidate fields; any other name is a
// caller-defined event looked up in Candidate.Events (for example
// "account_closed" or "case_closed").
type Trigger string

// Built-in triggers.
const (
	// Collection counts from when the data was collected (Candidate.Collected).
	Collection Trigger = "collection"
	// LastActivity counts from the subject's last activity (Candidate.LastActive).
	LastActivity Trigger = "last_activity"
	// ContractEnd counts from the end of the contract the data serves
	// (Candidate.ContractEnd).
	ContractEnd Trigger = "contract_end"
)

// String returns the trigger's name.
func (t Trigger) String() string { return string(t) }

// validate checks that t is a lower-case name of letters, digits, '_', '-'
// and '.', at most 64 bytes long.
func (t Trigger) validate() error {
	if t == "" {
		return errors.New("empty trigger")
	}
	if len(t) > 64 {
		return fmt.Errorf("trigger %.20q… is longer than 64 bytes", string(t))
	}
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '-', c == '.':
		default:
			return fmt.Errorf("trigger %q: want lower-case letters, digits, '_', '-' or '.'", string(t))
		}
	}
	return nil
}
