package gdpr

import (
	"context"
	"fmt"
	"time"
)

// Restriction marks a subject's data as restricted (Art. 18): apart from
// storage, it may be processed only with the subject's consent, for legal
// claims, for the protection of the rights of another person or for
// important public interest (Art. 18(2)), so the Guard allows only purposes
// marked Storage, LegalClaims, ProtectsOthers or PublicInterest, and those
// resting on consent given after At.
type Restriction struct {
	Subject string
	Ground  Ground
	// At is when the restriction was applied; the Guard's clock when zero.
	At time.Time
}

// Ground is why processing is restricted, Art. 18(1)(a)–(d).
type Ground uint8

// Grounds of Art. 18(1).
const (
	// Accuracy, Art. 18(1)(a): the subject contests the accuracy of the
	// data, while the controller verifies it.
	Accuracy Ground = iota + 1
	// Unlawful, Art. 18(1)(b): the processing is unlawful and the subject
	// asks for restriction instead of erasure.
	Unlawful
	// ClaimsOfSubject, Art. 18(1)(c): the controller no longer needs the
	// data but the subject needs it for legal claims.
	ClaimsOfSubject
	// ObjectionPending, Art. 18(1)(d): the subject objected under Art.
	// 21(1), pending verification of the controller's grounds.
	ObjectionPending
)

var groundCodes = [...]string{Accuracy: "accuracy", Unlawful: "unlawful", ClaimsOfSubject: "claims-of-subject", ObjectionPending: "objection-pending"}

// Valid reports whether g is one of the four grounds.
func (g Ground) Valid() bool { return g >= Accuracy && g <= ObjectionPending }

// String returns the ground's code, such as "accuracy".
func (g Ground) String() string {
	if g.Valid() {
		return groundCodes[g]
	}
	return fmt.Sprintf("Ground(%d)", uint8(g))
}

// RestrictionStore keeps restrictions, one per subject. Implementations must
// make a restriction visible to every instance as soon as AddRestriction
// returns. MemoryStore and SQLStore implement it; package gdprtest checks
// another implementation.
type RestrictionStore interface {
	// AddRestriction stores r, replacing the subject's restriction if any.
	AddRestriction(ctx context.Context, r Restriction) error
	// RemoveRestriction lifts the subject's restriction and reports whether
	// there was one; lifting none is not an error.
	RemoveRestriction(ctx context.Context, subject string) (bool, error)
	// Restriction returns the subject's restriction and whether there is one.
	Restriction(ctx context.Context, subject string) (Restriction, bool, error)
}
