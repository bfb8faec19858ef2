package gdpr

import "fmt"

// Basis is a lawful basis for processing personal data, Art. 6(1)(a)–(f)
// GDPR. The zero Basis is no basis and is never valid in a Purpose.
type Basis uint8

// The six lawful bases of Art. 6(1).
const (
	// Consent, Art. 6(1)(a): the subject consented to the purpose. The Guard
	// reads consent from the consent ledger at the instant of the call.
	Consent Basis = iota + 1
	// Contract, Art. 6(1)(b): necessary for a contract with the subject or
	// steps before entering into one. The Guard asks GuardConfig.Contract.
	Contract
	// LegalObligation, Art. 6(1)(c): necessary to comply with a legal
	// obligation of the controller. Holds as declared.
	LegalObligation
	// VitalInterests, Art. 6(1)(d): necessary to protect the vital interests
	// of the subject or another person. Holds as declared.
	VitalInterests
	// PublicTask, Art. 6(1)(e): a task in the public interest or in the
	// exercise of official authority. Holds as declared, unless the subject
	// objected (Art. 21(1)).
	PublicTask
	// LegitimateInterests, Art. 6(1)(f): the legitimate interests of the
	// controller or a third party, weighed against the subject's in a
	// balancing test. Holds unless the subject objected (Art. 21(1)).
	LegitimateInterests
)

var basisInfo = [...]struct{ code, letter, title string }{
	Consent:             {"consent", "a", "consent"},
	Contract:            {"contract", "b", "performance of a contract"},
	LegalObligation:     {"legal-obligation", "c", "compliance with a legal obligation"},
	VitalInterests:      {"vital-interests", "d", "protection of vital interests"},
	PublicTask:          {"public-task", "e", "task in the public interest or official authority"},
	LegitimateInterests: {"legitimate-interests", "f", "legitimate interests"},
}

// Valid reports whether b is one of the six bases.
func (b Basis) Valid() bool { return b >= Consent && b <= LegitimateInterests }

// String returns the basis's code, such as "legitimate-interests", as used
// in the journal, the record of processing and MarshalText.
func (b Basis) String() string {
	if b.Valid() {
		return basisInfo[b].code
	}
	return fmt.Sprintf("Basis(%d)", uint8(b))
}

// Article returns the legal reference and title, such as
// "Art. 6(1)(f) legitimate interests".
func (b Basis) Article() string {
	if !b.Valid() {
		return b.String()
	}
	return "Art. 6(1)(" + basisInfo[b].letter + ") " + basisInfo[b].title
}

// Objectable reports whether the subject has the right to object (Art.
// 21(1)) to processing on this basis: public task and legitimate interests.
func (b Basis) Objectable() bool { return b == PublicTask || b == LegitimateInterests }

// MarshalText encodes the basis as its code.
func (b Basis) MarshalText() ([]byte, error) {
	if !b.Valid() {
		return nil, fmt.Errorf("gdpr: cannot encode %v: not a lawful basis", b)
	}
	return []byte(b.String()), nil
}

// UnmarshalText decodes a basis code.
func (b *Basis) UnmarshalText(text []byte) error {
	v, err := ParseBasis(string(text))
	if err != nil {
		return err
	}
	*b = v
	return nil
}

// ParseBasis reads a basis code such as "consent" or "legitimate-interests".
func ParseBasis(code string) (Basis, error) {
	for b := Consent; b <= LegitimateInterests; b++ {
		if basisInfo[b].code == code {
			return b, nil
		}
	}
	return 0, fmt.Errorf("gdpr: unknown lawful basis %q (want consent, contract, legal-obligation, vital-interests, public-task or legitimate-interests)", code)
}

// Condition is a condition of Art. 9(2)(a)–(j) GDPR that lifts the ban on
// processing special categories of personal data (health, genetic,
// biometric, racial or ethnic origin, political opinions, beliefs,
// trade-union membership, sex life or orientation). It comes in addition to
// a lawful basis of Art. 6, never instead of one. The zero Condition is none.
type Condition uint8

// The conditions of Art. 9(2).
const (
	// ExplicitConsent, Art. 9(2)(a). The Guard then requires consent from
	// the ledger whatever the purpose's Art. 6 basis.
	ExplicitConsent Condition = iota + 1
	// Employment, Art. 9(2)(b): obligations and rights in employment and
	// social security law.
	Employment
	// VitalInterestsIncapable, Art. 9(2)(c): vital interests where the
	// subject is physically or legally incapable of giving consent.
	VitalInterestsIncapable
	// NotForProfit, Art. 9(2)(d): a not-for-profit body with a political,
	// philosophical, religious or trade-union aim, about its members.
	NotForProfit
	// MadePublic, Art. 9(2)(e): data manifestly made public by the subject.
	MadePublic
	// LegalClaims, Art. 9(2)(f): legal claims, or courts acting in their
	// judicial capacity.
	LegalClaims
	// SubstantialPublicInterest, Art. 9(2)(g): substantial public interest
	// on the basis of Union or Member State law.
	SubstantialPublicInterest
	// HealthCare, Art. 9(2)(h): preventive or occupational medicine, medical
	// diagnosis, health or social care.
	HealthCare
	// PublicHealth, Art. 9(2)(i): public interest in public health.
	PublicHealth
	// Archiving, Art. 9(2)(j): archiving in the public interest, scientific
	// or historical research, or statistics (Art. 89(1)).
	Archiving
)

var conditionInfo = [...]struct{ code, letter, title string }{
	ExplicitConsent:           {"explicit-consent", "a", "explicit consent"},
	Employment:                {"employment", "b", "employment, social security and social protection law"},
	VitalInterestsIncapable:   {"vital-interests", "c", "vital interests, subject incapable of consent"},
	NotForProfit:              {"not-for-profit", "d", "not-for-profit body, about its members"},
	MadePublic:                {"made-public", "e", "manifestly made public by the subject"},
	LegalClaims:               {"legal-claims", "f", "legal claims or judicial acts"},
	SubstantialPublicInterest: {"substantial-public-interest", "g", "substantial public interest"},
	HealthCare:                {"health-care", "h", "health or social care"},
	PublicHealth:              {"public-health", "i", "public health"},
	Archiving:                 {"archiving", "j", "archiving, research or statistics"},
}

// Valid reports whether c is one of the ten conditions.
func (c Condition) Valid() bool { return c >= ExplicitConsent && c <= Archiving }

// String returns the condition's code, such as "explicit-consent"; "" for
// no condition.
func (c Condition) String() string {
	switch {
	case c == 0:
		return ""
	case c.Valid():
		return conditionInfo[c].code
	}
	return fmt.Sprintf("Condition(%d)", uint8(c))
}

// Article returns the legal reference and title, such as
// "Art. 9(2)(a) explicit consent"; "" for no condition.
func (c Condition) Article() string {
	if !c.Valid() {
		return c.String()
	}
	return "Art. 9(2)(" + conditionInfo[c].letter + ") " + conditionInfo[c].title
}

// MarshalText encodes the condition as its code ("" for none).
func (c Condition) MarshalText() ([]byte, error) {
	if c != 0 && !c.Valid() {
		return nil, fmt.Errorf("gdpr: cannot encode %v: not an Art. 9(2) condition", c)
	}
	return []byte(c.String()), nil
}

// UnmarshalText decodes a condition code ("" for none).
func (c *Condition) UnmarshalText(text []byte) error {
	v, err := ParseCondition(string(text))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// ParseCondition reads a condition code such as "explicit-consent"; ""
// gives no condition.
func ParseCondition(code string) (Condition, error) {
	if code == "" {
		return 0, nil
	}
	for c := ExplicitConsent; c <= Archiving; c++ {
		if conditionInfo[c].code == code {
			return c, nil
		}
	}
	return 0, fmt.Errorf("gdpr: unknown Art. 9(2) condition %q", code)
}
