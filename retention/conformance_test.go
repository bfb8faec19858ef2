package retention_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/retention"
	"github.com/gdprkit/gdprkit/retention/retentiontest"
	"github.com/stretchr/testify/require"
)

// store is what MemoryStore and SQLStore both are.
type store interface {
	retention.HoldStore
	retention.CheckpointStore
}

// eachStorage runs fn on the memory, SQLite and PostgreSQL stores.
// newStorage makes new, empty storage and returns a function that opens
// another instance on it, as a second process would have.
func eachStorage(t *testing.T, fn func(t *testing.T, newStorage func(t *testing.T) func() store)) {
	t.Run("memory", func(t *testing.T) {
		fn(t, func(*testing.T) func() store {
			m := retention.NewMemoryStore()
			return func() store { return m }
		})
	})
	sqlStore := func(t *testing.T, driver, dsn string) func() store {
		return func() store {
			db, err := sql.Open(driver, dsn)
			require.NoError(t, err)
			t.Cleanup(func() { db.Close() })
			s, err := retention.NewSQLStore(context.Background(), db)
			require.NoError(t, err)
			return s
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		fn(t, func(t *testing.T) func() store {
			_, path := dbtest.SQLite(t)
			return sqlStore(t, "sqlite", dbtest.SQLiteDSN(path))
		})
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, func(t *testing.T) func() store {
			_, dsn := dbtest.Postgres(t)
			return sqlStore(t, "pgx", dsn)
		})
	})
}

// TestHoldStore runs the HoldStore conformance suite on the memory, SQLite
// and PostgreSQL stores.
func TestHoldStore(t *testing.T) {
	eachStorage(t, func(t *testing.T, newStorage func(t *testing.T) func() store) {
		retentiontest.RunHoldStore(t, func(t *testing.T) func() retention.HoldStore {
			open := newStorage(t)
			return func() retention.HoldStore { return open() }
		})
	})
}

// TestCheckpointStore runs the CheckpointStore conformance suite on the
// memory, SQLite and PostgreSQL stores.
func TestCheckpointStore(t *testing.T) {
	eachStorage(t, func(t *testing.T, newStorage func(t *testing.T) func() store) {
		retentiontest.RunCheckpointStore(t, func(t *testing.T) func() retention.CheckpointStore {
			open := newStorage(t)
			return func() retention.CheckpointStore { return open() }
		})
	})
}
