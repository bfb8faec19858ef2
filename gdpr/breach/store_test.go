package breach_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/gdpr/breach"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// eachBreachStore runs fn on the memory, SQLite and PostgreSQL breach stores.
func eachBreachStore(t *testing.T, fn func(t *testing.T, s breach.Store)) {
	t.Run("memory", func(t *testing.T) { fn(t, breach.NewMemoryStore()) })
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		s, err := breach.NewSQLStore(context.Background(), db)
		require.NoError(t, err)
		fn(t, s)
	})
}

func TestStoreBreaches(t *testing.T) {
	eachBreachStore(t, func(t *testing.T, s breach.Store) {
		ctx := context.Background()
		b := breach.Breach{
			ID: "b1", DetectedAt: t0, AwareAt: t0.Add(time.Hour), Nature: breach.Confidentiality | breach.Availability,
			Description: "backup tape lost", Categories: []pii.Category{pii.Email}, Subjects: 100, Records: 250,
			Risk: breach.RiskHigh, Deadline: t0.Add(73 * time.Hour),
		}
		require.NoError(t, s.CreateBreach(ctx, b))
		assert.ErrorIs(t, s.CreateBreach(ctx, b), breach.ErrBreachExists)

		got, err := s.Breach(ctx, "b1")
		require.NoError(t, err)
		assertSameBreach(t, b, got)
		_, err = s.Breach(ctx, "nope")
		assert.ErrorIs(t, err, breach.ErrUnknownBreach)

		updated, err := s.UpdateBreach(ctx, "b1", func(b *breach.Breach) error {
			b.Measures = "keys rotated"
			return nil
		})
		require.NoError(t, err)
		assert.Equal(t, "keys rotated", updated.Measures)
		boom := errors.New("boom")
		_, err = s.UpdateBreach(ctx, "b1", func(b *breach.Breach) error {
			b.Measures = "lost"
			return boom
		})
		assert.ErrorIs(t, err, boom)
		got, err = s.Breach(ctx, "b1")
		require.NoError(t, err)
		assert.Equal(t, "keys rotated", got.Measures, "a failed update changes nothing")
		_, err = s.UpdateBreach(ctx, "nope", func(*breach.Breach) error { return nil })
		assert.ErrorIs(t, err, breach.ErrUnknownBreach)

		require.NoError(t, s.CreateBreach(ctx, breach.Breach{ID: "b2", Nature: breach.Integrity, Description: "x"}))
		all, err := s.Breaches(ctx)
		require.NoError(t, err)
		assert.Len(t, all, 2)
	})
}

// TestStoreBreachUpdatesSerialise runs concurrent read-modify-write
// updates and expects none to be lost.
func TestStoreBreachUpdatesSerialise(t *testing.T) {
	eachBreachStore(t, func(t *testing.T, s breach.Store) {
		ctx := context.Background()
		require.NoError(t, s.CreateBreach(ctx, breach.Breach{ID: "b", Nature: breach.Integrity, Description: "x"}))
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for range 5 {
					_, err := s.UpdateBreach(ctx, "b", func(b *breach.Breach) error { b.Records++; return nil })
					assert.NoError(t, err)
				}
			})
		}
		wg.Wait()
		b, err := s.Breach(ctx, "b")
		require.NoError(t, err)
		assert.Equal(t, 20, b.Records)
	})
}

func assertSameBreach(t *testing.T, want, got breach.Breach) {
	t.Helper()
	for _, p := range []struct{ w, g *time.Time }{
		{&want.DetectedAt, &got.DetectedAt}, {&want.AwareAt, &got.AwareAt}, {&want.Deadline, &got.Deadline},
		{&want.OccurredAt, &got.OccurredAt}, {&want.AuthorityNotifiedAt, &got.AuthorityNotifiedAt}, {&want.SubjectsNotifiedAt, &got.SubjectsNotifiedAt},
	} {
		assert.True(t, p.w.Equal(*p.g), "%v != %v", *p.w, *p.g)
		*p.g = *p.w
	}
	if assert.Len(t, got.Notifications, len(want.Notifications)) {
		got.Notifications = slices.Clone(got.Notifications)
		for i := range want.Notifications {
			assert.True(t, want.Notifications[i].At.Equal(got.Notifications[i].At), "Notifications[%d].At", i)
			got.Notifications[i].At = want.Notifications[i].At
		}
	}
	assert.Equal(t, want, got)
}
