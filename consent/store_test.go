package consent_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/consent/consenttest"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/stretchr/testify/require"
)

func newSQLStore(t testing.TB, db *sql.DB) *consent.SQLStore {
	t.Helper()
	s, err := consent.NewSQLStore(context.Background(), db)
	require.NoError(t, err)
	return s
}

// eachStore runs fn on a new memory, SQLite and PostgreSQL store.
func eachStore(t *testing.T, fn func(t *testing.T, s consent.Store)) {
	t.Run("memory", func(t *testing.T) { fn(t, consent.NewMemoryStore()) })
	t.Run("sqlite", func(t *testing.T) {
		db, _ := dbtest.SQLite(t)
		fn(t, newSQLStore(t, db))
	})
	t.Run("postgres", func(t *testing.T) {
		db, _ := dbtest.Postgres(t)
		fn(t, newSQLStore(t, db))
	})
}

func TestStoreConformance(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		consenttest.Run(t, func(t *testing.T) consent.Store { return consent.NewMemoryStore() })
	})
	t.Run("sqlite", func(t *testing.T) {
		consenttest.Run(t, func(t *testing.T) consent.Store {
			db, _ := dbtest.SQLite(t)
			return newSQLStore(t, db)
		})
	})
	t.Run("postgres", func(t *testing.T) {
		consenttest.Run(t, func(t *testing.T) consent.Store {
			db, _ := dbtest.Postgres(t)
			return newSQLStore(t, db)
		})
	})
}
