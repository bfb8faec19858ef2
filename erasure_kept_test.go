package gdprkit_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/retention"
)

// TestKitEraseLimitsHeldDataToTheHoldsPurpose: Kit.Erase of a subject
// under a legal hold on the e-mail keeps the held data (Art. 17(3)(e))
// and, on every instance sharing the database, the Guard from then on
// refuses the subject's contract and legitimate-interests purposes and
// allows the legal-claims purpose only.
func TestKitEraseLimitsHeldDataToTheHoldsPurpose(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		clk := newClock()
		kek := filepath.Join(t.TempDir(), "kek.json")
		extra := func(c *gdprkit.Config) {
			c.Purposes = append(c.Purposes,
				gdpr.Purpose{ID: "fraud", Name: "Fraud prevention", Basis: gdpr.LegitimateInterests, BalancingTest: "LIA-1",
					Categories: []pii.Category{pii.Email}, DataSubjects: []string{"customers"}, Retention: "P90D"},
				gdpr.Purpose{ID: "litigation", Name: "Defence of legal claims", Basis: gdpr.LegitimateInterests, BalancingTest: "LIA-2",
					LegalClaims: true, Categories: []pii.Category{pii.Email}, DataSubjects: []string{"customers"}, Retention: "P3Y"})
		}
		kit, shop := openShop(t, db, kek, clk.Now, extra)
		other, _ := openShop(t, db, kek, clk.Now, extra)
		shop.add(t, "ada", "ada@example.org", clk.t)
		_, err := kit.Holds().Place(ctx, retention.Hold{ID: "HOLD-1", Case: "LIT-2026-001", Subject: "ada", Category: pii.Email, Reason: "lawsuit"})
		require.NoError(t, err)
		for _, p := range []string{"orders", "fraud", "litigation"} {
			_, err := other.Guard().Allow(ctx, "ada", p)
			require.NoError(t, err, "before: %s", p)
		}

		cert, err := kit.Erase(ctx, "ada")
		require.NoError(t, err)
		assert.Contains(t, cert.Kept(), "customers", "the held e-mail is kept")
		assert.True(t, shop.has(t, "ada"))
		for _, p := range []string{"orders", "fraud"} {
			_, err := other.Guard().Allow(ctx, "ada", p)
			assert.ErrorIs(t, err, gdpr.ErrKeptForException, p)
		}
		_, err = other.Guard().Allow(ctx, "ada", "litigation")
		assert.NoError(t, err, "the hold's purpose")
		assert.Equal(t, rights.RequestCompleted, mustRequest(t, kit, gdprkit.ErasureIDPrefix+kit.Journal().Token("ada")).State)
	})
}

func mustRequest(t *testing.T, kit *gdprkit.Kit, id string) rights.Request {
	t.Helper()
	r, err := kit.Desk().Request(context.Background(), id)
	require.NoError(t, err)
	return r
}
