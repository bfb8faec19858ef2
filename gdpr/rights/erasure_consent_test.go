package rights_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/retention"
)

// *consent.Ledger is the ConsentWithdrawer an application passes.
var _ rights.ConsentWithdrawer = (*consent.Ledger)(nil)

// consentFixture is the erasure fixture with a real consent ledger (memory
// store) that both the Guard and Rights use, on the fixture's clock.
type consentFixture struct {
	*erasureFixture
	ledger *consent.Ledger
	guard  *gdpr.Guard // reads the ledger; shadows the fixture's own
}

// newConsentFixture wires the ledger as the Guard's ConsentReader and, as
// withdraw returns it (the ledger itself when withdraw is nil), as
// DeskConfig.Consents.
func newConsentFixture(t *testing.T, withdraw func(*consent.Ledger) rights.ConsentWithdrawer, edit func(*rights.DeskConfig)) *consentFixture {
	f := &consentFixture{}
	f.erasureFixture = newErasureFixture(t, func(c *rights.DeskConfig) {
		var err error
		f.ledger, err = consent.New(consent.LedgerConfig{Store: consent.NewMemoryStore(), Now: c.Now})
		require.NoError(t, err)
		guardStore := gdpr.NewMemoryStore()
		f.guard, err = gdpr.NewGuard(gdpr.GuardConfig{
			Register: c.Register, Consent: f.ledger, Objections: guardStore, Restrictions: guardStore,
			Journal: c.Journal, Now: c.Now,
			Contract: func(context.Context, string, string) (bool, error) { return true, nil },
		})
		require.NoError(t, err)
		c.Guard, c.Consents = f.guard, f.ledger
		if withdraw != nil {
			c.Consents = withdraw(f.ledger)
		}
		if edit != nil {
			edit(c)
		}
	})
	return f
}

// grant records the subject's consent to purposes through a form.
func (f *consentFixture) grant(t *testing.T, subject string, purposes ...string) {
	t.Helper()
	_, err := f.ledger.Grant(context.Background(), consent.Act{Subject: subject, Purposes: purposes,
		Notice: "v1", Method: consent.MethodForm, Source: "web/signup"})
	require.NoError(t, err)
}

// systemWithdrawals returns the withdrawals an erasure recorded for the
// subject, by purpose.
func (f *consentFixture) systemWithdrawals(t *testing.T, subject string) []string {
	t.Helper()
	history, err := f.ledger.History(context.Background(), subject, "")
	require.NoError(t, err)
	var out []string
	for _, e := range history {
		if e.Kind == consent.Withdrawal && e.Method == consent.MethodSystem && e.Source == rights.ConsentSource {
			out = append(out, e.Purpose)
		}
	}
	return out
}

// consentTries returns the journal's entries of the consent step: the
// outcome and the reasons after the right.
func consentTries(t *testing.T, j *audit.Journal) []string {
	var out []string
	for _, e := range entries(t, j) {
		if e.Kind == rights.KindRequestConsent {
			require.GreaterOrEqual(t, len(e.Reasons), 2)
			require.Equal(t, "erasure", e.Reasons[0])
			out = append(out, string(e.Outcome)+" "+strings.Join(e.Reasons[1:], " "))
		}
	}
	return out
}

// TestEraseWithdrawsConsents: consent given before an erasure lets the
// Guard allow the consent purpose; the erasure withdraws it in the same
// ledger, so the Guard denies it afterwards, the ledger's history shows a
// system withdrawal, the certificate counts it, and erasing again changes
// nothing.
func TestEraseWithdrawsConsents(t *testing.T) {
	ctx := context.Background()
	f := newConsentFixture(t, nil, nil)
	f.grant(t, "cust-1", "newsletter", "surveys")
	_, err := f.ledger.Withdraw(ctx, consent.Act{Subject: "cust-1", Purposes: []string{"surveys"}, Method: consent.MethodForm})
	require.NoError(t, err)
	f.grant(t, "cust-2", "newsletter")

	d, err := f.guard.Allow(ctx, "cust-1", "newsletter")
	require.NoError(t, err)
	require.True(t, d.Allowed)
	require.Equal(t, gdpr.ReasonConsent, d.Reason)

	f.clock.Advance(time.Hour)
	f.receive(t, rights.Request{ID: "e", Right: rights.RightErasure, Subject: "cust-1"})
	f.clock.Advance(time.Minute)
	cert, err := f.rights.Erase(ctx, "e")
	require.NoError(t, err)
	erasedAt := f.clock.Now()

	f.clock.Advance(time.Minute)
	d, err = f.guard.Allow(ctx, "cust-1", "newsletter")
	assert.False(t, d.Allowed)
	assert.Equal(t, gdpr.ReasonConsentWithdrawn, d.Reason)
	assert.ErrorIs(t, err, gdpr.ErrNoConsent)
	assert.ErrorIs(t, err, gdpr.ErrNoLawfulBasis)
	var denial *gdpr.DenialError
	assert.ErrorAs(t, err, &denial)

	st, err := f.ledger.Status(ctx, "cust-1", "newsletter", time.Time{})
	require.NoError(t, err)
	assert.Equal(t, consent.Withdrawn, st.State)
	assert.Equal(t, erasedAt, st.Since, "withdrawn when the erasure ran")
	assert.Equal(t, []string{"newsletter"}, f.systemWithdrawals(t, "cust-1"), "only what was still granted is withdrawn")
	other, err := f.guard.Allow(ctx, "cust-2", "newsletter")
	require.NoError(t, err, "another subject's consent stands")
	assert.True(t, other.Allowed)

	assert.Equal(t, []rights.Step{{Name: "consent-ledger", State: rights.StepDone, Attempts: 1, Withdrawn: 1, At: erasedAt}}, cert.Consents)
	assert.Equal(t, 1, cert.Withdrawn())
	assert.Equal(t, []string{"done consent-ledger attempt-1 withdrawn-1"}, consentTries(t, f.journal))
	var buf bytes.Buffer
	require.NoError(t, cert.WriteJSON(&buf))
	assert.Contains(t, buf.String(), `"withdrawn": 1`)
	assert.NotContains(t, buf.String(), "cust-1")

	history, err := f.ledger.History(ctx, "cust-1", "")
	require.NoError(t, err)
	journalled := len(entries(t, f.journal))
	again, err := f.rights.Erase(ctx, "e")
	require.NoError(t, err)
	assert.Equal(t, cert, again, "erasing again returns the certificate")
	after, err := f.ledger.History(ctx, "cust-1", "")
	require.NoError(t, err)
	assert.Equal(t, history, after, "and records nothing more in the ledger")
	assert.Len(t, entries(t, f.journal), journalled, "nor in the journal")
}

// TestEraseWithNoConsentsCompletes: a subject who never consented, or
// whose consents are all withdrawn, has nothing to withdraw; the step is
// done and the erasure completes.
func TestEraseWithNoConsentsCompletes(t *testing.T) {
	ctx := context.Background()
	f := newConsentFixture(t, nil, nil)
	f.receive(t, rights.Request{ID: "never", Right: rights.RightErasure, Subject: "cust-1"})
	cert, err := f.rights.Erase(ctx, "never")
	require.NoError(t, err)
	require.Len(t, cert.Consents, 1)
	assert.Equal(t, rights.StepDone, cert.Consents[0].State)
	assert.Zero(t, cert.Withdrawn())

	f.grant(t, "cust-9", "newsletter")
	_, err = f.ledger.WithdrawAll(ctx, consent.Act{Subject: "cust-9", Method: consent.MethodForm})
	require.NoError(t, err)
	f.receive(t, rights.Request{ID: "withdrawn", Right: rights.RightErasure, Subject: "cust-9"})
	cert, err = f.rights.Erase(ctx, "withdrawn")
	require.NoError(t, err)
	assert.Equal(t, rights.StepDone, cert.Consents[0].State)
	assert.Zero(t, cert.Withdrawn())
	assert.Empty(t, f.systemWithdrawals(t, "cust-9"))
	assert.Equal(t, []string{"done consent-ledger attempt-1", "done consent-ledger attempt-1"}, consentTries(t, f.journal))
}

// flakyWithdrawer fails its first calls: a ledger that is down (nothing
// recorded), or one whose answer is lost after it recorded the withdrawal.
type flakyWithdrawer struct {
	l        *consent.Ledger
	mu       sync.Mutex
	down     int // fail without recording
	lost     int // record, then fail
	recorded int // events recorded
}

func (w *flakyWithdrawer) WithdrawAll(ctx context.Context, r consent.Act) ([]consent.Event, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.down > 0 {
		w.down--
		return nil, errors.New("consent store unreachable")
	}
	events, err := w.l.WithdrawAll(ctx, r)
	w.recorded += len(events)
	if err == nil && w.lost > 0 {
		w.lost--
		err = errors.New("connection reset after commit")
	}
	return events, err
}

// TestEraseConsentWithdrawalResumes: a failing ledger leaves the step
// pending with the request in progress; the next run tries again, and a
// withdrawal that was recorded before the failure is not recorded twice.
func TestEraseConsentWithdrawalResumes(t *testing.T) {
	ctx := context.Background()
	w := &flakyWithdrawer{down: 1, lost: 1}
	f := newConsentFixture(t, func(l *consent.Ledger) rights.ConsentWithdrawer { w.l = l; return w },
		func(c *rights.DeskConfig) { c.Attempts = 1 })
	f.grant(t, "cust-1", "newsletter")
	f.receive(t, rights.Request{ID: "e", Right: rights.RightErasure, Subject: "cust-1"})

	_, err := f.rights.Erase(ctx, "e")
	var inc *rights.IncompleteError
	require.ErrorAs(t, err, &inc)
	require.Len(t, inc.Pending, 1)
	assert.Equal(t, "consent-ledger", inc.Pending[0].Name)
	assert.Contains(t, inc.Pending[0].Error, "consent store unreachable")
	assert.Empty(t, f.crm.records["cust-1"], "the other steps went on")
	_, err = f.guard.Allow(ctx, "cust-1", "newsletter")
	require.NoError(t, err, "nothing withdrawn yet")

	_, err = f.rights.Erase(ctx, "e")
	require.ErrorAs(t, err, &inc)
	r, err := f.rights.Request(ctx, "e")
	require.NoError(t, err)
	require.Len(t, r.Consents, 1)
	assert.Equal(t, rights.StepFailed, r.Consents[0].State)
	assert.Equal(t, 1, r.Consents[0].Withdrawn, "counted though the answer was lost")
	assert.Equal(t, "cust-1", r.Subject, "kept until the erasure completes")
	_, err = f.guard.Allow(ctx, "cust-1", "newsletter")
	assert.ErrorIs(t, err, gdpr.ErrNoConsent, "the recorded withdrawal holds at once")

	resumed, err := f.rights.Resume(ctx)
	require.NoError(t, err)
	require.Len(t, resumed, 1)
	assert.Equal(t, rights.RequestCompleted, resumed[0].State)
	cert, err := f.rights.Certificate(ctx, "e")
	require.NoError(t, err)
	assert.Equal(t, rights.Step{Name: "consent-ledger", State: rights.StepDone, Attempts: 3, Withdrawn: 1, At: f.clock.Now()}, cert.Consents[0])
	assert.Equal(t, []string{"newsletter"}, f.systemWithdrawals(t, "cust-1"), "withdrawn once")
	assert.Equal(t, 1, w.recorded)
	assert.Equal(t, []string{
		"failed consent-ledger attempt-1",
		"failed consent-ledger attempt-2 withdrawn-1",
		"done consent-ledger attempt-3",
	}, consentTries(t, f.journal))
}

// TestEraseWithdrawsConsentsWhateverTheExemptions: an exception of Art.
// 17(3) keeps data for its own purpose, so consents are withdrawn even when
// every source's data is kept, and even while an exemption is undecided.
func TestEraseWithdrawsConsentsWhateverTheExemptions(t *testing.T) {
	ctx := context.Background()

	t.Run("every source held", func(t *testing.T) {
		holds, err := retention.NewHolds(retention.HoldsConfig{Store: retention.NewMemoryStore(), Auditor: retention.NewMemoryAuditor(), Now: func() time.Time { return t0 }})
		require.NoError(t, err)
		f := newConsentFixture(t, nil, func(c *rights.DeskConfig) { c.Holds = holds })
		_, err = holds.Place(ctx, retention.Hold{ID: "HOLD-1", Subject: "cust-1", Reason: "lawsuit"})
		require.NoError(t, err)
		f.grant(t, "cust-1", "newsletter")
		f.receive(t, rights.Request{ID: "e", Right: rights.RightErasure, Subject: "cust-1"})
		cert, err := f.rights.Erase(ctx, "e")
		require.NoError(t, err)
		assert.Equal(t, rights.StepExempt, cert.Sources[0].State, "the held data is kept")
		require.Len(t, cert.Consents, 1)
		assert.Equal(t, rights.StepDone, cert.Consents[0].State)
		assert.Equal(t, 1, cert.Withdrawn())
		assert.Equal(t, []string{"newsletter"}, f.systemWithdrawals(t, "cust-1"))
		_, err = f.guard.Allow(ctx, "cust-1", "newsletter")
		assert.ErrorIs(t, err, gdpr.ErrNoLawfulBasis, "consent-based processing ends (the kept data serves the hold only)")
	})

	t.Run("one source retained", func(t *testing.T) {
		f := newConsentFixture(t, nil, nil)
		f.crm.retain = &rights.Exemption{Exception: rights.ExceptionLegalObligation, Ref: "HGB-257"}
		f.grant(t, "cust-1", "newsletter")
		f.receive(t, rights.Request{ID: "e", Right: rights.RightErasure, Subject: "cust-1"})
		cert, err := f.rights.Erase(ctx, "e")
		require.NoError(t, err)
		assert.Equal(t, rights.StepExempt, cert.Sources[0].State)
		assert.Equal(t, rights.StepDone, cert.Consents[0].State)
		assert.Equal(t, 1, cert.Withdrawn())
		_, err = f.guard.Allow(ctx, "cust-1", "newsletter")
		assert.ErrorIs(t, err, gdpr.ErrNoLawfulBasis)
	})

	t.Run("undecided", func(t *testing.T) {
		holds := &failingHolds{err: errors.New("hold store offline")}
		f := newConsentFixture(t, nil, func(c *rights.DeskConfig) { c.Holds = holds })
		f.grant(t, "cust-1", "newsletter")
		f.receive(t, rights.Request{ID: "e", Right: rights.RightErasure, Subject: "cust-1"})
		_, err := f.rights.Erase(ctx, "e")
		var inc *rights.IncompleteError
		require.ErrorAs(t, err, &inc, "the request waits for the holds")
		assert.Equal(t, []string{"newsletter"}, f.systemWithdrawals(t, "cust-1"), "but the consents are withdrawn at once")

		holds.err = nil
		cert, err := f.rights.Erase(ctx, "e")
		require.NoError(t, err)
		assert.Equal(t, 1, cert.Withdrawn())
		assert.Equal(t, []string{"newsletter"}, f.systemWithdrawals(t, "cust-1"), "and not twice")
	})
}

// TestReceiveIgnoresStepsPassedIn: a request handed to Receive with its
// consent step, source steps and state already filled in is stored as a
// new request; the erasure withdraws the consents and erases the sources
// all the same.
func TestReceiveIgnoresStepsPassedIn(t *testing.T) {
	ctx := context.Background()
	f := newConsentFixture(t, nil, nil)
	f.grant(t, "cust-1", "newsletter")
	done := rights.Step{State: rights.StepDone, Attempts: 1, At: t0}
	forged := rights.Request{ID: "e", Right: rights.RightErasure, Subject: "cust-1",
		State:      rights.RequestInProgress,
		VerifiedAt: t0, Due: t0, CompletedAt: t0, Refusal: "manifestly-excessive",
		Extension: &rights.Extension{Months: 2},
		Consents:  []rights.Step{func() rights.Step { s := done; s.Name = "consent-ledger"; return s }()},
		Sources:   []rights.Step{func() rights.Step { s := done; s.Name = "crm"; return s }()},
		Keys:      []rights.Step{func() rights.Step { s := done; s.Name = "app"; return s }()},
		Lease:     &rights.Lease{Owner: "someone", Until: t0.Add(time.Hour)},
	}

	r, err := f.rights.Receive(ctx, forged)
	require.NoError(t, err)
	assert.Equal(t, rights.RequestOpen, r.State)
	assert.Empty(t, r.Consents)
	assert.Empty(t, r.Sources)
	assert.Empty(t, r.Keys)
	assert.Nil(t, r.Extension)
	assert.Nil(t, r.Lease)
	assert.Empty(t, r.Refusal)
	assert.True(t, r.CompletedAt.IsZero())
	assert.True(t, r.VerifiedAt.Equal(r.ReceivedAt), "the time limit runs from receipt, not from what was passed in")
	stored, err := f.rights.Request(ctx, "e")
	require.NoError(t, err)
	assert.Empty(t, stored.Consents)
	assert.Empty(t, stored.Sources)

	cert, err := f.rights.Erase(ctx, "e")
	require.NoError(t, err)
	assert.Equal(t, []string{"newsletter"}, f.systemWithdrawals(t, "cust-1"), "the consent was withdrawn")
	assert.Equal(t, 1, cert.Withdrawn())
	assert.Equal(t, 1, f.crm.erases, "crm was asked to erase")
	assert.Equal(t, []string{"cust-1"}, f.app.erased)
	d, err := f.guard.Allow(ctx, "cust-1", "newsletter")
	assert.ErrorIs(t, err, gdpr.ErrNoConsent)
	assert.False(t, d.Allowed)
}
