package gdpr_test

import (
	"context"
	"errors"
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
type contracts struct {
	mu   sync.RWMutex
	with map[string]bool
	err  error
}

func (c *contracts) hook(_ context.Context, subject, _ string) (bool, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.with[subject], c.err
}

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
// purpose, one protecting others, one of important public interest and a
// health purpose on explicit consent.
func purposes() []gdpr.Purpose {
	base := func(id string, b gdpr.Basis) gdpr.Purpose {
		return gdpr.Purpose{
			ID: id, Name: id, Basis: b,
			Categories:   []pii.Category{pii.Email, pii.Name},
			DataSubjects: []string{"customers"},
			Retention:    "P1Y",
		}
	}
	li := func(p gdpr.Purpose) gdpr.Purpose { p.BalancingTest = "LIA-2025-01"; return p }
	dm := func(p gdpr.Purpose) gdpr.Purpose { p.DirectMarketing = true; return p }
	storage := base("archive", gdpr.LegalObligation)
	storage.Storage = true
	claims := li(base("claims", gdpr.LegitimateInterests))
	claims.LegalClaims = true
	others := li(base("safety", gdpr.LegitimateInterests))
	others.ProtectsOthers = true
	public := base("registry", gdpr.PublicTask)
	public.PublicInterest = true
	health := base("health", gdpr.Contract)
	health.Categories = []pii.Category{pii.Health}
	health.Condition = gdpr.ExplicitConsent
	return []gdpr.Purpose{
		base("newsletter", gdpr.Consent),
		base("billing", gdpr.Contract),
		base("tax", gdpr.LegalObligation),
		base("emergency", gdpr.VitalInterests),
		base("census", gdpr.PublicTask),
		li(base("fraud", gdpr.LegitimateInterests)),
		dm(base("offers", gdpr.Consent)),
		dm(li(base("postal-ads", gdpr.LegitimateInterests))),
		storage, claims, others, public, health,
	}
}

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
type fixture struct {
	guard     *gdpr.Guard
	consent   *consentMap
	contracts *contracts
	store     *gdpr.MemoryStore
	journal   *audit.Journal
	clock     *clock
}

func newFixture(t testing.TB, journalAllowed bool) *fixture {
	t.Helper()
	f := &fixture{
		consent:   newConsentMap(),
		contracts: &contracts{with: map[string]bool{}},
		store:     gdpr.NewMemoryStore(),
		clock:     &clock{now: t0},
	}
	var err error
	f.journal, err = audit.NewJournal(audit.JournalConfig{
		Store: audit.NewMemoryStore(), Tokenizer: newTokenizer(t), Actor: "svc:test", Now: f.clock.Now,
	})
	require.NoError(t, err)
	f.guard, err = gdpr.NewGuard(gdpr.GuardConfig{
		Register:       newRegister(t, purposes()...),
		Consent:        f.consent,
		Contract:       f.contracts.hook,
		Objections:     f.store,
		Restrictions:   f.store,
		Journal:        f.journal,
		JournalAllowed: journalAllowed,
		Now:            f.clock.Now,
	})
	require.NoError(t, err)
	return f
}

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

var errStore = errors.New("store offline")
