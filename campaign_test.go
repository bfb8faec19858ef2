package gdprkit_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCampaignAgreesWithAllow: a campaign reaches exactly the subscribers
// Allow allows, erased ones (erased through the kit's one erasure path),
// withdrawn, objecting and restricted ones left out, and journals one
// entry per batch that proves each subscriber's decision.
func TestCampaignAgreesWithAllow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		clk := newClock()
		kit, shop := openShop(t, db, filepath.Join(t.TempDir(), "kek.json"), clk.Now)
		var subjects []string
		for i := range 12 {
			s := fmt.Sprintf("cus_%02d", i)
			subjects = append(subjects, s)
			shop.add(t, s, s+"@example.com", clk.Now())
			_, err := kit.Ledger().Grant(ctx, consent.Act{Subject: s, Purposes: []string{"newsletter"}, Notice: "2026-01",
				Method: consent.MethodCheckbox, Source: "web/signup", Proof: consent.Proof{IP: "203.0.113.7"}})
			require.NoError(t, err)
		}
		_, err := kit.Erase(ctx, "cus_01")
		require.NoError(t, err)
		_, err = kit.Ledger().Withdraw(ctx, consent.Act{Subject: "cus_02", Purposes: []string{"newsletter"}})
		require.NoError(t, err)
		require.NoError(t, kit.Guard().Object(ctx, gdpr.Objection{Subject: "cus_03", Purpose: gdpr.AllDirectMarketing}))
		require.NoError(t, kit.Guard().Restrict(ctx, gdpr.Restriction{Subject: "cus_04", Ground: gdpr.Accuracy}))

		var want []string
		for _, s := range subjects {
			if d, _ := kit.Guard().Allow(ctx, s, "newsletter"); d.Allowed {
				want = append(want, s)
			}
		}
		require.Len(t, want, 8)
		var receipts []gdpr.BatchReceipt
		var got []string
		for s, err := range kit.Campaign(ctx, "newsletter", gdpr.BulkOptions{Batch: 5, OnBatch: func(_ context.Context, r gdpr.BatchReceipt) error {
			receipts = append(receipts, r)
			return nil
		}}) {
			require.NoError(t, err)
			got = append(got, s)
		}
		slices.Sort(got)
		assert.Equal(t, want, got)
		require.Len(t, receipts, 2, "the 9 subscribers whose consent holds, in batches of 5")
		for _, s := range []string{"cus_00", "cus_04"} {
			var proven bool
			for _, r := range receipts {
				if p, ok := r.Tree.Prove(kit.Journal().Token(s)); ok {
					assert.NoError(t, audit.VerifyInclusion(r.Entry, p))
					proven = true
				}
			}
			assert.True(t, proven, s)
		}
		require.NoError(t, kit.Journal().Verify(ctx))
	})
}
