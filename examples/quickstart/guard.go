package main

import (
	"errors"
	"fmt"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
)

// askFirst lists the purposes the kit registered, one per lawful basis, and
// asks the Guard before each processing: an allowed call, a denied one with
// its reason, and an objection that takes effect at once.
func (t *tour) askFirst() error {
	heading("Ask before processing: purposes, the Guard, the audit journal")
	register, guard := t.kit.Register(), t.kit.Guard()
	for _, p := range register.Purposes() {
		fmt.Printf("   purpose %-10s basis %s\n", p.ID, p.Basis.Article())
	}

	if _, err := t.kit.Ledger().Grant(t.ctx, consent.Act{Subject: "cus_1815", Purposes: []string{"newsletter"},
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
