package shred

import (
	"context"
	"sync"
	"time"
)

// ErasureLog records erasures so that they can be replayed onto a key store
// restored from a backup taken before them (Shredder.Replay). Keep it
// apart from the key store and its backups: another database, or a log
// shipped elsewhere.
//
// The journal is content-free: an entry names the namespace, the subject's
// reference (a keyed hash; without the namespace's reference key, which
// lives wrapped by the KEK in the key store, it cannot be linked to a
// subject ID, not even by guessing IDs) and the key generation erased.
//
// MemoryErasureLog and SQLErasureLog implement it; package shredtest's
// RunErasureLog checks another implementation.
type ErasureLog interface {
	// Append records an erasure. Appending an entry equal in namespace,
	// reference and generation to one already recorded changes nothing.
	Append(ctx context.Context, e ErasureEntry) error
	// Read returns up to limit entries of the namespace with a sequence
	// number above after, in sequence order.
	Read(ctx context.Context, namespace string, after int64, limit int) ([]ErasureEntry, error)
}

// ErasureEntry is one erasure.
type ErasureEntry struct {
	Seq        int64 // assigned by the journal, increasing
	Namespace  string
	Ref        string    // the subject's reference (Record.Ref)
	Generation int       // the generation of the key that was erased
	At         time.Time // when Erase was called
}

// MemoryErasureLog is an ErasureLog in memory, for tests.
type MemoryErasureLog struct {
	mu      sync.Mutex // guards entries
	entries []ErasureEntry
}

// NewMemoryErasureLog returns an empty MemoryErasureLog.
func NewMemoryErasureLog() *MemoryErasureLog { return &MemoryErasureLog{} }

// Append implements ErasureLog.
func (j *MemoryErasureLog) Append(_ context.Context, e ErasureEntry) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, x := range j.entries {
		if x.Namespace == e.Namespace && x.Ref == e.Ref && x.Generation == e.Generation {
			return nil
		}
	}
	e.Seq = int64(len(j.entries) + 1)
	e.At = e.At.UTC().Truncate(time.Microsecond)
	j.entries = append(j.entries, e)
	return nil
}

// Read implements ErasureLog.
func (j *MemoryErasureLog) Read(_ context.Context, namespace string, after int64, limit int) ([]ErasureEntry, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []ErasureEntry
	for _, e := range j.entries {
		if e.Namespace == namespace && e.Seq > after && (limit <= 0 || len(out) < limit) {
			out = append(out, e)
		}
	}
	return out, nil
}
