package retention

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel errors. Every error this package returns about one of these
// matches it with errors.Is; the typed errors below carry the details and
// the "retention:" prefix.
var (
	// ErrInvalidPeriod: a text is not an ISO 8601 period this package
	// accepts, or a Period has a negative or oversized component.
	ErrInvalidPeriod = errors.New("retention: invalid period")
	// ErrInvalidRule: a rule lacks a name or an action, names an unknown
	// category, an invalid trigger or an invalid period.
	ErrInvalidRule = errors.New("retention: invalid rule")
	// ErrRuleConflict: two rules share a scope (category and purpose) and a
	// trigger. One scope and trigger have one rule.
	ErrRuleConflict = errors.New("retention: conflicting rules")
	// ErrInvalidHold: a hold has no reason, or an expiry before it was placed.
	ErrInvalidHold = errors.New("retention: invalid hold")
	// ErrHoldExists: a hold with the same ID was placed before.
	ErrHoldExists = errors.New("retention: hold already exists")
	// ErrHoldNotFound: no hold has the ID.
	ErrHoldNotFound = errors.New("retention: no such hold")
	// ErrHoldReleased: the hold was released before.
	ErrHoldReleased = errors.New("retention: hold already released")
	// ErrLeased: another sweeper holds the lease on a source's checkpoint.
	ErrLeased = errors.New("retention: source leased by another sweeper")
	// ErrLeaseLost: the sweeper no longer holds the lease on a source's
	// checkpoint, or the checkpoint moved under it; it must stop that source.
	ErrLeaseLost = errors.New("retention: checkpoint lease lost")
	// ErrUnsupportedAction: a rule asks a source for an action it does not offer,
	// such as Anonymise from a source that is not an Anonymiser.
	ErrUnsupportedAction = errors.New("retention: action not supported by source")
	// ErrNoProgress: a source returned its input cursor as the next one, so a
	// sweep would never end.
	ErrNoProgress = errors.New("retention: source cursor did not advance")
	// ErrUnknownCategory: a category given to Holds.Check, or listed by a
	// Candidate or Subject, is neither a registered pii category key, nor
	// an alias, nor the parent of registered keys.
	ErrUnknownCategory = errors.New("retention: unknown category")
	// ErrInvalidConfig: a SweeperConfig, HoldsConfig or LimiterConfig is
	// incomplete or inconsistent, or NewSQLStore was given no usable
	// database.
	ErrInvalidConfig = errors.New("retention: invalid config")
)

// PeriodError reports a text that is not a valid ISO 8601 period: the
// input, the byte offset at fault and why.
type PeriodError struct {
	Input  string
	Offset int
	Reason string
}

// Error names the input, the offset and the fault.
func (e *PeriodError) Error() string {
	in := e.Input
	if len(in) > 40 {
		in = in[:40] + "…"
	}
	return fmt.Sprintf("retention: period %q at offset %d: %s", in, e.Offset, e.Reason)
}

// Unwrap makes errors.Is(err, ErrInvalidPeriod) hold.
func (e *PeriodError) Unwrap() error { return ErrInvalidPeriod }

// bare shows one of this package's errors without its "retention: "
// prefix, for wrapping it (%w) inside another of this package's messages,
// and unwraps to it.
type bare struct{ err error }

func (b bare) Error() string { return cause(b.err) }
func (b bare) Unwrap() error { return b.err }

// cause is err's message without the package prefix, for nesting in
// another of this package's messages.
func cause(err error) string { return strings.TrimPrefix(err.Error(), "retention: ") }

// RuleError reports a rule at fault: its name (or position when it has
// none), the field and why.
type RuleError struct {
	Rule  string // the rule's name, or "#3" for the fourth unnamed rule
	Field string // Name, Category, Purpose, Period, From or Action
	Err   error
}

// Error names the rule, the field and the fault.
func (e *RuleError) Error() string {
	return fmt.Sprintf("retention: rule %s: %s: %s", e.Rule, e.Field, cause(e.Err))
}

// Unwrap makes errors.Is(err, ErrInvalidRule) hold, and exposes the cause
// (for example a *PeriodError).
func (e *RuleError) Unwrap() []error { return []error{ErrInvalidRule, e.Err} }

// RuleConflictError reports two rules with the same scope and trigger.
type RuleConflictError struct {
	First, Second string // the rules' names, in the order given
	Scope         string // the shared scope, such as "user.contact.email/marketing from collection"
}

// Error names both rules and the scope they share.
func (e *RuleConflictError) Error() string {
	return fmt.Sprintf("retention: rules %q and %q both cover %s; merge them into one", e.First, e.Second, e.Scope)
}

// Unwrap makes errors.Is(err, ErrRuleConflict) hold.
func (e *RuleConflictError) Unwrap() error { return ErrRuleConflict }

// LeaseError reports that another sweeper holds a source's checkpoint.
type LeaseError struct {
	Source string
	Owner  string    // the sweeper that holds the lease
	Until  time.Time // when its lease ends unless renewed
}

// Error names the source, the holder and the lease's end.
func (e *LeaseError) Error() string {
	return fmt.Sprintf("retention: source %q is being swept by %q until %s", e.Source, e.Owner, e.Until.Format(time.RFC3339))
}

// Unwrap makes errors.Is(err, ErrLeased) hold.
func (e *LeaseError) Unwrap() error { return ErrLeased }

// SweepError reports what failed while sweeping one source: the source,
// the operation ("candidates", "erase", "anonymise", "review", "shred",
// "holds", "journal", "checkpoint", "pace") and the cause.
type SweepError struct {
	Source string
	Op     string
	Err    error
}

// Error names the source, the operation and the cause.
func (e *SweepError) Error() string {
	return fmt.Sprintf("retention: source %q: %s: %s", e.Source, e.Op, cause(e.Err))
}

// Unwrap returns the cause.
func (e *SweepError) Unwrap() error { return e.Err }

// HoldError reports a hold at fault: its ID and why.
type HoldError struct {
	ID  string
	Err error
}

// Error names the hold and the fault.
func (e *HoldError) Error() string { return fmt.Sprintf("retention: hold %q: %s", e.ID, cause(e.Err)) }

// Unwrap returns the fault, one of the hold sentinels.
func (e *HoldError) Unwrap() error { return e.Err }
