package retention

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"
)

// MemoryStore is a HoldStore and CheckpointStore in memory, for tests,
// development and single-process services that keep no state across
// restarts. Safe for concurrent use.
type MemoryStore struct {
	mu          sync.Mutex // guards holds and checkpoints
	holds       map[string]Hold
	checkpoints map[string]Checkpoint
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{holds: map[string]Hold{}, checkpoints: map[string]Checkpoint{}}
}

// PlaceHold implements HoldStore.
func (m *MemoryStore) PlaceHold(_ context.Context, h Hold) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.holds[h.ID]; dup {
		return &HoldError{ID: h.ID, Err: ErrHoldExists}
	}
	m.holds[h.ID] = h
	return nil
}

// ReleaseHold implements HoldStore.
func (m *MemoryStore) ReleaseHold(_ context.Context, id string, at time.Time) (Hold, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, ok := m.holds[id]
	if !ok {
		return Hold{}, &HoldError{ID: id, Err: ErrHoldNotFound}
	}
	if !h.Released.IsZero() {
		return Hold{}, &HoldError{ID: id, Err: ErrHoldReleased}
	}
	h.Released = at
	m.holds[id] = h
	return h, nil
}

// RemoveHold implements HoldStore.
func (m *MemoryStore) RemoveHold(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, ok := m.holds[id]
	switch {
	case !ok:
		return &HoldError{ID: id, Err: ErrHoldNotFound}
	case !h.Released.IsZero():
		return &HoldError{ID: id, Err: ErrHoldReleased}
	}
	delete(m.holds, id)
	return nil
}

// UnreleaseHold implements HoldStore.
func (m *MemoryStore) UnreleaseHold(_ context.Context, id string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	h, ok := m.holds[id]
	if !ok || !h.Released.Equal(at) {
		return &HoldError{ID: id, Err: ErrHoldNotFound}
	}
	h.Released = time.Time{}
	m.holds[id] = h
	return nil
}

// ActiveHolds implements HoldStore. Holds come ordered by placement, then ID.
func (m *MemoryStore) ActiveHolds(_ context.Context, at time.Time) ([]Hold, error) {
	m.mu.Lock()
	var out []Hold
	for _, h := range m.holds {
		if h.Active(at) {
			out = append(out, h)
		}
	}
	m.mu.Unlock()
	sortHolds(out)
	return out, nil
}

func sortHolds(hs []Hold) {
	sort.Slice(hs, func(i, j int) bool {
		if !hs[i].Placed.Equal(hs[j].Placed) {
			return hs[i].Placed.Before(hs[j].Placed)
		}
		return hs[i].ID < hs[j].ID
	})
}

// Checkpoint implements CheckpointStore.
func (m *MemoryStore) Checkpoint(_ context.Context, source string) (Checkpoint, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cp, ok := m.checkpoints[source]
	if !ok {
		cp.Source = source
	}
	return cp, nil
}

// AcquireLease implements CheckpointStore.
func (m *MemoryStore) AcquireLease(_ context.Context, l CheckpointLease) (Cursor, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	cp, ok := m.checkpoints[l.Source]
	if !ok {
		cp.Source = l.Source
	}
	if cp.Owner != "" && l.Now.Before(cp.Until) {
		return "", &LeaseError{Source: l.Source, Owner: cp.Owner, Until: cp.Until}
	}
	cp.Owner, cp.Until = l.Owner, l.Until
	m.checkpoints[l.Source] = cp
	return cp.Cursor, nil
}

// AdvanceCursor implements CheckpointStore.
func (m *MemoryStore) AdvanceCursor(_ context.Context, l CheckpointLease, from, to Cursor) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	cp, ok := m.checkpoints[l.Source]
	if !ok || cp.Owner != l.Owner || cp.Cursor != from {
		return fmt.Errorf("retention: checkpoint of %q: %w: %q does not hold it at cursor %q", l.Source, bare{ErrLeaseLost}, l.Owner, string(from))
	}
	cp.Cursor, cp.Until, cp.Updated = to, l.Until, l.Now
	m.checkpoints[l.Source] = cp
	return nil
}

// ReleaseLease implements CheckpointStore.
func (m *MemoryStore) ReleaseLease(_ context.Context, l CheckpointLease) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if cp, ok := m.checkpoints[l.Source]; ok && cp.Owner == l.Owner {
		cp.Owner, cp.Until = "", time.Time{}
		m.checkpoints[l.Source] = cp
	}
	return nil
}
