package gdprkit

import (
	"context"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/rights"
)

// Journal kinds of consent changes. The ledger itself is the evidence;
// the journal places each change among the other events, one entry per
// purpose, whichever way it was recorded: through Kit.Ledger, an erasure
// or an expiry.
const (
	KindConsentGranted   audit.Kind = "consent.granted"
	KindConsentWithdrawn audit.Kind = "consent.withdrawn"
	KindConsentExpired   audit.Kind = "consent.expired"
)

var consentKinds = map[consent.EventKind]audit.Kind{
	consent.Grant:      KindConsentGranted,
	consent.Withdrawal: KindConsentWithdrawn,
	consent.Expiry:     KindConsentExpired,
}

// journalConsent is the ledger's observer.
func (k *Kit) journalConsent(ctx context.Context, events []consent.Event) error {
	for _, e := range events {
		if _, err := k.journal.Record(ctx, audit.Event{Kind: consentKinds[e.Kind], Subject: e.Subject, Purpose: e.Purpose, Outcome: audit.OutcomeDone}); err != nil {
			return err
		}
	}
	return nil
}

// SourceConsentHistory names the source the kit registers with the Desk:
// the subject's consent history, so that every access export carries it.
const SourceConsentHistory = "consent-history"

// consentHistory is the consent ledger as a rights.Source.
type consentHistory struct {
	ledger   *consent.Ledger
	purposes []string
}

// newConsentHistory returns the source over the purposes that rest on
// consent; none when no purpose does.
func newConsentHistory(l *consent.Ledger, reg *gdpr.Register) (rights.Source, bool) {
	h := consentHistory{ledger: l}
	for _, p := range reg.Purposes() {
		if p.Basis == gdpr.Consent || p.Condition == gdpr.ExplicitConsent {
			h.purposes = append(h.purposes, p.ID)
		}
	}
	return h, len(h.purposes) > 0
}

func (h consentHistory) Describe() rights.SourceInfo {
	return rights.SourceInfo{Name: SourceConsentHistory, Description: "the consents you gave and withdrew, as you gave and withdrew them",
		Purposes: h.purposes}
}

func (h consentHistory) Export(ctx context.Context, subject string, emit func(any) error) error {
	events, err := h.ledger.History(ctx, subject, "")
	if err != nil {
		return err
	}
	for i := range events {
		if err := emit(&events[i]); err != nil {
			return err
		}
	}
	return nil
}

// Erase leaves the append-only ledger in place: the erasure withdraws every
// consent and shreds the proofs' personal details (NamespaceConsent); the
// events that remain are the controller's evidence (Art. 7(1)).
func (h consentHistory) Erase(context.Context, string) error { return nil }
