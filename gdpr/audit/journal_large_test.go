package audit_test

import (
	"context"
	"os"
	"sync"
	"testing"

	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sliceStore is a Store whose entries a test may change in place,
// as someone with access to the storage could.
type sliceStore struct {
	mu      sync.Mutex
	entries []audit.Entry
}

func (s *sliceStore) Append(_ context.Context, next func(audit.Head) (audit.Entry, error)) (audit.Entry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, err := next(s.head())
	if err == nil {
		s.entries = append(s.entries, e)
	}
	return e, err
}

func (s *sliceStore) head() audit.Head {
	if len(s.entries) == 0 {
		return audit.Head{}
	}
	last := s.entries[len(s.entries)-1]
	return audit.Head{Seq: last.Seq, Hash: last.Hash}
}

func (s *sliceStore) Scan(_ context.Context, after uint64, fn func(audit.Entry) error) error {
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

func (s *sliceStore) Head(context.Context) (audit.Head, error) {
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
	ev := audit.Event{Kind: audit.KindDecision, Subject: "u", Purpose: "newsletter", Outcome: audit.OutcomeDenied, Reasons: []string{"consent-withdrawn"}}
	for range n {
		_, err := j.Record(ctx, ev)
		require.NoError(t, err)
	}
	require.NoError(t, j.Verify(ctx))

	mid := n / 2
	s.entries[mid-1].Outcome = audit.OutcomeAllowed
	assert.Equal(t, &audit.ChainError{Seq: uint64(mid), Problem: audit.Changed}, j.Verify(ctx))
	s.entries[mid-1].Outcome = audit.OutcomeDenied
	require.NoError(t, j.Verify(ctx))

	s.entries[mid], s.entries[mid+1] = s.entries[mid+1], s.entries[mid]
	s.entries[mid].Seq, s.entries[mid+1].Seq = s.entries[mid+1].Seq, s.entries[mid].Seq
	assert.Equal(t, &audit.ChainError{Seq: uint64(mid + 1), Problem: audit.Unlinked}, j.Verify(ctx))
}
