package rights_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/retention"
)

// *retention.Holds is the HoldChecker an application passes.
var _ rights.HoldChecker = (*retention.Holds)(nil)

// erasureFixture has two sources, crm (namespace app) and shop (namespace
// shop), and a third namespace for consent proofs.
type erasureFixture struct {
	*rightsFixture
	crm, shop             *memSource
	app, shopNS, consentK *keyEraser
}

func newErasureFixture(t *testing.T, edit func(*rights.DeskConfig)) *erasureFixture {
	f := &erasureFixture{
		crm: newMemSource("crm", "account"), shop: newMemSource("shop", "orders"),
		app: &keyEraser{ns: "app"}, shopNS: &keyEraser{ns: "shop"}, consentK: &keyEraser{ns: "consent"},
	}
	f.crm.info.Namespace = "app"
	f.shop.info.Namespace = "shop"
	f.crm.add("cust-1", ada())
	f.shop.add("cust-1", &Order{Number: "o-1", Customer: "cust-1", Shipping: "Ockham Park"})
	f.rightsFixture = newRightsFixture(t, func(c *rights.DeskConfig) {
		c.Sources = []rights.Source{f.crm, f.shop}
		c.Namespaces = []gdpr.Namespace{{Name: "app", Keys: f.app}, {Name: "shop", Keys: f.shopNS}, {Name: "consent", Keys: f.consentK}}
		if edit != nil {
			edit(c)
		}
	})
	return f
}

// sourceTries returns the journal's erasure tries of a source: the
// outcome and attempt of each.
func sourceTries(t *testing.T, j *audit.Journal, name string) []string {
	var out []string
	for _, e := range entries(t, j) {
		if e.Kind == rights.KindRequestSource && len(e.Reasons) >= 3 && e.Reasons[0] == "erasure" && e.Reasons[1] == name {
			out = append(out, string(e.Outcome)+" "+e.Reasons[2])
		}
	}
	return out
}

// TestEraseRetriesUntilConfirmed: a source that fails twice and then
// succeeds is retried within one run; the erasure completes, nothing is
// lost, and the journal shows every try.
func TestEraseRetriesUntilConfirmed(t *testing.T) {
	ctx := context.Background()
	f := newErasureFixture(t, nil)
	f.crm.failErase = 2
	r := f.receive(t, rights.Request{ID: "e", Right: rights.RightErasure, Subject: "cust-1"})

	cert, err := f.rights.Erase(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, 3, f.crm.erases, "tried until it confirmed")
	assert.Empty(t, f.crm.records["cust-1"])
	assert.Empty(t, f.shop.records["cust-1"], "the other source too")
	assert.Equal(t, []string{"cust-1"}, f.app.erased)
	assert.Equal(t, []string{"cust-1"}, f.shopNS.erased)
	assert.Equal(t, []string{"cust-1"}, f.consentK.erased, "the consent proofs' namespace too")
	assert.Equal(t, []int{2, 3}, f.waits, "the backoff waited before the second and third try")
	assert.Equal(t, []string{"failed attempt-1", "failed attempt-2", "done attempt-3"}, sourceTries(t, f.journal, "crm"))
	assert.Equal(t, []string{"done attempt-1"}, sourceTries(t, f.journal, "shop"))

	assert.Equal(t, "e", cert.Request)
	assert.Equal(t, f.journal.Token("cust-1"), cert.SubjectToken)
	assert.Equal(t, []string{"app", "shop", "consent"}, cert.Shredded())
	require.Len(t, cert.Sources, 2)
	assert.Equal(t, rights.Step{Name: "crm", State: rights.StepDone, Attempts: 3, At: f.clock.now}, cert.Sources[0], "no failure text in a certificate")

	done, err := f.rights.Request(ctx, "e")
	require.NoError(t, err)
	assert.Equal(t, rights.RequestCompleted, done.State)
	assert.Empty(t, done.Subject, "the completed request forgets the subject's ID")
	assert.Equal(t, cert.SubjectToken, done.SubjectToken)
	assert.Nil(t, done.Lease)
}

// TestEraseResumesAfterBoundedAttempts: a source that keeps failing ends
// the run after DeskConfig.Attempts tries with the request in progress,
// its last error stored (masked), and a later Resume goes on.
func TestEraseResumesAfterBoundedAttempts(t *testing.T) {
	ctx := context.Background()
	f := newErasureFixture(t, func(c *rights.DeskConfig) { c.Attempts = 2 })
	f.crm.failErase = 3
	f.crm.eraseErr = errors.New("delete cust-1 <ada@example.org> at 192.0.2.7: connection refused")
	f.receive(t, rights.Request{ID: "e", Right: rights.RightErasure, Subject: "cust-1"})

	_, err := f.rights.Erase(ctx, "e")
	require.ErrorIs(t, err, rights.ErrIncomplete)
	var inc *rights.IncompleteError
	require.ErrorAs(t, err, &inc)
	require.Len(t, inc.Pending, 1)
	assert.Equal(t, "crm", inc.Pending[0].Name)
	assert.Contains(t, err.Error(), `"crm" failed after 2 attempts`)

	r, err := f.rights.Request(ctx, "e")
	require.NoError(t, err)
	assert.Equal(t, rights.RequestInProgress, r.State)
	assert.Nil(t, r.Lease, "the run gave its lease up")
	assert.Equal(t, "cust-1", r.Subject, "kept until the erasure completes")
	st, _ := r.Source("crm")
	assert.Equal(t, rights.StepFailed, st.State)
	assert.Equal(t, 2, st.Attempts)
	assert.Contains(t, st.Error, "connection refused")
	for _, leak := range []string{"cust-1", "ada@example.org", "192.0.2.7"} {
		assert.NotContains(t, st.Error, leak, "stored errors are masked")
	}
	st, _ = r.Source("shop")
	assert.Equal(t, rights.StepDone, st.State, "the other source was not held up")
	assert.Len(t, r.Keys, 3)

	f.clock.Advance(time.Hour)
	resumed, err := f.rights.Resume(ctx)
	require.NoError(t, err)
	require.Len(t, resumed, 1)
	assert.Equal(t, rights.RequestCompleted, resumed[0].State)
	assert.Equal(t, 4, f.crm.erases)
	assert.Equal(t, 1, f.shop.erases, "a confirmed source is not asked again")
	assert.Len(t, f.app.erased, 1, "a shredded namespace is not shredded again")
	cert, err := f.rights.Certificate(ctx, "e")
	require.NoError(t, err)
	assert.Equal(t, 4, cert.Sources[0].Attempts, "attempts count across runs")
	assert.Equal(t, []string{"failed attempt-1", "failed attempt-2", "failed attempt-3", "done attempt-4"}, sourceTries(t, f.journal, "crm"))

	again, err := f.rights.Erase(ctx, "e")
	require.NoError(t, err)
	assert.Equal(t, cert, again, "erasing a completed request returns its certificate")
	assert.Equal(t, 4, f.crm.erases)
}

// TestEraseKeyFailureIsRetried: a key store that fails leaves the
// namespace pending; sources are still asked.
func TestEraseKeyFailureIsRetried(t *testing.T) {
	ctx := context.Background()
	f := newErasureFixture(t, func(c *rights.DeskConfig) { c.Attempts = 1 })
	f.app.fail = 1
	f.receive(t, rights.Request{ID: "e", Right: rights.RightErasure, Subject: "cust-1"})
	_, err := f.rights.Erase(ctx, "e")
	var inc *rights.IncompleteError
	require.ErrorAs(t, err, &inc)
	require.Len(t, inc.Pending, 1)
	assert.Equal(t, "app", inc.Pending[0].Name)
	assert.Equal(t, "key store unavailable", inc.Pending[0].Error)
	assert.Empty(t, f.crm.records["cust-1"], "sources are asked even when a key is pending")
	cert, err := f.rights.Erase(ctx, "e")
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"app", "shop", "consent"}, cert.Shredded())
}

// TestEraseExemptions: a legal hold (through retention's Holds) and a
// source's own Retainer keep data under Art. 17(3); the namespace sealing
// held data is kept too, and the certificate says why.
func TestEraseExemptions(t *testing.T) {
	ctx := context.Background()
	holdStore := retention.NewMemoryStore()
	holds, err := retention.NewHolds(retention.HoldsConfig{Store: holdStore, Auditor: retention.NewMemoryAuditor(), Now: func() time.Time { return t0 }})
	require.NoError(t, err)
	billing := newMemSource("billing", "archive")
	billing.retain = &rights.Exemption{Exception: rights.ExceptionLegalObligation, Ref: "HGB-257"}
	billing.add("cust-1", &Customer{ID: "cust-1", Name: "Ada Lovelace"})
	f := newErasureFixture(t, func(c *rights.DeskConfig) {
		c.Holds = holds
		c.Sources = append(c.Sources, billing)
	})
	hold, err := holds.Place(ctx, retention.Hold{ID: "HOLD-1", Case: "LIT-2025-014", Subject: "cust-1", Category: pii.Address, Reason: "lawsuit"})
	require.NoError(t, err)
	f.receive(t, rights.Request{ID: "e", Right: rights.RightErasure, Subject: "cust-1"})

	cert, err := f.rights.Erase(ctx, "e")
	require.NoError(t, err)
	byName := map[string]rights.Step{}
	for _, s := range append(cert.Sources, cert.Keys...) {
		byName[s.Name] = s
	}
	assert.Equal(t, rights.StepExempt, byName["shop"].State, "orders hold addresses, which the hold covers")
	assert.Equal(t, &rights.Exemption{Exception: rights.ExceptionLegalHold, Ref: hold.ID, Categories: []pii.Category{pii.Address}}, byName["shop"].Exemption,
		"the hold needs the addresses; the source cannot erase the rest, so it is kept whole")
	assert.Equal(t, rights.StepExempt, byName["crm"].State, "the account purpose holds addresses too")
	assert.Equal(t, rights.StepExempt, byName["billing"].State)
	assert.Equal(t, &rights.Exemption{Exception: rights.ExceptionLegalObligation, Ref: "HGB-257"}, byName["billing"].Exemption)
	assert.Equal(t, rights.StepExempt, byName["shop"].State)
	assert.Equal(t, rights.StepExempt, byName["app"].State, "the held source's namespace is kept")
	assert.Equal(t, rights.StepExempt, byName["consent"].State, "a namespace no source names is kept while any hold covers the subject")
	assert.Empty(t, cert.Shredded())
	assert.Equal(t, 0, f.crm.erases+f.shop.erases+billing.erases, "no exempt source is asked to erase")
	assert.Empty(t, f.app.erased)
	assert.Equal(t, "Art. 17(3)(e)", rights.ExceptionLegalHold.Article())
	assert.Equal(t, "Art. 17(3)(b)", rights.ExceptionLegalObligation.Article())

	// Once the hold is released, a new request erases.
	_, err = holds.Release(ctx, hold.ID)
	require.NoError(t, err)
	f.receive(t, rights.Request{ID: "e2", Right: rights.RightErasure, Subject: "cust-1"})
	cert, err = f.rights.Erase(ctx, "e2")
	require.NoError(t, err)
	assert.Equal(t, []string{"app", "shop", "consent"}, cert.Shredded())
	assert.Equal(t, 1, f.crm.erases)
	assert.Equal(t, 0, billing.erases, "the legal obligation still applies")

	var exempt []string
	for _, e := range entries(t, f.journal) {
		if e.Outcome == rights.OutcomeExempt {
			exempt = append(exempt, strings.Join(e.Reasons, " "))
		}
	}
	assert.Contains(t, exempt, "erasure shop legal-hold")
	assert.Contains(t, exempt, "erasure ns.app legal-hold")
	assert.Contains(t, exempt, "erasure billing legal-obligation")
}

// TestEraseKeepsDataUnderANarrowerHold: a hold on the subject's cities
// keeps a source whose purpose declares addresses, which the cities lie
// within; the source is not asked to erase, its key is kept, and the
// certificate cites the hold for both, with nothing it covers shredded.
func TestEraseKeepsDataUnderANarrowerHold(t *testing.T) {
	ctx := context.Background()
	holds, err := retention.NewHolds(retention.HoldsConfig{Store: retention.NewMemoryStore(), Auditor: retention.NewMemoryAuditor(), Now: func() time.Time { return t0 }})
	require.NoError(t, err)
	f := newErasureFixture(t, func(c *rights.DeskConfig) { c.Holds = holds })
	hold, err := holds.Place(ctx, retention.Hold{ID: "HOLD-1", Subject: "cust-1", Category: pii.City, Reason: "lawsuit"})
	require.NoError(t, err)
	f.receive(t, rights.Request{ID: "e", Right: rights.RightErasure, Subject: "cust-1"})

	cert, err := f.rights.Erase(ctx, "e")
	require.NoError(t, err)
	held := &rights.Exemption{Exception: rights.ExceptionLegalHold, Ref: hold.ID, Categories: []pii.Category{pii.City}}
	byName := map[string]rights.Step{}
	for _, s := range append(cert.Sources, cert.Keys...) {
		byName[s.Name] = s
	}
	assert.Equal(t, rights.StepExempt, byName["crm"].State, "the account purpose declares addresses, and cities lie within them")
	assert.Equal(t, held, byName["crm"].Exemption)
	assert.Equal(t, rights.StepExempt, byName["app"].State, "the key sealing the held source is kept")
	assert.Equal(t, held, byName["app"].Exemption)
	assert.Zero(t, f.crm.erases, "a held source is not asked to erase")
	assert.NotEmpty(t, f.crm.records["cust-1"])
	assert.Empty(t, f.app.erased)
	for _, s := range cert.Sources {
		if s.State == rights.StepExempt {
			continue
		}
		assert.Equal(t, rights.StepDone, s.State, s.Name)
	}
	for _, k := range cert.Shredded() {
		for _, s := range cert.Sources {
			if s.State == rights.StepExempt {
				assert.NotEqual(t, f.namespaceOf(s.Name), k, "the certificate shreds %s, which seals %s, exempt", k, s.Name)
			}
		}
	}
}

// namespaceOf returns the namespace of the fixture's source.
func (f *erasureFixture) namespaceOf(source string) string {
	for _, s := range []*memSource{f.crm, f.shop} {
		if s.info.Name == source {
			return s.info.Namespace
		}
	}
	return ""
}

type failingHolds struct{ err error }

func (h *failingHolds) Check(context.Context, string, pii.Category) (retention.Hold, bool, error) {
	return retention.Hold{}, false, h.err
}

// TestEraseUndecidedExemptionActsOnNothingItCovers: when holds cannot be
// read, the source is not erased and its namespace not shredded, nothing
// is completed, and the next run decides.
func TestEraseUndecidedExemptionActsOnNothingItCovers(t *testing.T) {
	ctx := context.Background()
	holds := &failingHolds{err: errors.New("hold store offline")}
	f := newErasureFixture(t, func(c *rights.DeskConfig) { c.Holds = holds })
	f.receive(t, rights.Request{ID: "e", Right: rights.RightErasure, Subject: "cust-1"})
	_, err := f.rights.Erase(ctx, "e")
	var inc *rights.IncompleteError
	require.ErrorAs(t, err, &inc)
	assert.Len(t, inc.Pending, 5, "both sources and the three namespaces")
	assert.Equal(t, 0, f.crm.erases+f.shop.erases)
	assert.Empty(t, f.app.erased)
	assert.Empty(t, f.consentK.erased)
	r, err := f.rights.Request(ctx, "e")
	require.NoError(t, err)
	st, _ := r.Source("crm")
	assert.Contains(t, st.Error, "exemption-check: legal holds: hold store offline")

	holds.err = nil
	cert, err := f.rights.Erase(ctx, "e")
	require.NoError(t, err)
	assert.Len(t, cert.Shredded(), 3)
}

func TestErasureCertificateIsContentFreeEvidence(t *testing.T) {
	ctx := context.Background()
	f := newErasureFixture(t, nil)
	f.receive(t, rights.Request{ID: "e", Right: rights.RightErasure, Subject: "cust-1"})
	cert, err := f.rights.Erase(ctx, "e")
	require.NoError(t, err)

	var buf bytes.Buffer
	require.NoError(t, cert.WriteJSON(&buf))
	for _, leak := range []string{"cust-1", "Ada Lovelace", "ada@example.org", "Ockham Park"} {
		assertNotIn(t, buf.Bytes(), leak, "the certificate holds no personal data") // the token is random-looking
	}
	assert.Contains(t, buf.String(), `"journal_head"`)
	assert.Contains(t, buf.String(), cert.SubjectToken)

	require.NoError(t, f.journal.VerifyHead(ctx, cert.Journal), "the journal up to the certificate is intact")
	require.NoError(t, f.journal.Verify(ctx))
	es := entries(t, f.journal)
	last := es[len(es)-1]
	assert.Equal(t, rights.KindRequestCompleted, last.Kind)
	assert.Equal(t, cert.Journal, audit.Head{Seq: last.Seq, Hash: last.Hash})
	for _, e := range es {
		assert.NotEqual(t, "cust-1", e.Subject)
	}

	_, err = f.rights.Certificate(ctx, "nope")
	assert.ErrorIs(t, err, rights.ErrUnknownRequest)
	f.receive(t, rights.Request{ID: "a", Right: rights.RightAccess, Subject: "cust-1"})
	_, err = f.rights.Certificate(ctx, "a")
	assert.ErrorIs(t, err, rights.ErrInvalidRequest)
}

func TestEraseStopsWhenTheContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	f := newErasureFixture(t, func(c *rights.DeskConfig) {
		c.Backoff = func(ctx context.Context, _ int) error { cancel(); return ctx.Err() }
	})
	f.crm.failErase = 5
	f.receive(t, rights.Request{ID: "e", Right: rights.RightErasure, Subject: "cust-1"})
	_, err := f.rights.Erase(ctx, "e")
	assert.ErrorIs(t, err, context.Canceled)
	r, err := f.rights.Request(context.Background(), "e")
	require.NoError(t, err)
	assert.Nil(t, r.Lease, "the lease is given up even though the context ended")
	assert.Equal(t, rights.RequestInProgress, r.State)
}

// TestResumeLeavesRequestsNotStarted: Resume goes on with what a call
// started, not with requests the controller has not looked at yet.
func TestResumeLeavesRequestsNotStarted(t *testing.T) {
	ctx := context.Background()
	f := newErasureFixture(t, nil)
	f.receive(t, rights.Request{ID: "new", Right: rights.RightErasure, Subject: "cust-1"})
	f.receive(t, rights.Request{ID: "acc", Right: rights.RightAccess, Subject: "cust-1"})
	resumed, err := f.rights.Resume(ctx)
	require.NoError(t, err)
	assert.Empty(t, resumed)
	assert.Equal(t, 0, f.crm.erases)
	r, err := f.rights.Request(ctx, "new")
	require.NoError(t, err)
	assert.Equal(t, rights.RequestOpen, r.State)
}
