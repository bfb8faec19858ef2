package rights_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/retention"
)

// fieldSource is a source that keeps each subject's values by category and
// can erase part of them (rights.PartEraser).
type fieldSource struct {
	info rights.SourceInfo

	mu      sync.Mutex
	values  map[string]map[pii.Category]string
	erases  int
	partial [][]pii.Category // the keep lists EraseExcept was called with
}

var _ rights.PartEraser = (*fieldSource)(nil)

func newFieldSource(name string, values map[pii.Category]string, purposes ...string) *fieldSource {
	return &fieldSource{
		info:   rights.SourceInfo{Name: name, Description: "provided by you at sign-up", Purposes: purposes},
		values: map[string]map[pii.Category]string{"cust-1": values},
	}
}

func (s *fieldSource) Describe() rights.SourceInfo { return s.info }

func (s *fieldSource) Export(context.Context, string, func(any) error) error { return nil }

func (s *fieldSource) Erase(_ context.Context, subject string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.erases++
	delete(s.values, subject)
	return nil
}

func (s *fieldSource) EraseExcept(_ context.Context, subject string, keep []pii.Category) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.partial = append(s.partial, slices.Clone(keep))
	for c := range s.values[subject] {
		kept := false
		for _, k := range keep {
			kept = kept || c.Within(k) || k.Within(c)
		}
		if !kept {
			delete(s.values[subject], c)
		}
	}
	return nil
}

func (s *fieldSource) left(subject string) []pii.Category {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []pii.Category
	for c := range s.values[subject] {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// extentFixture has three sources of one subject: profile (account:
// names, e-mail, phone, address), shop (orders: addresses, IPs) and
// risk (fraud: IPs), the profile sealed in namespace app; a legal-claims
// purpose is registered besides the shop's.
type extentFixture struct {
	*rightsFixture
	profile, shop, risk *fieldSource
	app, shopNS         *keyEraser
	holds               *retention.Holds
}

func newExtentFixture(t *testing.T) *extentFixture {
	holds, err := retention.NewHolds(retention.HoldsConfig{Store: retention.NewMemoryStore(), Auditor: retention.NewMemoryAuditor(), Now: func() time.Time { return t0 }})
	require.NoError(t, err)
	f := &extentFixture{
		profile: newFieldSource("profile", map[pii.Category]string{
			pii.Name: "Ada Lovelace", pii.Email: "ada@example.org", pii.Phone: "+44 20 7946 0000", pii.Address: "12 St James's Square",
		}, "account"),
		shop:   newFieldSource("shop", map[pii.Category]string{pii.Address: "Ockham Park", pii.IPAddress: "192.0.2.7"}, "orders"),
		risk:   newFieldSource("risk", map[pii.Category]string{pii.IPAddress: "192.0.2.7"}, "fraud"),
		app:    &keyEraser{ns: "app"},
		shopNS: &keyEraser{ns: "shop"},
		holds:  holds,
	}
	f.profile.info.Namespace = "app"
	f.shop.info.Namespace = "shop"
	f.rightsFixture = newRightsFixture(t, func(c *rights.DeskConfig) {
		c.Sources = []rights.Source{f.profile, f.shop, f.risk}
		c.Namespaces = []gdpr.Namespace{{Name: "app", Keys: f.app}, {Name: "shop", Keys: f.shopNS}}
		c.Holds = holds
	})
	require.NoError(t, f.guard.Register().Add(gdpr.Purpose{ID: "litigation", Name: "Defence of legal claims",
		Basis: gdpr.LegitimateInterests, BalancingTest: "LIA-9", LegalClaims: true,
		Categories: []pii.Category{pii.Email}, DataSubjects: []string{"customers"}, Retention: "P3Y"}))
	return f
}

// TestEraseKeepsOnlyWhatTheHoldNeeds: Art. 17(3) spares data only "to the
// extent that processing is necessary" for the exception. A legal hold on
// the subject's e-mail alone keeps the e-mail in the one source that
// holds it and erases everything else there; the two sources without
// e-mail are erased whole; the key sealing the kept e-mail is kept, the
// others shredded. The request completes, its certificate lists what was
// kept and why, and from then on the Guard refuses every purpose of the
// subject but the hold's: the legitimate-interests purpose and the
// contract purpose are denied, the legal-claims purpose allowed.
func TestEraseKeepsOnlyWhatTheHoldNeeds(t *testing.T) {
	ctx := context.Background()
	f := newExtentFixture(t)
	hold, err := f.holds.Place(ctx, retention.Hold{ID: "HOLD-7", Case: "LIT-2026-003", Subject: "cust-1", Category: pii.Email, Reason: "lawsuit"})
	require.NoError(t, err)
	for _, p := range []string{"fraud", "account", "litigation"} {
		_, err := f.guard.Allow(ctx, "cust-1", p)
		require.NoError(t, err, "before the erasure: %s", p)
	}
	f.receive(t, rights.Request{ID: "e", Right: rights.RightErasure, Subject: "cust-1"})

	cert, err := f.rights.Erase(ctx, "e")
	require.NoError(t, err, "the request completes")
	byName := map[string]rights.Step{}
	for _, s := range append(cert.Sources, cert.Keys...) {
		byName[s.Name] = s
	}
	kept := rights.Exemption{Exception: rights.ExceptionLegalHold, Ref: hold.ID, Categories: []pii.Category{pii.Email}}
	assert.Equal(t, rights.StepDone, byName["profile"].State, "the rest of the profile is erased")
	assert.Equal(t, []rights.Exemption{kept}, byName["profile"].Kept, "the certificate says what was kept and why")
	assert.Equal(t, map[string][]rights.Exemption{"profile": {kept}}, cert.Kept())
	assert.Equal(t, [][]pii.Category{{pii.Email}}, f.profile.partial)
	assert.Zero(t, f.profile.erases)
	assert.Equal(t, []pii.Category{pii.Email}, f.profile.left("cust-1"), "only the e-mail is left")

	for _, s := range []*fieldSource{f.shop, f.risk} {
		assert.Equal(t, rights.StepDone, byName[s.info.Name].State, s.info.Name)
		assert.Empty(t, byName[s.info.Name].Kept, s.info.Name)
		assert.Equal(t, 1, s.erases, "%s holds no e-mail: erased whole", s.info.Name)
		assert.Empty(t, s.left("cust-1"), s.info.Name)
	}
	assert.Equal(t, rights.StepExempt, byName["app"].State, "the key sealing the kept e-mail is kept")
	assert.Equal(t, []string{"shop"}, cert.Shredded())

	for _, p := range []string{"fraud", "account", "orders", "scoring"} {
		_, err := f.guard.Allow(ctx, "cust-1", p)
		assert.ErrorIs(t, err, gdpr.ErrKeptForException, p)
	}
	d, err := f.guard.Allow(ctx, "cust-1", "litigation")
	require.NoError(t, err, "the hold's legal-claims purpose")
	assert.True(t, d.Allowed)
	_, err = f.guard.Allow(ctx, "cust-1", "archive")
	assert.NoError(t, err, "storage only")
	_, err = f.guard.Allow(ctx, "cust-2", "fraud")
	assert.NoError(t, err, "another subject is untouched")

	// The hold is released and the kept e-mail erased by a new request:
	// nothing is kept, and the limit ends.
	_, err = f.holds.Release(ctx, hold.ID)
	require.NoError(t, err)
	f.receive(t, rights.Request{ID: "e2", Right: rights.RightErasure, Subject: "cust-1"})
	cert, err = f.rights.Erase(ctx, "e2")
	require.NoError(t, err)
	assert.Empty(t, cert.Kept())
	assert.Empty(t, f.profile.left("cust-1"))
	assert.ElementsMatch(t, []string{"app", "shop"}, cert.Shredded())
	_, err = f.guard.Allow(ctx, "cust-1", "account")
	assert.NoError(t, err, "nothing is kept any more")
}

// TestEraseKeepsTheHeldCategoryWithinABroaderOne: a hold on cities
// within a source's declared addresses keeps the cities only (the source
// keeps the fields that may hold them), with the hold's own category in
// the certificate, and erases the rest of the source; two holds on one
// subject each keep their own category, both cited.
func TestEraseKeepsTheHeldCategoryWithinABroaderOne(t *testing.T) {
	ctx := context.Background()
	f := newExtentFixture(t)
	city, err := f.holds.Place(ctx, retention.Hold{ID: "HOLD-C", Subject: "cust-1", Category: pii.City, Reason: "lawsuit"})
	require.NoError(t, err)
	phone, err := f.holds.Place(ctx, retention.Hold{ID: "HOLD-P", Subject: "cust-1", Category: pii.Phone, Reason: "inquiry"})
	require.NoError(t, err)
	f.receive(t, rights.Request{ID: "e", Right: rights.RightErasure, Subject: "cust-1"})

	cert, err := f.rights.Erase(ctx, "e")
	require.NoError(t, err)
	got := cert.Kept()
	assert.ElementsMatch(t, []rights.Exemption{
		{Exception: rights.ExceptionLegalHold, Ref: phone.ID, Categories: []pii.Category{pii.Phone}},
		{Exception: rights.ExceptionLegalHold, Ref: city.ID, Categories: []pii.Category{pii.City}},
	}, got["profile"])
	assert.ElementsMatch(t, []rights.Exemption{
		{Exception: rights.ExceptionLegalHold, Ref: city.ID, Categories: []pii.Category{pii.City}},
	}, got["shop"])
	assert.Equal(t, []pii.Category{pii.Address, pii.Phone}, f.profile.left("cust-1"), "the address field may hold the city")
	assert.Equal(t, []pii.Category{pii.Address}, f.shop.left("cust-1"), "the IP is erased")
	assert.Empty(t, f.risk.left("cust-1"))
}

// TestEraseKeepsWholeWhatCannotBeErasedInPart: a source that is no
// PartEraser and holds held data is kept whole (erasing it would destroy
// what the hold needs), and says which categories the hold needs; the
// kept data is limited in the Guard all the same.
func TestEraseKeepsWholeWhatCannotBeErasedInPart(t *testing.T) {
	ctx := context.Background()
	holds, err := retention.NewHolds(retention.HoldsConfig{Store: retention.NewMemoryStore(), Auditor: retention.NewMemoryAuditor(), Now: func() time.Time { return t0 }})
	require.NoError(t, err)
	f := newErasureFixture(t, func(c *rights.DeskConfig) { c.Holds = holds })
	_, err = holds.Place(ctx, retention.Hold{ID: "HOLD-1", Subject: "cust-1", Category: pii.Email, Reason: "lawsuit"})
	require.NoError(t, err)
	f.receive(t, rights.Request{ID: "e", Right: rights.RightErasure, Subject: "cust-1"})
	cert, err := f.rights.Erase(ctx, "e")
	require.NoError(t, err)
	crm := cert.Sources[0]
	require.Equal(t, "crm", crm.Name)
	assert.Equal(t, rights.StepExempt, crm.State)
	assert.Equal(t, []pii.Category{pii.Email}, crm.Exemption.Categories)
	assert.Zero(t, f.crm.erases)
	assert.Equal(t, 1, f.shop.erases, "orders hold no e-mail")
	_, err = f.guard.Allow(ctx, "cust-1", "account")
	assert.ErrorIs(t, err, gdpr.ErrKeptForException)
}

// TestRetainerNamesWhatItKeeps: a Retainer's exemption naming categories
// and purposes keeps those categories, erases the rest of a PartEraser
// source, and limits the Guard to the purposes named; an unknown category
// or purpose leaves the source undecided.
func TestRetainerNamesWhatItKeeps(t *testing.T) {
	ctx := context.Background()
	billing := &retainingFieldSource{fieldSource: newFieldSource("billing", map[pii.Category]string{
		pii.Name: "Ada Lovelace", pii.Billing: "DE89 3704 0044 0532 0130 00", pii.Email: "ada@example.org",
	}, "archive")}
	billing.ex = rights.Exemption{Exception: rights.ExceptionLegalObligation, Ref: "HGB-257", Categories: []pii.Category{pii.Name, pii.Billing}, Purposes: []string{"archive"}}
	f2 := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{billing} })
	f2.receive(t, rights.Request{ID: "e", Right: rights.RightErasure, Subject: "cust-1"})
	cert, err := f2.rights.Erase(ctx, "e")
	require.NoError(t, err)
	assert.Equal(t, map[string][]rights.Exemption{"billing": {billing.ex}}, cert.Kept())
	assert.Equal(t, []pii.Category{pii.Billing, pii.Name}, billing.left("cust-1"), "the e-mail is erased")
	_, err = f2.guard.Allow(ctx, "cust-1", "archive")
	assert.NoError(t, err)
	_, err = f2.guard.Allow(ctx, "cust-1", "account")
	assert.ErrorIs(t, err, gdpr.ErrKeptForException)

	for name, ex := range map[string]rights.Exemption{
		"unknown category": {Exception: rights.ExceptionLegalObligation, Categories: []pii.Category{"user.nonsense"}},
		"unknown purpose":  {Exception: rights.ExceptionLegalObligation, Purposes: []string{"nope"}},
	} {
		billing.ex = ex
		f3 := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{billing} })
		f3.receive(t, rights.Request{ID: "e", Right: rights.RightErasure, Subject: "cust-1"})
		_, err := f3.rights.Erase(ctx, "e")
		assert.ErrorIs(t, err, rights.ErrIncomplete, name)
	}
}

// retainingFieldSource is a fieldSource with a Retainer.
type retainingFieldSource struct {
	*fieldSource
	ex rights.Exemption
}

func (s *retainingFieldSource) Retain(context.Context, string) (rights.Exemption, bool, error) {
	ex := s.ex
	ex.Categories = slices.Clone(ex.Categories)
	return ex, true, nil
}
