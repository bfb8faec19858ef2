package breach_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/breach"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// consentMap is an in-test ConsentReader: the state per subject and purpose.
// contracts is an in-test contract hook: the subjects with a contract.
var t0 = time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)

// clock is an injectable clock that tests move by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// purposes holds one valid purpose per lawful basis, a direct-marketing
// purpose per basis that allows it, a storage purpose, a legal-claims
// purpose and a health purpose on explicit consent.
func newTokenizer(t testing.TB) *pii.Tokenizer {
	t.Helper()
	h, err := pii.NewTokenKey()
	require.NoError(t, err)
	tok, err := pii.NewTokenizer(h)
	require.NoError(t, err)
	return tok
}

// fixture is a Guard over in-memory stores with a journal.
// entries reads the whole journal.
func entries(t testing.TB, j *audit.Journal) []audit.Entry {
	t.Helper()
	var out []audit.Entry
	for e, err := range j.Entries(context.Background(), 0) {
		require.NoError(t, err)
		out = append(out, e)
	}
	return out
}

func newJournal(t testing.TB, s audit.Store, tok *pii.Tokenizer, c *clock) *audit.Journal {
	t.Helper()
	j, err := audit.NewJournal(audit.JournalConfig{Store: s, Tokenizer: tok, Actor: "svc:shop", Now: c.Now})
	require.NoError(t, err)
	return j
}

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
