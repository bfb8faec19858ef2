package consent

import (
	"context"
	"errors"
)

// Sealer seals the personal fields of a value in place and opens them
// again; the pii/shred Shredder is one. The ledger passes it a *Proof,
// whose Subject field names the key to use.
//
// When Open cannot decrypt because the subject's key was erased, it returns
// an error that has, somewhere in its chain (errors.As), a method
// Erased() bool returning true; the ledger then returns the event with its
// proof erased instead of failing.
type Sealer interface {
	Seal(ctx context.Context, v any) error
	Open(ctx context.Context, v any) error
}

// erased reports whether err says the subject's key was erased.
func erased(err error) bool {
	var e interface{ Erased() bool }
	return errors.As(err, &e) && e.Erased()
}
