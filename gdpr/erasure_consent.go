package gdpr

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
	WithdrawAll(ctx context.Context, r consent.Record) ([]consent.Event, error)
}

// ConsentSource is the Source of the withdrawals an erasure records in the
// consent ledger, by consent.MethodSystem.
const ConsentSource = "gdpr/erasure"

// consentStep names the consent ledger's step in Request.Consents and in
// the journal.
const consentStep = "consent-ledger"

// withdrawConsents is the erasure's consent step: unless the subject's data
// is kept as a whole, it withdraws every consent the subject has given, so
// that the Guard denies consent-based processing from then on. A
// withdrawal that finds nothing granted is done: a step that is tried
// again after a withdrawal was recorded (and the run stopped before it was
// stored) withdraws nothing more.
func (u *run) withdrawConsents(ctx context.Context, undecided map[string]bool) error {
	if u.rt.consents == nil || u.current(KindRequestConsent, consentStep).settled() {
		return nil
	}
	ex, kept, wait := u.consentsKept(undecided)
	switch {
	case wait:
		return nil
	case kept:
		return u.settle(ctx, KindRequestConsent, consentStep, StepExempt, &ex)
	}
	subject := u.req.Subject
	_, err := u.tryCounting(ctx, KindRequestConsent, consentStep, func(ctx context.Context) (int, error) {
		events, err := u.rt.consents.WithdrawAll(ctx, consent.Record{Subject: subject, Method: consent.MethodSystem, Source: ConsentSource})
		if err != nil {
			return len(events), fmt.Errorf("consent ledger: withdraw all: %w", err)
		}
		return len(events), nil
	})
	return err
}

// consentsKept decides whether the subject's consents stand: only when an
// exception of Art. 17(3) keeps the subject's data as a whole, that is,
// when every source is exempt (kept, with the first source's exemption).
// While a source's exemption is undecided nothing is withdrawn (wait). With
// no sources nothing is exempt, and the consents are withdrawn.
func (u *run) consentsKept(undecided map[string]bool) (ex Exemption, kept, wait bool) {
	if len(undecided) > 0 {
		return Exemption{}, false, true
	}
	var first *Exemption
	for _, s := range u.rt.sources {
		st := u.current(KindRequestSource, s.info.Name)
		if st.State != StepExempt || st.Exemption == nil {
			return Exemption{}, false, false
		}
		if first == nil {
			first = st.Exemption
		}
	}
	if first == nil {
		return Exemption{}, false, false
	}
	return *first, true, false
}
