package audit

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"strconv"
	"strings"

	"github.com/gdprkit/gdprkit/gdpr/internal/safe"
)

// KindDecisionBatch is the kind of the one entry that journals a batch of
// Guard decisions (Journal.RecordBatch): its Ref is the root of the
// batch's Merkle tree in hex, its reasons count the decisions
// ("size-1000", "allowed-700", "denied-300").
const KindDecisionBatch Kind = "guard.batch"

// ErrNotInBatch is matched by the errors VerifyInclusion returns when a
// proof does not show that a decision is in a batch entry.
var ErrNotInBatch = errors.New("audit: decision not proven in the batch")

// BatchDecision is one subject's decision in a batch, as the caller gives
// it to RecordBatch.
type BatchDecision struct {
	Subject string // the subject's ID; only its token is kept
	Outcome Outcome
	Reason  string // a code, such as "consent-given"
}

// BatchLeaf is one decision as a batch's tree holds it: the subject's
// token, never the ID, so that leaves may be kept and shown to an auditor.
type BatchLeaf struct {
	Token   string  `json:"token"`
	Outcome Outcome `json:"outcome"`
	Reason  string  `json:"reason"`
}

// leafPrefix and nodePrefix separate the hashes of leaves and inner nodes
// (as in RFC 9162), so that no inner node can pass for a leaf.
const (
	leafPrefix  = "gdprkit/batch/v1\x00"
	nodePrefix  = 0x01
	sizePrefix  = "size-"
	countsAllow = "allowed-"
	countsDeny  = "denied-"
)

// hash returns the leaf's hash: SHA-256 over a version prefix and the
// fields, each prefixed with its length as a uvarint.
func (l BatchLeaf) hash() Hash {
	var scratch [256]byte
	buf := append(scratch[:0], leafPrefix...)
	for _, s := range [...]string{l.Token, string(l.Outcome), l.Reason} {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	return sha256.Sum256(buf)
}

func node(left, right Hash) Hash {
	var buf [1 + 2*sha256.Size]byte
	buf[0] = nodePrefix
	copy(buf[1:], left[:])
	copy(buf[1+sha256.Size:], right[:])
	return sha256.Sum256(buf[:])
}

// BatchTree is the Merkle tree (RFC 9162 shape) over a batch's decisions,
// sorted by token: its root is what the journal keeps, one entry for the
// whole batch, and Prove shows that one subject's decision is in it.
type BatchTree struct {
	leaves []BatchLeaf
	hashes []Hash // of leaves, in order
}

// NewBatchTree returns the tree over leaves, which it sorts by token (then
// outcome and reason); it keeps its own copy.
func NewBatchTree(leaves []BatchLeaf) *BatchTree { return newBatchTree(slices.Clone(leaves)) }

// newBatchTree returns the tree over leaves, which it takes and sorts.
func newBatchTree(leaves []BatchLeaf) *BatchTree {
	t := &BatchTree{leaves: leaves}
	slices.SortFunc(t.leaves, func(a, b BatchLeaf) int {
		if c := strings.Compare(a.Token, b.Token); c != 0 {
			return c // tokens differ but for repeated subjects: compare no further
		}
		return cmp.Or(strings.Compare(string(a.Outcome), string(b.Outcome)), strings.Compare(a.Reason, b.Reason))
	})
	t.hashes = make([]Hash, len(t.leaves))
	for i, l := range t.leaves {
		t.hashes[i] = l.hash()
	}
	return t
}

// Leaves returns the decisions in tree order; keep them to prove inclusion
// later (NewBatchTree rebuilds the same tree from them).
func (t *BatchTree) Leaves() []BatchLeaf { return slices.Clone(t.leaves) }

// Size returns the number of decisions.
func (t *BatchTree) Size() int { return len(t.leaves) }

// Root returns the tree's root; the empty tree's is SHA-256 of nothing.
func (t *BatchTree) Root() Hash {
	if len(t.hashes) == 0 {
		return sha256.Sum256(nil)
	}
	return root(t.hashes)
}

// root is the Merkle tree hash of a non-empty list.
func root(h []Hash) Hash {
	if len(h) == 1 {
		return h[0]
	}
	k := split(len(h))
	return node(root(h[:k]), root(h[k:]))
}

// split returns the largest power of two below n (n > 1).
func split(n int) int { return 1 << (bits.Len(uint(n-1)) - 1) }

// InclusionProof shows that one decision is in a batch: the leaf, its
// position, the batch size and the sibling hashes from the leaf up to the
// root.
type InclusionProof struct {
	Leaf  BatchLeaf `json:"leaf"`
	Index int       `json:"index"`
	Size  int       `json:"size"`
	Path  []Hash    `json:"path"`
}

// Prove returns the proof that the decision about the subject with token
// is in the tree, and false when the tree has no decision about it.
func (t *BatchTree) Prove(token string) (InclusionProof, bool) {
	i, ok := slices.BinarySearchFunc(t.leaves, token, func(l BatchLeaf, tok string) int { return strings.Compare(l.Token, tok) })
	if !ok {
		return InclusionProof{}, false
	}
	return InclusionProof{Leaf: t.leaves[i], Index: i, Size: len(t.leaves), Path: path(i, t.hashes)}, true
}

// path is the RFC 9162 inclusion path of leaf m in h.
func path(m int, h []Hash) []Hash {
	if len(h) <= 1 {
		return nil
	}
	k := split(len(h))
	if m < k {
		return append(path(m, h[:k]), root(h[k:]))
	}
	return append(path(m-k, h[k:]), root(h[:k]))
}

// root recomputes the root the proof leads to, and whether the proof is
// well formed.
func (p InclusionProof) root() (Hash, bool) {
	if p.Index < 0 || p.Index >= p.Size {
		return Hash{}, false
	}
	fn, sn := uint64(p.Index), uint64(p.Size-1)
	r := p.Leaf.hash()
	for _, sib := range p.Path {
		if sn == 0 {
			return Hash{}, false
		}
		if fn&1 == 1 || fn == sn {
			r = node(sib, r)
			for fn&1 == 0 && fn != 0 {
				fn, sn = fn>>1, sn>>1
			}
		} else {
			r = node(r, sib)
		}
		fn, sn = fn>>1, sn>>1
	}
	return r, sn == 0
}

// VerifyInclusion checks that p proves its leaf is in the batch that
// entry e journals: e is a KindDecisionBatch entry, p's size is the
// batch's, and p leads to the root e keeps. Check e itself with
// Journal.Verify. It returns nil or an error matching ErrNotInBatch.
func VerifyInclusion(e Entry, p InclusionProof) error {
	if e.Kind != KindDecisionBatch {
		return fmt.Errorf("%w: entry %d is a %s entry, not %s", ErrNotInBatch, e.Seq, e.Kind, KindDecisionBatch)
	}
	if size, ok := batchSize(e.Reasons); !ok || size != p.Size {
		return fmt.Errorf("%w: entry %d journals a batch of another size than %d", ErrNotInBatch, e.Seq, p.Size)
	}
	r, ok := p.root()
	if !ok || r.String() != e.Ref {
		return fmt.Errorf("%w: the proof does not lead to the root of entry %d", ErrNotInBatch, e.Seq)
	}
	return nil
}

// batchSize reads the "size-N" reason.
func batchSize(reasons []string) (int, bool) {
	for _, r := range reasons {
		if n, ok := strings.CutPrefix(r, sizePrefix); ok {
			size, err := strconv.Atoi(n)
			return size, err == nil
		}
	}
	return 0, false
}

// Batch is a batch of decisions to journal as one entry.
type Batch struct {
	// Purpose is the purpose decided for (a code), or "".
	Purpose string
	// Decisions are the subjects' decisions; their subjects are journalled
	// as tokens inside the tree only.
	Decisions []BatchDecision
	// Actor is who decided; JournalConfig.Actor when empty.
	Actor string
}

// RecordBatch journals a batch of decisions as one entry of kind
// KindDecisionBatch, whatever the batch's size: the entry is content-free
// (no token in it, only the counts and the root of the Merkle tree over the
// decisions sorted by the subjects' tokens), and the returned tree proves
// any one decision's inclusion (BatchTree.Prove, VerifyInclusion). Keep
// the tree's Leaves, or the decisions, to prove inclusion later.
func (j *Journal) RecordBatch(ctx context.Context, b Batch) (Entry, *BatchTree, error) {
	leaves := make([]BatchLeaf, len(b.Decisions))
	allowed := 0
	for i, d := range b.Decisions {
		if d.Subject == "" {
			return Entry{}, nil, fmt.Errorf("audit: journal batch: decision %d has no subject: %w", i, ErrInvalidEvent)
		}
		if !safe.Code(string(d.Outcome), false) || !safe.Code(d.Reason, false) {
			return Entry{}, nil, fmt.Errorf("audit: journal batch: decision %d: outcome and reason must be codes: %w", i, ErrInvalidEvent)
		}
		leaves[i] = BatchLeaf{Token: j.Token(d.Subject), Outcome: d.Outcome, Reason: d.Reason}
		if d.Outcome == OutcomeAllowed {
			allowed++
		}
	}
	t := newBatchTree(leaves)
	e, err := j.Record(ctx, Event{
		Kind: KindDecisionBatch, Purpose: b.Purpose, Outcome: OutcomeDone, Actor: b.Actor,
		Reasons: []string{sizePrefix + strconv.Itoa(len(leaves)), countsAllow + strconv.Itoa(allowed),
			countsDeny + strconv.Itoa(len(leaves)-allowed)},
		Ref: t.Root().String(),
	})
	if err != nil {
		return Entry{}, nil, err
	}
	return e, t, nil
}
