package gdpr

import "context"

// Opener opens, in place, the sealed personal fields of a value. The
// pii/shred Shredder is one. When the subject's key was erased, Open sets
// the fields to their replace= text or zero value and returns an error
// whose chain holds one with an Erased() bool method returning true.
type Opener interface {
	Open(ctx context.Context, v any) error
}

// KeyEraser destroys a subject's key in one crypto-shredding namespace, so
// that everything sealed under it, wherever it is copied, can no longer be
// read. The pii/shred Shredder is one. Erase must be idempotent.
type KeyEraser interface {
	Erase(ctx context.Context, subject string) error
}

// Keys is a crypto-shredding namespace's keys, as an export opens sealed
// fields with them and an erasure destroys them. The pii/shred Shredder
// implements it.
type Keys interface {
	Opener
	KeyEraser
}

// Namespace is a crypto-shredding namespace the application seals personal
// data in, named for certificates and the journal.
type Namespace struct {
	// Name is a code (lower-case letters, digits and ". _ -"), such as
	// "app" or "consent"; sources refer to it in SourceInfo.Namespace.
	Name string
	// Keys are the namespace's keys: the Shredder configured with the
	// namespace.
	Keys Keys
}
