package gdpr_test

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sliceStore is a JournalStore whose entries a test may change in place,
// as someone with access to the storage could.
type sliceStore struct {
	mu      sync.Mutex
	entries []gdpr.Entry
}

func (s *sliceStore) Append(_ context.Context, next func(gdpr.Head) (gdpr.Entry, error)) (gdpr.Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := next(s.head())
	if err == nil {
		s.entries = append(s.entries, e)
	}
	return e, err
}

func (s *sliceStore) head() gdpr.Head {
	if len(s.entries) == 0 {
		return gdpr.Head{}
	}
	last := s.entries[len(s.entries)-1]
	return gdpr.Head{Seq: last.Seq, Hash: last.Hash}
}

func (s *sliceStore) Scan(_ context.Context, after uint64, fn func(gdpr.Entry) error) error {
	for _, e := range s.entries {
		if e.Seq <= after {
			continue
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return nil
}

func (s *sliceStore) Head(context.Context) (gdpr.Head, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.head(), nil
}

// TestJournalLarge verifies a long journal and finds one changed entry in
// the middle of it: 5,000 entries, or a million with GDPRKIT_LONG=1.
func TestJournalLarge(t *testing.T) {
	n := 5_000
	if os.Getenv("GDPRKIT_LONG") == "1" {
		n = 1_000_000
	}
	ctx := context.Background()
	s := &sliceStore{}
	c := &clock{now: t0}
	j := newJournal(t, s, newTokenizer(t), c)
	ev := gdpr.Event{Kind: gdpr.KindDecision, Subject: "u", Purpose: "newsletter", Outcome: gdpr.OutcomeDenied, Reasons: []string{"consent-withdrawn"}}
	for range n {
		_, err := j.Record(ctx, ev)
		require.NoError(t, err)
	}
	require.NoError(t, j.Verify(ctx))

	mid := n / 2
	s.entries[mid-1].Outcome = gdpr.OutcomeAllowed
	assert.Equal(t, &gdpr.ChainError{Seq: uint64(mid), Problem: gdpr.Changed}, j.Verify(ctx))
	s.entries[mid-1].Outcome = gdpr.OutcomeDenied
	require.NoError(t, j.Verify(ctx))

	s.entries[mid], s.entries[mid+1] = s.entries[mid+1], s.entries[mid]
	s.entries[mid].Seq, s.entries[mid+1].Seq = s.entries[mid+1].Seq, s.entries[mid].Seq
	assert.Equal(t, &gdpr.ChainError{Seq: uint64(mid + 1), Problem: gdpr.Unlinked}, j.Verify(ctx))
}
