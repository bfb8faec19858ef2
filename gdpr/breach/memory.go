package breach

import (
	"context"
	"slices"
	"sync"
)

// MemoryStore keeps breaches in memory, for tests and single-instance
// services. It is safe for concurrent use. Its zero value is not usable:
// call NewMemoryStore.
type MemoryStore struct {
	mu       sync.RWMutex // guards breaches
	breaches map[string]Breach
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{breaches: map[string]Breach{}}
}

// CreateBreach implements Store.
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

// Breach implements Store.
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

// UpdateBreach implements Store.
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

// Breaches implements Store.
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
