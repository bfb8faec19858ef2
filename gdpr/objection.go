package gdpr

import (
	"context"
	"time"
)

// AllDirectMarketing is the Objection.Purpose of an objection to direct
// marketing as a whole (Art. 21(2)–(3)): it covers every purpose marked
// DirectMarketing, those registered later included. Purpose IDs cannot
// clash with it: they hold no '*'.
const AllDirectMarketing = "*direct-marketing"

// Objection is a data subject's objection to processing (Art. 21). It ends
// processing for a purpose resting on public task or legitimate interests
// (Art. 21(1)) until it is lifted, which the controller may do only after
// demonstrating compelling legitimate grounds or when the subject withdraws
// it. An objection to direct marketing is absolute (Art. 21(3)).
type Objection struct {
	Subject string
	// Purpose is the purpose ID objected to, or AllDirectMarketing.
	Purpose string
	// At is when the objection was received; the Guard's clock when zero.
	At time.Time
}

// ObjectionStore keeps objections. Implementations must make an objection
// visible to every instance as soon as AddObjection returns: it takes effect
// at once. MemoryStore and SQLStore implement it; package gdprtest checks
// another implementation.
type ObjectionStore interface {
	// AddObjection stores o. Adding an objection that exists keeps the
	// first one.
	AddObjection(ctx context.Context, o Objection) error
	// RemoveObjection deletes the objection of subject to purpose and
	// reports whether there was one; removing one that does not exist is
	// not an error.
	RemoveObjection(ctx context.Context, subject, purpose string) (bool, error)
	// Objection returns the objection of subject to purpose (a purpose ID
	// or AllDirectMarketing), and whether there is one.
	Objection(ctx context.Context, subject, purpose string) (Objection, bool, error)
}
