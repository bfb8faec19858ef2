package gdpr

import (
	"context"
	"slices"
	"sync"
)

// MemoryStore keeps objections, restrictions, breaches and requests in
// memory, for tests and single-instance services. It is safe for concurrent use; reads
// take a shared lock and do not allocate. Its zero value is not usable:
// call NewMemoryStore.
type MemoryStore struct {
	mu           sync.RWMutex
	objections   map[objectionKey]Objection
	restrictions map[string]Restriction
	breaches     map[string]Breach
	requests     map[string]Request
}

type objectionKey struct{ subject, purpose string }

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{
		objections:   map[objectionKey]Objection{},
		restrictions: map[string]Restriction{},
		breaches:     map[string]Breach{},
		requests:     map[string]Request{},
	}
}

var (
	_ ObjectionStore   = (*MemoryStore)(nil)
	_ RestrictionStore = (*MemoryStore)(nil)
	_ BreachStore      = (*MemoryStore)(nil)
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

// CreateBreach implements BreachStore.
func (m *MemoryStore) CreateBreach(_ context.Context, b Breach) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.breaches[b.ID]; dup {
		return ErrBreachExists
	}
	b.Categories = slices.Clone(b.Categories)
	b.Notifications = slices.Clone(b.Notifications)
	m.breaches[b.ID] = b
	return nil
}

// Breach implements BreachStore.
func (m *MemoryStore) Breach(_ context.Context, id string) (Breach, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	b, ok := m.breaches[id]
	if !ok {
		return Breach{}, ErrUnknownBreach
	}
	b.Categories = slices.Clone(b.Categories)
	b.Notifications = slices.Clone(b.Notifications)
	return b, nil
}

// UpdateBreach implements BreachStore.
func (m *MemoryStore) UpdateBreach(_ context.Context, id string, fn func(*Breach) error) (Breach, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.breaches[id]
	if !ok {
		return Breach{}, ErrUnknownBreach
	}
	b.Categories = slices.Clone(b.Categories)
	b.Notifications = slices.Clone(b.Notifications)
	if err := fn(&b); err != nil {
		return Breach{}, err
	}
	b.ID = id
	m.breaches[id] = b
	b.Categories = slices.Clone(b.Categories)
	b.Notifications = slices.Clone(b.Notifications)
	return b, nil
}

// Breaches implements BreachStore.
func (m *MemoryStore) Breaches(context.Context) ([]Breach, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]Breach, 0, len(m.breaches))
	for _, b := range m.breaches {
		b.Categories = slices.Clone(b.Categories)
		b.Notifications = slices.Clone(b.Notifications)
		out = append(out, b)
	}
	return out, nil
}
