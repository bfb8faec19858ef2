package sqldb_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/internal/sqldb"
)

// TestStatementsJoinTheCallersTransaction: with WithTx, a store's
// statements and InTx run in the caller's transaction on the same
// database, and roll back with it; on another database, or WithoutTx,
// they do not.
func TestStatementsJoinTheCallersTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, raw *sql.DB) {
		ctx := context.Background()
		db, err := sqldb.Open(raw)
		require.NoError(t, err)
		_, err = db.ExecContext(ctx, "CREATE TABLE things (id TEXT PRIMARY KEY)")
		require.NoError(t, err)
		insert := db.Dialect.Rebind("INSERT INTO things (id) VALUES (?)")
		count := func(ctx context.Context) int {
			var n int
			require.NoError(t, db.QueryRowContext(ctx, "SELECT COUNT(*) FROM things").Scan(&n))
			return n
		}

		tx, err := raw.BeginTx(ctx, nil)
		require.NoError(t, err)
		defer tx.Rollback()
		txctx, err := sqldb.WithTx(ctx, raw, tx)
		require.NoError(t, err)
		assert.True(t, sqldb.HasTx(txctx))
		assert.Same(t, tx, db.Tx(txctx))
		assert.Nil(t, db.Tx(sqldb.WithoutTx(txctx)))
		_, err = db.ExecContext(txctx, insert, "a")
		require.NoError(t, err)
		require.NoError(t, sqldb.InTx(txctx, db, func(inner *sql.Tx) error {
			assert.Same(t, tx, inner, "InTx runs in the caller's transaction")
			_, err := inner.ExecContext(ctx, insert, "b")
			return err
		}))
		assert.Equal(t, 2, count(txctx))
		rows, err := db.QueryContext(txctx, "SELECT id FROM things")
		require.NoError(t, err)
		require.NoError(t, rows.Close())
		require.NoError(t, tx.Rollback())
		assert.Zero(t, count(ctx), "rolled back with the caller's transaction")

		other, _ := dbtest.SQLite(t)
		otherDB, err := sqldb.Open(other)
		require.NoError(t, err)
		assert.Nil(t, otherDB.Tx(txctx), "a store on another database does not join")
	})
}

func TestWithTxRefusesAnotherDatabasesTransaction(t *testing.T) {
	a, _ := dbtest.SQLite(t)
	b, _ := dbtest.SQLite(t)
	tx, err := b.Begin()
	require.NoError(t, err)
	defer tx.Rollback()
	_, err = sqldb.WithTx(context.Background(), a, tx)
	assert.ErrorIs(t, err, sqldb.ErrForeignTx)
}
