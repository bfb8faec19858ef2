package audittest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Run runs the conformance tests, each as a subtest on a new, empty store
// from open.
func Run(t *testing.T, open func(t *testing.T) audit.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, audit.Store)
	}{
		{"RoundTrip", roundTrip},
		{"AppendRefusals", appendRefusals},
		{"ScanStopsOnError", scanStopsOnError},
		{"ConcurrentAppends", concurrentAppends},
		{"VerifyWhileAppending", verifyWhileAppending},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

var t0 = time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)

// clock is an injectable clock that the tests move by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func newJournal(t *testing.T, s audit.Store, c *clock) *audit.Journal {
	t.Helper()
	h, err := pii.NewTokenKey()
	require.NoError(t, err)
	tok, err := pii.NewTokenizer(h)
	require.NoError(t, err)
	j, err := audit.NewJournal(audit.JournalConfig{Store: s, Tokenizer: tok, Actor: "svc:shop", Now: c.Now})
	require.NoError(t, err)
	return j
}

// fill records n events and returns what it recorded.
func fill(t *testing.T, j *audit.Journal, c *clock, n int) []audit.Entry {
	t.Helper()
	var out []audit.Entry
	for i := range n {
		c.Advance(time.Second)
		e, err := j.Record(context.Background(), audit.Event{
			Kind: audit.KindDecision, Subject: fmt.Sprintf("subject-%d", i%3), Purpose: "newsletter",
			Outcome: audit.OutcomeDenied, Reasons: []string{"consent-withdrawn", "consent"},
		})
		require.NoError(t, err)
		out = append(out, e)
	}
	return out
}

func entries(t *testing.T, j *audit.Journal) []audit.Entry {
	t.Helper()
	var out []audit.Entry
	for e, err := range j.Entries(context.Background(), 0) {
		require.NoError(t, err)
		out = append(out, e)
	}
	return out
}

func roundTrip(t *testing.T, s audit.Store) {
	ctx := context.Background()
	c := &clock{now: t0}
	j := newJournal(t, s, c)
	require.NoError(t, j.Verify(ctx), "an empty journal verifies")
	head, err := j.Head(ctx)
	require.NoError(t, err)
	assert.Equal(t, audit.Head{}, head)

	recorded := fill(t, j, c, 5)
	e, err := j.Record(ctx, audit.Event{Kind: audit.KindBreach, Outcome: audit.OutcomeDone, Ref: "breach-7", Actor: "role:dpo"})
	require.NoError(t, err)
	recorded = append(recorded, e)

	got := entries(t, j)
	require.Len(t, got, 6)
	for i, e := range got {
		assert.Equal(t, uint64(i+1), e.Seq)
		assert.True(t, recorded[i].At.Equal(e.At))
		e.At = recorded[i].At
		assert.Equal(t, recorded[i], e, "stored as recorded")
		if i > 0 {
			assert.Equal(t, got[i-1].Hash, e.Prev, "each entry links to the one before")
		}
	}
	assert.Equal(t, audit.Hash{}, got[0].Prev)
	assert.True(t, t0.Add(time.Second).Equal(got[0].At))
	assert.Equal(t, j.Token("subject-0"), got[0].Subject)
	assert.Len(t, got[0].Subject, pii.TokenLen)
	assert.NotContains(t, got[0].Subject, "subject")
	assert.Equal(t, "svc:shop", got[0].Actor, "the default actor")
	assert.Equal(t, "role:dpo", got[5].Actor)
	assert.Empty(t, got[5].Subject)
	assert.Nil(t, got[5].Reasons)

	head, err = j.Head(ctx)
	require.NoError(t, err)
	assert.Equal(t, audit.Head{Seq: 6, Hash: got[5].Hash}, head)
	require.NoError(t, j.Verify(ctx))
	require.NoError(t, j.VerifyHead(ctx, audit.Head{Seq: 3, Hash: got[2].Hash}))
	err = j.VerifyHead(ctx, audit.Head{Seq: 3, Hash: got[3].Hash})
	assert.Equal(t, &audit.ChainError{Seq: 3, Problem: audit.Changed}, err)

	var after []uint64
	for e, err := range j.Entries(ctx, 4) {
		require.NoError(t, err)
		after = append(after, e.Seq)
	}
	assert.Equal(t, []uint64{5, 6}, after)
	for e, err := range j.Entries(ctx, 0) {
		require.NoError(t, err)
		assert.Equal(t, uint64(1), e.Seq)
		break // stopping early is allowed
	}
}

// appendRefusals: an error from next is returned and stores nothing, and
// an entry not numbered right after the head is refused.
func appendRefusals(t *testing.T, s audit.Store) {
	ctx := context.Background()
	c := &clock{now: t0}
	j := newJournal(t, s, c)
	fill(t, j, c, 2)
	before, err := s.Head(ctx)
	require.NoError(t, err)
	require.Equal(t, uint64(2), before.Seq)

	boom := errors.New("boom")
	_, err = s.Append(ctx, func(head audit.Head) (audit.Entry, error) {
		assert.Equal(t, before, head, "next sees the head")
		return audit.Entry{}, boom
	})
	assert.ErrorIs(t, err, boom)
	_, err = s.Append(ctx, func(head audit.Head) (audit.Entry, error) {
		return audit.Entry{Seq: head.Seq + 2, At: t0, Kind: audit.KindDecision, Outcome: audit.OutcomeAllowed, Prev: head.Hash}, nil
	})
	assert.Error(t, err, "a gap in the numbers")

	after, err := s.Head(ctx)
	require.NoError(t, err)
	assert.Equal(t, before, after, "a refused append changes nothing")
	assert.Len(t, entries(t, j), 2)
	require.NoError(t, j.Verify(ctx))
}

func scanStopsOnError(t *testing.T, s audit.Store) {
	ctx := context.Background()
	c := &clock{now: t0}
	fill(t, newJournal(t, s, c), c, 3)
	stop := errors.New("stop")
	var seen []uint64
	err := s.Scan(ctx, 0, func(e audit.Entry) error {
		seen = append(seen, e.Seq)
		return stop
	})
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, []uint64{1}, seen)
	seen = nil
	require.NoError(t, s.Scan(ctx, 3, func(e audit.Entry) error { seen = append(seen, e.Seq); return nil }))
	assert.Empty(t, seen, "nothing after the last entry")
}

// concurrentAppends records from several goroutines at once and expects
// one unbroken, gapless chain.
func concurrentAppends(t *testing.T, s audit.Store) {
	ctx := context.Background()
	j := newJournal(t, s, &clock{now: t0})
	const workers, perWorker = 4, 10
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range perWorker {
				_, err := j.Record(ctx, audit.Event{Kind: "test.append", Subject: fmt.Sprintf("w%d-%d", w, i), Outcome: audit.OutcomeDone})
				assert.NoError(t, err)
			}
		})
	}
	wg.Wait()
	require.NoError(t, j.Verify(ctx))
	head, err := j.Head(ctx)
	require.NoError(t, err)
	assert.Equal(t, uint64(workers*perWorker), head.Seq)
}

// verifyWhileAppending: entries appended while Verify reads the store are
// no reason to fail it.
func verifyWhileAppending(t *testing.T, s audit.Store) {
	ctx := context.Background()
	j := newJournal(t, s, &clock{now: t0})
	done := make(chan error, 1)
	go func() {
		for range 40 {
			if _, err := j.Record(ctx, audit.Event{Kind: audit.KindDecision, Outcome: audit.OutcomeAllowed}); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for {
		require.NoError(t, j.Verify(ctx))
		select {
		case err := <-done:
			require.NoError(t, err)
			require.NoError(t, j.Verify(ctx))
			return
		default:
		}
	}
}
