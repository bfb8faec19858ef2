package gdpr

import (
	"errors"
	"fmt"
	"slices"

	"github.com/gdprkit/gdprkit/consent"
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
	// Law names the Union or Member State law relied on, where the GDPR
	// requires one: for the Art. 9(2) conditions (b) employment (or a
	// collective agreement under Member State law), (g) substantial public
	// interest, (h) health or social care (or the contract with a health
	// professional it allows), (i) public health and (j) archiving,
	// research or statistics; and for automated decisions authorised by law
	// (Art. 22(2)(b)). Required in those cases.
	Law string `json:"law,omitempty"`
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
	// Required unless RetentionCriteria is given.
	Retention string `json:"retention"`
	// RetentionCriteria are the criteria used to determine the period where
	// no fixed period can be given (Art. 13(2)(a), 14(2)(a), 15(1)(d)),
	// such as "until the warranty claims of the order are time-barred".
	// They may also explain a Retention period. A purpose with criteria but
	// no Retention period gives no automatic retention rule: its data must
	// be erased by a rule or decision the controller takes when the
	// criteria are met.
	RetentionCriteria string `json:"retention_criteria,omitempty"`
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
	// Such a purpose must say what Decision says, rest on a contract, on
	// a law (Law) or on explicit consent (Art. 22(2)); on consent, that
	// consent must be explicit (Condition ExplicitConsent).
	AutomatedDecisions bool `json:"automated_decisions,omitempty"`
	// Decision is the meaningful information about the logic involved and
	// the significance and envisaged consequences of the automated
	// decisions for the subject (Art. 13(2)(f), 14(2)(g), 15(1)(h)).
	// Required when AutomatedDecisions is set, not allowed otherwise.
	Decision DecisionInfo `json:"automated_decision,omitzero"`
	// Children marks processing of children's data, or an information
	// society service offered directly to children (Art. 8). The purpose
	// also counts as such when Categories holds pii.ChildrenData.
	Children bool `json:"children,omitempty"`
	// ConsentAge raises the age of digital consent (Art. 8(1)) the Guard
	// applies to a consent-based purpose for children. The age is that of
	// the subject's country, from the consent record (consent.Age,
	// consent.AgeOfConsent: 13 to 16 by Member State law; 16 outside the
	// EEA and the UK or when the country is unknown); ConsentAge, 13 to 16,
	// applies where it is higher, as a controller may ask for more than the
	// law, never less. Zero: the country's age alone. Below the age, the
	// Guard requires the consent of a holder of parental responsibility.
	ConsentAge int `json:"consent_age,omitempty"`

	// Storage marks a purpose that only stores data, and LegalClaims one
	// that serves the establishment, exercise or defence of legal claims:
	// both may go on while processing is restricted (Art. 18(2)). A
	// legal-claims purpose also goes on after an objection under Art.
	// 21(1), which spares processing "for the establishment, exercise or
	// defence of legal claims".
	Storage     bool `json:"storage,omitempty"`
	LegalClaims bool `json:"legal_claims,omitempty"`
	// ProtectsOthers marks a purpose that serves the protection of the
	// rights of another natural or legal person, and PublicInterest one
	// for reasons of important public interest of the Union or of a Member
	// State: both may go on while processing is restricted (Art. 18(2)).
	ProtectsOthers bool `json:"protects_others,omitempty"`
	PublicInterest bool `json:"public_interest,omitempty"`
}

// DecisionInfo is what a subject must be told about automated decisions
// (Art. 22) that concern them: meaningful information about the logic
// involved, as well as the significance and the envisaged consequences of
// such processing for the data subject (Art. 15(1)(h)).
type DecisionInfo struct {
	// Logic explains, in plain language, how the decision is reached: the
	// factors taken into account and their weight.
	Logic string `json:"logic"`
	// Significance says what the decision means for the subject.
	Significance string `json:"significance"`
	// Consequences are the envisaged consequences, such as "an application
	// for credit may be refused".
	Consequences string `json:"consequences"`
}

// ErrNoRetentionPeriod is returned by Purpose.RetentionPeriod for a purpose
// whose retention is given only as criteria (RetentionCriteria): it has no
// period to count.
var ErrNoRetentionPeriod = errors.New("gdpr: retention given as criteria, not as a period")

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
// is restricted, whatever the subject's consent (Art. 18(2)): storage,
// legal claims, the protection of another person's rights or important
// public interest.
func (p *Purpose) RestrictionExempt() bool {
	return p.Storage || p.LegalClaims || p.ProtectsOthers || p.PublicInterest
}

// RetentionPeriod returns the parsed Retention. The period of a registered
// purpose always parses; a purpose whose retention is given only as
// criteria returns ErrNoRetentionPeriod.
func (p *Purpose) RetentionPeriod() (retention.Period, error) {
	if p.Retention == "" && p.RetentionCriteria != "" {
		return retention.Period{}, fmt.Errorf("purpose %q: %w", p.ID, ErrNoRetentionPeriod)
	}
	return retention.ParsePeriod(p.Retention)
}

// needsLaw reports whether c is one of the Art. 9(2) conditions that rest
// on Union or Member State law: (b), (g), (h), (i) and (j).
func (c Condition) needsLaw() bool {
	switch c {
	case Employment, SubstantialPublicInterest, HealthCare, PublicHealth, Archiving:
		return true
	}
	return false
}

// children reports whether the purpose processes children's data.
func (p *Purpose) children() bool {
	return p.Children || slices.ContainsFunc(p.Categories, func(c pii.Category) bool { return c.Within(pii.ChildrenData) })
}

// ageOfConsent returns the age of digital consent (Art. 8(1)) that applies
// to a subject of the given age record: that of the subject's country
// (consent.AgeOfConsent; 16 outside the table or without a country),
// raised to the purpose's ConsentAge when that is higher.
func (p *Purpose) ageOfConsent(a consent.Age) int {
	return max(a.ConsentAge(), p.ConsentAge)
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
// an Art. 9(2)(b), (g)–(j) condition without the law it rests on, criminal
// data without an official authority, legitimate interests without a
// balancing test, direct marketing on a basis other than consent or
// legitimate interests, automated decisions on a basis Art. 22(2) does not
// allow (plain consent, or a law not named) or without the information of
// Art. 15(1)(h), an age of consent outside 13 to 16, neither a retention
// period (ISO 8601) nor retention criteria, a recipient outside the EEA
// without a valid transfer safeguard (standard clauses and binding
// corporate rules need a reference and a transfer impact assessment; an
// Art. 49 derogation only for occasional transfers), and so on.
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
	// Art. 13(2)(a): the period, or if that is not possible the criteria
	// used to determine it.
	if p.Retention != "" || p.RetentionCriteria == "" {
		if _, err := retention.ParsePeriod(p.Retention); err != nil {
			if p.Retention == "" {
				err = fmt.Errorf("%w; or give RetentionCriteria, the criteria used to determine the period (Art. 13(2)(a))", err)
			}
			add("Retention", err)
		}
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
	// Art. 22(2)(c): explicit consent lifts the ban on automated decisions
	// whatever the data, so it may be declared without special categories.
	art22Consent := p.AutomatedDecisions && p.Condition == ExplicitConsent
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
	case !special && p.Condition != 0 && !art22Consent:
		add("Condition", fmt.Errorf("%s is set but Categories holds no special category of Art. 9", p.Condition.Article()))
	case special && p.Condition.needsLaw() && p.Law == "":
		add("Law", fmt.Errorf("%s rests on Union or Member State law: name it", p.Condition.Article()))
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
		explicit := p.Condition == ExplicitConsent
		switch {
		case explicit: // Art. 22(2)(c)
		case p.Basis == Consent:
			add("Condition", errors.New("automated decisions on consent need explicit consent (Art. 22(2)(c)): set Condition to ExplicitConsent"))
		case p.Basis == VitalInterests || p.Basis == LegitimateInterests:
			add("Basis", fmt.Errorf("automated decisions (Art. 22(2)) need a contract, a law that authorises them or explicit consent, not %s", p.Basis.Article()))
		case (p.Basis == LegalObligation || p.Basis == PublicTask) && p.Law == "":
			add("Law", errors.New("automated decisions authorised by law (Art. 22(2)(b)): name the Union or Member State law"))
		}
		if p.Special() && p.Condition.Valid() && p.Condition != ExplicitConsent && p.Condition != SubstantialPublicInterest {
			add("Condition", fmt.Errorf("automated decisions on special categories (Art. 22(4)) need Art. 9(2)(a) or (g), not %s", p.Condition.Article()))
		}
		d := p.Decision
		if d.Logic == "" || d.Significance == "" || d.Consequences == "" {
			add("Decision", errors.New("automated decisions need meaningful information about the logic involved, their significance and envisaged consequences (Art. 15(1)(h)): set Logic, Significance and Consequences"))
		}
	} else if p.Decision != (DecisionInfo{}) {
		add("Decision", errors.New("set, but AutomatedDecisions is not"))
	}
	if p.ConsentAge != 0 && (p.ConsentAge < 13 || p.ConsentAge > 16) {
		add("ConsentAge", fmt.Errorf("%d: the age of digital consent is 13 to 16 (Art. 8(1))", p.ConsentAge))
	}
	if p.Storage && (p.DirectMarketing || p.AutomatedDecisions) {
		add("Storage", errors.New("a storage-only purpose cannot also be direct marketing or automated decisions"))
	}
	if p.DirectMarketing && (p.LegalClaims || p.ProtectsOthers || p.PublicInterest) {
		add("DirectMarketing", errors.New("direct marketing cannot also serve legal claims, the protection of others or a public interest (Art. 18(2), 21(3))"))
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
