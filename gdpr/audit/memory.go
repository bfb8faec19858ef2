package audit

import (
	"context"
	"fmt"
	"slices"
	"sync"
)

// MemoryStore keeps the journal in memory, for tests and
// single-instance services that ship the journal elsewhere. Safe for
// concurrent use.
type MemoryStore struct {
	mu      sync.Mutex // guards entries
	entries []Entry    // entries[i].Seq == i+1; never changed once appended
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns an empty in-memory journal store.
func NewMemoryStore() *MemoryStore { return &MemoryStore{} }

// Append implements Store.
func (m *MemoryStore) Append(_ context.Context, next func(Head) (Entry, error)) (Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	head := m.head()
	e, err := next(head)
	if err != nil {
		return Entry{}, err
	}
	if e.Seq != head.Seq+1 {
		return Entry{}, fmt.Errorf("audit: journal entry numbered %d after head %d", e.Seq, head.Seq)
	}
	m.entries = append(m.entries, e)
	return e, nil
}

func (m *MemoryStore) head() Head {
	if len(m.entries) == 0 {
		return Head{}
	}
	last := &m.entries[len(m.entries)-1]
	return Head{Seq: last.Seq, Hash: last.Hash}
}

// Scan implements Store. It reads a snapshot: entries appended while
// it runs are not reported.
func (m *MemoryStore) Scan(ctx context.Context, after uint64, fn func(Entry) error) error {
	m.mu.Lock()
	snapshot := m.entries // appends never touch the elements it holds
	m.mu.Unlock()
	if after >= uint64(len(snapshot)) {
		return nil
	}
	for _, e := range snapshot[after:] {
		if err := ctx.Err(); err != nil {
			return err
		}
		e.Reasons = slices.Clone(e.Reasons)
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

// Head implements Store.
func (m *MemoryStore) Head(context.Context) (Head, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.head(), nil
}
