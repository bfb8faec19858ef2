package rights_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/gdpr/rights/rightstest"
	"github.com/gdprkit/gdprkit/internal/dbtest"
)

// TestStore runs the conformance suite on the memory, SQLite and PostgreSQL
// request stores.
func TestStore(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		rightstest.Run(t, func(*testing.T) rights.Store { return rights.NewMemoryStore() })
	})
	dbtest.EachNew(t, func(t *testing.T, open func(testing.TB) *sql.DB) {
		rightstest.Run(t, func(t *testing.T) rights.Store {
			s, err := rights.NewSQLStore(context.Background(), open(t))
			require.NoError(t, err)
			return s
		})
	})
}

// TestRequestLeaseAcrossInstances: while one instance erases, another that
// shares the database is refused with ErrRequestBusy, and takes over once
// the lease has run out.
func TestRequestLeaseAcrossInstances(t *testing.T) {
	run := func(t *testing.T, a, b *sql.DB) {
		ctx := context.Background()
		stores := make([]*rights.SQLStore, 2)
		for i, db := range []*sql.DB{a, b} {
			var err error
			stores[i], err = rights.NewSQLStore(ctx, db)
			require.NoError(t, err)
		}
		src := newMemSource("crm", "account")
		src.block, src.entered = make(chan struct{}), make(chan struct{})
		clk := &clock{now: t0}
		fixture := func(s *rights.SQLStore) *rightsFixture {
			f := newRightsFixture(t, func(c *rights.DeskConfig) {
				c.Store, c.Sources, c.Now, c.Lease = s, []rights.Source{src}, clk.Now, time.Minute
			})
			return f
		}
		one, two := fixture(stores[0]), fixture(stores[1])
		one.receive(t, rights.Request{ID: "r", Right: rights.RightErasure, Subject: "cust-1"})

		done := make(chan error, 1)
		go func() {
			_, err := one.rights.Erase(ctx, "r")
			done <- err
		}()
		<-src.entered // the first instance holds the lease and is erasing
		_, err := two.rights.Erase(ctx, "r")
		assert.ErrorIs(t, err, rights.ErrRequestBusy)
		_, err = two.rights.Refuse(ctx, "r", notice(rights.RefusalExcessive))
		assert.ErrorIs(t, err, rights.ErrRequestBusy, "not refused under a running erasure")
		resumed, err := two.rights.Resume(ctx)
		require.NoError(t, err, "Resume passes over a busy request")
		assert.Empty(t, resumed)

		// The first instance stalls past its lease: the second takes over,
		// and the first, once it wakes, finds the lease gone.
		clk.Advance(2 * time.Minute)
		took := make(chan error, 1)
		go func() {
			_, err := two.rights.Erase(ctx, "r")
			took <- err
		}()
		<-src.entered // the second instance took the lease over
		close(src.block)
		assert.ErrorIs(t, <-done, rights.ErrRequestBusy, "the stalled run stops at its next step")
		require.NoError(t, <-took)
		r, err := two.rights.Request(ctx, "r")
		require.NoError(t, err)
		assert.Equal(t, rights.RequestCompleted, r.State)
	}
	t.Run("sqlite", func(t *testing.T) {
		a, path := dbtest.SQLite(t)
		b, err := sql.Open("sqlite", dbtest.SQLiteDSN(path))
		require.NoError(t, err)
		t.Cleanup(func() { b.Close() })
		run(t, a, b)
	})
	t.Run("postgres", func(t *testing.T) {
		a, dsn := dbtest.Postgres(t)
		b, err := sql.Open("pgx", dsn)
		require.NoError(t, err)
		t.Cleanup(func() { b.Close() })
		run(t, a, b)
	})
}

// staleStore answers the first Request of a request as it stood before:
// the view of an instance that read it just before another completed it.
type staleStore struct {
	rights.Store
	stale *rights.Request
}

func (s *staleStore) Request(ctx context.Context, id string) (rights.Request, error) {
	if r := s.stale; r != nil && r.ID == id {
		s.stale = nil
		return *r, nil
	}
	return s.Store.Request(ctx, id)
}

// TestEraseCompletedMeanwhileReturnsItsCertificate: an instance that saw
// an erasure still open, which another instance then completed, returns
// that erasure's certificate rather than ErrRequestClosed.
func TestEraseCompletedMeanwhileReturnsItsCertificate(t *testing.T) {
	ctx := context.Background()
	one := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{newMemSource("crm", "account")} })
	open := one.receive(t, rights.Request{ID: "r", Right: rights.RightErasure, Subject: "cust-1"})
	require.Equal(t, rights.RequestOpen, open.State)
	want, err := one.rights.Erase(ctx, "r")
	require.NoError(t, err)

	two := newRightsFixture(t, func(c *rights.DeskConfig) {
		c.Store, c.Sources = &staleStore{Store: one.store, stale: &open}, []rights.Source{newMemSource("crm", "account")}
	})
	got, err := two.rights.Erase(ctx, "r")
	require.NoError(t, err)
	assert.Equal(t, want.Request, got.Request)
	assert.Equal(t, want.CompletedAt, got.CompletedAt)
}
