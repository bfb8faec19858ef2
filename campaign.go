package gdprkit

import (
	"context"
	"iter"

	"github.com/gdprkit/gdprkit/gdpr"
)

// Campaign yields the audience of a campaign for purpose, a purpose
// resting on consent: every subject whose consent holds now, in sequence
// order, and whom the Guard allows — not objecting, not restricted, not
// erased (an erasure withdraws every consent). It walks the consent
// ledger in batches (one query per batch, memory flat), decides each
// batch by the rules of Guard.Allow and journals it as one entry, whose
// receipt (opts.OnBatch) proves any subject's decision to an auditor. See
// gdpr.Guard.Audience; for a list of subjects of your own, use
// Guard().Allowed.
func (k *Kit) Campaign(ctx context.Context, purpose string, opts gdpr.BulkOptions) iter.Seq2[string, error] {
	return k.guard.Audience(ctx, purpose, opts)
}
