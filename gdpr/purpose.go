package gdpr

import (
	"errors"
	"fmt"
	"slices"

	"github.com/gdprkit/gdprkit/gdpr/internal/safe"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/retention"
)

// Purpose is one processing purpose as the controller declares it: why data
// is processed, on which lawful basis, which categories it touches, how long
// it is kept, who receives it. Register.Add checks the declaration for
// consistency; the Guard decides by it; the record of processing (Art. 30)
// is written from it.
type Purpose struct {
	// ID is the purpose's stable code: lower-case letters, digits and
	// ". _ -", at most 64 bytes, such as "newsletter". Consent is recorded
	// in the consent ledger under the same ID, and the journal names it.
	ID string `json:"id"`
	// Name and Description say what the processing is for (Art. 30(1)(b)).
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`

	// Basis is the lawful basis of Art. 6(1).
	Basis Basis `json:"basis"`
	// Condition is the Art. 9(2) condition, required when Categories holds a
	// special category and not allowed otherwise.
	Condition Condition `json:"condition,omitempty"`
	// OfficialAuthority names the official authority, or the Union or
	// Member State law, under which criminal-offence data (Art. 10) is
	// processed. Required when Categories holds pii.CriminalData.
	OfficialAuthority string `json:"official_authority,omitempty"`
	// BalancingTest refers to the documented balancing of the controller's
	// interests against the subject's, required for LegitimateInterests
	// (a document ID or URL).
	BalancingTest string `json:"balancing_test,omitempty"`

	// Categories are the kinds of personal data the purpose may touch; the
	// Guard's Minimize keeps only fields within them.
	Categories []pii.Category `json:"categories"`
	// DataSubjects are the categories of data subjects, such as
	// "customers" or "employees" (Art. 30(1)(c)).
	DataSubjects []string `json:"data_subjects"`
	// Retention is how long data is kept for the purpose, as an ISO 8601
	// period ("P6M", "P10Y"; see ParsePeriod), counted from when the data
	// was collected for it unless the retention rules say otherwise.
	Retention string `json:"retention"`
	// Recipients are those the data is disclosed to (Art. 30(1)(d)–(e)).
	Recipients []Recipient `json:"recipients,omitempty"`
	// SecurityMeasures describe technical and organisational measures
	// specific to the purpose (Art. 30(1)(g)), in addition to those of
	// RegisterConfig.
	SecurityMeasures []string `json:"security_measures,omitempty"`

	// DirectMarketing marks direct marketing: the basis must be consent or
	// legitimate interests, and an objection (Art. 21(3)) ends it at once.
	DirectMarketing bool `json:"direct_marketing,omitempty"`
	// AutomatedDecisions marks decisions based solely on automated
	// processing with legal or similarly significant effects (Art. 22).
	AutomatedDecisions bool `json:"automated_decisions,omitempty"`
	// Children marks processing of children's data, or an information
	// society service offered directly to children (Art. 8). The purpose
	// also counts as such when Categories holds pii.ChildrenData.
	Children bool `json:"children,omitempty"`
	// ConsentAge is the age of digital consent applied (Art. 8(1): 16, or
	// 13 to 15 where Member State law says so); below it a holder of
	// parental responsibility consents. Required for consent-based
	// processing of children's data.
	ConsentAge int `json:"consent_age,omitempty"`

	// Storage marks a purpose that only stores data, and LegalClaims one
	// that serves the establishment, exercise or defence of legal claims:
	// both may go on while processing is restricted (Art. 18(2)).
	Storage     bool `json:"storage,omitempty"`
	LegalClaims bool `json:"legal_claims,omitempty"`
}

// Special reports whether the purpose touches special categories (Art. 9)
// or criminal-offence data (Art. 10).
func (p *Purpose) Special() bool {
	return slices.ContainsFunc(p.Categories, pii.Category.Special)
}

// Objectable reports whether the subject may object to the purpose (Art.
// 21): it rests on public task or legitimate interests, or is direct
// marketing.
func (p *Purpose) Objectable() bool { return p.Basis.Objectable() || p.DirectMarketing }

// RestrictionExempt reports whether the purpose may go on while processing
// is restricted (Art. 18(2)): storage or legal claims.
func (p *Purpose) RestrictionExempt() bool { return p.Storage || p.LegalClaims }

// RetentionPeriod returns the parsed Retention. The period of a registered
// purpose always parses.
func (p *Purpose) RetentionPeriod() (retention.Period, error) {
	return retention.ParsePeriod(p.Retention)
}

// children reports whether the purpose processes children's data.
func (p *Purpose) children() bool {
	return p.Children || slices.ContainsFunc(p.Categories, func(c pii.Category) bool { return c.Within(pii.ChildrenData) })
}

// clone returns a copy of p that shares no slice with it.
func (p *Purpose) clone() Purpose {
	c := *p
	c.Categories = slices.Clone(p.Categories)
	c.DataSubjects = slices.Clone(p.DataSubjects)
	c.Recipients = slices.Clone(p.Recipients)
	c.SecurityMeasures = slices.Clone(p.SecurityMeasures)
	return c
}

type fieldError struct {
	field string
	err   error
}

// Check returns nil when the declaration is complete and consistent, and
// otherwise one PurposeError per fault, joined (errors.Join): an ID that is
// not a code, no basis, special categories without an Art. 9 condition,
// criminal data without an official authority, legitimate interests without
// a balancing test, direct marketing on a basis other than consent or
// legitimate interests, automated decisions on a basis Art. 22(2) does not
// allow, consent from children without an age of consent, a retention that
// is not an ISO 8601 period, a recipient outside the EEA without a valid
// transfer safeguard, and so on.
func (p *Purpose) Check() error {
	var faults []fieldError
	add := func(field string, err error) { faults = append(faults, fieldError{field, err}) }

	if err := checkCode(p.ID); err != nil {
		add("ID", err)
	}
	if p.Name == "" {
		add("Name", errors.New("empty: say what the processing is for (Art. 30(1)(b))"))
	}
	if !p.Basis.Valid() {
		add("Basis", errors.New("no lawful basis (Art. 6(1)): want Consent, Contract, LegalObligation, VitalInterests, PublicTask or LegitimateInterests"))
	}
	p.checkCategories(add)
	if len(p.DataSubjects) == 0 || slices.Contains(p.DataSubjects, "") {
		add("DataSubjects", errors.New("name the categories of data subjects, such as \"customers\" (Art. 30(1)(c))"))
	}
	if _, err := retention.ParsePeriod(p.Retention); err != nil {
		add("Retention", err)
	}
	for i, r := range p.Recipients {
		for _, f := range r.check() {
			add(fmt.Sprintf("Recipients[%d].%s", i, f.field), f.err)
		}
	}
	p.checkBasis(add)

	errs := make([]error, len(faults))
	for i, f := range faults {
		errs[i] = &PurposeError{Purpose: p.ID, Field: f.field, Err: f.err}
	}
	return errors.Join(errs...)
}

func (p *Purpose) checkCategories(add func(string, error)) {
	if len(p.Categories) == 0 {
		add("Categories", errors.New("empty: name the categories of personal data the purpose touches (Art. 30(1)(c))"))
	}
	special, criminal := false, false
	for i, c := range p.Categories {
		if _, ok := pii.LookupCategory(string(c)); !ok || c == "" {
			add(fmt.Sprintf("Categories[%d]", i), fmt.Errorf("unknown category %q (register it with pii.RegisterCategory)", c))
			continue
		}
		switch c.Sensitivity() {
		case pii.SpecialCategory:
			special = true
		case pii.CriminalOffence:
			criminal = true
		}
	}
	switch {
	case p.Condition != 0 && !p.Condition.Valid():
		add("Condition", fmt.Errorf("unknown Art. 9(2) condition %d", p.Condition))
	case special && p.Condition == 0:
		add("Condition", errors.New("special categories of data (Art. 9) need an Art. 9(2) condition, such as ExplicitConsent"))
	case !special && p.Condition != 0:
		add("Condition", fmt.Errorf("%s is set but Categories holds no special category of Art. 9", p.Condition.Article()))
	}
	if criminal && p.OfficialAuthority == "" {
		add("OfficialAuthority", errors.New("criminal-offence data (Art. 10) may be processed only under official authority or a law that authorises it: name it"))
	}
}

func (p *Purpose) checkBasis(add func(string, error)) {
	if p.Basis == LegitimateInterests && p.BalancingTest == "" {
		add("BalancingTest", errors.New("legitimate interests (Art. 6(1)(f)) need a reference to the documented balancing test"))
	}
	if p.DirectMarketing && p.Basis.Valid() && p.Basis != Consent && p.Basis != LegitimateInterests {
		add("Basis", fmt.Errorf("direct marketing rests on consent or legitimate interests, not on %s", p.Basis.Article()))
	}
	if p.AutomatedDecisions {
		switch p.Basis {
		case VitalInterests, LegitimateInterests:
			add("Basis", fmt.Errorf("automated decisions (Art. 22(2)) need a contract, a law that authorises them or explicit consent, not %s", p.Basis.Article()))
		}
		if p.Special() && p.Condition.Valid() && p.Condition != ExplicitConsent && p.Condition != SubstantialPublicInterest {
			add("Condition", fmt.Errorf("automated decisions on special categories (Art. 22(4)) need Art. 9(2)(a) or (g), not %s", p.Condition.Article()))
		}
	}
	if p.ConsentAge != 0 && (p.ConsentAge < 13 || p.ConsentAge > 16) {
		add("ConsentAge", fmt.Errorf("%d: the age of digital consent is 13 to 16 (Art. 8(1))", p.ConsentAge))
	}
	if p.children() && p.ConsentAge == 0 && (p.Basis == Consent || p.Condition == ExplicitConsent) {
		add("ConsentAge", errors.New("consent-based processing of children's data needs an age rule (Art. 8(1)): set the age of digital consent, 13 to 16"))
	}
	if p.Storage && (p.DirectMarketing || p.AutomatedDecisions) {
		add("Storage", errors.New("a storage-only purpose cannot also be direct marketing or automated decisions"))
	}
}

// checkCode checks an identifier used in the journal and the ledger:
// 1 to 64 bytes of lower-case letters, digits and ". _ -".
func checkCode(s string) error {
	if !safe.Code(s, false) {
		return fmt.Errorf("%q: want 1 to 64 lower-case letters, digits, '.', '_' or '-'", s)
	}
	return nil
}
