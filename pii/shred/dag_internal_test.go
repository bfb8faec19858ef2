package shred

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/pii"
)

// dagNode is a node of a value whose nodes are shared: L and R both point
// to the next node, so that a walk that follows every path visits 2^n
// nodes.
type dagNode struct {
	Subject string `pii:"subject"`
	Email   string `pii:"email"`
	L, R    *dagNode
}

// newDAG returns the first of n levels of shared nodes, each of its own
// subject.
func newDAG(n int) *dagNode {
	var next *dagNode
	for i := n - 1; i >= 0; i-- {
		next = &dagNode{Subject: fmt.Sprint("s-", i), Email: fmt.Sprintf("n%d@example.org", i), L: next, R: next}
	}
	return next
}

var errTooManyVisits = errors.New("too many visits")

// TestSealAndOpenVisitASharedNodeOnce: Seal, Open and Reseal visit each
// field of a 64-level DAG once per call (2 fields a node), not once per
// path, and the DAG seals and opens.
func TestSealAndOpenVisitASharedNodeOnce(t *testing.T) {
	const levels = 64
	s, err := New(ShredderConfig{Store: NewMemoryStore(), KEK: testKEK(t), KEKID: "k"})
	require.NoError(t, err)
	root := newDAG(levels)
	o := s.getOp(context.Background(), "count")
	visits := 0
	err = o.walk(root, func(*pii.Field, reflect.Value, string) error {
		if visits++; visits > 2*levels {
			return errTooManyVisits
		}
		return nil
	})
	s.putOp(o)
	require.NoError(t, err, "fields visited more than once per call")
	assert.Equal(t, 2*levels, visits)

	ctx := context.Background()
	require.NoError(t, s.Seal(ctx, root))
	for n := root; n != nil; n = n.L {
		require.True(t, IsSealed(n.Email), "level %s", n.Subject)
	}
	require.NoError(t, s.Reseal(ctx, root))
	require.NoError(t, s.Open(ctx, root))
	assert.Equal(t, newDAG(levels), root)
}

// BenchmarkSealOpenDAG seals and opens a 64-level DAG of shared nodes.
func BenchmarkSealOpenDAG(b *testing.B) {
	ctx := context.Background()
	s, err := New(ShredderConfig{Store: NewMemoryStore(), KEK: testKEK(b), KEKID: "k"})
	require.NoError(b, err)
	root := newDAG(64)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Seal(ctx, root); err != nil {
			b.Fatal(err)
		}
		if err := s.Open(ctx, root); err != nil {
			b.Fatal(err)
		}
	}
}
