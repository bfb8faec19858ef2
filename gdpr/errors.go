package gdpr

import (
	"errors"
	"fmt"
)

// ErrNoLawfulBasis is matched (with errors.Is) by every denial of the Guard:
// no lawful basis holds for the subject and purpose at this instant. The more
// specific sentinels below match it too.
var ErrNoLawfulBasis = errors.New("gdpr: no lawful basis")

// Specific reasons for a denial. Each matches ErrNoLawfulBasis.
var (
	// ErrUnknownPurpose: the purpose is not in the register, so no basis is
	// declared for it.
	ErrUnknownPurpose = fmt.Errorf("%w: unknown purpose", ErrNoLawfulBasis)
	// ErrNoConsent: the purpose rests on consent (Art. 6(1)(a) or Art.
	// 9(2)(a)) and consent does not hold: never given, withdrawn, expired,
	// or given under a notice that has since changed.
	ErrNoConsent = fmt.Errorf("%w: no consent", ErrNoLawfulBasis)
	// ErrNoContract: the purpose rests on a contract (Art. 6(1)(b)) and the
	// contract hook did not confirm one with the subject.
	ErrNoContract = fmt.Errorf("%w: no contract", ErrNoLawfulBasis)
	// ErrObjected: the subject objected (Art. 21) to the purpose, or to
	// direct marketing as a whole.
	ErrObjected = fmt.Errorf("%w: objected", ErrNoLawfulBasis)
	// ErrRestricted: processing of the subject's data is restricted (Art. 18)
	// and Art. 18(2) does not allow the purpose.
	ErrRestricted = fmt.Errorf("%w: processing restricted", ErrNoLawfulBasis)
	// ErrUnderAge: the purpose processes children's data on consent and the
	// consent record shows neither that the subject has reached the age of
	// digital consent of their country nor the consent of a holder of
	// parental responsibility (Art. 8(1)). It matches ErrNoConsent too.
	ErrUnderAge = fmt.Errorf("%w: below the age of digital consent (Art. 8(1))", ErrNoConsent)
)

// ErrNoSubject is returned for a call that names no data subject. It is a
// mistake of the caller, not a denial, and does not match ErrNoLawfulBasis.
var ErrNoSubject = errors.New("gdpr: no data subject given")

// ErrNotConfigured is returned when the Guard needs a collaborator its
// GuardConfig left nil, such as the consent reader for a consent-based
// purpose. It does not match ErrNoLawfulBasis: the Guard could not decide.
var ErrNotConfigured = errors.New("gdpr: not configured")

// DenialError is the error of a denied Decision. Err is one of the specific
// sentinels (ErrNoConsent, ErrObjected, …), so both errors.Is(err,
// ErrNoConsent) and errors.Is(err, ErrNoLawfulBasis) hold. The message names
// the purpose and the reason, never the subject: errors end up in logs.
type DenialError struct {
	Purpose string
	Basis   Basis
	Reason  Reason
	Err     error
}

// Error names the purpose, the reason and the basis that failed.
func (e *DenialError) Error() string {
	if e.Basis == 0 {
		return fmt.Sprintf("gdpr: purpose %q denied: %s", e.Purpose, e.Reason.Text())
	}
	return fmt.Sprintf("gdpr: purpose %q denied: %s (lawful basis: %s)", e.Purpose, e.Reason.Text(), e.Basis.Article())
}

// Unwrap returns the specific sentinel.
func (e *DenialError) Unwrap() error { return e.Err }

// ErrInvalidPurpose is matched by every error about a purpose that cannot be
// registered because its declaration is incomplete or inconsistent.
var ErrInvalidPurpose = errors.New("gdpr: invalid purpose")

// ErrDuplicatePurpose is returned when a purpose ID is registered twice. It
// matches ErrInvalidPurpose.
var ErrDuplicatePurpose = fmt.Errorf("%w: duplicate purpose ID", ErrInvalidPurpose)

// PurposeError reports one fault of a purpose declaration: which purpose,
// which field, and why. Register.Add joins one PurposeError per fault.
type PurposeError struct {
	Purpose string // the purpose ID
	Field   string // the Purpose field at fault, such as "Recipients[1].Safeguard"
	Err     error  // what is wrong
}

// Error names the purpose, the field and the fault.
func (e *PurposeError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("gdpr: purpose %q: %v", e.Purpose, e.Err)
	}
	return fmt.Sprintf("gdpr: purpose %q: %s: %v", e.Purpose, e.Field, e.Err)
}

// Unwrap returns ErrInvalidPurpose and the fault.
func (e *PurposeError) Unwrap() []error { return []error{ErrInvalidPurpose, e.Err} }

// ErrInvalidConfig is matched by errors about a Config that cannot work.
var ErrInvalidConfig = errors.New("gdpr: invalid config")

// ErrInvalidArgument is matched by errors about an argument a call cannot
// take, such as a restriction without an Art. 18(1) ground.
var ErrInvalidArgument = errors.New("gdpr: invalid argument")

func configError(what, msg string) error {
	return fmt.Errorf("gdpr: %s: %s: %w", what, msg, ErrInvalidConfig)
}
