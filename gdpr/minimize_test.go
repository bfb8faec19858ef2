package gdpr_test

import (
	"context"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type customer struct {
	ID      string  `pii:"subject"`
	Email   string  `pii:"email"`
	Name    string  `pii:"name"`
	Phone   string  `pii:"phone"`
	Address *street `json:"address"`
	Plan    string
}

type street struct {
	Line string `pii:"address"`
	City string `pii:"city"`
}

func TestMinimizeToThePurpose(t *testing.T) {
	f := newFixture(t, false)
	c := customer{ID: "u1", Email: "a@example.com", Name: "Ann", Phone: "+49 170 1", Address: &street{"Main St 1", "Berlin"}, Plan: "pro"}

	view, err := gdpr.Minimize(f.guard, "newsletter", c) // e-mail and name
	require.NoError(t, err)
	assert.Equal(t, customer{ID: "u1", Email: "a@example.com", Name: "Ann", Address: &street{}, Plan: "pro"}, view)
	assert.Equal(t, "+49 170 1", c.Phone, "the original is untouched")
	assert.Equal(t, "Main St 1", c.Address.Line)

	_, err = gdpr.Minimize(f.guard, "nope", c)
	assert.ErrorIs(t, err, gdpr.ErrUnknownPurpose)
}

func TestAllowValue(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, false)
	c := customer{ID: "u1", Email: "a@example.com", Phone: "+49 170 1"}

	view, d, err := gdpr.AllowValue(ctx, f.guard, "newsletter", c)
	assert.ErrorIs(t, err, gdpr.ErrNoConsent)
	assert.False(t, d.Allowed)
	assert.Equal(t, customer{}, view, "nothing to process when denied")

	f.consent.set("u1", "newsletter", consent.Granted)
	view, d, err = gdpr.AllowValue(ctx, f.guard, "newsletter", c)
	require.NoError(t, err)
	assert.True(t, d.Allowed)
	assert.Equal(t, customer{ID: "u1", Email: "a@example.com"}, view)

	_, _, err = gdpr.AllowValue(ctx, f.guard, "newsletter", customer{Email: "b@example.com"})
	assert.ErrorContains(t, err, "subject", "a value without a subject cannot be decided")
	assert.NotErrorIs(t, err, gdpr.ErrNoLawfulBasis)
}

// TestGuardWithConsentLedger reads consent from the real ledger: a grant
// allows, a withdrawal denies at once, and the decision carries the notice.
func TestGuardWithConsentLedger(t *testing.T) {
	ctx := context.Background()
	c := &clock{now: t0}
	ledger, err := consent.New(consent.LedgerConfig{Store: consent.NewMemoryStore(), Now: c.Now, Validity: 365 * 24 * time.Hour})
	require.NoError(t, err)
	g, err := gdpr.NewGuard(gdpr.GuardConfig{
		Register: newRegister(t, purposes()...), Consent: ledger, Contract: (&contracts{}).hook,
		Objections: gdpr.NewMemoryStore(), Restrictions: gdpr.NewMemoryStore(), Now: c.Now,
	})
	require.NoError(t, err)

	_, err = g.Allow(ctx, "u1", "newsletter")
	assert.ErrorIs(t, err, gdpr.ErrNoConsent)

	_, err = ledger.Grant(ctx, consent.Act{Subject: "u1", Purposes: []string{"newsletter"}, Notice: "2025-03", Method: consent.MethodCheckbox})
	require.NoError(t, err)
	c.Advance(time.Second)
	d, err := g.Allow(ctx, "u1", "newsletter")
	require.NoError(t, err)
	assert.Equal(t, gdpr.ReasonConsent, d.Reason)
	assert.Equal(t, "2025-03", d.Notice)
	assert.Equal(t, t0, d.Since)

	_, err = ledger.Withdraw(ctx, consent.Act{Subject: "u1", Purposes: []string{"newsletter"}})
	require.NoError(t, err)
	d, err = g.Allow(ctx, "u1", "newsletter")
	assert.ErrorIs(t, err, gdpr.ErrNoConsent)
	assert.Equal(t, gdpr.ReasonConsentWithdrawn, d.Reason)

	_, err = ledger.Grant(ctx, consent.Act{Subject: "u2", Purposes: []string{"newsletter"}, Notice: "2025-03", Method: consent.MethodForm})
	require.NoError(t, err)
	c.Advance(366 * 24 * time.Hour)
	d, err = g.Allow(ctx, "u2", "newsletter")
	assert.ErrorIs(t, err, gdpr.ErrNoConsent)
	assert.Equal(t, gdpr.ReasonConsentExpired, d.Reason)
}
