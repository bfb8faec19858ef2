package shred_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// erasureReachesOtherInstance seals on one Shredder, opens on another
// (which caches the key), erases on the first, and checks that the second
// stops opening the subject's data once its CacheTTL has passed.
func erasureReachesOtherInstance(t *testing.T, storeA, storeB shred.Store) {
	ctx := context.Background()
	kek := newKEK(t)
	clockB := newClock()
	const ttl = 30 * time.Second
	a := newShredder(t, storeA, func(c *shred.ShredderConfig) { c.KEK = kek })
	b := newShredder(t, storeB, func(c *shred.ShredderConfig) { c.KEK, c.Now, c.CacheTTL = kek, clockB.Now, ttl })

	u := newUser("u-1")
	require.NoError(t, a.Seal(ctx, u))
	v := *u.clone()
	require.NoError(t, b.Open(ctx, &v), "b caches the key")

	require.NoError(t, a.Erase(ctx, "u-1"))
	v = *u.clone()
	assert.ErrorIs(t, a.Open(ctx, &v), shred.ErrErased, "the erasing instance stops at once")

	clockB.Advance(ttl - time.Second)
	v = *u.clone()
	require.NoError(t, b.Open(ctx, &v), "within the TTL b may still use its cached key")
	assert.Equal(t, "ada@example.org", v.Email)

	clockB.Advance(time.Second)
	v = *u.clone()
	err := b.Open(ctx, &v)
	require.ErrorIs(t, err, shred.ErrErased, "once the TTL has passed, b asks the store again")
	assert.Equal(t, "", v.Email)
}

func TestCacheTTLAcrossInstances(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		store := shred.NewMemoryStore()
		erasureReachesOtherInstance(t, store, store)
	})
	t.Run("sqlite", func(t *testing.T) {
		db, path := dbtest.SQLite(t)
		other, err := sql.Open("sqlite", dbtest.SQLiteDSN(path))
		require.NoError(t, err)
		t.Cleanup(func() { other.Close() })
		erasureReachesOtherInstance(t, sqlStore(t, db), sqlStore(t, other))
	})
	t.Run("postgres", func(t *testing.T) {
		db, dsn := dbtest.Postgres(t)
		other, err := sql.Open("pgx", dsn)
		require.NoError(t, err)
		t.Cleanup(func() { other.Close() })
		erasureReachesOtherInstance(t, sqlStore(t, db), sqlStore(t, other))
	})
}

func TestCacheDisabled(t *testing.T) {
	ctx := context.Background()
	store := shred.NewMemoryStore()
	kek := newKEK(t)
	a := newShredder(t, store, func(c *shred.ShredderConfig) { c.KEK = kek })
	b := newShredder(t, store, func(c *shred.ShredderConfig) { c.KEK, c.CacheTTL = kek, -1 })
	u := newUser("u-1")
	require.NoError(t, a.Seal(ctx, u))
	v := *u.clone()
	require.NoError(t, b.Open(ctx, &v))
	require.NoError(t, a.Erase(ctx, "u-1"))
	v = *u.clone()
	assert.ErrorIs(t, b.Open(ctx, &v), shred.ErrErased, "without a cache every call asks the store")
}
