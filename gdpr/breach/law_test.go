package breach_test

import (
	"context"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/breach"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var dpo = gdpr.Party{Name: "Data Protection Officer", Contact: "dpo@example.com"}

// TestBreachDeadlineNeverBeyond72Hours: Art. 33(1) fixes 72 hours from
// awareness as the legal maximum; a shorter internal deadline may be
// configured, a longer one is a configuration error.
func TestBreachDeadlineNeverBeyond72Hours(t *testing.T) {
	s := breach.NewMemoryStore()
	for _, d := range []time.Duration{breach.LegalNotificationDeadline + time.Microsecond, 7 * 24 * time.Hour} {
		_, err := breach.NewLog(breach.LogConfig{Store: s, Deadline: d})
		assert.ErrorIs(t, err, gdpr.ErrInvalidConfig, "%v", d)
		assert.ErrorContains(t, err, "Art. 33(1)")
	}
	for _, d := range []time.Duration{0, time.Hour, breach.LegalNotificationDeadline} {
		_, err := breach.NewLog(breach.LogConfig{Store: s, Deadline: d})
		assert.NoError(t, err, "%v", d)
	}
}

// TestBreachDelayReasonsAtTheLegalLimit: a first notification of the
// authority more than 72 hours after awareness needs reasons for the delay
// (Art. 33(1), second sentence), whatever the internal deadline: at 72
// hours exactly it needs none, a microsecond later it does.
func TestBreachDelayReasonsAtTheLegalLimit(t *testing.T) {
	ctx := context.Background()
	for _, internal := range []time.Duration{0, 24 * time.Hour} {
		c := &clock{now: t0}
		reg := newBreachRegister(t, breach.NewMemoryStore(), c, internal, nil)
		onTime, err := reg.Report(ctx, withContact(lostLaptop()))
		require.NoError(t, err)
		late, err := reg.Report(ctx, withContact(lostLaptop()))
		require.NoError(t, err)
		assert.Equal(t, t0.Add(72*time.Hour), onTime.LegalDeadline())
		c.Advance(100 * time.Hour)

		_, err = reg.Notify(ctx, onTime.ID, breach.Notification{To: breach.Authority, At: t0.Add(72 * time.Hour)})
		assert.NoError(t, err, "at 72 hours exactly, internal deadline %v", internal)
		_, err = reg.Notify(ctx, late.ID, breach.Notification{To: breach.Authority, At: t0.Add(72*time.Hour + time.Microsecond)})
		assert.ErrorIs(t, err, breach.ErrNoDelayReason, "72 h + 1 µs, internal deadline %v", internal)
		_, err = reg.Notify(ctx, late.ID, breach.Notification{To: breach.Authority, At: t0.Add(100 * time.Hour)})
		assert.ErrorIs(t, err, breach.ErrNoDelayReason, "hour 100, internal deadline %v", internal)
		_, err = reg.Notify(ctx, late.ID, breach.Notification{To: breach.Authority, At: t0.Add(100 * time.Hour), DelayReason: "forensics"})
		assert.NoError(t, err)
	}
}

// TestBreachInternalDeadlineOnlyListsOverdue: past a shorter internal
// deadline a breach is overdue, but its notification is not legally late
// and needs no reasons.
func TestBreachInternalDeadlineOnlyListsOverdue(t *testing.T) {
	ctx := context.Background()
	c := &clock{now: t0}
	reg := newBreachRegister(t, breach.NewMemoryStore(), c, 24*time.Hour, nil)
	b, err := reg.Report(ctx, withContact(lostLaptop()))
	require.NoError(t, err)
	late, err := reg.Overdue(ctx, t0.Add(24*time.Hour+time.Microsecond))
	require.NoError(t, err)
	assert.Len(t, late, 1)
	c.Advance(30 * time.Hour)
	_, err = reg.Notify(ctx, b.ID, breach.Notification{To: breach.Authority})
	assert.NoError(t, err)
}

func withContact(b breach.Breach) breach.Breach {
	b.Contact = dpo
	return b
}

func communicationOverdue(t *testing.T, reg *breach.Log, at time.Time) []string {
	t.Helper()
	list, err := reg.CommunicationOverdue(context.Background(), at)
	require.NoError(t, err)
	ids := []string{}
	for _, b := range list {
		ids = append(ids, b.ID)
	}
	return ids
}

// TestBreachCommunicationToSubjects: a high-risk breach must be
// communicated to the subjects without undue delay (Art. 34(1)); left
// uncommunicated for 30 days it is overdue, while one exempt under Art.
// 34(3) is not, and a low-risk one never is.
func TestBreachCommunicationToSubjects(t *testing.T) {
	ctx := context.Background()
	c := &clock{now: t0}
	reg := newBreachRegister(t, breach.NewMemoryStore(), c, 0, nil)
	high, err := reg.Report(ctx, withContact(lostLaptop()))
	require.NoError(t, err)
	assert.Equal(t, t0.Add(breach.DefaultCommunicationDeadline), high.CommunicationDeadline)
	exempt := withContact(lostLaptop())
	exempt.ID = "encrypted"
	_, err = reg.Report(ctx, exempt)
	require.NoError(t, err)
	low := withContact(lostLaptop())
	low.ID, low.Risk = "low", breach.RiskLikely
	_, err = reg.Report(ctx, low)
	require.NoError(t, err)

	_, err = reg.Exempt(ctx, "encrypted", breach.Exemption{Ground: breach.Unintelligible})
	assert.ErrorIs(t, err, breach.ErrInvalidBreach, "an exemption needs its reasons")
	_, err = reg.Exempt(ctx, "encrypted", breach.Exemption{Reason: "why not"})
	assert.ErrorIs(t, err, breach.ErrInvalidBreach, "an exemption needs an Art. 34(3) ground")
	e, err := reg.Exempt(ctx, "encrypted", breach.Exemption{Ground: breach.Unintelligible, Reason: "AES-256 full-disk encryption, key not compromised"})
	require.NoError(t, err)
	assert.Equal(t, breach.Unintelligible, e.Exemption.Ground)
	assert.Equal(t, t0, e.Exemption.At)
	assert.Equal(t, "Art. 34(3)(a)", e.Exemption.Ground.Article())
	_, err = reg.Exempt(ctx, "low", breach.Exemption{Ground: breach.Unintelligible, Reason: "x"})
	assert.ErrorIs(t, err, breach.ErrInvalidBreach, "only a high-risk breach needs an exemption")

	assert.Empty(t, communicationOverdue(t, reg, t0.Add(breach.DefaultCommunicationDeadline)))
	c.Advance(30 * 24 * time.Hour)
	assert.Equal(t, []string{high.ID}, communicationOverdue(t, reg, c.Now()), "30 days uncommunicated")
	assert.True(t, high.CommunicationOverdue(c.Now()))

	_, err = reg.Notify(ctx, high.ID, breach.Notification{To: breach.Subjects})
	require.NoError(t, err)
	assert.Empty(t, communicationOverdue(t, reg, c.Now()))
}

// TestBreachCommunicationInternalDeadline: the internal deadline for the
// communication is configurable.
func TestBreachCommunicationInternalDeadline(t *testing.T) {
	ctx := context.Background()
	c := &clock{now: t0}
	reg, err := breach.NewLog(breach.LogConfig{Store: breach.NewMemoryStore(), Now: c.Now, CommunicationDeadline: 24 * time.Hour})
	require.NoError(t, err)
	b, err := reg.Report(ctx, withContact(lostLaptop()))
	require.NoError(t, err)
	assert.Empty(t, communicationOverdue(t, reg, t0.Add(24*time.Hour)))
	assert.Equal(t, []string{b.ID}, communicationOverdue(t, reg, t0.Add(24*time.Hour+time.Microsecond)))
	_, err = breach.NewLog(breach.LogConfig{Store: breach.NewMemoryStore(), CommunicationDeadline: -time.Hour})
	assert.ErrorIs(t, err, gdpr.ErrInvalidConfig)
}

// TestBreachDisproportionateEffortNeedsPublicCommunication: under Art.
// 34(3)(c) a public communication or similar measure replaces the
// individual one; until it is recorded, the breach stays overdue.
func TestBreachDisproportionateEffortNeedsPublicCommunication(t *testing.T) {
	ctx := context.Background()
	c := &clock{now: t0}
	reg := newBreachRegister(t, breach.NewMemoryStore(), c, 0, nil)
	b, err := reg.Report(ctx, withContact(lostLaptop()))
	require.NoError(t, err)
	_, err = reg.Exempt(ctx, b.ID, breach.Exemption{Ground: breach.DisproportionateEffort, Reason: "no contact details kept"})
	require.NoError(t, err)
	c.Advance(30 * 24 * time.Hour)
	assert.Equal(t, []string{b.ID}, communicationOverdue(t, reg, c.Now()))
	n, err := reg.Notify(ctx, b.ID, breach.Notification{To: breach.Public, Reference: "https://example.com/notice"})
	require.NoError(t, err)
	assert.Equal(t, c.Now(), n.PublicNotifiedAt)
	assert.Empty(t, communicationOverdue(t, reg, c.Now()))
}

// TestBreachCommunicationContent: communicating to the subjects requires
// the content of Art. 34(2): the nature, the contact point of Art.
// 33(3)(b), the likely consequences and the measures; notifying the
// authority requires the contact point (Art. 33(3)(b)).
func TestBreachCommunicationContent(t *testing.T) {
	ctx := context.Background()
	cases := map[string]struct {
		edit func(*breach.Breach)
		says string
	}{
		"no contact":      {func(b *breach.Breach) { b.Contact = gdpr.Party{} }, "Contact"},
		"no consequences": {func(b *breach.Breach) { b.Consequences = "" }, "Consequences"},
		"no measures":     {func(b *breach.Breach) { b.Measures = "" }, "Measures"},
	}
	for name, tc := range cases {
		c := &clock{now: t0}
		reg := newBreachRegister(t, breach.NewMemoryStore(), c, 0, nil)
		b := withContact(lostLaptop())
		tc.edit(&b)
		b, err := reg.Report(ctx, b)
		require.NoError(t, err, "information may come in phases (Art. 33(4))")
		_, err = reg.Notify(ctx, b.ID, breach.Notification{To: breach.Subjects})
		assert.ErrorIs(t, err, breach.ErrIncompleteNotification, name)
		assert.ErrorContains(t, err, tc.says, name)
		assert.ErrorContains(t, err, "Art. 34(2)", name)
		got, err := reg.Breach(ctx, b.ID)
		require.NoError(t, err)
		assert.Zero(t, got.SubjectsNotifiedAt, name)
	}
	c := &clock{now: t0}
	reg := newBreachRegister(t, breach.NewMemoryStore(), c, 0, nil)
	noContact := lostLaptop()
	noContact.Contact = gdpr.Party{}
	b, err := reg.Report(ctx, noContact)
	require.NoError(t, err)
	_, err = reg.Notify(ctx, b.ID, breach.Notification{To: breach.Authority})
	assert.ErrorIs(t, err, breach.ErrIncompleteNotification)
	assert.ErrorContains(t, err, "Art. 33(3)(b)")
	_, err = reg.Update(ctx, b.ID, func(b *breach.Breach) error { b.Contact = dpo; return nil })
	require.NoError(t, err)
	_, err = reg.Notify(ctx, b.ID, breach.Notification{To: breach.Authority})
	assert.NoError(t, err)
}

// TestBreachContactDefault: the log's contact point applies to a breach
// that names none.
func TestBreachContactDefault(t *testing.T) {
	ctx := context.Background()
	reg, err := breach.NewLog(breach.LogConfig{Store: breach.NewMemoryStore(), Now: func() time.Time { return t0 }, Contact: dpo})
	require.NoError(t, err)
	noContact := lostLaptop()
	noContact.Contact = gdpr.Party{}
	b, err := reg.Report(ctx, noContact)
	require.NoError(t, err)
	assert.Equal(t, dpo, b.Contact)
}
