package rights_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/internal/dbtest"
)

// eachRequestStore runs fn on the memory, SQLite and PostgreSQL stores.
func eachRequestStore(t *testing.T, fn func(t *testing.T, s rights.Store)) {
	t.Run("memory", func(t *testing.T) { fn(t, rights.NewMemoryStore()) })
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		s, err := rights.NewSQLStore(context.Background(), db)
		require.NoError(t, err)
		fn(t, s)
	})
}

func sampleRequest() rights.Request {
	ex := rights.Exemption{Exception: rights.ExceptionLegalHold, Ref: "HOLD-7"}
	return rights.Request{
		ID: "req-1", Right: rights.RightErasure, Subject: "cust-1", SubjectToken: "tok", Language: "de",
		State: rights.RequestInProgress, ReceivedAt: t0, VerifiedAt: t0.Add(time.Hour),
		Due:       endOf(2025, 4, 10, time.UTC),
		Extension: &rights.Extension{Months: 1, Reason: "complex", At: t0.Add(2 * time.Hour)},
		Sources: []rights.Step{
			{Name: "crm", State: rights.StepFailed, Attempts: 2, Error: "timeout", At: t0},
			{Name: "billing", State: rights.StepExempt, Exemption: &ex, At: t0},
		},
		Keys:  []rights.Step{{Name: "app", State: rights.StepDone, Attempts: 1, At: t0}},
		Lease: &rights.Lease{Owner: "run-1", Until: t0.Add(time.Minute)},
	}
}

func TestRequestStoreConformance(t *testing.T) {
	eachRequestStore(t, func(t *testing.T, s rights.Store) {
		ctx := context.Background()
		want := sampleRequest()
		require.NoError(t, s.CreateRequest(ctx, want))
		assert.ErrorIs(t, s.CreateRequest(ctx, want), rights.ErrRequestExists)
		got, err := s.Request(ctx, "req-1")
		require.NoError(t, err)
		assertSameRequest(t, want, got)
		_, err = s.Request(ctx, "nope")
		assert.ErrorIs(t, err, rights.ErrUnknownRequest)

		got.Sources[0].Error = "changed by the caller"
		again, err := s.Request(ctx, "req-1")
		require.NoError(t, err)
		assert.Equal(t, "timeout", again.Sources[0].Error, "a returned request shares nothing with the store")

		updated, err := s.UpdateRequest(ctx, "req-1", func(r *rights.Request) error {
			r.Sources[0].State, r.Sources[0].Attempts = rights.StepDone, 3
			r.ID = "renamed"
			return nil
		})
		require.NoError(t, err)
		assert.Equal(t, "req-1", updated.ID, "the ID cannot change")
		assert.Equal(t, 3, updated.Sources[0].Attempts)
		boom := errors.New("boom")
		_, err = s.UpdateRequest(ctx, "req-1", func(r *rights.Request) error {
			r.State = rights.RequestCompleted
			return boom
		})
		assert.ErrorIs(t, err, boom)
		got, err = s.Request(ctx, "req-1")
		require.NoError(t, err)
		assert.Equal(t, rights.RequestInProgress, got.State, "a failed update changes nothing")
		_, err = s.UpdateRequest(ctx, "nope", func(*rights.Request) error { return nil })
		assert.ErrorIs(t, err, rights.ErrUnknownRequest)

		for _, r := range []rights.Request{
			{ID: "open", Right: rights.RightAccess, State: rights.RequestOpen, ReceivedAt: t0},
			{ID: "unverified", Right: rights.RightAccess, State: rights.RequestUnverified, ReceivedAt: t0},
			{ID: "done", Right: rights.RightAccess, State: rights.RequestCompleted, ReceivedAt: t0},
			{ID: "refused", Right: rights.RightAccess, State: rights.RequestRefused, ReceivedAt: t0},
		} {
			require.NoError(t, s.CreateRequest(ctx, r))
		}
		open, err := s.OpenRequests(ctx)
		require.NoError(t, err)
		assert.ElementsMatch(t, []string{"open", "req-1", "unverified"}, ids(open))
		_, err = s.UpdateRequest(ctx, "open", func(r *rights.Request) error { r.State = rights.RequestCompleted; return nil })
		require.NoError(t, err)
		open, err = s.OpenRequests(ctx)
		require.NoError(t, err)
		assert.ElementsMatch(t, []string{"req-1", "unverified"}, ids(open), "the state column follows the document")
	})
}

// TestRequestStoreUpdatesSerialise: concurrent read-modify-write updates
// lose none.
func TestRequestStoreUpdatesSerialise(t *testing.T) {
	eachRequestStore(t, func(t *testing.T, s rights.Store) {
		ctx := context.Background()
		require.NoError(t, s.CreateRequest(ctx, rights.Request{ID: "r", Right: rights.RightErasure, State: rights.RequestOpen, ReceivedAt: t0}))
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for range 5 {
					_, err := s.UpdateRequest(ctx, "r", func(r *rights.Request) error {
						if len(r.Keys) == 0 {
							r.Keys = []rights.Step{{Name: "n", State: rights.StepFailed}}
						}
						r.Keys[0].Attempts++
						return nil
					})
					assert.NoError(t, err)
				}
			})
		}
		wg.Wait()
		r, err := s.Request(ctx, "r")
		require.NoError(t, err)
		assert.Equal(t, 20, r.Keys[0].Attempts)
	})
}

func assertSameRequest(t *testing.T, want, got rights.Request) {
	t.Helper()
	for _, p := range []struct{ w, g *time.Time }{
		{&want.ReceivedAt, &got.ReceivedAt}, {&want.VerifiedAt, &got.VerifiedAt}, {&want.Due, &got.Due},
		{&want.CompletedAt, &got.CompletedAt}, {&want.Extension.At, &got.Extension.At}, {&want.Lease.Until, &got.Lease.Until},
	} {
		assert.True(t, p.w.Equal(*p.g), "%v != %v", *p.w, *p.g)
		*p.g = *p.w
	}
	for i := range want.Sources {
		assert.True(t, want.Sources[i].At.Equal(got.Sources[i].At))
		got.Sources[i].At = want.Sources[i].At
	}
	for i := range want.Keys {
		assert.True(t, want.Keys[i].At.Equal(got.Keys[i].At))
		got.Keys[i].At = want.Keys[i].At
	}
	assert.Equal(t, want, got)
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
		_, err = two.rights.Refuse(ctx, "r", rights.RefusalExcessive)
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
