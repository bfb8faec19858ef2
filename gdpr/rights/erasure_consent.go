package rights

import (
	"context"
	"fmt"

	"github.com/gdprkit/gdprkit/consent"
)

// ConsentWithdrawer withdraws every consent a subject has given, as an
// erasure must: WithdrawAll records a withdrawal for each purpose whose
// consent is granted and returns the events recorded, none (and no error)
// when nothing is granted. *consent.Ledger implements it.
type ConsentWithdrawer interface {
	WithdrawAll(ctx context.Context, r consent.Act) ([]consent.Event, error)
}

// ConsentSource is the Source of the withdrawals an erasure records in the
// consent ledger, by consent.MethodSystem.
const ConsentSource = "gdpr/erasure"

// consentStep names the consent ledger's step in Request.Consents and in
// the journal.
const consentStep = "consent-ledger"

// withdrawConsents is the erasure's consent step: it withdraws every
// consent the subject has given, so that the Guard denies consent-based
// processing from then on. It runs whatever the exemptions: an exception
// of Art. 17(3) lets the controller keep data for that exception's
// purpose, not go on processing it on the consent of a subject who asked
// for erasure. A withdrawal that finds nothing granted is done: a step
// that is tried again after a withdrawal was recorded (and the run stopped
// before it was stored) withdraws nothing more.
func (u *run) withdrawConsents(ctx context.Context) error {
	if u.rt.consents == nil || u.current(KindRequestConsent, consentStep).settled() {
		return nil
	}
	subject := u.req.Subject
	_, err := u.tryCounting(ctx, KindRequestConsent, consentStep, func(ctx context.Context) (int, error) {
		events, err := u.rt.consents.WithdrawAll(ctx, consent.Act{Subject: subject, Method: consent.MethodSystem, Source: ConsentSource})
		if err != nil {
			return len(events), fmt.Errorf("consent ledger: withdraw all: %w", err)
		}
		return len(events), nil
	})
	return err
}
