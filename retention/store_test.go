package retention

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/internal/dbtest"
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
