package shred_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii/shred"
	"github.com/gdprkit/gdprkit/pii/shred/shredtest"
)

// eachStore runs fn as a subtest on a MemoryStore, a SQLStore on SQLite and
// a SQLStore on PostgreSQL (skipped without GDPRKIT_TEST_POSTGRES).
func eachStore(t *testing.T, fn func(t *testing.T, store shred.Store)) {
	t.Run("memory", func(t *testing.T) { fn(t, shred.NewMemoryStore()) })
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		store, err := shred.NewSQLStore(context.Background(), db)
		require.NoError(t, err)
		fn(t, store)
	})
}

// TestStore runs the Store conformance suite on the memory, SQLite and
// PostgreSQL stores.
func TestStore(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		shredtest.RunStore(t, func(*testing.T) shred.Store { return shred.NewMemoryStore() })
	})
	dbtest.EachNew(t, func(t *testing.T, open func(testing.TB) *sql.DB) {
		shredtest.RunStore(t, func(t *testing.T) shred.Store {
			store, err := shred.NewSQLStore(context.Background(), open(t))
			require.NoError(t, err)
			return store
		})
	})
}

// TestErasureLog runs the ErasureLog conformance suite on the memory,
// SQLite and PostgreSQL erasure logs.
func TestErasureLog(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		shredtest.RunErasureLog(t, func(*testing.T) shred.ErasureLog { return shred.NewMemoryErasureLog() })
	})
	dbtest.EachNew(t, func(t *testing.T, open func(testing.TB) *sql.DB) {
		shredtest.RunErasureLog(t, func(t *testing.T) shred.ErasureLog {
			j, err := shred.NewSQLErasureLog(context.Background(), open(t))
			require.NoError(t, err)
			return j
		})
	})
}
