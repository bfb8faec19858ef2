package sqldb_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/internal/sqldb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRebind(t *testing.T) {
	assert.Equal(t, "SELECT $1, '?', $2", sqldb.Postgres.Rebind("SELECT ?, '?', ?"))
	assert.Equal(t, "SELECT ?", sqldb.SQLite.Rebind("SELECT ?"))
}

var steps = []sqldb.Migration{{
	Version:  1,
	SQLite:   []string{"CREATE TABLE things (id TEXT PRIMARY KEY, body BLOB)"},
	Postgres: []string{"CREATE TABLE things (id TEXT PRIMARY KEY, body BYTEA)"},
}}

func TestMigrateAndErrors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, raw *sql.DB) {
		ctx := context.Background()
		db, err := sqldb.Open(raw)
		require.NoError(t, err)
		require.NoError(t, sqldb.Migrate(ctx, db, "test", steps))
		require.NoError(t, sqldb.Migrate(ctx, db, "test", steps), "a second run is a no-op")

		insert := db.Dialect.Rebind("INSERT INTO things (id, body) VALUES (?, ?)")
		_, err = db.ExecContext(ctx, insert, "a", []byte{1})
		require.NoError(t, err)
		_, err = db.ExecContext(ctx, insert, "a", []byte{2})
		require.Error(t, err)
		assert.True(t, sqldb.Unique(err), "duplicate key is a unique violation: %v", err)
		assert.False(t, sqldb.Retryable(err))

		err = sqldb.InTx(ctx, db, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, insert, "b", []byte{3})
			return err
		})
		require.NoError(t, err)
		var n int
		require.NoError(t, db.QueryRowContext(ctx, "SELECT COUNT(*) FROM things").Scan(&n))
		assert.Equal(t, 2, n)
	})
}

func TestMigrateRejectsGaps(t *testing.T) {
	raw, _ := dbtest.SQLite(t)
	db, err := sqldb.Open(raw)
	require.NoError(t, err)
	err = sqldb.Migrate(context.Background(), db, "gap", []sqldb.Migration{{Version: 2}})
	assert.ErrorContains(t, err, "has version 2")
}
