package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/pii"
)

// guard declares a purpose per lawful basis and asks the Guard before each
// processing: an allowed call, a denied one with its reason, and an
// objection that takes effect at once.
func (t *tour) askFirst() error {
	heading("Ask before processing: purposes, the Guard, the audit journal")
	customers := []string{"customers"}
	register, err := gdpr.NewRegister(gdpr.RegisterConfig{Controller: gdpr.Party{Name: "Example Shop GmbH", Contact: "privacy@shop.example"}},
		gdpr.Purpose{ID: "newsletter", Name: "Newsletter", Basis: gdpr.Consent, DirectMarketing: true,
			Categories: []pii.Category{pii.Email, pii.Name}, DataSubjects: customers, Retention: "P2Y"},
		gdpr.Purpose{ID: "orders", Name: "Order handling", Basis: gdpr.Contract,
			Categories: []pii.Category{pii.Name, pii.Email, pii.Address}, DataSubjects: customers, Retention: "P6M"},
		gdpr.Purpose{ID: "invoices", Name: "Bookkeeping", Basis: gdpr.LegalObligation, Storage: true,
			Categories: []pii.Category{pii.Name, pii.Billing}, DataSubjects: customers, Retention: "P10Y"},
		gdpr.Purpose{ID: "recall", Name: "Safety recalls", Basis: gdpr.VitalInterests,
			Categories: []pii.Category{pii.Email, pii.Phone}, DataSubjects: customers, Retention: "P5Y"},
		gdpr.Purpose{ID: "tax-audit", Name: "Answers to the tax office", Basis: gdpr.PublicTask,
			Categories: []pii.Category{pii.Name, pii.Billing}, DataSubjects: customers, Retention: "P1Y"},
		gdpr.Purpose{ID: "fraud", Name: "Fraud prevention", Basis: gdpr.LegitimateInterests, BalancingTest: "LIA-2026-01",
			Categories: []pii.Category{pii.IPAddress}, DataSubjects: customers, Retention: "P90D"},
	)
	if err != nil {
		return err
	}
	journalStore, err := audit.NewSQLStore(t.ctx, t.db)
	if err != nil {
		return err
	}
	journal, err := audit.NewJournal(audit.JournalConfig{Store: journalStore, Tokenizer: t.tokens, Actor: "svc:shop", Now: t.clock})
	if err != nil {
		return err
	}
	store, err := gdpr.NewSQLStore(t.ctx, t.db)
	if err != nil {
		return err
	}
	guard, err := gdpr.NewGuard(gdpr.GuardConfig{
		Register: register, Consent: t.ledger, Objections: store, Restrictions: store, Journal: journal, Now: t.clock,
		Contract: func(ctx context.Context, subject, purpose string) (bool, error) { return subject == "cus_1815", nil },
	})
	if err != nil {
		return err
	}
	t.register, t.journal, t.guard = register, journal, guard
	for _, p := range register.Purposes() {
		fmt.Printf("   purpose %-10s basis %s\n", p.ID, p.Basis.Article())
	}

	if _, err := t.ledger.Grant(t.ctx, consent.Act{Subject: "cus_1815", Purposes: []string{"newsletter"},
		Notice: "2026-02", Method: consent.MethodCheckbox, Source: "web/preferences"}); err != nil {
		return err
	}
	d, err := guard.Allow(t.ctx, "cus_1815", "newsletter")
	fmt.Printf("   newsletter for cus_1815: allowed=%v (%s, %s)\n", d.Allowed, d.Reason.Text(), d.Basis.Article())
	if err != nil {
		return err
	}
	_, err = guard.Allow(t.ctx, "cus_2001", "orders")
	fmt.Printf("   orders for cus_2001: no lawful basis=%v: %v\n", errors.Is(err, gdpr.ErrNoLawfulBasis), err)

	if err := guard.Object(t.ctx, gdpr.Objection{Subject: "cus_1815", Purpose: gdpr.AllDirectMarketing}); err != nil {
		return err
	}
	_, err = guard.Allow(t.ctx, "cus_1815", "newsletter")
	fmt.Printf("   after an Art. 21(3) objection: objected=%v: %v\n", errors.Is(err, gdpr.ErrObjected), err)

	var record, csv countingWriter
	if err := register.Record().WriteJSON(&record); err != nil {
		return err
	}
	if err := register.Record().WriteCSV(&csv); err != nil {
		return err
	}
	fmt.Printf("   Art. 30 record: %d bytes of JSON, %d of CSV\n", record.n, csv.n)
	return nil
}

type countingWriter struct{ n int }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += len(p); return len(p), nil }
