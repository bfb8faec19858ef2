package gdpr_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// store is what both MemoryStore and SQLStore are.
type store interface {
	gdpr.ObjectionStore
	gdpr.RestrictionStore
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
