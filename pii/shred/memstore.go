package shred

import (
	"context"
	"errors"
	"slices"
	"sort"
	"sync"
	"time"
)

// MemoryStore is a Store in memory, for tests and single-process tools. Its
// keys die with the process, which is crypto-shredding of everything.
type MemoryStore struct {
	mu   sync.Mutex // guards recs
	recs map[memKey]KeyRecord
}

type memKey struct{ namespace, ref string }

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{recs: map[memKey]KeyRecord{}}
}

// Get implements Store.
func (m *MemoryStore) Get(_ context.Context, namespace, ref string) (KeyRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.recs[memKey{namespace, ref}]
	if !ok {
		return KeyRecord{}, ErrNoKey
	}
	return cloneRecord(r), nil
}

// Create implements Store.
func (m *MemoryStore) Create(_ context.Context, r KeyRecord) error {
	if r.Erased() {
		return errors.New("shred: Create needs a wrapped key")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	k := memKey{r.Namespace, r.Ref}
	if _, ok := m.recs[k]; ok {
		return ErrKeyExists
	}
	r = cloneRecord(r)
	r.Version, r.ErasedAt = 1, time.Time{}
	m.recs[k] = r
	return nil
}

// Update implements Store.
func (m *MemoryStore) Update(_ context.Context, r KeyRecord) error {
	if r.Erased() {
		return errors.New("shred: Update needs a wrapped key; use Erase for tombstones")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	k := memKey{r.Namespace, r.Ref}
	old, ok := m.recs[k]
	if !ok || old.Version != r.Version {
		return ErrConflict
	}
	clear(old.Wrapped)
	r = cloneRecord(r)
	r.Version, r.ErasedAt = old.Version+1, time.Time{}
	m.recs[k] = r
	return nil
}

// Erase implements Store. The key bytes are overwritten before they are
// dropped.
func (m *MemoryStore) Erase(_ context.Context, namespace, ref string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := memKey{namespace, ref}
	old, ok := m.recs[k]
	if ok && old.Erased() {
		return nil
	}
	clear(old.Wrapped)
	m.recs[k] = KeyRecord{
		Namespace:  namespace,
		Ref:        ref,
		Generation: old.Generation,
		Version:    old.Version + 1,
		ErasedAt:   at.UTC().Truncate(time.Microsecond),
	}
	return nil
}

// List implements Store.
func (m *MemoryStore) List(_ context.Context, namespace, after string, limit int) ([]KeyRecord, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []KeyRecord
	for k, r := range m.recs {
		if k.namespace == namespace && k.ref > after {
			out = append(out, cloneRecord(r))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Ref < out[j].Ref })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func cloneRecord(r KeyRecord) KeyRecord {
	r.Wrapped = slices.Clone(r.Wrapped)
	return r
}
