package rights_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/require"
)

// consentMap is an in-test ConsentReader: the state per subject and purpose.
type consentMap struct {
	mu     sync.RWMutex
	states map[[2]string]consent.State
	err    error
}

func newConsentMap() *consentMap { return &consentMap{states: map[[2]string]consent.State{}} }

func (c *consentMap) set(subject, purpose string, s consent.State) {
	c.mu.Lock()
	c.states[[2]string{subject, purpose}] = s
	c.mu.Unlock()
}

func (c *consentMap) Status(_ context.Context, subject, purpose string, at time.Time) (consent.Status, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.err != nil {
		return consent.Status{}, c.err
	}
	st := consent.Status{Subject: subject, Purpose: purpose, At: at, State: c.states[[2]string{subject, purpose}]}
	if st.State != consent.None {
		st.Since, st.Notice = t0.Add(-time.Hour), "v1"
	}
	return st, nil
}

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
func newRegister(t testing.TB, ps ...gdpr.Purpose) *gdpr.Register {
	t.Helper()
	reg, err := gdpr.NewRegister(gdpr.RegisterConfig{
		Controller: gdpr.Party{Name: "Example Shop GmbH", Contact: "privacy@shop.example"},
		Now:        func() time.Time { return t0 },
	}, ps...)
	require.NoError(t, err)
	return reg
}

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

// guardOn returns a Guard over reg, whose purposes rest on neither consent
// nor a contract.
func guardOn(t testing.TB, reg *gdpr.Register) *gdpr.Guard {
	t.Helper()
	store := gdpr.NewMemoryStore()
	g, err := gdpr.NewGuard(gdpr.GuardConfig{Register: reg, Objections: store, Restrictions: store})
	require.NoError(t, err)
	return g
}
