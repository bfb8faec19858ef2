package gdprkit_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPurposeRulesMeetTheDeclaration: one declaration drives both ends. A
// purpose's Retention period becomes its retention rule with the same
// period; a purpose whose retention is given only as criteria (Art.
// 13(2)(a)) registers, opens the kit, and gives no automatic rule.
func TestPurposeRulesMeetTheDeclaration(t *testing.T) {
	base := func(id, period, criteria string) gdpr.Purpose {
		return gdpr.Purpose{ID: id, Name: id, Basis: gdpr.Contract, Categories: []pii.Category{pii.Email},
			DataSubjects: []string{"customers"}, Retention: period, RetentionCriteria: criteria}
	}
	purposes := []gdpr.Purpose{
		base("orders", "P6M", ""),
		base("warranty", "", "until warranty claims for the order are time-barred"),
		base("invoices", "P10Y", "§ 147 AO: ten years from the end of the calendar year"),
	}
	rules, err := gdprkit.PurposeRules(purposes...)
	require.NoError(t, err)
	byPurpose := map[string]string{}
	for _, r := range rules {
		byPurpose[r.Purpose] = r.Period.String()
		assert.Equal(t, gdprkit.RulePrefix+r.Purpose, r.Name)
	}
	assert.Equal(t, map[string]string{"orders": "P6M", "invoices": "P10Y"}, byPurpose, "criteria alone give no rule")
	for _, p := range purposes {
		period, err := p.RetentionPeriod()
		if p.Retention == "" {
			assert.ErrorIs(t, err, gdpr.ErrNoRetentionPeriod, p.ID)
			continue
		}
		require.NoError(t, err, p.ID)
		assert.Equal(t, period.String(), byPurpose[p.ID], "the rule counts the declared period: %s", p.ID)
	}

	_, err = gdprkit.PurposeRules(base("broken", "ten years", ""))
	assert.Error(t, err, "a malformed period is still an error")

	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		kit, _ := openShop(t, db, filepath.Join(t.TempDir(), "kek.json"), newClock().Now, func(c *gdprkit.Config) {
			c.Purposes = append(c.Purposes, purposes[1])
		})
		rec := kit.Register().Record()
		var found bool
		for _, a := range rec.Activities {
			if a.PurposeID == "warranty" {
				found = true
				assert.Equal(t, purposes[1].RetentionCriteria, a.RetentionCriteria, "the record states the criteria")
			}
		}
		assert.True(t, found)
		_, err := kit.Sweep(context.Background())
		assert.NoError(t, err)
	})
}
