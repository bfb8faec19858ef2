package consent_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPublishIsIdempotent publishes the same notices at every start-up, as
// a service does, and checks that only a version republished with other
// content is refused.
func TestPublishIsIdempotent(t *testing.T) {
	eachStore(t, func(t *testing.T, s consent.Store) {
		ctx := context.Background()
		c := newClock()
		l := newLedger(t, consent.LedgerConfig{Store: s, Now: c.Now})
		wording := consent.Notice{Purpose: "news", Version: "v1"}
		scheduled := consent.Notice{Purpose: "news", Version: "v2", Material: true, Effective: t0.Add(24 * time.Hour)}
		past := consent.Notice{Purpose: "news", Version: "v0", Effective: t0.AddDate(-1, 0, 0)}
		startUp := func() error {
			for _, n := range []consent.Notice{wording, scheduled, past} {
				if err := l.Publish(ctx, n); err != nil {
					return err
				}
			}
			return nil
		}
		require.NoError(t, startUp())
		first, err := l.Notices(ctx, "news")
		require.NoError(t, err)
		require.Len(t, first, 3)

		c.Advance(time.Hour)
		assert.NoError(t, startUp(), "same content, later start-up: a zero Effective means as first published")
		c.Advance(48 * time.Hour)
		assert.NoError(t, startUp(), "a material version republished once in effect is no retroactive change")
		again := wording
		again.Effective = t0
		assert.NoError(t, l.Publish(ctx, again), "the Effective it was published with")
		now, err := l.Notices(ctx, "news")
		require.NoError(t, err)
		assert.Equal(t, first, now, "nothing stored twice")

		for name, n := range map[string]consent.Notice{
			"material now":         {Purpose: "news", Version: "v1", Material: true, Effective: c.Now().Add(time.Hour)},
			"another Effective":    {Purpose: "news", Version: "v1", Effective: t0.Add(time.Second)},
			"no longer material":   {Purpose: "news", Version: "v2", Effective: scheduled.Effective},
			"material, other time": {Purpose: "news", Version: "v2", Material: true, Effective: c.Now().Add(time.Hour)},
		} {
			err := l.Publish(ctx, n)
			require.ErrorIs(t, err, consent.ErrNoticeExists, name)
			assert.ErrorContains(t, err, "different content", name)
			var ne *consent.NoticeError
			require.ErrorAs(t, err, &ne, name)
			assert.Equal(t, n.Version, ne.Version, name)
		}
	})
}

// TestPublishConcurrentStartUps has several instances publish the same
// notice at once.
func TestPublishConcurrentStartUps(t *testing.T) {
	eachStore(t, func(t *testing.T, s consent.Store) {
		ctx := context.Background()
		c := newClock()
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			l := newLedger(t, consent.LedgerConfig{Store: s, Now: c.Now})
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- l.Publish(ctx, consent.Notice{Purpose: "news", Version: "v1", Material: true})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			assert.NoError(t, err)
		}
	})
}
