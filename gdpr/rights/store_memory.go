package rights

import (
	"context"
	"slices"
	"strings"
	"sync"
)

// MemoryStore keeps requests in memory, for tests and
// single-instance services. It is safe for concurrent use. Its zero value
// is not usable: call NewMemoryStore.
type MemoryStore struct {
	mu       sync.RWMutex // guards requests
	requests map[string]Request
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns an empty in-memory store.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{requests: map[string]Request{}}
}

// CreateRequest implements Store.
func (m *MemoryStore) CreateRequest(_ context.Context, r Request) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.requests[r.ID]; dup {
		return ErrRequestExists
	}
	m.requests[r.ID] = r.clone()
	return nil
}

// Request implements Store.
func (m *MemoryStore) Request(_ context.Context, id string) (Request, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	r, ok := m.requests[id]
	if !ok {
		return Request{}, ErrUnknownRequest
	}
	return r.clone(), nil
}

// UpdateRequest implements Store.
func (m *MemoryStore) UpdateRequest(_ context.Context, id string, fn func(*Request) error) (Request, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.requests[id]
	if !ok {
		return Request{}, ErrUnknownRequest
	}
	r = r.clone()
	if err := fn(&r); err != nil {
		return Request{}, err
	}
	r.ID = id
	m.requests[id] = r.clone()
	return r, nil
}

// OpenRequests implements Store.
func (m *MemoryStore) OpenRequests(context.Context) ([]Request, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []Request
	for _, r := range m.requests {
		if !r.State.Closed() {
			out = append(out, r.clone())
		}
	}
	slices.SortFunc(out, func(a, b Request) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}
