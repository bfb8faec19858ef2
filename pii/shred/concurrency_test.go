package shred_test

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// firstSealRace has many goroutines, spread over several Shredders that
// share nothing but the store, seal values of one new subject at once. All
// must end up sealed under one key.
func firstSealRace(t *testing.T, stores []shred.Store, perShredder int) {
	t.Helper()
	ctx := context.Background()
	kek := newKEK(t)
	var shredders []*shred.Shredder
	for _, st := range stores {
		shredders = append(shredders, newShredder(t, st, func(c *shred.ShredderConfig) { c.KEK = kek }))
	}
	users := make([][]*User, len(shredders))
	var wg sync.WaitGroup
	for i, s := range shredders {
		users[i] = make([]*User, perShredder)
		for j := range perShredder {
			u := newUser("racer")
			u.Email = fmt.Sprintf("racer-%d-%d@example.org", i, j)
			users[i][j] = u
			wg.Add(1)
			go func() {
				defer wg.Done()
				assert.NoError(t, s.Seal(ctx, u))
			}()
		}
	}
	wg.Wait()

	recs := snapshot(t, stores[0])
	assert.Len(t, recs, 2, "one reference key and one subject key")
	judge := newShredder(t, stores[0], func(c *shred.ShredderConfig) { c.KEK = kek })
	for i := range users {
		for j, u := range users[i] {
			require.True(t, shred.IsSealed(u.Email))
			require.NoError(t, judge.Open(ctx, u), "every value opens with the one key")
			assert.Equal(t, fmt.Sprintf("racer-%d-%d@example.org", i, j), u.Email)
		}
	}
}

func TestFirstSealRaceMemory(t *testing.T) {
	store := shred.NewMemoryStore()
	firstSealRace(t, []shred.Store{store, store, store, store}, 8)
}

func TestFirstSealRaceSQLite(t *testing.T) {
	db, path := dbtest.SQLite(t)
	other, err := sql.Open("sqlite", dbtest.SQLiteDSN(path))
	require.NoError(t, err)
	t.Cleanup(func() { other.Close() })
	firstSealRace(t, []shred.Store{sqlStore(t, db), sqlStore(t, other), sqlStore(t, db)}, 6)
}

// TestFirstSealRacePostgres runs two Shredders on two connection pools to
// one PostgreSQL schema, as two instances of a service would.
func TestFirstSealRacePostgres(t *testing.T) {
	db, dsn := dbtest.Postgres(t)
	other, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { other.Close() })
	firstSealRace(t, []shred.Store{sqlStore(t, db), sqlStore(t, other)}, 10)
}

func sqlStore(t testing.TB, db *sql.DB) *shred.SQLStore {
	t.Helper()
	s, err := shred.NewSQLStore(context.Background(), db)
	require.NoError(t, err)
	return s
}

// TestConcurrentUse mixes sealing, opening, erasing and rotating many
// subjects from many goroutines, for the race detector.
func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore(), func(c *shred.ShredderConfig) { c.CacheSize = 3 })
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				id := fmt.Sprint("s-", (g+i)%5)
				u := newUser(id)
				if err := s.Seal(ctx, u); err != nil {
					assert.ErrorIs(t, err, shred.ErrErased)
					continue
				}
				if err := s.Open(ctx, u); err != nil {
					assert.ErrorIs(t, err, shred.ErrErased)
				}
				switch i % 7 {
				case 3:
					if err := s.RotateSubject(ctx, id); err != nil {
						assert.ErrorIs(t, err, shred.ErrErased, "only a concurrent erasure stops a rotation")
					}
				case 5:
					assert.NoError(t, s.Erase(ctx, id))
				case 6:
					assert.NoError(t, s.Renew(ctx, id))
				}
			}
		}()
	}
	wg.Wait()
}
