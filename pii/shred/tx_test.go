package shred_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/internal/sqldb"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// TestSQLStoreJoinsTheCallersTransaction: every write of the key store
// joins the caller's transaction carried in the context, and a key that
// exists already does not abort it (a unique violation would, on
// PostgreSQL).
func TestSQLStoreJoinsTheCallersTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		store, err := shred.NewSQLStore(ctx, db)
		require.NoError(t, err)
		rec := shred.KeyRecord{Namespace: "app", Ref: "r1", Wrapped: []byte{1}, KEK: "k"}
		require.NoError(t, store.Create(ctx, rec))

		tx, err := db.BeginTx(ctx, nil)
		require.NoError(t, err)
		defer tx.Rollback()
		txctx, err := sqldb.WithTx(ctx, db, tx)
		require.NoError(t, err)
		assert.ErrorIs(t, store.Create(txctx, rec), shred.ErrKeyExists)
		require.NoError(t, store.Create(txctx, shred.KeyRecord{Namespace: "app", Ref: "r2", Wrapped: []byte{2}, KEK: "k"}), "the transaction goes on")
		require.NoError(t, store.Erase(txctx, "app", "r1", time.UnixMicro(1)))
		got, err := store.Get(txctx, "app", "r2")
		require.NoError(t, err, "read in the transaction")
		assert.Equal(t, []byte{2}, got.Wrapped)
		require.NoError(t, tx.Rollback())

		_, err = store.Get(ctx, "app", "r2")
		assert.ErrorIs(t, err, shred.ErrNoKey, "the key created in the transaction rolled back")
		got, err = store.Get(ctx, "app", "r1")
		require.NoError(t, err)
		assert.False(t, got.Erased(), "the erasure in the transaction rolled back")
	})
}

// TestShredderKeepsNoKeyOfARolledBackTransaction: a key created for a new
// subject inside the caller's transaction is not cached, so that after a
// rollback the Shredder seals under the key the store holds.
func TestShredderKeepsNoKeyOfARolledBackTransaction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		store, err := shred.NewSQLStore(ctx, db)
		require.NoError(t, err)
		kek := newKEK(t)
		sameKEK := func(c *shred.ShredderConfig) { c.KEK = kek }
		s := newShredder(t, store, sameKEK)
		_, err = s.Tokenizer(ctx) // the namespace's reference key, outside the transaction
		require.NoError(t, err)

		tx, err := db.BeginTx(ctx, nil)
		require.NoError(t, err)
		txctx, err := sqldb.WithTx(ctx, db, tx)
		require.NoError(t, err)
		require.NoError(t, s.Seal(txctx, newUser("ada")))
		require.NoError(t, tx.Rollback())

		u := newUser("ada")
		require.NoError(t, s.Seal(ctx, u))
		fresh := newShredder(t, store, sameKEK)
		require.NoError(t, fresh.Open(ctx, u), "sealed under the stored key")
		assert.Equal(t, newUser("ada").Email, u.Email)
	})
}
