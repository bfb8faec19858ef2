package gdpr_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkField returns the fields the purpose's Check names at fault.
func checkFields(t *testing.T, p gdpr.Purpose) []string {
	t.Helper()
	err := p.Check()
	if err == nil {
		return nil
	}
	var fields []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var pe *gdpr.PurposeError
		require.ErrorAs(t, e, &pe)
		fields = append(fields, pe.Field)
	}
	return fields
}

// TestAutomatedDecisionsNeedTheInformation: a purpose declaring automated
// decisions (Art. 22) carries meaningful information about the logic, the
// significance and the envisaged consequences (Art. 15(1)(h)): each part is
// required, and none may be set without the declaration.
func TestAutomatedDecisionsNeedTheInformation(t *testing.T) {
	p := valid()
	p.AutomatedDecisions = true
	p.Decision = scoring
	require.NoError(t, p.Check())
	for name, edit := range map[string]func(*gdpr.DecisionInfo){
		"no logic":        func(d *gdpr.DecisionInfo) { d.Logic = "" },
		"no significance": func(d *gdpr.DecisionInfo) { d.Significance = "" },
		"no consequences": func(d *gdpr.DecisionInfo) { d.Consequences = "" },
	} {
		q := p
		edit(&q.Decision)
		assert.Equal(t, []string{"Decision"}, checkFields(t, q), name)
		assert.ErrorContains(t, q.Check(), "Art. 15(1)(h)", name)
	}
	q := valid()
	q.Decision = scoring
	assert.Equal(t, []string{"Decision"}, checkFields(t, q), "information without the declaration")

	reg := newRegister(t, p)
	rec := reg.Record()
	require.NotNil(t, rec.Activities[0].AutomatedDecision)
	assert.Equal(t, scoring, *rec.Activities[0].AutomatedDecision, "in the record")
	got, _ := reg.Purpose(p.ID)
	assert.Equal(t, scoring, got.Decision, "and on the purpose, for exports")
}

// TestAutomatedDecisionsOnConsentNeedExplicitConsent: Art. 22(2)(c) lifts
// the ban on automated decisions only with explicit consent, which can be
// declared without special categories; plain consent is refused.
func TestAutomatedDecisionsOnConsentNeedExplicitConsent(t *testing.T) {
	p := valid()
	p.Basis, p.AutomatedDecisions, p.Decision = gdpr.Consent, true, scoring
	assert.Equal(t, []string{"Condition"}, checkFields(t, p), "plain consent")
	assert.ErrorContains(t, p.Check(), "Art. 22(2)(c)")

	p.Condition = gdpr.ExplicitConsent
	require.NoError(t, p.Check(), "explicit consent without special categories, for Art. 22")
	assert.Equal(t, "Art. 22(2)(c) explicit consent", newRegister(t, p).Record().Activities[0].ConditionArticle)

	// Without automated decisions, explicit consent stays an Art. 9 condition.
	q := valid()
	q.Basis, q.Condition = gdpr.Consent, gdpr.ExplicitConsent
	assert.Equal(t, []string{"Condition"}, checkFields(t, q))

	// The Guard reads the ledger for it.
	f := newFixture(t, false)
	require.NoError(t, f.guard.Register().Add(p))
	_, err := f.guard.Allow(context.Background(), "alice", p.ID)
	assert.ErrorIs(t, err, gdpr.ErrNoConsent)
	f.consent.set("alice", p.ID, consent.Granted)
	_, err = f.guard.Allow(context.Background(), "alice", p.ID)
	assert.NoError(t, err)
}

// TestLawRequiredWhereTheGDPRReliesOnIt: Art. 9(2)(b), (g), (h), (i) and
// (j) rest on Union or Member State law, and so do automated decisions
// authorised by law (Art. 22(2)(b)): the law must be named.
func TestLawRequiredWhereTheGDPRReliesOnIt(t *testing.T) {
	for _, c := range []gdpr.Condition{gdpr.Employment, gdpr.SubstantialPublicInterest, gdpr.HealthCare, gdpr.PublicHealth, gdpr.Archiving} {
		p := valid()
		p.Categories, p.Condition = []pii.Category{pii.Health}, c
		assert.Equal(t, []string{"Law"}, checkFields(t, p), "%s", c.Article())
		p.Law = "§ 22 BDSG"
		assert.NoError(t, p.Check(), "%s", c.Article())
		assert.Equal(t, "§ 22 BDSG", newRegister(t, p).Record().Activities[0].Law)
	}
	for _, c := range []gdpr.Condition{gdpr.ExplicitConsent, gdpr.VitalInterestsIncapable, gdpr.NotForProfit, gdpr.MadePublic, gdpr.LegalClaims} {
		p := valid()
		p.Categories, p.Condition = []pii.Category{pii.Health}, c
		assert.NoError(t, p.Check(), "%s needs no law", c.Article())
	}
	for _, b := range []gdpr.Basis{gdpr.LegalObligation, gdpr.PublicTask} {
		p := valid()
		p.Basis, p.AutomatedDecisions, p.Decision = b, true, scoring
		assert.Equal(t, []string{"Law"}, checkFields(t, p), "%s", b.Article())
		assert.ErrorContains(t, p.Check(), "Art. 22(2)(b)")
		p.Law = "§ 155(4) AO"
		assert.NoError(t, p.Check())
	}
	p := valid()
	p.AutomatedDecisions, p.Decision = true, scoring
	assert.NoError(t, p.Check(), "a contract (Art. 22(2)(a)) needs no law")
}

// TestRetentionPeriodOrCriteria: Art. 13(2)(a) asks for the period or, if
// that is not possible, the criteria used to determine it.
func TestRetentionPeriodOrCriteria(t *testing.T) {
	p := valid()
	p.Retention, p.RetentionCriteria = "", "until warranty claims for the order are time-barred"
	require.NoError(t, p.Check(), "criteria alone")
	_, err := p.RetentionPeriod()
	assert.ErrorIs(t, err, gdpr.ErrNoRetentionPeriod)
	rec := newRegister(t, p).Record()
	assert.Empty(t, rec.Activities[0].Retention)
	assert.Equal(t, p.RetentionCriteria, rec.Activities[0].RetentionCriteria)

	p.Retention = "P2Y"
	require.NoError(t, p.Check(), "a period explained by criteria")
	_, err = p.RetentionPeriod()
	assert.NoError(t, err)

	p.Retention = "2 years"
	assert.Equal(t, []string{"Retention"}, checkFields(t, p), "criteria do not excuse a malformed period")
	p.Retention, p.RetentionCriteria = "", ""
	assert.Equal(t, []string{"Retention"}, checkFields(t, p), "neither")
	assert.ErrorContains(t, p.Check(), "RetentionCriteria")
}

// TestTransferSafeguards: standard clauses and binding corporate rules
// need a reference and a transfer impact assessment (Schrems II, EDPB
// Recommendations 01/2020); an Art. 49 derogation is for occasional
// transfers only (EDPB Guidelines 2/2018).
func TestTransferSafeguards(t *testing.T) {
	with := func(r gdpr.Recipient) gdpr.Purpose { p := valid(); p.Recipients = []gdpr.Recipient{r}; return p }
	scc := gdpr.Recipient{Name: "Support", Role: gdpr.Processor, Country: "IN", Safeguard: gdpr.StandardClauses,
		Reference: "SCC 2021/914 module 2", ImpactAssessed: true}
	ok := with(scc)
	require.NoError(t, ok.Check())
	for _, s := range []gdpr.Safeguard{gdpr.StandardClauses, gdpr.BindingCorporateRules} {
		r := scc
		r.Safeguard, r.Reference = s, ""
		assert.Equal(t, []string{"Recipients[0].Reference"}, checkFields(t, with(r)), "%s", s)
		r.Reference, r.ImpactAssessed = "approved by the CNIL, 2024", false
		assert.Equal(t, []string{"Recipients[0].ImpactAssessed"}, checkFields(t, with(r)), "%s", s)
	}
	der := gdpr.Recipient{Name: "Hotel", Role: gdpr.ThirdParty, Country: "BR", Safeguard: gdpr.Derogation, Reference: "Art. 49(1)(b)"}
	assert.Equal(t, []string{"Recipients[0].Occasional"}, checkFields(t, with(der)), "a derogation is no standing ground")
	bad := with(der)
	assert.ErrorContains(t, bad.Check(), "2/2018")
	der.Occasional = true
	good := with(der)
	assert.NoError(t, good.Check())
}

// TestScopedAdequacyDecisions: the decisions for Korea (2022/254) and
// Israel (2011/61/EU) are scoped, so a recipient relying on them must say
// why it is in scope.
func TestScopedAdequacyDecisions(t *testing.T) {
	for _, c := range []string{"KR", "IL", "US", "CA", "JP"} {
		ok, partial := gdpr.Adequate(c)
		assert.True(t, ok, c)
		assert.True(t, partial, c)
		assert.NotEmpty(t, gdpr.AdequacyScope(c), c)
		p := valid()
		p.Recipients = []gdpr.Recipient{{Name: "Lab", Role: gdpr.Processor, Country: c, Safeguard: gdpr.Adequacy}}
		assert.Equal(t, []string{"Recipients[0].Reference"}, checkFields(t, p), c)
	}
	assert.Contains(t, gdpr.AdequacyScope("KR"), "Credit Information Act")
	assert.Contains(t, gdpr.AdequacyScope("IL"), "automated")
	for _, c := range []string{"CH", "GB", "NZ", "UY", "AR", "AD", "FO", "GG", "IM", "JE"} {
		ok, partial := gdpr.Adequate(c)
		assert.True(t, ok && !partial, c)
	}
}

// TestInternationalOrganisations: an international organisation (Art.
// 4(26)) can be a recipient; disclosing to it is a transfer under Chapter
// V wherever it sits, so it needs a safeguard other than adequacy.
func TestInternationalOrganisations(t *testing.T) {
	org := gdpr.Recipient{Name: "World Health Organization", Role: gdpr.ThirdParty, InternationalOrganisation: true}
	assert.True(t, org.ThirdCountry())
	p := valid()
	p.Recipients = []gdpr.Recipient{org}
	assert.Equal(t, []string{"Recipients[0].Safeguard"}, checkFields(t, p), "no safeguard")
	org.Country, org.Safeguard = "CH", gdpr.Adequacy
	p.Recipients = []gdpr.Recipient{org}
	assert.Equal(t, []string{"Recipients[0].Safeguard"}, checkFields(t, p), "Switzerland's adequacy does not cover it")
	org.Safeguard, org.Reference, org.Occasional = gdpr.Derogation, "Art. 49(1)(d)", true
	p.Recipients = []gdpr.Recipient{org}
	require.NoError(t, p.Check())
	rec := newRegister(t, p).Record()
	require.Len(t, rec.Activities[0].Transfers, 1)
}

// TestCountryCodesConsistent: "UK" is read as "GB" and the EU's "EL" as
// "GR" wherever a country is taken, as consent.AgeOfConsent does; the
// outermost regions and other parts of member states with codes of their
// own are Union territory (Art. 355(1) TFEU), the overseas countries and
// territories are not.
func TestCountryCodesConsistent(t *testing.T) {
	for alias, code := range map[string]string{"UK": "GB", "EL": "GR"} {
		assert.Equal(t, gdpr.InEEA(code), gdpr.InEEA(alias), alias)
		ok1, p1 := gdpr.Adequate(code)
		ok2, p2 := gdpr.Adequate(alias)
		assert.Equal(t, [2]bool{ok1, p1}, [2]bool{ok2, p2}, alias)
		_, okAge := consent.AgeOfConsent(alias)
		assert.True(t, okAge, alias)
	}
	uk := valid()
	uk.Recipients = []gdpr.Recipient{{Name: "Agency", Role: gdpr.Processor, Country: "UK", Safeguard: gdpr.Adequacy}}
	assert.NoError(t, uk.Check(), "UK as GB")
	el := valid()
	el.Recipients = []gdpr.Recipient{{Name: "Agency", Role: gdpr.Processor, Country: "EL"}}
	assert.NoError(t, el.Check(), "EL as GR, in the EEA")

	for _, c := range []string{"GF", "GP", "MQ", "RE", "YT", "MF", "IC", "EA", "AX", "PT", "ES"} {
		assert.True(t, gdpr.InEEA(c), c)
		p := valid()
		p.Recipients = []gdpr.Recipient{{Name: "Depot", Role: gdpr.Processor, Country: c}}
		assert.NoError(t, p.Check(), c)
	}
	for _, c := range []string{"NC", "PF", "GL", "AW", "BL", "GI", "CH"} {
		assert.False(t, gdpr.InEEA(c), c)
	}
}

// TestRestrictionAllowsWhatArticle18_2Allows: under a restriction, apart
// from storage, processing goes on for legal claims, the protection of
// another person's rights, important public interest, or with the
// subject's consent given after the restriction (Art. 18(2)).
func TestRestrictionAllowsWhatArticle18_2Allows(t *testing.T) {
	ctx := context.Background()
	reader := &sinceReader{since: map[string]time.Time{}}
	store := gdpr.NewMemoryStore()
	c := &clock{now: t0}
	g, err := gdpr.NewGuard(gdpr.GuardConfig{
		Register: newRegister(t, purposes()...), Consent: reader, Objections: store, Restrictions: store, Now: c.Now,
		Contract: func(context.Context, string, string) (bool, error) { return true, nil },
	})
	require.NoError(t, err)
	reader.set("newsletter", t0.Add(-time.Hour))
	require.NoError(t, g.Restrict(ctx, gdpr.Restriction{Subject: "alice", Ground: gdpr.Accuracy}))

	for _, id := range []string{"archive", "claims", "safety", "registry"} {
		d, err := g.Allow(ctx, "alice", id)
		require.NoError(t, err, id)
		assert.Equal(t, gdpr.ReasonRestrictionExempt, d.Reason, id)
	}
	for _, id := range []string{"billing", "fraud", "tax"} {
		_, err := g.Allow(ctx, "alice", id)
		assert.ErrorIs(t, err, gdpr.ErrRestricted, id)
	}
	_, err = g.Allow(ctx, "alice", "newsletter")
	assert.ErrorIs(t, err, gdpr.ErrRestricted, "consent from before the restriction")
	reader.set("newsletter", t0)
	_, err = g.Allow(ctx, "alice", "newsletter")
	assert.ErrorIs(t, err, gdpr.ErrRestricted, "consent at the very instant of the restriction")
	reader.set("newsletter", t0.Add(time.Microsecond))
	d, err := g.Allow(ctx, "alice", "newsletter")
	require.NoError(t, err, "consent given after the restriction")
	assert.Equal(t, gdpr.ReasonRestrictionConsent, d.Reason)
}

// sinceReader grants consent to a purpose since the time set.
type sinceReader struct {
	mu    sync.Mutex
	since map[string]time.Time
	age   consent.Age
}

func (r *sinceReader) set(purpose string, since time.Time) {
	r.mu.Lock()
	r.since[purpose] = since
	r.mu.Unlock()
}

func (r *sinceReader) Status(_ context.Context, subject, purpose string, at time.Time) (consent.Status, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	since, ok := r.since[purpose]
	if !ok {
		return consent.Status{Subject: subject, Purpose: purpose, At: at}, nil
	}
	return consent.Status{Subject: subject, Purpose: purpose, At: at, State: consent.Granted, Since: since, Notice: "v1", Age: r.age}, nil
}

// TestLegalClaimsGoOnAfterObjection: Art. 21(1) ends processing after an
// objection unless the controller demonstrates compelling grounds "or for
// the establishment, exercise or defence of legal claims".
func TestLegalClaimsGoOnAfterObjection(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, false)
	for _, id := range []string{"claims", "fraud"} {
		require.NoError(t, f.guard.Object(ctx, gdpr.Objection{Subject: "alice", Purpose: id}))
	}
	d, err := f.guard.Allow(ctx, "alice", "claims")
	require.NoError(t, err)
	assert.Equal(t, gdpr.ReasonLegalClaimsOverObjection, d.Reason)
	_, err = f.guard.Allow(ctx, "alice", "fraud")
	assert.ErrorIs(t, err, gdpr.ErrObjected, "other purposes stop")

	p := valid()
	p.ID, p.Basis, p.BalancingTest, p.DirectMarketing, p.LegalClaims = "mail", gdpr.LegitimateInterests, "LIA-1", true, true
	assert.Equal(t, []string{"DirectMarketing"}, checkFields(t, p), "direct marketing never serves legal claims (Art. 21(3))")
}

// TestGuardChecksAgeOfConsent: a consent-based purpose for children
// (Art. 8) is refused when the consent record shows the subject below the
// age of digital consent of their country, unless a holder of parental
// responsibility consented. The edge in two countries: Germany (16) and
// France (15).
func TestGuardChecksAgeOfConsent(t *testing.T) {
	ctx := context.Background()
	games := valid()
	games.ID, games.Basis, games.Children = "games", gdpr.Consent, true
	strict := games
	strict.ID, strict.ConsentAge = "chat", 16
	reader := &sinceReader{since: map[string]time.Time{"games": t0.Add(-time.Hour), "chat": t0.Add(-time.Hour), "orders": t0}}
	store := gdpr.NewMemoryStore()
	g, err := gdpr.NewGuard(gdpr.GuardConfig{
		Register: newRegister(t, games, strict), Consent: reader, Objections: store, Restrictions: store,
		Now: func() time.Time { return t0 },
	})
	require.NoError(t, err)
	allow := func(purpose string, age consent.Age) error {
		reader.mu.Lock()
		reader.age = age
		reader.mu.Unlock()
		_, err := g.Allow(ctx, "kid", purpose)
		return err
	}
	cases := []struct {
		age  consent.Age
		want bool
	}{
		{consent.Age{Country: "DE", AtLeast: 15}, false},
		{consent.Age{Country: "DE", AtLeast: 16}, true},
		{consent.Age{Country: "FR", AtLeast: 14}, false},
		{consent.Age{Country: "FR", AtLeast: 15}, true},
		{consent.Age{Country: "DE", AtLeast: 15, Parental: true}, true},
		{consent.Age{Country: "FR"}, false},
		{consent.Age{AtLeast: 15}, false},
		{consent.Age{AtLeast: 16}, true},
		{consent.Age{Country: "US", AtLeast: 13}, false},
	}
	for _, c := range cases {
		err := allow("games", c.age)
		if c.want {
			assert.NoError(t, err, "%+v", c.age)
		} else {
			assert.ErrorIs(t, err, gdpr.ErrUnderAge, "%+v", c.age)
			assert.ErrorIs(t, err, gdpr.ErrNoConsent, "%+v", c.age)
		}
	}
	assert.ErrorIs(t, allow("chat", consent.Age{Country: "FR", AtLeast: 15}), gdpr.ErrUnderAge, "the purpose's higher age")
	assert.NoError(t, allow("chat", consent.Age{Country: "FR", AtLeast: 16}))
	assert.NoError(t, allow("chat", consent.Age{Country: "FR", AtLeast: 15, Parental: true}))
}

// TestGuardAgeEdgeThroughTheLedger: from a birth month on the consent
// record to the Guard's answer, at the edge in Germany (16) and France
// (15): the last instant of the birth month is still below the age, the
// next month's first instant is not.
func TestGuardAgeEdgeThroughTheLedger(t *testing.T) {
	ctx := context.Background()
	c := &clock{}
	ledger, err := consent.New(consent.LedgerConfig{Store: consent.NewMemoryStore(), Now: c.Now})
	require.NoError(t, err)
	games := valid()
	games.ID, games.Basis, games.Children = "games", gdpr.Consent, true
	store := gdpr.NewMemoryStore()
	g, err := gdpr.NewGuard(gdpr.GuardConfig{Register: newRegister(t, games), Consent: ledger, Objections: store, Restrictions: store, Now: c.Now})
	require.NoError(t, err)
	lastInstant := func(year int) time.Time { return time.Date(year, 6, 1, 0, 0, 0, 0, time.UTC).Add(-time.Microsecond) }
	for _, tc := range []struct {
		country, born string
		year          int
	}{{"DE", "2009-05", 2025}, {"FR", "2010-05", 2025}} {
		for i, at := range []time.Time{lastInstant(tc.year), lastInstant(tc.year).Add(time.Microsecond)} {
			subject := tc.country + "-" + at.Format("0102")
			c.now = at
			_, err := ledger.Grant(ctx, consent.Act{Subject: subject, Purposes: []string{"games"}, Notice: "v1",
				Method: consent.MethodCheckbox, Age: consent.Age{Country: tc.country, BirthMonth: tc.born}})
			require.NoError(t, err)
			_, err = g.Allow(ctx, subject, "games")
			if i == 0 {
				assert.ErrorIs(t, err, gdpr.ErrUnderAge, "%s, last instant of the birth month", tc.country)
			} else {
				assert.NoError(t, err, "%s, the month has passed", tc.country)
			}
		}
		// Below the age, a holder of parental responsibility consents.
		c.now = lastInstant(tc.year)
		subject := tc.country + "-parental"
		_, err := ledger.Grant(ctx, consent.Act{Subject: subject, Purposes: []string{"games"}, Notice: "v1",
			Method: consent.MethodCheckbox, Age: consent.Age{Country: tc.country, BirthMonth: tc.born, Parental: true},
			Proof: consent.Proof{ParentalResponsibility: "parent account p-9, verified by card check"}})
		require.NoError(t, err)
		_, err = g.Allow(ctx, subject, "games")
		assert.NoError(t, err, "%s, parental consent", tc.country)
	}
}
