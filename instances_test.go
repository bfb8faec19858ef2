package gdprkit_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// eachPair runs fn on SQLite and PostgreSQL with two connections to one
// database, as two instances of a service would have.
func eachPair(t *testing.T, fn func(t *testing.T, a, b *sql.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		a, path := dbtest.SQLite(t)
		b, err := sql.Open("sqlite", dbtest.SQLiteDSN(path))
		require.NoError(t, err)
		t.Cleanup(func() { b.Close() })
		fn(t, a, b)
	})
	t.Run("postgres", func(t *testing.T) {
		a, dsn := dbtest.Postgres(t)
		b, err := sql.Open("pgx", dsn)
		require.NoError(t, err)
		t.Cleanup(func() { b.Close() })
		fn(t, a, b)
	})
}

func TestTokensAreStableAcrossInstancesAndRestarts(t *testing.T) {
	eachPair(t, func(t *testing.T, a, b *sql.DB) {
		kek := filepath.Join(t.TempDir(), "kek.json")
		clk := newClock()
		one, _ := openShop(t, a, kek, clk.Now)
		two, _ := openShop(t, b, kek, clk.Now)
		again, _ := openShop(t, a, kek, clk.Now)
		tok := one.Journal().Token("ada")
		assert.Equal(t, tok, two.Journal().Token("ada"), "two kits on one database")
		assert.Equal(t, tok, again.Journal().Token("ada"), "a kit reopened")
		assert.NotEqual(t, tok, one.Journal().Token("bob"))

		fresh, _ := dbtest.SQLite(t)
		other, _ := openShop(t, fresh, kek, clk.Now)
		assert.NotEqual(t, tok, other.Journal().Token("ada"), "another key store has another token key")
	})
}

func TestTwoKitsBehaveAsOne(t *testing.T) {
	eachPair(t, func(t *testing.T, a, b *sql.DB) {
		ctx := context.Background()
		kek := filepath.Join(t.TempDir(), "kek.json")
		clk := newClock()
		one, shop := openShop(t, a, kek, clk.Now)
		two, _ := openShop(t, b, kek, clk.Now)
		shop.add(t, "ada", "ada@example.org", clk.t)
		_, err := one.Ledger().Grant(ctx, consent.Act{Subject: "ada", Purposes: []string{"newsletter"}, Notice: "2026-01",
			Method: consent.MethodCheckbox, Source: "web/signup"})
		require.NoError(t, err)
		clk.t = clk.t.Add(time.Minute)
		d, err := two.Guard().Allow(ctx, "ada", "newsletter")
		require.NoError(t, err)
		assert.True(t, d.Allowed)

		cert, err := one.Erase(ctx, "ada")
		require.NoError(t, err)
		clk.t = clk.t.Add(time.Minute)
		_, err = two.Guard().Allow(ctx, "ada", "newsletter")
		assert.ErrorIs(t, err, gdpr.ErrNoLawfulBasis, "the erasure on one kit holds on the other")
		again, err := two.Erase(ctx, "ada")
		require.NoError(t, err)
		assert.Equal(t, cert.Request, again.Request, "the same erasure, not a second one")
		assert.Equal(t, cert.SubjectToken, two.Journal().Token("ada"))
		require.NoError(t, two.Journal().Verify(ctx))
	})
}

func TestKitsOpenedAtOnceAgree(t *testing.T) {
	eachPair(t, func(t *testing.T, a, b *sql.DB) {
		kek := filepath.Join(t.TempDir(), "kek.json")
		_, err := shred.LocalKEK(kek) // created before, as a deployment would
		require.NoError(t, err)
		clk := newClock()
		dbs := []*sql.DB{a, b}
		cfgs := []gdprkit.Config{shopConfig(t, newCustomers(t, a), kek, clk.Now), shopConfig(t, newCustomers(t, b), kek, clk.Now)}
		kits := make([]*gdprkit.Kit, 2)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i := range kits {
			wg.Add(1)
			go func() {
				defer wg.Done()
				kits[i], errs[i] = gdprkit.Open(context.Background(), dbs[i], cfgs[i])
			}()
		}
		wg.Wait()
		require.NoError(t, errors.Join(errs...))
		assert.Equal(t, kits[0].Journal().Token("ada"), kits[1].Journal().Token("ada"), "one token key, created once")
		require.NoError(t, kits[1].Journal().Verify(context.Background()))
	})
}
