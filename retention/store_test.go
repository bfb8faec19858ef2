package retention

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// store is what MemoryStore and SQLStore both are.
type store interface {
	HoldStore
	CheckpointStore
}

// eachStore runs fn against a MemoryStore, a SQLStore on SQLite and one on
// PostgreSQL. open returns another instance on the same storage, as a
// second process would have.
func eachStore(t *testing.T, fn func(t *testing.T, open func() store)) {
	t.Run("memory", func(t *testing.T) {
		m := NewMemoryStore()
		fn(t, func() store { return m })
	})
	sqlStore := func(t *testing.T, driver, dsn string) func() store {
		return func() store {
			db, err := sql.Open(driver, dsn)
			require.NoError(t, err)
			t.Cleanup(func() { db.Close() })
			s, err := NewSQLStore(context.Background(), db)
			require.NoError(t, err)
			return s
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		_, path := dbtest.SQLite(t)
		fn(t, sqlStore(t, "sqlite", dbtest.SQLiteDSN(path)))
	})
	t.Run("postgres", func(t *testing.T) {
		_, dsn := dbtest.Postgres(t)
		fn(t, sqlStore(t, "pgx", dsn))
	})
}

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func TestStoreHolds(t *testing.T) {
	eachStore(t, func(t *testing.T, open func() store) {
		ctx := context.Background()
		s := open()
		h1 := Hold{ID: "h1", Case: "LIT-1", Subject: "alice", Reason: "litigation", Placed: t0}
		h2 := Hold{ID: "h2", Case: "AUDIT", Category: pii.Billing, Reason: "tax audit", Placed: t0.Add(time.Hour), Expires: t0.Add(48 * time.Hour)}
		require.NoError(t, s.PlaceHold(ctx, h1))
		require.NoError(t, s.PlaceHold(ctx, h2))
		err := s.PlaceHold(ctx, h1)
		assert.ErrorIs(t, err, ErrHoldExists)
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
		assert.ErrorIs(t, err, ErrHoldReleased)
		_, err = s.ReleaseHold(ctx, "nope", t0)
		assert.ErrorIs(t, err, ErrHoldNotFound)
		var he *HoldError
		require.ErrorAs(t, err, &he)
		assert.Equal(t, "nope", he.ID)
	})
}

func TestStoreCheckpoints(t *testing.T) {
	eachStore(t, func(t *testing.T, open func() store) {
		ctx := context.Background()
		a, b := open(), open()
		cp, err := a.Checkpoint(ctx, "orders")
		require.NoError(t, err)
		assert.Equal(t, Checkpoint{Source: "orders"}, cp, "never swept")

		la := CheckpointLease{Source: "orders", Owner: "A", Now: t0, Until: t0.Add(time.Minute)}
		cur, err := a.AcquireLease(ctx, la)
		require.NoError(t, err)
		assert.Equal(t, Cursor(""), cur)

		lb := CheckpointLease{Source: "orders", Owner: "B", Now: t0.Add(time.Second), Until: t0.Add(time.Minute + time.Second)}
		_, err = b.AcquireLease(ctx, lb)
		require.ErrorIs(t, err, ErrLeased)
		var le *LeaseError
		require.ErrorAs(t, err, &le)
		assert.Equal(t, "A", le.Owner)
		assert.True(t, le.Until.Equal(la.Until), "%s", le.Until)
		_, err = b.AcquireLease(ctx, CheckpointLease{Source: "invoices", Owner: "B", Now: t0, Until: t0.Add(time.Minute)})
		assert.NoError(t, err, "leases are per source")

		la.Now, la.Until = t0.Add(10*time.Second), t0.Add(2*time.Minute)
		require.NoError(t, a.AdvanceCursor(ctx, la, "", "c1"))
		assert.ErrorIs(t, a.AdvanceCursor(ctx, la, "", "c2"), ErrLeaseLost, "the cursor is no longer where A thinks")
		assert.ErrorIs(t, b.AdvanceCursor(ctx, lb, "c1", "c2"), ErrLeaseLost, "B holds no lease")

		cp, err = b.Checkpoint(ctx, "orders")
		require.NoError(t, err)
		assert.Equal(t, Cursor("c1"), cp.Cursor)
		assert.Equal(t, "A", cp.Owner)
		assert.True(t, cp.Until.Equal(la.Until), "advancing renews the lease")
		assert.True(t, cp.Updated.Equal(la.Now))

		_, err = a.AcquireLease(ctx, la)
		require.ErrorIs(t, err, ErrLeased, "a lease is not re-entrant: a second pass under one token must not act")
		require.ErrorAs(t, err, &le)
		assert.Equal(t, "A", le.Owner)

		// A stalls; its lease runs out and B takes over where A left off.
		lb.Now, lb.Until = la.Until, la.Until.Add(time.Minute)
		cur, err = b.AcquireLease(ctx, lb)
		require.NoError(t, err)
		assert.Equal(t, Cursor("c1"), cur)
		assert.ErrorIs(t, a.AdvanceCursor(ctx, la, "c1", "c2"), ErrLeaseLost, "A is fenced off")
		require.NoError(t, a.ReleaseLease(ctx, la), "releasing a lease one does not hold does nothing")
		require.NoError(t, b.AdvanceCursor(ctx, lb, "c1", ""))

		require.NoError(t, b.ReleaseLease(ctx, lb))
		cp, err = a.Checkpoint(ctx, "orders")
		require.NoError(t, err)
		assert.Equal(t, "", cp.Owner)
		assert.Equal(t, Cursor(""), cp.Cursor)
		_, err = a.AcquireLease(ctx, CheckpointLease{Source: "orders", Owner: "A", Now: lb.Now, Until: lb.Until})
		assert.NoError(t, err, "a released lease is free at once")
	})
}

func TestStoreLeaseRace(t *testing.T) {
	eachStore(t, func(t *testing.T, open func() store) {
		ctx := context.Background()
		const n = 6
		stores := make([]store, n)
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
				_, err := stores[i].AcquireLease(ctx, CheckpointLease{Source: "orders", Owner: owner, Now: t0, Until: t0.Add(time.Minute)})
				if err == nil {
					mu.Lock()
					winners = append(winners, owner)
					mu.Unlock()
				} else {
					assert.ErrorIs(t, err, ErrLeased)
				}
			}()
		}
		wg.Wait()
		require.Len(t, winners, 1, "exactly one sweeper holds the source")
		cp, err := stores[0].Checkpoint(ctx, "orders")
		require.NoError(t, err)
		assert.Equal(t, winners[0], cp.Owner)
	})
}
