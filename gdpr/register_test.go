package gdpr_test

import (
	"errors"
	"testing"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scoring is the Art. 15(1)(h) information of an automated decision.
var scoring = gdpr.DecisionInfo{
	Logic:        "payment history and open balance decide a score from 0 to 100",
	Significance: "the score decides whether an order can be paid by invoice",
	Consequences: "below 40, only prepayment is offered",
}

func valid() gdpr.Purpose {
	return gdpr.Purpose{
		ID: "orders", Name: "Order handling", Basis: gdpr.Contract,
		Categories:   []pii.Category{pii.Name, pii.Address},
		DataSubjects: []string{"customers"},
		Retention:    "P10Y",
	}
}

// TestPurposeCheck registers one inconsistent purpose per rule and expects
// the error to name the field at fault and say why.
func TestPurposeCheck(t *testing.T) {
	require.NoError(t, func() error { p := valid(); return p.Check() }(), "the base purpose is valid")

	cases := []struct {
		name  string
		edit  func(*gdpr.Purpose)
		field string
		says  string
	}{
		{"id not a code", func(p *gdpr.Purpose) { p.ID = "Order Handling" }, "ID", "lower-case"},
		{"id empty", func(p *gdpr.Purpose) { p.ID = "" }, "ID", "want 1 to 64"},
		{"no name", func(p *gdpr.Purpose) { p.Name = "" }, "Name", "Art. 30(1)(b)"},
		{"no basis", func(p *gdpr.Purpose) { p.Basis = 0 }, "Basis", "no lawful basis"},
		{"unknown basis", func(p *gdpr.Purpose) { p.Basis = 9 }, "Basis", "no lawful basis"},
		{"no categories", func(p *gdpr.Purpose) { p.Categories = nil }, "Categories", "Art. 30(1)(c)"},
		{"unknown category", func(p *gdpr.Purpose) { p.Categories = []pii.Category{"user.shoe_size"} }, "Categories[0]", `unknown category "user.shoe_size"`},
		{"no data subjects", func(p *gdpr.Purpose) { p.DataSubjects = nil }, "DataSubjects", "categories of data subjects"},
		{"bad retention", func(p *gdpr.Purpose) { p.Retention = "1 year" }, "Retention", "must start with 'P'"},
		{"no retention", func(p *gdpr.Purpose) { p.Retention = "" }, "Retention", "empty; want a duration"},
		{"special without condition", func(p *gdpr.Purpose) { p.Categories = append(p.Categories, pii.Health) }, "Condition", "Art. 9(2) condition"},
		{"condition without special", func(p *gdpr.Purpose) { p.Condition = gdpr.HealthCare }, "Condition", "no special category"},
		{"unknown condition", func(p *gdpr.Purpose) { p.Categories = []pii.Category{pii.Health}; p.Condition = 42 }, "Condition", "unknown Art. 9(2) condition"},
		{"criminal without authority", func(p *gdpr.Purpose) { p.Categories = []pii.Category{pii.CriminalData} }, "OfficialAuthority", "Art. 10"},
		{"legitimate interests without balancing test", func(p *gdpr.Purpose) { p.Basis = gdpr.LegitimateInterests }, "BalancingTest", "balancing test"},
		{"direct marketing on contract", func(p *gdpr.Purpose) { p.DirectMarketing = true }, "Basis", "direct marketing rests on consent or legitimate interests, not on Art. 6(1)(b)"},
		{"direct marketing on public task", func(p *gdpr.Purpose) { p.DirectMarketing = true; p.Basis = gdpr.PublicTask }, "Basis", "Art. 6(1)(e)"},
		{"automated decisions on legitimate interests", func(p *gdpr.Purpose) {
			p.AutomatedDecisions = true
			p.Basis = gdpr.LegitimateInterests
			p.BalancingTest = "LIA-1"
		}, "Basis", "Art. 22(2)"},
		{"automated decisions on health care data", func(p *gdpr.Purpose) {
			p.AutomatedDecisions = true
			p.Decision = scoring
			p.Categories = []pii.Category{pii.Health}
			p.Condition = gdpr.HealthCare
			p.Law = "§ 22 BDSG"
		}, "Condition", "Art. 22(4)"},
		{"age out of range", func(p *gdpr.Purpose) { p.Basis = gdpr.Consent; p.Children = true; p.ConsentAge = 18 }, "ConsentAge", "13 to 16"},
		{"storage that markets", func(p *gdpr.Purpose) {
			p.Storage = true
			p.DirectMarketing = true
			p.Basis = gdpr.Consent
		}, "Storage", "storage-only"},
		{"recipient without name", func(p *gdpr.Purpose) {
			p.Recipients = []gdpr.Recipient{{Role: gdpr.Processor, Country: "DE"}}
		}, "Recipients[0].Name", "empty"},
		{"recipient without role", func(p *gdpr.Purpose) {
			p.Recipients = []gdpr.Recipient{{Name: "Mailer", Country: "DE"}}
		}, "Recipients[0].Role", "Processor"},
		{"recipient country lower case", func(p *gdpr.Purpose) {
			p.Recipients = []gdpr.Recipient{{Name: "Mailer", Role: gdpr.Processor, Country: "de"}}
		}, "Recipients[0].Country", "upper case"},
		{"recipient country unknown", func(p *gdpr.Purpose) {
			p.Recipients = []gdpr.Recipient{{Name: "Mailer", Role: gdpr.Processor, Country: "QQ"}}
		}, "Recipients[0].Country", "not an ISO 3166-1 country code"},
		{"transfer without safeguard", func(p *gdpr.Purpose) {
			p.Recipients = []gdpr.Recipient{{Name: "Mailer", Role: gdpr.Processor, Country: "DE"}, {Name: "Cloud", Role: gdpr.Processor, Country: "IN"}}
		}, "Recipients[1].Safeguard", "IN, outside the EEA, needs a safeguard"},
		{"adequacy where there is none", func(p *gdpr.Purpose) {
			p.Recipients = []gdpr.Recipient{{Name: "Cloud", Role: gdpr.Processor, Country: "IN", Safeguard: gdpr.Adequacy}}
		}, "Recipients[0].Safeguard", "IN has no adequacy decision"},
		{"partial adequacy without certification", func(p *gdpr.Purpose) {
			p.Recipients = []gdpr.Recipient{{Name: "Cloud", Role: gdpr.Processor, Country: "US", Safeguard: gdpr.Adequacy}}
		}, "Recipients[0].Reference", "Data Privacy Framework"},
		{"derogation without point", func(p *gdpr.Purpose) {
			p.Recipients = []gdpr.Recipient{{Name: "Hotel", Role: gdpr.ThirdParty, Country: "BR", Safeguard: gdpr.Derogation}}
		}, "Recipients[0].Reference", "Art. 49(1)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := valid()
			c.edit(&p)
			err := p.Check()
			require.Error(t, err)
			assert.ErrorIs(t, err, gdpr.ErrInvalidPurpose)
			var pe *gdpr.PurposeError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, p.ID, pe.Purpose)
			assert.Equal(t, c.field, pe.Field, "%v", err)
			assert.ErrorContains(t, err, c.says)

			_, err = gdpr.NewRegister(gdpr.RegisterConfig{Controller: gdpr.Party{Name: "C"}}, p)
			assert.ErrorIs(t, err, gdpr.ErrInvalidPurpose, "the register refuses it")
		})
	}
}

func TestPurposeCheckAcceptsConsistentDeclarations(t *testing.T) {
	cases := map[string]func(*gdpr.Purpose){
		"transfer inside the EEA needs no safeguard": func(p *gdpr.Purpose) {
			p.Recipients = []gdpr.Recipient{{Name: "Mailer", Role: gdpr.Processor, Country: "NO"}}
		},
		"adequacy for Switzerland": func(p *gdpr.Purpose) {
			p.Recipients = []gdpr.Recipient{{Name: "Bank", Role: gdpr.ThirdParty, Country: "CH", Safeguard: gdpr.Adequacy}}
		},
		"adequacy for a DPF-certified US processor": func(p *gdpr.Purpose) {
			p.Recipients = []gdpr.Recipient{{Name: "Cloud", Role: gdpr.Processor, Country: "US", Safeguard: gdpr.Adequacy, Reference: "DPF listing 12345"}}
		},
		"standard clauses anywhere": func(p *gdpr.Purpose) {
			p.Recipients = []gdpr.Recipient{{Name: "Support", Role: gdpr.Processor, Country: "IN", Safeguard: gdpr.StandardClauses,
				Reference: "SCC 2021/914 module 2", ImpactAssessed: true}}
		},
		"health data on explicit consent with automated decisions": func(p *gdpr.Purpose) {
			p.Basis = gdpr.Consent
			p.Categories = []pii.Category{pii.Health}
			p.Condition = gdpr.ExplicitConsent
			p.AutomatedDecisions = true
			p.Decision = scoring
		},
		"children on consent with age 13":                     func(p *gdpr.Purpose) { p.Basis = gdpr.Consent; p.Children = true; p.ConsentAge = 13 },
		"children on consent, age from the subject's country": func(p *gdpr.Purpose) { p.Basis = gdpr.Consent; p.Children = true },
		"children's data category on consent": func(p *gdpr.Purpose) {
			p.Basis = gdpr.Consent
			p.Categories = append(p.Categories, pii.ChildrenData)
		},
		"criminal data under official authority": func(p *gdpr.Purpose) {
			p.Basis = gdpr.LegalObligation
			p.Categories = []pii.Category{pii.CriminalData}
			p.OfficialAuthority = "§ 30a BZRG"
		},
		"direct marketing on legitimate interests": func(p *gdpr.Purpose) {
			p.Basis = gdpr.LegitimateInterests
			p.BalancingTest = "https://intra.example/lia/7"
			p.DirectMarketing = true
		},
		"period with time": func(p *gdpr.Purpose) { p.Retention = "P1Y2M3DT4H" },
	}
	for name, edit := range cases {
		p := valid()
		edit(&p)
		assert.NoError(t, p.Check(), name)
	}
}

func TestPurposeCheckReportsEveryFault(t *testing.T) {
	p := gdpr.Purpose{ID: "x", Basis: gdpr.LegitimateInterests, DirectMarketing: true, Retention: "P1Y"}
	err := p.Check()
	var fields []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var pe *gdpr.PurposeError
		require.True(t, errors.As(e, &pe))
		fields = append(fields, pe.Field)
	}
	assert.Equal(t, []string{"Name", "Categories", "DataSubjects", "BalancingTest"}, fields)
}

func TestRegister(t *testing.T) {
	_, err := gdpr.NewRegister(gdpr.RegisterConfig{})
	assert.ErrorIs(t, err, gdpr.ErrInvalidConfig)
	assert.ErrorContains(t, err, "Controller.Name")

	reg := newRegister(t, valid())
	dup := valid()
	dup.Name = "Again"
	other := valid()
	other.ID = "returns"
	err = reg.Add(other, dup)
	assert.ErrorIs(t, err, gdpr.ErrDuplicatePurpose)
	assert.ErrorIs(t, err, gdpr.ErrInvalidPurpose)
	assert.ErrorContains(t, err, `purpose "orders": ID`)
	_, ok := reg.Purpose("returns")
	assert.False(t, ok, "Add is all or nothing")

	require.NoError(t, reg.Add(other))
	ids := []string{}
	for _, p := range reg.Purposes() {
		ids = append(ids, p.ID)
	}
	assert.Equal(t, []string{"orders", "returns"}, ids)

	// What the register hands out cannot change what it holds.
	p, ok := reg.Purpose("orders")
	require.True(t, ok)
	p.Categories[0] = pii.Health
	again, _ := reg.Purpose("orders")
	assert.Equal(t, pii.Name, again.Categories[0])
	assert.Equal(t, "Example Shop GmbH", reg.Controller().Name)
}

func TestBasisAndConditionCodes(t *testing.T) {
	for b := gdpr.Consent; b <= gdpr.LegitimateInterests; b++ {
		text, err := b.MarshalText()
		require.NoError(t, err)
		var back gdpr.Basis
		require.NoError(t, back.UnmarshalText(text))
		assert.Equal(t, b, back)
	}
	assert.Equal(t, "Art. 6(1)(f) legitimate interests", gdpr.LegitimateInterests.Article())
	assert.Equal(t, "Art. 9(2)(h) health or social care", gdpr.HealthCare.Article())
	_, err := gdpr.ParseBasis("vibes")
	assert.ErrorContains(t, err, `unknown lawful basis "vibes"`)
	_, err = gdpr.Basis(0).MarshalText()
	assert.Error(t, err)
	for c := gdpr.ExplicitConsent; c <= gdpr.Archiving; c++ {
		back, err := gdpr.ParseCondition(c.String())
		require.NoError(t, err)
		assert.Equal(t, c, back)
	}
	none, err := gdpr.ParseCondition("")
	require.NoError(t, err)
	assert.Equal(t, gdpr.Condition(0), none)
	assert.True(t, gdpr.PublicTask.Objectable())
	assert.False(t, gdpr.Consent.Objectable())
}

func TestTransferLists(t *testing.T) {
	assert.True(t, gdpr.InEEA("NO"), "Norway is in the EEA")
	assert.True(t, gdpr.InEEA("GR"))
	assert.False(t, gdpr.InEEA("CH"), "Switzerland is not")
	assert.False(t, gdpr.InEEA("GB"))
	ok, partial := gdpr.Adequate("JP")
	assert.True(t, ok)
	assert.True(t, partial)
	ok, partial = gdpr.Adequate("CH")
	assert.True(t, ok)
	assert.False(t, partial)
	ok, _ = gdpr.Adequate("CN")
	assert.False(t, ok)
}
