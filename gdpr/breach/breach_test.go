package breach_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/breach"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newBreachRegister(t *testing.T, s breach.Store, c *clock, deadline time.Duration, j *audit.Journal) *breach.Log {
	t.Helper()
	r, err := breach.NewLog(breach.LogConfig{Store: s, Deadline: deadline, Now: c.Now, Journal: j})
	require.NoError(t, err)
	return r
}

func lostLaptop() breach.Breach {
	return breach.Breach{
		Nature: breach.Confidentiality, Description: "unencrypted laptop stolen",
		Categories: []pii.Category{pii.Email, pii.Health}, Subjects: 40, Records: 120,
		Consequences: "disclosure of health data", Measures: "remote wipe requested", Risk: breach.RiskHigh,
		Contact: gdpr.Party{Name: "Data Protection Officer", Contact: "dpo@example.com"},
	}
}

// TestBreachClock moves an injected clock across the 72-hour deadline.
func TestBreachClock(t *testing.T) {
	ctx := context.Background()
	c := &clock{now: t0}
	reg := newBreachRegister(t, breach.NewMemoryStore(), c, 0, nil)

	b, err := reg.Report(ctx, lostLaptop())
	require.NoError(t, err)
	assert.Regexp(t, `^breach-[0-9a-f]{16}$`, b.ID)
	assert.Equal(t, t0, b.DetectedAt)
	assert.Equal(t, t0, b.AwareAt, "aware when detected, unless said otherwise")
	assert.Equal(t, t0.Add(72*time.Hour), b.Deadline)
	assert.True(t, b.NotifyAuthority())
	assert.True(t, b.NotifySubjects(), "high risk: the subjects must be told")

	overdue := func(at time.Time) []string {
		list, err := reg.Overdue(ctx, at)
		require.NoError(t, err)
		ids := []string{}
		for _, b := range list {
			ids = append(ids, b.ID)
		}
		return ids
	}
	assert.Empty(t, overdue(t0.Add(71*time.Hour)))
	assert.Empty(t, overdue(t0.Add(72*time.Hour)), "due at the deadline, not yet late")
	assert.Equal(t, []string{b.ID}, overdue(t0.Add(72*time.Hour+time.Second)))

	c.Advance(80 * time.Hour)
	_, err = reg.Notify(ctx, b.ID, breach.Notification{To: breach.Authority, Reference: "LfDI-2025-17"})
	assert.ErrorIs(t, err, breach.ErrNoDelayReason, "late without reasons (Art. 33(1))")
	assert.ErrorContains(t, err, b.ID)
	assert.Equal(t, []string{b.ID}, overdue(c.Now()), "the refused notification changed nothing")

	n, err := reg.Notify(ctx, b.ID, breach.Notification{To: breach.Authority, Reference: "LfDI-2025-17", DelayReason: "forensics took four days"})
	require.NoError(t, err)
	assert.Equal(t, t0.Add(80*time.Hour), n.AuthorityNotifiedAt)
	assert.Equal(t, "forensics took four days", n.DelayReason)
	assert.Empty(t, overdue(c.Now()))

	n, err = reg.Notify(ctx, b.ID, breach.Notification{To: breach.Subjects})
	require.NoError(t, err)
	assert.Equal(t, c.Now(), n.SubjectsNotifiedAt)
	_, err = reg.Notify(ctx, b.ID, breach.Notification{})
	assert.ErrorIs(t, err, breach.ErrInvalidBreach)
	_, err = reg.Notify(ctx, "nope", breach.Notification{To: breach.Subjects})
	assert.ErrorIs(t, err, breach.ErrUnknownBreach)
}

func TestBreachDeadlineConfigurableAndRisk(t *testing.T) {
	ctx := context.Background()
	c := &clock{now: t0}
	reg := newBreachRegister(t, breach.NewMemoryStore(), c, 24*time.Hour, nil)

	aware := lostLaptop()
	aware.DetectedAt = t0.Add(-10 * time.Hour)
	aware.AwareAt = t0.Add(-2 * time.Hour)
	aware.Risk = breach.RiskLikely
	a, err := reg.Report(ctx, aware)
	require.NoError(t, err)
	assert.Equal(t, t0.Add(22*time.Hour), a.Deadline, "the clock starts at awareness")
	assert.False(t, a.NotifySubjects())

	unlikely := lostLaptop()
	unlikely.Risk = breach.RiskUnlikely
	u, err := reg.Report(ctx, unlikely)
	require.NoError(t, err)
	assert.False(t, u.NotifyAuthority(), "documented, not notified")

	unassessed := lostLaptop()
	unassessed.Risk = breach.RiskUnassessed
	unassessed.ID = "inc-42"
	n, err := reg.Report(ctx, unassessed)
	require.NoError(t, err)
	assert.True(t, n.NotifyAuthority(), "not assessed counts as notifiable")

	list, err := reg.Overdue(ctx, t0.Add(25*time.Hour))
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, a.ID, list[0].ID, "longest overdue first")
	assert.Equal(t, "inc-42", list[1].ID)

	// Assessing the risk as unlikely takes a breach off the list.
	_, err = reg.Update(ctx, "inc-42", func(b *breach.Breach) error {
		b.Risk = breach.RiskUnlikely
		b.Deadline = t0.Add(1000 * time.Hour) // ignored: the clock cannot be moved
		return nil
	})
	require.NoError(t, err)
	list, err = reg.Overdue(ctx, t0.Add(25*time.Hour))
	require.NoError(t, err)
	require.Len(t, list, 1)
	got, err := reg.Breach(ctx, "inc-42")
	require.NoError(t, err)
	assert.Equal(t, t0.Add(24*time.Hour), got.Deadline)

	all, err := reg.Breaches(ctx)
	require.NoError(t, err)
	assert.Len(t, all, 3)
	assert.Equal(t, a.ID, all[2].ID, "most recent awareness first")

	_, err = reg.Report(ctx, unassessed)
	assert.ErrorIs(t, err, breach.ErrBreachExists)
}

func TestBreachReportRefusesIncompleteRecords(t *testing.T) {
	ctx := context.Background()
	c := &clock{now: t0}
	reg := newBreachRegister(t, breach.NewMemoryStore(), c, 0, nil)
	cases := map[string]struct {
		edit func(*breach.Breach)
		says string
	}{
		"no nature":           {func(b *breach.Breach) { b.Nature = 0 }, "Nature"},
		"unknown nature":      {func(b *breach.Breach) { b.Nature = 8 }, "Nature"},
		"no description":      {func(b *breach.Breach) { b.Description = "" }, "Description is empty"},
		"negative count":      {func(b *breach.Breach) { b.Subjects = -1 }, "cannot be negative"},
		"aware before found":  {func(b *breach.Breach) { b.DetectedAt = t0; b.AwareAt = t0.Add(-time.Hour) }, "before DetectedAt"},
		"aware in the future": {func(b *breach.Breach) { b.DetectedAt = t0; b.AwareAt = t0.Add(time.Hour) }, "in the future"},
		"occurred after found": {func(b *breach.Breach) {
			b.DetectedAt = t0
			b.OccurredAt = t0.Add(time.Minute)
		}, "OccurredAt"},
		"unknown category": {func(b *breach.Breach) { b.Categories = []pii.Category{"user.aura"} }, `"user.aura"`},
		"id with spaces":   {func(b *breach.Breach) { b.ID = "laptop of Jane" }, "not a code"},
		"unknown risk":     {func(b *breach.Breach) { b.Risk = 9 }, "unknown Risk"},
	}
	for name, c := range cases {
		b := lostLaptop()
		c.edit(&b)
		_, err := reg.Report(ctx, b)
		assert.ErrorIs(t, err, breach.ErrInvalidBreach, name)
		assert.ErrorContains(t, err, c.says, name)
	}
	all, err := reg.Breaches(ctx)
	require.NoError(t, err)
	assert.Empty(t, all)

	_, err = breach.NewLog(breach.LogConfig{})
	assert.ErrorIs(t, err, gdpr.ErrInvalidConfig)
	_, err = breach.NewLog(breach.LogConfig{Store: breach.NewMemoryStore(), Deadline: -time.Hour})
	assert.ErrorIs(t, err, gdpr.ErrInvalidConfig)
}

// TestBreachRegisterOnSQL runs the clock on the SQL store and journals
// each step by ID only.
func TestBreachRegisterOnSQL(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		s, err := breach.NewSQLStore(ctx, db)
		require.NoError(t, err)
		c := &clock{now: t0}
		j := newJournal(t, audit.NewMemoryStore(), newTokenizer(t), c)
		reg := newBreachRegister(t, s, c, 0, j)
		b, err := reg.Report(ctx, lostLaptop())
		require.NoError(t, err)
		c.Advance(73 * time.Hour)
		list, err := reg.Overdue(ctx, c.Now())
		require.NoError(t, err)
		require.Len(t, list, 1)
		assertSameBreach(t, b, list[0])
		_, err = reg.Notify(ctx, b.ID, breach.Notification{To: breach.Authority, DelayReason: "weekend"})
		require.NoError(t, err)

		es := entries(t, j)
		require.Len(t, es, 2)
		assert.Equal(t, audit.KindBreach, es[0].Kind)
		assert.Equal(t, b.ID, es[0].Ref)
		assert.Equal(t, []string{"risk-high"}, es[0].Reasons)
		assert.Equal(t, audit.KindBreachNotified, es[1].Kind)
		assert.Equal(t, []string{"risk-high", "authority-notified"}, es[1].Reasons)
		raw, err := json.Marshal(es)
		require.NoError(t, err)
		assert.NotContains(t, string(raw), "laptop", "the description stays out of the journal")
	})
}

func TestNatureAndRiskText(t *testing.T) {
	n := breach.Confidentiality | breach.Availability
	assert.Equal(t, "confidentiality+availability", n.String())
	var back breach.Nature
	require.NoError(t, back.UnmarshalText([]byte(n.String())))
	assert.Equal(t, n, back)
	assert.ErrorContains(t, back.UnmarshalText([]byte("leak")), `"leak"`)
	var r breach.Risk
	require.NoError(t, r.UnmarshalText([]byte("high")))
	assert.Equal(t, breach.RiskHigh, r)
	assert.Error(t, r.UnmarshalText([]byte("meh")))
}

// TestBreachFollowUpKeepsFirstNotification: a follow-up to the authority
// (Art. 33(4)) after the deadline leaves the on-time first notification as
// the one that counts, and both are listed, on every store.
func TestBreachFollowUpKeepsFirstNotification(t *testing.T) {
	run := func(t *testing.T, s breach.Store) {
		ctx := context.Background()
		c := &clock{now: t0}
		j := newJournal(t, audit.NewMemoryStore(), newTokenizer(t), c)
		reg := newBreachRegister(t, s, c, 0, j)
		b, err := reg.Report(ctx, lostLaptop())
		require.NoError(t, err)

		c.Advance(48 * time.Hour)
		first := c.Now()
		_, err = reg.Notify(ctx, b.ID, breach.Notification{To: breach.Authority, Reference: "LfDI-2025-17"})
		require.NoError(t, err)

		c.Advance(72 * time.Hour) // 120 hours after awareness
		followUp := c.Now()
		n, err := reg.Notify(ctx, b.ID, breach.Notification{To: breach.Authority, Reference: "LfDI-2025-17-2"})
		require.NoError(t, err, "a follow-up needs no delay reason")
		assert.True(t, first.Equal(n.AuthorityNotifiedAt), "the first notification counts: %v", n.AuthorityNotifiedAt)
		assert.Equal(t, "LfDI-2025-17", n.AuthorityRef)
		assert.Empty(t, n.DelayReason)
		assert.False(t, n.Overdue(c.Now()))
		require.Len(t, n.Notifications, 2)
		assert.True(t, first.Equal(n.Notifications[0].At))
		assert.Equal(t, "LfDI-2025-17", n.Notifications[0].Reference)
		assert.True(t, followUp.Equal(n.Notifications[1].At))
		assert.Equal(t, "LfDI-2025-17-2", n.Notifications[1].Reference)
		assert.Equal(t, breach.Authority, n.Notifications[1].To)

		stored, err := reg.Breach(ctx, b.ID)
		require.NoError(t, err)
		assertSameBreach(t, n, stored)
		late, err := reg.Overdue(ctx, c.Now())
		require.NoError(t, err)
		assert.Empty(t, late)

		es := entries(t, j)
		require.Len(t, es, 3)
		assert.Equal(t, []string{"risk-high", "authority-notified"}, es[1].Reasons)
		assert.Equal(t, []string{"risk-high", "authority-notified", "follow-up"}, es[2].Reasons)

		// Subjects: the first communication counts too.
		_, err = reg.Notify(ctx, b.ID, breach.Notification{To: breach.Subjects, At: first})
		require.NoError(t, err)
		n, err = reg.Notify(ctx, b.ID, breach.Notification{To: breach.Subjects})
		require.NoError(t, err)
		assert.True(t, first.Equal(n.SubjectsNotifiedAt))
		assert.Len(t, n.Notifications, 4)
	}
	t.Run("memory", func(t *testing.T) { run(t, breach.NewMemoryStore()) })
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		s, err := breach.NewSQLStore(context.Background(), db)
		require.NoError(t, err)
		run(t, s)
	})
}

// TestBreachNotifyRefusesImpossibleTimes: a notification before awareness
// or in the future is refused and changes nothing.
func TestBreachNotifyRefusesImpossibleTimes(t *testing.T) {
	ctx := context.Background()
	c := &clock{now: t0}
	reg := newBreachRegister(t, breach.NewMemoryStore(), c, 0, nil)
	b, err := reg.Report(ctx, lostLaptop())
	require.NoError(t, err)
	c.Advance(time.Hour)

	for _, to := range []breach.Audience{breach.Authority, breach.Subjects} {
		_, err = reg.Notify(ctx, b.ID, breach.Notification{To: to, At: t0.Add(-time.Minute)})
		assert.ErrorIs(t, err, breach.ErrInvalidBreach)
		assert.ErrorContains(t, err, "before AwareAt")
		_, err = reg.Notify(ctx, b.ID, breach.Notification{To: to, At: c.Now().Add(time.Minute)})
		assert.ErrorIs(t, err, breach.ErrInvalidBreach)
		assert.ErrorContains(t, err, "in the future")
	}
	got, err := reg.Breach(ctx, b.ID)
	require.NoError(t, err)
	assert.Zero(t, got.AuthorityNotifiedAt)
	assert.Zero(t, got.SubjectsNotifiedAt)
	assert.Empty(t, got.Notifications)

	n, err := reg.Notify(ctx, b.ID, breach.Notification{To: breach.Authority, At: t0})
	require.NoError(t, err, "at awareness is allowed")
	assert.Equal(t, t0, n.AuthorityNotifiedAt)
}
