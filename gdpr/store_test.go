package gdpr_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// store is what both MemoryStore and SQLStore are.
type store interface {
	gdpr.ObjectionStore
	gdpr.RestrictionStore
	gdpr.BreachStore
}

// eachStore runs the conformance suite's fn on the memory, SQLite and
// PostgreSQL stores.
func eachStore(t *testing.T, fn func(t *testing.T, s store)) {
	t.Run("memory", func(t *testing.T) { fn(t, gdpr.NewMemoryStore()) })
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		s, err := gdpr.NewSQLStore(context.Background(), db)
		require.NoError(t, err)
		_, err = gdpr.NewSQLStore(context.Background(), db)
		require.NoError(t, err, "opening again migrates nothing")
		fn(t, s)
	})
}

func TestStoreObjections(t *testing.T) {
	eachStore(t, func(t *testing.T, s store) {
		ctx := context.Background()
		_, ok, err := s.Objection(ctx, "u1", "fraud")
		require.NoError(t, err)
		assert.False(t, ok)

		first := gdpr.Objection{Subject: "u1", Purpose: "fraud", At: t0}
		require.NoError(t, s.AddObjection(ctx, first))
		require.NoError(t, s.AddObjection(ctx, gdpr.Objection{Subject: "u1", Purpose: "fraud", At: t0.Add(time.Hour)}))
		require.NoError(t, s.AddObjection(ctx, gdpr.Objection{Subject: "u1", Purpose: gdpr.AllDirectMarketing, At: t0}))

		o, ok, err := s.Objection(ctx, "u1", "fraud")
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, "u1", o.Subject)
		assert.Equal(t, "fraud", o.Purpose)
		assert.True(t, t0.Equal(o.At), "the first objection is kept: %v", o.At)

		_, ok, err = s.Objection(ctx, "u2", "fraud")
		require.NoError(t, err)
		assert.False(t, ok, "per subject")
		_, ok, err = s.Objection(ctx, "u1", "census")
		require.NoError(t, err)
		assert.False(t, ok, "per purpose")

		ok, err = s.RemoveObjection(ctx, "u1", "fraud")
		require.NoError(t, err)
		assert.True(t, ok, "one was removed")
		ok, err = s.RemoveObjection(ctx, "u1", "fraud")
		require.NoError(t, err, "removing twice is fine")
		assert.False(t, ok, "nothing left to remove")
		_, ok, err = s.Objection(ctx, "u1", "fraud")
		require.NoError(t, err)
		assert.False(t, ok)
		_, ok, err = s.Objection(ctx, "u1", gdpr.AllDirectMarketing)
		require.NoError(t, err)
		assert.True(t, ok, "the other objection stays")
	})
}

func TestStoreRestrictions(t *testing.T) {
	eachStore(t, func(t *testing.T, s store) {
		ctx := context.Background()
		_, ok, err := s.Restriction(ctx, "u1")
		require.NoError(t, err)
		assert.False(t, ok)

		require.NoError(t, s.AddRestriction(ctx, gdpr.Restriction{Subject: "u1", Ground: gdpr.Accuracy, At: t0}))
		require.NoError(t, s.AddRestriction(ctx, gdpr.Restriction{Subject: "u1", Ground: gdpr.ObjectionPending, At: t0.Add(time.Minute)}))
		r, ok, err := s.Restriction(ctx, "u1")
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, gdpr.ObjectionPending, r.Ground, "the latest restriction replaces the earlier")
		assert.True(t, t0.Add(time.Minute).Equal(r.At))
		_, ok, err = s.Restriction(ctx, "u2")
		require.NoError(t, err)
		assert.False(t, ok)

		ok, err = s.RemoveRestriction(ctx, "u1")
		require.NoError(t, err)
		assert.True(t, ok, "one was removed")
		ok, err = s.RemoveRestriction(ctx, "u1")
		require.NoError(t, err, "removing twice is fine")
		assert.False(t, ok, "nothing left to remove")
		_, ok, err = s.Restriction(ctx, "u1")
		require.NoError(t, err)
		assert.False(t, ok)
	})
}

func TestStoreBreaches(t *testing.T) {
	eachStore(t, func(t *testing.T, s store) {
		ctx := context.Background()
		b := gdpr.Breach{
			ID: "b1", DetectedAt: t0, AwareAt: t0.Add(time.Hour), Nature: gdpr.Confidentiality | gdpr.Availability,
			Description: "backup tape lost", Categories: []pii.Category{pii.Email}, Subjects: 100, Records: 250,
			Risk: gdpr.RiskHigh, Deadline: t0.Add(73 * time.Hour),
		}
		require.NoError(t, s.CreateBreach(ctx, b))
		assert.ErrorIs(t, s.CreateBreach(ctx, b), gdpr.ErrBreachExists)

		got, err := s.Breach(ctx, "b1")
		require.NoError(t, err)
		assertSameBreach(t, b, got)
		_, err = s.Breach(ctx, "nope")
		assert.ErrorIs(t, err, gdpr.ErrUnknownBreach)

		updated, err := s.UpdateBreach(ctx, "b1", func(b *gdpr.Breach) error {
			b.Measures = "keys rotated"
			return nil
		})
		require.NoError(t, err)
		assert.Equal(t, "keys rotated", updated.Measures)
		boom := errors.New("boom")
		_, err = s.UpdateBreach(ctx, "b1", func(b *gdpr.Breach) error {
			b.Measures = "lost"
			return boom
		})
		assert.ErrorIs(t, err, boom)
		got, err = s.Breach(ctx, "b1")
		require.NoError(t, err)
		assert.Equal(t, "keys rotated", got.Measures, "a failed update changes nothing")
		_, err = s.UpdateBreach(ctx, "nope", func(*gdpr.Breach) error { return nil })
		assert.ErrorIs(t, err, gdpr.ErrUnknownBreach)

		require.NoError(t, s.CreateBreach(ctx, gdpr.Breach{ID: "b2", Nature: gdpr.Integrity, Description: "x"}))
		all, err := s.Breaches(ctx)
		require.NoError(t, err)
		assert.Len(t, all, 2)
	})
}

// TestStoreBreachUpdatesSerialise runs concurrent read-modify-write
// updates and expects none to be lost.
func TestStoreBreachUpdatesSerialise(t *testing.T) {
	eachStore(t, func(t *testing.T, s store) {
		ctx := context.Background()
		require.NoError(t, s.CreateBreach(ctx, gdpr.Breach{ID: "b", Nature: gdpr.Integrity, Description: "x"}))
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for range 5 {
					_, err := s.UpdateBreach(ctx, "b", func(b *gdpr.Breach) error { b.Records++; return nil })
					assert.NoError(t, err)
				}
			})
		}
		wg.Wait()
		b, err := s.Breach(ctx, "b")
		require.NoError(t, err)
		assert.Equal(t, 20, b.Records)
	})
}

func assertSameBreach(t *testing.T, want, got gdpr.Breach) {
	t.Helper()
	for _, p := range []struct{ w, g *time.Time }{
		{&want.DetectedAt, &got.DetectedAt}, {&want.AwareAt, &got.AwareAt}, {&want.Deadline, &got.Deadline},
		{&want.OccurredAt, &got.OccurredAt}, {&want.AuthorityNotifiedAt, &got.AuthorityNotifiedAt}, {&want.SubjectsNotifiedAt, &got.SubjectsNotifiedAt},
	} {
		assert.True(t, p.w.Equal(*p.g), "%v != %v", *p.w, *p.g)
		*p.g = *p.w
	}
	if assert.Len(t, got.Notifications, len(want.Notifications)) {
		got.Notifications = slices.Clone(got.Notifications)
		for i := range want.Notifications {
			assert.True(t, want.Notifications[i].At.Equal(got.Notifications[i].At), "Notifications[%d].At", i)
			got.Notifications[i].At = want.Notifications[i].At
		}
	}
	assert.Equal(t, want, got)
}

// TestObjectionSeenByAnotherInstance: an objection made through one Guard
// stops processing through another Guard on the same database at once.
func TestObjectionSeenByAnotherInstance(t *testing.T) {
	run := func(t *testing.T, a, b *sql.DB) {
		ctx := context.Background()
		guards := make([]*gdpr.Guard, 2)
		for i, db := range []*sql.DB{a, b} {
			s, err := gdpr.NewSQLStore(ctx, db)
			require.NoError(t, err)
			guards[i], err = gdpr.NewGuard(gdpr.GuardConfig{
				Register: newRegister(t, purposes()...), Consent: newConsentMap(), Contract: (&contracts{}).hook,
				Objections: s, Restrictions: s, Now: func() time.Time { return t0 },
			})
			require.NoError(t, err)
		}
		_, err := guards[1].Allow(ctx, "u1", "postal-ads")
		require.NoError(t, err)
		require.NoError(t, guards[0].Object(ctx, gdpr.Objection{Subject: "u1", Purpose: gdpr.AllDirectMarketing}))
		_, err = guards[1].Allow(ctx, "u1", "postal-ads")
		assert.ErrorIs(t, err, gdpr.ErrObjected)

		require.NoError(t, guards[1].Restrict(ctx, gdpr.Restriction{Subject: "u2", Ground: gdpr.Unlawful}))
		_, err = guards[0].Allow(ctx, "u2", "tax")
		assert.ErrorIs(t, err, gdpr.ErrRestricted)
	}
	t.Run("postgres", func(t *testing.T) {
		a, dsn := dbtest.Postgres(t)
		b, err := sql.Open("pgx", dsn)
		require.NoError(t, err)
		t.Cleanup(func() { b.Close() })
		run(t, a, b)
	})
	t.Run("sqlite", func(t *testing.T) {
		a, path := dbtest.SQLite(t)
		b, err := sql.Open("sqlite", dbtest.SQLiteDSN(path))
		require.NoError(t, err)
		t.Cleanup(func() { b.Close() })
		run(t, a, b)
	})
}
