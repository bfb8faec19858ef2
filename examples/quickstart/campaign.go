package main

import (
	"context"
	"fmt"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
)

// sendCampaign sends the newsletter to every subscriber the Guard allows,
// in batches: one query per batch, one journal entry per batch, and a
// proof, for any one subscriber, that the decision about them was in it.
func (t *tour) sendCampaign() error {
	heading("Send a campaign: the Guard decides in batches, the journal keeps one entry per batch")
	guard := t.kit.Guard()
	for i := 1; i <= 10; i++ {
		if _, err := t.kit.Ledger().Grant(t.ctx, consent.Act{Subject: fmt.Sprintf("cus_%d", 3000+i), Purposes: []string{"newsletter"},
			Notice: "2026-02", Method: consent.MethodEmail, Source: "web/newsletter"}); err != nil {
			return err
		}
	}
	if _, err := t.kit.Ledger().Withdraw(t.ctx, consent.Act{Subject: "cus_3003", Purposes: []string{"newsletter"},
		Method: consent.MethodEmail, Source: "mail/unsubscribe"}); err != nil {
		return err
	}
	if err := guard.Object(t.ctx, gdpr.Objection{Subject: "cus_3005", Purpose: gdpr.AllDirectMarketing}); err != nil {
		return err
	}
	if err := guard.Restrict(t.ctx, gdpr.Restriction{Subject: "cus_3007", Ground: gdpr.Accuracy}); err != nil {
		return err
	}

	var receipts []gdpr.BatchReceipt
	keep := func(_ context.Context, r gdpr.BatchReceipt) error { receipts = append(receipts, r); return nil }
	var sent []string
	for subject, err := range t.kit.Campaign(t.ctx, "newsletter", gdpr.BulkOptions{Batch: 4, OnBatch: keep}) {
		if err != nil {
			return err
		}
		sent = append(sent, subject) // send the e-mail here
	}
	fmt.Printf("   newsletter sent to %d subscribers: %v\n", len(sent), sent)
	for _, r := range receipts {
		fmt.Printf("   journal entry %d: %s, %d allowed, %d denied, root %.16s…\n", r.Entry.Seq, r.Entry.Kind, r.Allowed, r.Denied, r.Entry.Ref)
	}
	token := t.kit.Journal().Token("cus_3005")
	for _, r := range receipts {
		if proof, ok := r.Tree.Prove(token); ok {
			fmt.Printf("   cus_3005 was %s (%s) in entry %d: proof verifies=%v\n", proof.Leaf.Outcome, proof.Leaf.Reason,
				r.Entry.Seq, audit.VerifyInclusion(r.Entry, proof) == nil)
		}
	}
	return nil
}
