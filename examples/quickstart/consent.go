package main

import (
	"fmt"
	"time"

	"github.com/gdprkit/gdprkit/consent"
)

// consent records a consent, withdraws it, and asks for its status at two
// instants.
func (t *tour) recordConsent() error {
	heading("Consent: a provable, append-only ledger")
	ledger := t.kit.Ledger()
	granted := t.now
	if _, err := t.kit.Ledger().Grant(t.ctx, consent.Act{Subject: "cus_1815", Purposes: []string{"newsletter"},
		Notice: "2026-01", Method: consent.MethodCheckbox, Source: "web/signup"}); err != nil {
		return err
	}
	t.now = t.now.Add(48 * time.Hour)
	if _, err := t.kit.Ledger().Withdraw(t.ctx, consent.Act{Subject: "cus_1815", Purposes: []string{"newsletter"},
		Method: consent.MethodForm, Source: "web/preferences"}); err != nil {
		return err
	}
	for _, at := range []time.Time{granted.Add(time.Hour), t.now.Add(time.Hour)} {
		st, err := ledger.Status(t.ctx, "cus_1815", "newsletter", at)
		if err != nil {
			return err
		}
		fmt.Printf("   newsletter at %s: %s since %s\n", at.Format(time.DateTime), st.State, st.Since.Format(time.DateTime))
	}
	return nil
}
