package gdpr

import (
	"context"
	"slices"
	"strings"
)

// RequestStore keeps data-subject requests. What callers use is Rights;
// stores implement this. MemoryStore and SQLStore implement it and pass one
// conformance suite.
type RequestStore interface {
	// CreateRequest stores a new request; an existing ID is
	// ErrRequestExists.
	CreateRequest(ctx context.Context, r Request) error
	// Request returns the request with the ID, or ErrUnknownRequest.
	Request(ctx context.Context, id string) (Request, error)
	// UpdateRequest calls fn on the stored request and stores the result,
	// as one atomic step across every instance sharing the store (a row
	// lock); an error from fn leaves the request as it was and is
	// returned. fn may be called again if the step is retried.
	UpdateRequest(ctx context.Context, id string, fn func(*Request) error) (Request, error)
	// OpenRequests returns the requests that are neither completed nor
	// refused, in no particular order.
	OpenRequests(ctx context.Context) ([]Request, error)
}

var _ RequestStore = (*MemoryStore)(nil)

// CreateRequest implements RequestStore.
func (m *MemoryStore) CreateRequest(_ context.Context, r Request) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.requests[r.ID]; dup {
		return ErrRequestExists
	}
	m.requests[r.ID] = r.clone()
	return nil
}

// Request implements RequestStore.
func (m *MemoryStore) Request(_ context.Context, id string) (Request, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	r, ok := m.requests[id]
	if !ok {
		return Request{}, ErrUnknownRequest
	}
	return r.clone(), nil
}

// UpdateRequest implements RequestStore.
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

// OpenRequests implements RequestStore.
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
