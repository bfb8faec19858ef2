package gdprkit_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/breach"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii"
)

// TestConfigNamesTheWholeRecordAndTheBreachContact: the kit's Art. 30
// record names joint controllers, the representative and the DPO given in
// Config.Register, and the DPO is the contact point of breach
// notifications (Art. 33(3)(b)).
func TestConfigNamesTheWholeRecordAndTheBreachContact(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	dpo := gdpr.Party{Name: "DPO Office", Contact: "dpo@shop.example"}
	joint := gdpr.Party{Name: "Marketplace AG", Contact: "privacy@market.example"}
	rep := gdpr.Party{Name: "EU Rep Ltd", Contact: "rep@eu.example"}
	kit, _ := openShop(t, db, filepath.Join(t.TempDir(), "kek.json"), newClock().Now, func(c *gdprkit.Config) {
		c.Register = gdpr.RegisterConfig{DPO: dpo, JointControllers: []gdpr.Party{joint}, Representative: rep}
	})
	rec := kit.Register().Record()
	assert.Equal(t, "Example Shop GmbH", rec.Controller.Name)
	assert.Equal(t, []gdpr.Party{joint}, rec.JointControllers)
	require.NotNil(t, rec.DPO)
	assert.Equal(t, dpo, *rec.DPO)
	require.NotNil(t, rec.Representative)
	assert.Equal(t, rep, *rec.Representative)

	b, err := kit.Breaches().Report(context.Background(), breach.Breach{ID: "inc-1", Nature: breach.Confidentiality,
		Description: "mailing list sent in CC", Categories: []pii.Category{pii.Email}, Subjects: 3, Records: 3, Risk: breach.RiskLikely})
	require.NoError(t, err)
	assert.Equal(t, dpo, b.Contact)
}

// TestConfigRefusesABreachDeadlineBeyondTheLaw: a shorter internal
// deadline is accepted, a longer one than Art. 33(1)'s 72 hours is not.
func TestConfigRefusesABreachDeadlineBeyondTheLaw(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	shop := newCustomers(t, db)
	cfg := shopConfig(t, shop, filepath.Join(t.TempDir(), "kek.json"), newClock().Now)
	cfg.Breaches.Deadline = 24 * time.Hour
	_, err := gdprkit.Open(context.Background(), db, cfg)
	require.NoError(t, err)
	cfg.Breaches.Deadline = 72*time.Hour + time.Second
	_, err = gdprkit.Open(context.Background(), db, cfg)
	assert.Error(t, err)
}
