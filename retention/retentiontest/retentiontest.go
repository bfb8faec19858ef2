package retentiontest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/retention"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// RunHoldStore runs the HoldStore conformance tests, each as a subtest on
// new, empty storage from newStorage, which returns a function opening
// another instance on that storage.
func RunHoldStore(t *testing.T, newStorage func(t *testing.T) func() retention.HoldStore) {
	t.Run("Holds", func(t *testing.T) { holds(t, newStorage(t)) })
	t.Run("HoldUndo", func(t *testing.T) { holdUndo(t, newStorage(t)) })
}

// RunCheckpointStore runs the CheckpointStore conformance tests, each as a
// subtest on new, empty storage from newStorage, which returns a function
// opening another instance on that storage.
func RunCheckpointStore(t *testing.T, newStorage func(t *testing.T) func() retention.CheckpointStore) {
	t.Run("Checkpoints", func(t *testing.T) { checkpoints(t, newStorage(t)) })
	t.Run("LeaseRace", func(t *testing.T) { leaseRace(t, newStorage(t)) })
}

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// holds places, lists and releases holds through two instances.
func holds(t *testing.T, open func() retention.HoldStore) {
	ctx := context.Background()
	s := open()
	h1 := retention.Hold{ID: "h1", Case: "LIT-1", Subject: "alice", Reason: "litigation", Placed: t0}
	h2 := retention.Hold{ID: "h2", Case: "AUDIT", Category: pii.Billing, Reason: "tax audit", Placed: t0.Add(time.Hour), Expires: t0.Add(48 * time.Hour)}
	require.NoError(t, s.PlaceHold(ctx, h1))
	require.NoError(t, s.PlaceHold(ctx, h2))
	err := s.PlaceHold(ctx, h1)
	assert.ErrorIs(t, err, retention.ErrHoldExists)
	assert.ErrorContains(t, err, `"h1"`)

	ids := func(at time.Time) []string {
		hs, err := s.ActiveHolds(ctx, at)
		require.NoError(t, err)
		var out []string
		for _, h := range hs {
			out = append(out, h.ID)
		}
		return out
	}
	assert.Empty(t, ids(t0.Add(-time.Second)), "before placement")
	assert.Equal(t, []string{"h1"}, ids(t0))
	assert.Equal(t, []string{"h1", "h2"}, ids(t0.Add(2*time.Hour)), "ordered by placement")
	assert.Equal(t, []string{"h1"}, ids(t0.Add(48*time.Hour)), "h2 expired")

	other := open() // a second instance sees the same holds
	hs, err := other.ActiveHolds(ctx, t0.Add(2*time.Hour))
	require.NoError(t, err)
	require.Len(t, hs, 2)
	got := hs[1]
	assert.Equal(t, "AUDIT", got.Case)
	assert.Equal(t, pii.Billing, got.Category)
	assert.Equal(t, "tax audit", got.Reason)
	assert.Equal(t, "", got.Subject)
	assert.True(t, got.Placed.Equal(h2.Placed))
	assert.True(t, got.Expires.Equal(h2.Expires))
	assert.True(t, got.Released.IsZero())

	released, err := other.ReleaseHold(ctx, "h1", t0.Add(3*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, "h1", released.ID)
	assert.Equal(t, "alice", released.Subject)
	assert.True(t, released.Released.Equal(t0.Add(3*time.Hour)))
	assert.Equal(t, []string{"h1", "h2"}, ids(t0.Add(2*time.Hour)), "in force before its release")
	assert.Equal(t, []string{"h2"}, ids(t0.Add(3*time.Hour)))

	_, err = s.ReleaseHold(ctx, "h1", t0.Add(4*time.Hour))
	assert.ErrorIs(t, err, retention.ErrHoldReleased)
	_, err = s.ReleaseHold(ctx, "nope", t0)
	assert.ErrorIs(t, err, retention.ErrHoldNotFound)
	var he *retention.HoldError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, "nope", he.ID)
}

// holdUndo: RemoveHold and UnreleaseHold undo a placement and a release,
// and refuse what they cannot undo.
func holdUndo(t *testing.T, open func() retention.HoldStore) {
	ctx := context.Background()
	s := open()
	at := t0.Add(time.Hour)
	require.NoError(t, s.PlaceHold(ctx, retention.Hold{ID: "a", Reason: "r", Placed: t0}))
	require.NoError(t, s.PlaceHold(ctx, retention.Hold{ID: "b", Reason: "r", Placed: t0}))
	assert.ErrorIs(t, s.RemoveHold(ctx, "none"), retention.ErrHoldNotFound)
	require.NoError(t, s.RemoveHold(ctx, "a"))
	assert.ErrorIs(t, s.RemoveHold(ctx, "a"), retention.ErrHoldNotFound)
	require.NoError(t, s.PlaceHold(ctx, retention.Hold{ID: "a", Reason: "r", Placed: t0}), "a removed hold's ID is free")

	_, err := s.ReleaseHold(ctx, "b", at)
	require.NoError(t, err)
	assert.ErrorIs(t, s.RemoveHold(ctx, "b"), retention.ErrHoldReleased, "a released hold is kept")
	assert.ErrorIs(t, s.UnreleaseHold(ctx, "b", at.Add(time.Second)), retention.ErrHoldNotFound, "released at another instant")
	require.NoError(t, s.UnreleaseHold(ctx, "b", at))
	active, err := s.ActiveHolds(ctx, at.Add(time.Hour))
	require.NoError(t, err)
	assert.Len(t, active, 2)
	assert.ErrorIs(t, s.UnreleaseHold(ctx, "b", at), retention.ErrHoldNotFound, "not released any more")
}

// checkpoints takes a source's lease and cursor through two instances:
// acquiring, advancing, fencing, taking over and releasing.
func checkpoints(t *testing.T, open func() retention.CheckpointStore) {
	ctx := context.Background()
	a, b := open(), open()
	cp, err := a.Checkpoint(ctx, "orders")
	require.NoError(t, err)
	assert.Equal(t, retention.Checkpoint{Source: "orders"}, cp, "never swept")

	la := retention.CheckpointLease{Source: "orders", Owner: "A", Now: t0, Until: t0.Add(time.Minute)}
	cur, err := a.AcquireLease(ctx, la)
	require.NoError(t, err)
	assert.Equal(t, retention.Cursor(""), cur)

	lb := retention.CheckpointLease{Source: "orders", Owner: "B", Now: t0.Add(time.Second), Until: t0.Add(time.Minute + time.Second)}
	_, err = b.AcquireLease(ctx, lb)
	require.ErrorIs(t, err, retention.ErrLeased)
	var le *retention.LeaseError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "A", le.Owner)
	assert.True(t, le.Until.Equal(la.Until), "%s", le.Until)
	_, err = b.AcquireLease(ctx, retention.CheckpointLease{Source: "invoices", Owner: "B", Now: t0, Until: t0.Add(time.Minute)})
	assert.NoError(t, err, "leases are per source")

	la.Now, la.Until = t0.Add(10*time.Second), t0.Add(2*time.Minute)
	require.NoError(t, a.AdvanceCursor(ctx, la, "", "c1"))
	assert.ErrorIs(t, a.AdvanceCursor(ctx, la, "", "c2"), retention.ErrLeaseLost, "the cursor is no longer where A thinks")
	assert.ErrorIs(t, b.AdvanceCursor(ctx, lb, "c1", "c2"), retention.ErrLeaseLost, "B holds no lease")

	cp, err = b.Checkpoint(ctx, "orders")
	require.NoError(t, err)
	assert.Equal(t, retention.Cursor("c1"), cp.Cursor)
	assert.Equal(t, "A", cp.Owner)
	assert.True(t, cp.Until.Equal(la.Until), "advancing renews the lease")
	assert.True(t, cp.Updated.Equal(la.Now))

	_, err = a.AcquireLease(ctx, la)
	require.ErrorIs(t, err, retention.ErrLeased, "a lease is not re-entrant: a second pass under one token must not act")
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "A", le.Owner)

	// A stalls; its lease runs out and B takes over where A left off.
	lb.Now, lb.Until = la.Until, la.Until.Add(time.Minute)
	cur, err = b.AcquireLease(ctx, lb)
	require.NoError(t, err)
	assert.Equal(t, retention.Cursor("c1"), cur)
	assert.ErrorIs(t, a.AdvanceCursor(ctx, la, "c1", "c2"), retention.ErrLeaseLost, "A is fenced off")
	require.NoError(t, a.ReleaseLease(ctx, la), "releasing a lease one does not hold does nothing")
	require.NoError(t, b.AdvanceCursor(ctx, lb, "c1", ""))

	require.NoError(t, b.ReleaseLease(ctx, lb))
	cp, err = a.Checkpoint(ctx, "orders")
	require.NoError(t, err)
	assert.Equal(t, "", cp.Owner)
	assert.Equal(t, retention.Cursor(""), cp.Cursor)
	_, err = a.AcquireLease(ctx, retention.CheckpointLease{Source: "orders", Owner: "A", Now: lb.Now, Until: lb.Until})
	assert.NoError(t, err, "a released lease is free at once")
}

// leaseRace: of instances racing for one source's lease, exactly one gets
// it.
func leaseRace(t *testing.T, open func() retention.CheckpointStore) {
	ctx := context.Background()
	const n = 6
	stores := make([]retention.CheckpointStore, n)
	for i := range stores {
		stores[i] = open()
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var winners []string
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			owner := fmt.Sprintf("sweeper-%d", i)
			_, err := stores[i].AcquireLease(ctx, retention.CheckpointLease{Source: "orders", Owner: owner, Now: t0, Until: t0.Add(time.Minute)})
			if err == nil {
				mu.Lock()
				winners = append(winners, owner)
				mu.Unlock()
			} else {
				assert.ErrorIs(t, err, retention.ErrLeased)
			}
		}()
	}
	wg.Wait()
	require.Len(t, winners, 1, "exactly one sweeper holds the source")
	cp, err := stores[0].Checkpoint(ctx, "orders")
	require.NoError(t, err)
	assert.Equal(t, winners[0], cp.Owner)
}
