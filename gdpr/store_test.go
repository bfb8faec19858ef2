package gdpr_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/gdprtest"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newSQLStore opens a SQL store on a new database, twice, to check that
// opening again migrates nothing.
func newSQLStore(t *testing.T, open func(testing.TB) *sql.DB) *gdpr.SQLStore {
	db := open(t)
	s, err := gdpr.NewSQLStore(context.Background(), db)
	require.NoError(t, err)
	_, err = gdpr.NewSQLStore(context.Background(), db)
	require.NoError(t, err, "opening again migrates nothing")
	return s
}

// TestStore runs the conformance suites on the memory, SQLite and
// PostgreSQL stores.
func TestStore(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		gdprtest.RunObjections(t, func(*testing.T) gdpr.ObjectionStore { return gdpr.NewMemoryStore() })
		gdprtest.RunRestrictions(t, func(*testing.T) gdpr.RestrictionStore { return gdpr.NewMemoryStore() })
	})
	dbtest.EachNew(t, func(t *testing.T, open func(testing.TB) *sql.DB) {
		gdprtest.RunObjections(t, func(t *testing.T) gdpr.ObjectionStore { return newSQLStore(t, open) })
		gdprtest.RunRestrictions(t, func(t *testing.T) gdpr.RestrictionStore { return newSQLStore(t, open) })
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
