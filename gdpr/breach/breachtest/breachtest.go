package breachtest

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/breach"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Run runs the conformance tests, each as a subtest on a new, empty store
// from open.
func Run(t *testing.T, open func(t *testing.T) breach.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, breach.Store)
	}{
		{"CreateReadUpdate", createReadUpdate},
		{"RoundTrip", roundTrip},
		{"UpdatesSerialise", updatesSerialise},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

// t0 has a nanosecond part, so that stores must keep full precision.
var t0 = time.Date(2025, 3, 10, 9, 0, 0, 123456789, time.UTC)

func createReadUpdate(t *testing.T, s breach.Store) {
	ctx := context.Background()
	b := breach.Breach{
		ID: "b1", DetectedAt: t0, AwareAt: t0.Add(time.Hour), Nature: breach.Confidentiality | breach.Availability,
		Description: "backup tape lost", Categories: []pii.Category{pii.Email}, Subjects: 100, Records: 250,
		Risk: breach.RiskHigh, Deadline: t0.Add(73 * time.Hour),
	}
	require.NoError(t, s.CreateBreach(ctx, b))
	assert.ErrorIs(t, s.CreateBreach(ctx, b), breach.ErrBreachExists)

	got, err := s.Breach(ctx, "b1")
	require.NoError(t, err)
	assertSameBreach(t, b, got)
	_, err = s.Breach(ctx, "nope")
	assert.ErrorIs(t, err, breach.ErrUnknownBreach)

	updated, err := s.UpdateBreach(ctx, "b1", func(b *breach.Breach) error {
		b.Measures = "keys rotated"
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, "keys rotated", updated.Measures)
	boom := errors.New("boom")
	_, err = s.UpdateBreach(ctx, "b1", func(b *breach.Breach) error {
		b.Measures = "lost"
		return boom
	})
	assert.ErrorIs(t, err, boom)
	got, err = s.Breach(ctx, "b1")
	require.NoError(t, err)
	assert.Equal(t, "keys rotated", got.Measures, "a failed update changes nothing")
	_, err = s.UpdateBreach(ctx, "nope", func(*breach.Breach) error { return nil })
	assert.ErrorIs(t, err, breach.ErrUnknownBreach)

	require.NoError(t, s.CreateBreach(ctx, breach.Breach{ID: "b2", Nature: breach.Integrity, Description: "x"}))
	all, err := s.Breaches(ctx)
	require.NoError(t, err)
	assert.Len(t, all, 2)
}

// roundTrip stores a breach with every field set, notifications included,
// and reads it back through Breach, UpdateBreach and Breaches.
func roundTrip(t *testing.T, s breach.Store) {
	ctx := context.Background()
	b := breach.Breach{
		ID: "full", DetectedAt: t0, AwareAt: t0.Add(time.Hour), OccurredAt: t0.Add(-time.Hour),
		Nature: breach.Integrity, Description: "records altered", Categories: []pii.Category{pii.Email, pii.Health},
		Subjects: 3, Records: 7, Consequences: "wrong invoices", Measures: "restored from backup",
		Risk: breach.RiskHigh, Deadline: t0.Add(73 * time.Hour),
		AuthorityNotifiedAt: t0.Add(80 * time.Hour), AuthorityRef: "LfDI-17", DelayReason: "forensics",
		SubjectsNotifiedAt: t0.Add(81 * time.Hour), CommunicationDeadline: t0.Add(73 * time.Hour),
		Contact:          gdpr.Party{Name: "DPO", Contact: "dpo@example.com"},
		Exemption:        breach.Exemption{Ground: breach.DisproportionateEffort, Reason: "no addresses", At: t0.Add(2 * time.Hour)},
		PublicNotifiedAt: t0.Add(82 * time.Hour),
		Notifications: []breach.Notification{
			{To: breach.Authority, At: t0.Add(80 * time.Hour), Reference: "LfDI-17", DelayReason: "forensics"},
			{To: breach.Subjects, At: t0.Add(81 * time.Hour)},
		},
	}
	require.NoError(t, s.CreateBreach(ctx, b))
	got, err := s.Breach(ctx, "full")
	require.NoError(t, err)
	assertSameBreach(t, b, got)
	got, err = s.UpdateBreach(ctx, "full", func(got *breach.Breach) error {
		assertSameBreach(t, b, *got)
		return nil
	})
	require.NoError(t, err)
	assertSameBreach(t, b, got)
	all, err := s.Breaches(ctx)
	require.NoError(t, err)
	require.Len(t, all, 1)
	assertSameBreach(t, b, all[0])
}

// updatesSerialise runs concurrent read-modify-write updates and expects
// none to be lost.
func updatesSerialise(t *testing.T, s breach.Store) {
	ctx := context.Background()
	require.NoError(t, s.CreateBreach(ctx, breach.Breach{ID: "b", Nature: breach.Integrity, Description: "x"}))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 5 {
				_, err := s.UpdateBreach(ctx, "b", func(b *breach.Breach) error { b.Records++; return nil })
				assert.NoError(t, err)
			}
		})
	}
	wg.Wait()
	b, err := s.Breach(ctx, "b")
	require.NoError(t, err)
	assert.Equal(t, 20, b.Records)
}

// assertSameBreach compares times with Equal, so that a store may return
// them in another location.
func assertSameBreach(t *testing.T, want, got breach.Breach) {
	t.Helper()
	for _, p := range []struct{ w, g *time.Time }{
		{&want.DetectedAt, &got.DetectedAt}, {&want.AwareAt, &got.AwareAt}, {&want.Deadline, &got.Deadline},
		{&want.OccurredAt, &got.OccurredAt}, {&want.AuthorityNotifiedAt, &got.AuthorityNotifiedAt}, {&want.SubjectsNotifiedAt, &got.SubjectsNotifiedAt},
		{&want.CommunicationDeadline, &got.CommunicationDeadline}, {&want.PublicNotifiedAt, &got.PublicNotifiedAt},
		{&want.Exemption.At, &got.Exemption.At},
	} {
		assert.True(t, p.w.Equal(*p.g), "%v != %v", *p.w, *p.g)
		*p.g = *p.w
	}
	if assert.Len(t, got.Notifications, len(want.Notifications)) {
		got.Notifications = slices.Clone(got.Notifications)
		for i := range want.Notifications {
			assert.True(t, want.Notifications[i].At.Equal(got.Notifications[i].At), "Notifications[%d].At", i)
			got.Notifications[i].At = want.Notifications[i].At
		}
	}
	assert.Equal(t, want, got)
}
