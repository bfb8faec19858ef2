package audit_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newBatchJournal(t *testing.T) *audit.Journal {
	t.Helper()
	return newJournal(t, audit.NewMemoryStore(), newTokenizer(t), &clock{now: t0})
}

func decisions(n int) []audit.BatchDecision {
	out := make([]audit.BatchDecision, n)
	for i := range out {
		out[i] = audit.BatchDecision{Subject: fmt.Sprintf("user-%d@example.com", i), Outcome: audit.OutcomeAllowed, Reason: "consent-given"}
		if i%3 == 0 {
			out[i].Outcome, out[i].Reason = audit.OutcomeDenied, "consent-withdrawn"
		}
	}
	return out
}

// TestRecordBatchProvesEveryDecision: for every batch size from 1 to 40
// (every shape of tree), the batch is one content-free journal entry and
// each subject's decision has a proof that verifies against it.
func TestRecordBatchProvesEveryDecision(t *testing.T) {
	ctx := context.Background()
	for n := 1; n <= 40; n++ {
		j := newBatchJournal(t)
		ds := decisions(n)
		e, tree, err := j.RecordBatch(ctx, audit.Batch{Purpose: "newsletter", Decisions: ds})
		require.NoError(t, err)
		require.Len(t, entries(t, j), 1)
		require.NoError(t, j.Verify(ctx))
		assert.Equal(t, audit.KindDecisionBatch, e.Kind)
		assert.Empty(t, e.Subject)
		assert.Equal(t, n, tree.Size())
		assert.Equal(t, tree.Root().String(), e.Ref)
		assert.Equal(t, tree.Root(), audit.NewBatchTree(tree.Leaves()).Root(), "the kept leaves rebuild the tree")
		for _, d := range ds {
			assert.NotContains(t, strings.Join(e.Reasons, ","), d.Subject)
			p, ok := tree.Prove(j.Token(d.Subject))
			require.True(t, ok)
			assert.Equal(t, d.Outcome, p.Leaf.Outcome)
			assert.NoError(t, audit.VerifyInclusion(e, p), "size %d", n)
		}
		_, ok := tree.Prove(j.Token("nobody"))
		assert.False(t, ok)
	}
}

// TestVerifyInclusionRefusesForgeries: a proof whose leaf, position, size
// or path was changed, or that is checked against another entry, fails.
func TestVerifyInclusionRefusesForgeries(t *testing.T) {
	ctx := context.Background()
	j := newBatchJournal(t)
	e, tree, err := j.RecordBatch(ctx, audit.Batch{Purpose: "newsletter", Decisions: decisions(13)})
	require.NoError(t, err)
	other, _, err := j.RecordBatch(ctx, audit.Batch{Purpose: "newsletter", Decisions: decisions(12)})
	require.NoError(t, err)
	single, err := j.Record(ctx, audit.Event{Kind: audit.KindDecision, Subject: "user-1@example.com", Outcome: audit.OutcomeAllowed})
	require.NoError(t, err)
	good, ok := tree.Prove(j.Token("user-0@example.com"))
	require.True(t, ok)
	require.NoError(t, audit.VerifyInclusion(e, good))
	forgeries := map[string]func(p *audit.InclusionProof){
		"outcome":  func(p *audit.InclusionProof) { p.Leaf.Outcome = audit.OutcomeAllowed },
		"reason":   func(p *audit.InclusionProof) { p.Leaf.Reason = "consent-given" },
		"token":    func(p *audit.InclusionProof) { p.Leaf.Token = j.Token("user-1@example.com") },
		"index":    func(p *audit.InclusionProof) { p.Index++ },
		"size":     func(p *audit.InclusionProof) { p.Size++ },
		"path":     func(p *audit.InclusionProof) { p.Path[0][0] ^= 1 },
		"short":    func(p *audit.InclusionProof) { p.Path = p.Path[1:] },
		"long":     func(p *audit.InclusionProof) { p.Path = append(p.Path, p.Path[0]) },
		"negative": func(p *audit.InclusionProof) { p.Index = -1 },
	}
	for name, forge := range forgeries {
		p := good
		p.Path = append([]audit.Hash(nil), good.Path...)
		forge(&p)
		assert.ErrorIs(t, audit.VerifyInclusion(e, p), audit.ErrNotInBatch, name)
	}
	assert.ErrorIs(t, audit.VerifyInclusion(other, good), audit.ErrNotInBatch)
	assert.ErrorIs(t, audit.VerifyInclusion(single, good), audit.ErrNotInBatch)
}

func TestRecordBatchRefusesBadDecisions(t *testing.T) {
	ctx := context.Background()
	j := newBatchJournal(t)
	for _, d := range []audit.BatchDecision{
		{Subject: "", Outcome: audit.OutcomeAllowed, Reason: "consent-given"},
		{Subject: "a", Outcome: audit.OutcomeAllowed, Reason: "jane@example.com"},
		{Subject: "a", Outcome: "", Reason: "consent-given"},
	} {
		_, _, err := j.RecordBatch(ctx, audit.Batch{Decisions: []audit.BatchDecision{d}})
		assert.ErrorIs(t, err, audit.ErrInvalidEvent)
	}
	assert.Empty(t, entries(t, j))
}
