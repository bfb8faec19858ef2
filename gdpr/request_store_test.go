package gdpr_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/internal/dbtest"
)

// eachRequestStore runs fn on the memory, SQLite and PostgreSQL stores.
func eachRequestStore(t *testing.T, fn func(t *testing.T, s gdpr.RequestStore)) {
	t.Run("memory", func(t *testing.T) { fn(t, gdpr.NewMemoryRequestStore()) })
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		s, err := gdpr.NewSQLRequestStore(context.Background(), db)
		require.NoError(t, err)
		fn(t, s)
	})
}

func sampleRequest() gdpr.Request {
	ex := gdpr.Exemption{Exception: gdpr.ExceptionLegalHold, Ref: "HOLD-7"}
	return gdpr.Request{
		ID: "req-1", Right: gdpr.RightErasure, Subject: "cust-1", SubjectToken: "tok", Language: "de",
		State: gdpr.RequestInProgress, ReceivedAt: t0, VerifiedAt: t0.Add(time.Hour),
		Due:       endOf(2025, 4, 10, time.UTC),
		Extension: &gdpr.Extension{Months: 1, Reason: "complex", At: t0.Add(2 * time.Hour)},
		Sources: []gdpr.Step{
			{Name: "crm", State: gdpr.StepFailed, Attempts: 2, Error: "timeout", At: t0},
			{Name: "billing", State: gdpr.StepExempt, Exemption: &ex, At: t0},
		},
		Keys:  []gdpr.Step{{Name: "app", State: gdpr.StepDone, Attempts: 1, At: t0}},
		Lease: &gdpr.Lease{Owner: "run-1", Until: t0.Add(time.Minute)},
	}
}

func TestRequestStoreConformance(t *testing.T) {
	eachRequestStore(t, func(t *testing.T, s gdpr.RequestStore) {
		ctx := context.Background()
		want := sampleRequest()
		require.NoError(t, s.CreateRequest(ctx, want))
		assert.ErrorIs(t, s.CreateRequest(ctx, want), gdpr.ErrRequestExists)
		got, err := s.Request(ctx, "req-1")
		require.NoError(t, err)
		assertSameRequest(t, want, got)
		_, err = s.Request(ctx, "nope")
		assert.ErrorIs(t, err, gdpr.ErrUnknownRequest)

		got.Sources[0].Error = "changed by the caller"
		again, err := s.Request(ctx, "req-1")
		require.NoError(t, err)
		assert.Equal(t, "timeout", again.Sources[0].Error, "a returned request shares nothing with the store")

		updated, err := s.UpdateRequest(ctx, "req-1", func(r *gdpr.Request) error {
			r.Sources[0].State, r.Sources[0].Attempts = gdpr.StepDone, 3
			r.ID = "renamed"
			return nil
		})
		require.NoError(t, err)
		assert.Equal(t, "req-1", updated.ID, "the ID cannot change")
		assert.Equal(t, 3, updated.Sources[0].Attempts)
		boom := errors.New("boom")
		_, err = s.UpdateRequest(ctx, "req-1", func(r *gdpr.Request) error {
			r.State = gdpr.RequestCompleted
			return boom
		})
		assert.ErrorIs(t, err, boom)
		got, err = s.Request(ctx, "req-1")
		require.NoError(t, err)
		assert.Equal(t, gdpr.RequestInProgress, got.State, "a failed update changes nothing")
		_, err = s.UpdateRequest(ctx, "nope", func(*gdpr.Request) error { return nil })
		assert.ErrorIs(t, err, gdpr.ErrUnknownRequest)

		for _, r := range []gdpr.Request{
			{ID: "open", Right: gdpr.RightAccess, State: gdpr.RequestOpen, ReceivedAt: t0},
			{ID: "unverified", Right: gdpr.RightAccess, State: gdpr.RequestUnverified, ReceivedAt: t0},
			{ID: "done", Right: gdpr.RightAccess, State: gdpr.RequestCompleted, ReceivedAt: t0},
			{ID: "refused", Right: gdpr.RightAccess, State: gdpr.RequestRefused, ReceivedAt: t0},
		} {
			require.NoError(t, s.CreateRequest(ctx, r))
		}
		open, err := s.OpenRequests(ctx)
		require.NoError(t, err)
		assert.ElementsMatch(t, []string{"open", "req-1", "unverified"}, ids(open))
		_, err = s.UpdateRequest(ctx, "open", func(r *gdpr.Request) error { r.State = gdpr.RequestCompleted; return nil })
		require.NoError(t, err)
		open, err = s.OpenRequests(ctx)
		require.NoError(t, err)
		assert.ElementsMatch(t, []string{"req-1", "unverified"}, ids(open), "the state column follows the document")
	})
}

// TestRequestStoreUpdatesSerialise: concurrent read-modify-write updates
// lose none.
func TestRequestStoreUpdatesSerialise(t *testing.T) {
	eachRequestStore(t, func(t *testing.T, s gdpr.RequestStore) {
		ctx := context.Background()
		require.NoError(t, s.CreateRequest(ctx, gdpr.Request{ID: "r", Right: gdpr.RightErasure, State: gdpr.RequestOpen, ReceivedAt: t0}))
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for range 5 {
					_, err := s.UpdateRequest(ctx, "r", func(r *gdpr.Request) error {
						if len(r.Keys) == 0 {
							r.Keys = []gdpr.Step{{Name: "n", State: gdpr.StepFailed}}
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

func assertSameRequest(t *testing.T, want, got gdpr.Request) {
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
		stores := make([]*gdpr.SQLRequestStore, 2)
		for i, db := range []*sql.DB{a, b} {
			var err error
			stores[i], err = gdpr.NewSQLRequestStore(ctx, db)
			require.NoError(t, err)
		}
		src := newMemSource("crm", "account")
		src.block, src.entered = make(chan struct{}), make(chan struct{})
		clk := &clock{now: t0}
		fixture := func(s *gdpr.SQLRequestStore) *rightsFixture {
			f := newRightsFixture(t, func(c *gdpr.RightsConfig) {
				c.Store, c.Sources, c.Now, c.Lease = s, []gdpr.Source{src}, clk.Now, time.Minute
			})
			return f
		}
		one, two := fixture(stores[0]), fixture(stores[1])
		one.receive(t, gdpr.Request{ID: "r", Right: gdpr.RightErasure, Subject: "cust-1"})

		done := make(chan error, 1)
		go func() {
			_, err := one.rights.Erase(ctx, "r")
			done <- err
		}()
		<-src.entered // the first instance holds the lease and is erasing
		_, err := two.rights.Erase(ctx, "r")
		assert.ErrorIs(t, err, gdpr.ErrRequestBusy)
		_, err = two.rights.Refuse(ctx, "r", gdpr.RefusalExcessive)
		assert.ErrorIs(t, err, gdpr.ErrRequestBusy, "not refused under a running erasure")
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
		assert.ErrorIs(t, <-done, gdpr.ErrRequestBusy, "the stalled run stops at its next step")
		require.NoError(t, <-took)
		r, err := two.rights.Request(ctx, "r")
		require.NoError(t, err)
		assert.Equal(t, gdpr.RequestCompleted, r.State)
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
