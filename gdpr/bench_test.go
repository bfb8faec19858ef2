package gdpr_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
)

// handwritten is the same decision as the Guard's for a consent-based
// purpose, coded by hand over plain maps: the purpose is known, the subject
// is not restricted, and consent was granted and has not expired at now.
// One lock guards the maps, as it must in a service that changes them.
type handwritten struct {
	mu         sync.RWMutex
	purposes   map[string]gdpr.Basis
	restricted map[string]bool
	consents   map[[2]string]handConsent
}

type handConsent struct {
	granted bool
	expires time.Time
}

func (h *handwritten) allow(subject, purpose string) bool {
	now := time.Now()
	h.mu.RLock()
	defer h.mu.RUnlock()
	if _, ok := h.purposes[purpose]; !ok || h.restricted[subject] {
		return false
	}
	c := h.consents[[2]string{subject, purpose}]
	return c.granted && (c.expires.IsZero() || now.Before(c.expires))
}

// BenchmarkGuardAllow measures an allowed call for a consent-based purpose
// on in-memory stores, with allowed decisions not journalled, against the
// hand-written decision. "guard-journalled" shows what journalling every
// allowed decision costs.
func BenchmarkGuardAllow(b *testing.B) {
	ctx := context.Background()
	b.Run("guard", func(b *testing.B) {
		g := benchGuard(b, false)
		b.ReportAllocs()
		for b.Loop() {
			if d, err := g.Allow(ctx, "user-42", "newsletter"); err != nil || !d.Allowed {
				b.Fatal(d, err)
			}
		}
	})
	b.Run("handwritten", func(b *testing.B) {
		h := &handwritten{
			purposes:   map[string]gdpr.Basis{},
			restricted: map[string]bool{"user-7": true},
			consents:   map[[2]string]handConsent{{"user-42", "newsletter"}: {granted: true}},
		}
		for _, p := range purposes() {
			h.purposes[p.ID] = p.Basis
		}
		b.ReportAllocs()
		for b.Loop() {
			if !h.allow("user-42", "newsletter") {
				b.Fatal("denied")
			}
		}
	})
	b.Run("guard-journalled", func(b *testing.B) {
		g := benchGuard(b, true)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := g.Allow(ctx, "user-42", "newsletter"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// statusMap is a ConsentReader over precomputed statuses: the cost of the
// consent lookup itself, like the hand-written map.
type statusMap struct {
	mu       sync.RWMutex
	statuses map[[2]string]consent.Status
}

func (m *statusMap) Status(_ context.Context, subject, purpose string, _ time.Time) (consent.Status, error) {
	m.mu.RLock()
	st := m.statuses[[2]string{subject, purpose}]
	m.mu.RUnlock()
	return st, nil
}

func benchGuard(b *testing.B, journalAllowed bool) *gdpr.Guard {
	cm := &statusMap{statuses: map[[2]string]consent.Status{
		{"user-42", "newsletter"}: {Subject: "user-42", Purpose: "newsletter", State: consent.Granted, Since: t0, Notice: "v1"},
	}}
	store := gdpr.NewMemoryStore()
	if err := store.AddRestriction(context.Background(), gdpr.Restriction{Subject: "user-7", Ground: gdpr.Accuracy}); err != nil {
		b.Fatal(err)
	}
	j, err := audit.NewJournal(audit.JournalConfig{Store: audit.NewMemoryStore(), Tokenizer: newTokenizer(b)})
	if err != nil {
		b.Fatal(err)
	}
	g, err := gdpr.NewGuard(gdpr.GuardConfig{
		Register: newRegister(b, purposes()...), Consent: cm, Contract: (&contracts{}).hook,
		Objections: store, Restrictions: store, Journal: j, JournalAllowed: journalAllowed,
	})
	if err != nil {
		b.Fatal(err)
	}
	return g
}
