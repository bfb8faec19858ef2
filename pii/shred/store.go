package shred

import (
	"context"
	"time"
)

// Store keeps the wrapped keys of one or more namespaces. It holds no raw
// subject IDs: a record is found by its subject reference, a keyed hash of
// the subject's ID (see Record.Ref). The Shredder is what applications call;
// a Store is what a storage backend implements, and every implementation
// must pass the same conformance tests as MemoryStore and SQLStore:
// package shredtest's RunStore.
//
// Cross-instance guarantees rest on the store: Create must fail with
// ErrKeyExists when any record exists for the namespace and reference (a
// unique constraint), Update must be a compare-and-swap on Version, and
// Erase must replace the key with a tombstone atomically.
type Store interface {
	// Get returns the record for the namespace and reference, or ErrNoKey.
	Get(ctx context.Context, namespace, ref string) (KeyRecord, error)
	// Create adds a record with a key at Version 1, or fails with
	// ErrKeyExists when a record (a key or a tombstone) already exists.
	Create(ctx context.Context, r KeyRecord) error
	// Update replaces the key and its KEK and generation of the record whose
	// stored Version equals r.Version, and increments the version; a
	// tombstone may be replaced so (see Shredder.Renew). It fails with
	// ErrConflict when the version differs or the record is gone.
	Update(ctx context.Context, r KeyRecord) error
	// Erase turns the record into a tombstone: the wrapped key is
	// destroyed, ErasedAt is set and the version incremented. A missing
	// record becomes a tombstone; erasing a tombstone changes nothing.
	Erase(ctx context.Context, namespace, ref string, at time.Time) error
	// List returns up to limit records of the namespace whose reference
	// sorts after the given one, in reference order, for batched scans.
	List(ctx context.Context, namespace, after string, limit int) ([]KeyRecord, error)
}

// KeyRecord is what a Store keeps per (namespace, subject): the subject's
// Tink keyset wrapped by the key-encryption key, or, after erasure, a
// tombstone with no key material at all.
type KeyRecord struct {
	Namespace string
	// Ref identifies the subject without naming it: 22 characters of
	// base64url, an HMAC-SHA256 of the subject's ID under the namespace's
	// secret reference key (itself a record, with Ref "!prf").
	Ref string
	// Wrapped is the keyset, encrypted by the KEK with the namespace and
	// Ref as associated data; nil in a tombstone.
	Wrapped []byte
	// KEK names the key-encryption key that wrapped the keyset
	// (ShredderConfig.KEKID); empty in a tombstone.
	KEK string
	// Generation counts the fresh keys given after erasures (Renew).
	Generation int
	// Version is incremented by every change, for compare-and-swap.
	Version int64
	// ErasedAt is when the key was destroyed; zero while it lives.
	ErasedAt time.Time
}

// Erased reports whether the record is a tombstone.
func (r KeyRecord) Erased() bool { return len(r.Wrapped) == 0 }

// prfRef is the reference of the namespace's secret PRF keyset, which
// computes subject references and blind indexes. Computed references are
// base64url and never contain '!'.
const prfRef = "!prf"
