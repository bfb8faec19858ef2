package consent_test

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// eachTwoInstances runs fn with two stores over the same data, as two
// instances of a service would have: one MemoryStore shared, two *sql.DB on
// one SQLite file, two *sql.DB on one PostgreSQL schema.
func eachTwoInstances(t *testing.T, fn func(t *testing.T, a, b consent.Store)) {
	t.Run("memory", func(t *testing.T) {
		s := consent.NewMemoryStore()
		fn(t, s, s)
	})
	t.Run("sqlite", func(t *testing.T) {
		first, path := dbtest.SQLite(t)
		second := openAgain(t, "sqlite", dbtest.SQLiteDSN(path))
		fn(t, newSQLStore(t, first), newSQLStore(t, second))
	})
	t.Run("postgres", func(t *testing.T) {
		first, dsn := dbtest.Postgres(t)
		second := openAgain(t, "pgx", dsn)
		fn(t, newSQLStore(t, first), newSQLStore(t, second))
	})
}

func openAgain(t *testing.T, driver, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	require.NoError(t, db.Ping())
	return db
}

// TestConcurrentGrantsAndWithdrawals races grants and withdrawals for one
// subject and purpose from many goroutines on two instances. Their clocks
// hand out times in an order the appends need not follow, as skewed clocks
// would. Every reader must agree on the order and on the state at every
// instant, and the final state must be that of the last event in sequence
// order.
func TestConcurrentGrantsAndWithdrawals(t *testing.T) {
	eachTwoInstances(t, func(t *testing.T, a, b consent.Store) {
		ctx := context.Background()
		var tick atomic.Int64
		now := func() time.Time { return t0.Add(time.Duration(tick.Add(1)) * time.Microsecond) }
		ledgers := []*consent.Ledger{
			newLedger(t, consent.LedgerConfig{Store: a, Now: now}),
			newLedger(t, consent.LedgerConfig{Store: b, Now: now}),
		}
		const goroutines, each = 8, 5
		var wg sync.WaitGroup
		errs := make(chan error, goroutines*each)
		for g := range goroutines {
			l := ledgers[g%2]
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					var err error
					if (g+i)%2 == 0 {
						_, err = l.Grant(ctx, grantRecord("alice", "news"))
					} else {
						_, err = l.Withdraw(ctx, withdrawRecord("alice", "news"))
					}
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}

		histories := make([][]consent.Event, len(ledgers))
		for i, l := range ledgers {
			h, err := l.History(ctx, "alice", "news")
			require.NoError(t, err)
			require.Len(t, h, goroutines*each)
			histories[i] = h
		}
		assert.Equal(t, histories[0], histories[1], "both instances read the same history")
		for i, e := range histories[0] {
			require.Equal(t, int64(i+1), e.Seq, "sequence numbers are gapless and unique")
		}

		last := histories[0][len(histories[0])-1]
		want := consent.Granted
		if last.Kind == consent.Withdrawal {
			want = consent.Withdrawn
		}
		after := t0.Add(time.Hour)
		for _, l := range ledgers {
			st, err := l.Status(ctx, "alice", "news", after)
			require.NoError(t, err)
			assert.Equal(t, want, st.State, "the final state is the last event's")
			assert.Equal(t, last.Seq, st.Seq)
		}
		for _, e := range histories[0] {
			sa, err := ledgers[0].Status(ctx, "alice", "news", e.At)
			require.NoError(t, err)
			sb, err := ledgers[1].Status(ctx, "alice", "news", e.At)
			require.NoError(t, err)
			assert.Equal(t, sa, sb, "both instances agree at %v", e.At)
		}
	})
}

func TestWithdrawalHoldsAtOnceOnEveryInstance(t *testing.T) {
	eachTwoInstances(t, func(t *testing.T, a, b consent.Store) {
		ctx := context.Background()
		c := newClock()
		first := newLedger(t, consent.LedgerConfig{Store: a, Now: c.Now})
		second := newLedger(t, consent.LedgerConfig{Store: b, Now: c.Now})

		_, err := first.Grant(ctx, grantRecord("alice", "news"))
		require.NoError(t, err)
		st, err := second.Status(ctx, "alice", "news", time.Time{})
		require.NoError(t, err)
		require.Equal(t, consent.Granted, st.State)

		c.Advance(time.Millisecond)
		_, err = first.Withdraw(ctx, withdrawRecord("alice", "news"))
		require.NoError(t, err)
		st, err = second.Status(ctx, "alice", "news", time.Time{})
		require.NoError(t, err)
		assert.Equal(t, consent.Withdrawn, st.State, "the other instance sees the withdrawal at once")
	})
}

// TestWithdrawalHoldsAtOnceWhateverTheClocks withdraws on an instance whose
// clock runs ahead and reads on one whose clock is right: Status for now
// must say Withdrawn as soon as Withdraw returns, and the stored times must
// follow the sequence, so that both instances agree at every instant.
func TestWithdrawalHoldsAtOnceWhateverTheClocks(t *testing.T) {
	eachTwoInstances(t, func(t *testing.T, a, b consent.Store) {
		ctx := context.Background()
		fastClock, slowClock := newClock(), newClock()
		fastClock.Advance(2 * time.Second)
		fast := newLedger(t, consent.LedgerConfig{Store: a, Now: fastClock.Now})
		slow := newLedger(t, consent.LedgerConfig{Store: b, Now: slowClock.Now})

		_, err := slow.Grant(ctx, grantRecord("alice", "news"))
		require.NoError(t, err)
		withdrawn, err := fast.Withdraw(ctx, withdrawRecord("alice", "news"))
		require.NoError(t, err)
		for _, l := range []*consent.Ledger{slow, fast} {
			st, err := l.Status(ctx, "alice", "news", time.Time{})
			require.NoError(t, err)
			assert.Equal(t, consent.Withdrawn, st.State, "a withdrawal holds at once on every instance")
			statuses, err := l.Statuses(ctx, "alice", time.Time{})
			require.NoError(t, err)
			require.Len(t, statuses, 1)
			assert.Equal(t, consent.Withdrawn, statuses[0].State)
		}

		// A grant from the slow clock after the withdrawal is stamped no
		// earlier than it, so it follows it at every instant too.
		regrant, err := slow.Grant(ctx, grantRecord("alice", "news"))
		require.NoError(t, err)
		assert.True(t, withdrawn[0].At.Equal(regrant[0].At), "stamped at the withdrawal's time, not before: %v", regrant[0].At)
		st, err := fast.Status(ctx, "alice", "news", time.Time{})
		require.NoError(t, err)
		assert.Equal(t, consent.Granted, st.State, "the last event in sequence decides")
		assert.Equal(t, regrant[0].Seq, st.Seq)

		history, err := slow.History(ctx, "alice", "news")
		require.NoError(t, err)
		require.Len(t, history, 3)
		for _, e := range history {
			sa, err := slow.Status(ctx, "alice", "news", e.At)
			require.NoError(t, err)
			sb, err := fast.Status(ctx, "alice", "news", e.At)
			require.NoError(t, err)
			assert.Equal(t, sa, sb, "both instances agree at %v", e.At)
		}
		st, err = slow.Status(ctx, "alice", "news", withdrawn[0].At.Add(-time.Nanosecond))
		require.NoError(t, err)
		assert.Equal(t, consent.Granted, st.State, "an explicit instant before the withdrawal's stamp does not see it")
	})
}
