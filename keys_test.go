package gdprkit_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tink-crypto/tink-go/v2/tink"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/shred"
)

func TestKitRotateKEK(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx, clk, dir := context.Background(), newClock(), t.TempDir()
		oldPath, newPath := filepath.Join(dir, "kek-1.json"), filepath.Join(dir, "kek-2.json")
		kit, _ := openShop(t, db, oldPath, clk.Now)
		_, err := kit.Shredder("app").BlindIndex(ctx, pii.Email, "x")
		require.NoError(t, err)
		token := kit.Journal().Token("ada")

		oldKEK, err := shred.LocalKEK(oldPath)
		require.NoError(t, err)
		rotating, _ := openShop(t, db, newPath, clk.Now, func(c *gdprkit.Config) {
			c.KEKID, c.OldKEKs = "dev-2", map[string]tink.AEAD{"dev-1": oldKEK}
		})
		n, err := rotating.RotateKEK(ctx, 1)
		require.NoError(t, err)
		assert.Equal(t, 3, n, "the reference keys Open creates: app, consent and journal namespaces")
		n, err = rotating.RotateKEK(ctx, 1)
		require.NoError(t, err)
		assert.Zero(t, n, "resumed, nothing is left")

		// The old KEK is retired: the kit opens under the new one alone, with
		// the same journal tokens.
		rotated, _ := openShop(t, db, newPath, clk.Now, func(c *gdprkit.Config) { c.KEKID = "dev-2" })
		assert.Equal(t, token, rotated.Journal().Token("ada"))
	})
}

func TestKitReplay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx, clk, kek := context.Background(), newClock(), filepath.Join(t.TempDir(), "kek.json")
		kit, shop := openShop(t, db, kek, clk.Now)
		shop.add(t, "bob", "bob@example.org", clk.t)
		require.NoError(t, kit.Shredder("app").Renew(ctx, "bob"))
		_, err := db.Exec(`CREATE TABLE keys_backup AS SELECT * FROM gdprkit_shred_keys`)
		require.NoError(t, err)
		_, err = kit.Erase(ctx, "bob")
		require.NoError(t, err)

		// The key store's backup is restored.
		_, err = db.Exec(`DELETE FROM gdprkit_shred_keys`)
		require.NoError(t, err)
		_, err = db.Exec(`INSERT INTO gdprkit_shred_keys SELECT * FROM keys_backup`)
		require.NoError(t, err)
		restored, _ := openShop(t, db, kek, clk.Now)
		erased, err := restored.Shredder("app").Erased(ctx, "bob")
		require.NoError(t, err)
		require.False(t, erased, "the backup holds bob's key")

		n, err := restored.Replay(ctx)
		require.NoError(t, err)
		assert.Positive(t, n)
		erased, err = restored.Shredder("app").Erased(ctx, "bob")
		require.NoError(t, err)
		assert.True(t, erased)
		n, err = restored.Replay(ctx)
		require.NoError(t, err)
		assert.Zero(t, n)
	})
}
