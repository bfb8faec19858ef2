package consent

import (
	"errors"
	"fmt"
)

// Sentinel errors, matched with errors.Is. Each is wrapped by a typed error
// that names what is at fault.
var (
	// ErrInvalidInput is matched by every *InputError: a record, notice or
	// query argument that cannot be accepted.
	ErrInvalidInput = errors.New("consent: invalid input")
	// ErrInvalidConfig is matched by every error New returns, a
	// LedgerConfig that is incomplete or inconsistent, and by NewSQLStore
	// given no usable database.
	ErrInvalidConfig = errors.New("consent: invalid config")
	// ErrUnknownNotice is matched when a grant names a notice version that
	// was not published for its purpose, while other versions were.
	ErrUnknownNotice = errors.New("consent: notice version not published")
	// ErrSupersededNotice is matched when a grant names a notice version
	// that a material change published for its purpose has already
	// superseded: consent given under it would be Outdated at once. The
	// subject must be shown the current notice.
	ErrSupersededNotice = errors.New("consent: notice version superseded by a material change")
	// ErrNoticeExists is matched when a notice version is published again
	// with different content (Ledger.Publish), or stored twice
	// (NoticeStore.AddNotice).
	ErrNoticeExists = errors.New("consent: notice version already published")
	// ErrRetroactive is matched when a material notice change is published
	// with an effective time in the past, which would rewrite what the
	// ledger answered for past instants.
	ErrRetroactive = errors.New("consent: material notice change cannot take effect in the past")
	// ErrProof is matched by every *ProofError: a proof that could not be
	// sealed or opened.
	ErrProof = errors.New("consent: proof cannot be sealed or opened")
	// ErrContention is matched when an append lost the race for the
	// subject's next sequence number too many times in a row.
	ErrContention = errors.New("consent: too many concurrent appends for one subject")
)

// InputError reports an argument the ledger or a store refuses: which field
// and why. It never repeats the subject's ID, which is personal data.
type InputError struct {
	Field  string // such as "Act.Notice" or "Notice.Version"
	Reason string
}

// Error names the field and the fault.
func (e *InputError) Error() string { return "consent: " + e.Field + ": " + e.Reason }

// Unwrap returns ErrInvalidInput.
func (e *InputError) Unwrap() error { return ErrInvalidInput }

func invalid(field, format string, args ...any) error {
	return &InputError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// invalidConfig returns an error matching ErrInvalidConfig.
func invalidConfig(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...)
}

// NoticeError reports a notice version at fault.
type NoticeError struct {
	Purpose, Version string
	Err              error // ErrUnknownNotice, ErrSupersededNotice, ErrNoticeExists or ErrRetroactive
}

// Error names the purpose, the version and the fault.
func (e *NoticeError) Error() string {
	return fmt.Sprintf("consent: notice %q of purpose %q: %v", e.Version, e.Purpose, e.Err)
}

// Unwrap returns the fault.
func (e *NoticeError) Unwrap() error { return e.Err }

// ProofError reports a proof that the Sealer could not seal or open.
type ProofError struct {
	Op      string // "seal" or "open"
	Purpose string // the purpose of the event, when there is one event
	Seq     int64  // the event's sequence number; zero before it is stored
	Err     error  // what the Sealer returned
}

// Error names the operation, the event and the cause.
func (e *ProofError) Error() string {
	where := ""
	if e.Seq != 0 {
		where = fmt.Sprintf(" of event %d", e.Seq)
	}
	if e.Purpose != "" {
		where += fmt.Sprintf(" (purpose %q)", e.Purpose)
	}
	return fmt.Sprintf("consent: %s proof%s: %v", e.Op, where, e.Err)
}

// Unwrap returns ErrProof and the Sealer's error.
func (e *ProofError) Unwrap() []error { return []error{ErrProof, e.Err} }
