package gdpr

import (
	"context"
	"sync"
)

// MemoryStore keeps objections, restrictions and what erasures kept
// (Kept) in memory, for tests and single-instance services. It is safe for concurrent use; reads
// take a shared lock and do not allocate. Its zero value is not usable:
// call NewMemoryStore.
type MemoryStore struct {
	mu           sync.RWMutex // guards objections and restrictions
	objections   map[objectionKey]Objection
	restrictions map[string]Restriction
	kept         map[string]Kept // see exemption.go
}

type objectionKey struct{ subject, purpose string }

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{
		objections:   map[objectionKey]Objection{},
		restrictions: map[string]Restriction{},
	}
}

var (
	_ ObjectionStore   = (*MemoryStore)(nil)
	_ RestrictionStore = (*MemoryStore)(nil)
)

// AddObjection implements ObjectionStore.
func (m *MemoryStore) AddObjection(_ context.Context, o Objection) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := objectionKey{o.Subject, o.Purpose}
	if _, ok := m.objections[k]; !ok {
		m.objections[k] = o
	}
	return nil
}

// RemoveObjection implements ObjectionStore.
func (m *MemoryStore) RemoveObjection(_ context.Context, subject, purpose string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := objectionKey{subject, purpose}
	_, ok := m.objections[k]
	delete(m.objections, k)
	return ok, nil
}

// Objection implements ObjectionStore.
func (m *MemoryStore) Objection(_ context.Context, subject, purpose string) (Objection, bool, error) {
	m.mu.RLock()
	o, ok := m.objections[objectionKey{subject, purpose}]
	m.mu.RUnlock()
	return o, ok, nil
}

// AddRestriction implements RestrictionStore.
func (m *MemoryStore) AddRestriction(_ context.Context, r Restriction) error {
	m.mu.Lock()
	m.restrictions[r.Subject] = r
	m.mu.Unlock()
	return nil
}

// RemoveRestriction implements RestrictionStore.
func (m *MemoryStore) RemoveRestriction(_ context.Context, subject string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.restrictions[subject]
	delete(m.restrictions, subject)
	return ok, nil
}

// Restriction implements RestrictionStore.
func (m *MemoryStore) Restriction(_ context.Context, subject string) (Restriction, bool, error) {
	m.mu.RLock()
	r, ok := m.restrictions[subject]
	m.mu.RUnlock()
	return r, ok, nil
}
