package gdpr

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/text/language"
)

// Recipient is someone personal data is disclosed to for a purpose (Art.
// 4(9)): a processor, a joint controller or a third party, with where they
// are and, outside the EEA, the safeguard of the transfer (Chapter V).
type Recipient struct {
	// Name of the recipient or of the category of recipients.
	Name string `json:"name"`
	Role Role   `json:"role"`
	// Country where the data is processed, as an ISO 3166-1 alpha-2 code in
	// upper case, such as "DE" or "US"; "UK" is read as "GB" and the EU's
	// "EL" as "GR", as everywhere in the package. Optional for an
	// international organisation.
	Country string `json:"country"`
	// InternationalOrganisation marks an international organisation (Art.
	// 4(26)), named in Name: disclosing data to it is a transfer under
	// Chapter V wherever it sits (Art. 44).
	InternationalOrganisation bool `json:"international_organisation,omitempty"`
	// Safeguard of a transfer outside the EEA; none inside it.
	Safeguard Safeguard `json:"safeguard,omitempty"`
	// Reference documents the safeguard: the standard contractual clauses'
	// module and date, the approval of the binding corporate rules, the Data
	// Privacy Framework listing (or why the recipient is in scope) for a
	// partial adequacy decision, or the point of Art. 49(1) relied on.
	// Required for every safeguard but a full adequacy decision.
	Reference string `json:"reference,omitempty"`
	// ImpactAssessed records that a transfer impact assessment was made for
	// a transfer on standard contractual clauses or binding corporate rules:
	// that the law and practice of the destination do not undermine them,
	// with supplementary measures where needed (CJEU C-311/18 Schrems II;
	// EDPB Recommendations 01/2020). Required for those safeguards.
	ImpactAssessed bool `json:"transfer_impact_assessed,omitempty"`
	// Occasional states that transfers to this recipient on an Art. 49
	// derogation are occasional and not repetitive: a derogation cannot be
	// the standing ground of a purpose's transfers (EDPB Guidelines 2/2018).
	// Required for Derogation.
	Occasional bool `json:"occasional,omitempty"`
}

// ThirdCountry reports whether the recipient is outside the EEA, or an
// international organisation, so that disclosing data to it is a transfer
// under Chapter V.
func (r Recipient) ThirdCountry() bool { return r.InternationalOrganisation || !InEEA(r.Country) }

// Role is the position of a recipient towards the controller.
type Role uint8

// Roles of recipients.
const (
	// Processor processes on the controller's behalf (Art. 28).
	Processor Role = iota + 1
	// JointController determines purposes and means with the controller
	// (Art. 26).
	JointController
	// ThirdParty is an independent controller receiving the data.
	ThirdParty
)

var roleCodes = [...]string{Processor: "processor", JointController: "joint-controller", ThirdParty: "third-party"}

// Valid reports whether r is one of the three roles.
func (r Role) Valid() bool { return r >= Processor && r <= ThirdParty }

// String returns the role's code, such as "joint-controller".
func (r Role) String() string {
	if r.Valid() {
		return roleCodes[r]
	}
	return fmt.Sprintf("Role(%d)", uint8(r))
}

// MarshalText encodes the role as its code.
func (r Role) MarshalText() ([]byte, error) {
	if !r.Valid() {
		return nil, fmt.Errorf("gdpr: cannot encode %v: not a recipient role", r)
	}
	return []byte(r.String()), nil
}

// UnmarshalText decodes a role code.
func (r *Role) UnmarshalText(text []byte) error {
	for v := Processor; v <= ThirdParty; v++ {
		if roleCodes[v] == string(text) {
			*r = v
			return nil
		}
	}
	return fmt.Errorf("gdpr: unknown recipient role %q (want processor, joint-controller or third-party)", text)
}

// Safeguard is the ground of a transfer of personal data to a country
// outside the EEA (Chapter V GDPR). The zero Safeguard is none.
type Safeguard uint8

// Transfer safeguards.
const (
	// Adequacy: the Commission decided that the country ensures an adequate
	// level of protection (Art. 45). Valid only for the countries Adequate
	// lists.
	Adequacy Safeguard = iota + 1
	// StandardClauses: standard data protection clauses adopted by the
	// Commission (Art. 46(2)(c)).
	StandardClauses
	// BindingCorporateRules approved by a supervisory authority (Art. 47).
	BindingCorporateRules
	// Derogation for a specific situation (Art. 49), such as explicit
	// consent to the transfer or necessity for a contract; name the point
	// relied on in Recipient.Reference. Derogations serve occasional
	// transfers, never a purpose's standing ones (EDPB Guidelines 2/2018):
	// a recipient on a derogation must be marked Occasional.
	Derogation
)

var safeguardInfo = [...]struct{ code, article string }{
	Adequacy:              {"adequacy", "adequacy decision (Art. 45)"},
	StandardClauses:       {"standard-clauses", "standard contractual clauses (Art. 46(2)(c))"},
	BindingCorporateRules: {"binding-corporate-rules", "binding corporate rules (Art. 47)"},
	Derogation:            {"derogation", "derogation for a specific situation (Art. 49)"},
}

// Valid reports whether s is one of the four safeguards.
func (s Safeguard) Valid() bool { return s >= Adequacy && s <= Derogation }

// String returns the safeguard's code, such as "standard-clauses"; "" for
// none.
func (s Safeguard) String() string {
	switch {
	case s == 0:
		return ""
	case s.Valid():
		return safeguardInfo[s].code
	}
	return fmt.Sprintf("Safeguard(%d)", uint8(s))
}

// Article returns the safeguard's title and legal reference.
func (s Safeguard) Article() string {
	if !s.Valid() {
		return s.String()
	}
	return safeguardInfo[s].article
}

// MarshalText encodes the safeguard as its code ("" for none).
func (s Safeguard) MarshalText() ([]byte, error) {
	if s != 0 && !s.Valid() {
		return nil, fmt.Errorf("gdpr: cannot encode %v: not a transfer safeguard", s)
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes a safeguard code ("" for none).
func (s *Safeguard) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*s = 0
		return nil
	}
	for v := Adequacy; v <= Derogation; v++ {
		if safeguardInfo[v].code == string(text) {
			*s = v
			return nil
		}
	}
	return fmt.Errorf("gdpr: unknown transfer safeguard %q (want adequacy, standard-clauses, binding-corporate-rules or derogation)", text)
}

// eea holds the EU member states and Iceland, Liechtenstein and Norway, by
// ISO 3166-1 alpha-2 code, and the parts of member states that have codes
// of their own but are Union territory (Art. 355(1) TFEU, Art. 52 TEU):
// the outermost regions French Guiana (GF), Guadeloupe (GP), Martinique
// (MQ), Réunion (RE), Mayotte (YT) and Saint-Martin (MF), the Canary
// Islands (IC), Ceuta and Melilla (EA) and the Åland Islands (AX). The
// Azores and Madeira are part of PT and have no code of their own. The
// overseas countries and territories (such as NC, PF, GL, AW) are not
// Union territory and count as third countries.
var eea = map[string]bool{
	"AT": true, "BE": true, "BG": true, "HR": true, "CY": true, "CZ": true, "DK": true,
	"EE": true, "FI": true, "FR": true, "DE": true, "GR": true, "HU": true, "IE": true,
	"IT": true, "LV": true, "LT": true, "LU": true, "MT": true, "NL": true, "PL": true,
	"PT": true, "RO": true, "SK": true, "SI": true, "ES": true, "SE": true,
	"IS": true, "LI": true, "NO": true,
	"GF": true, "GP": true, "MQ": true, "RE": true, "YT": true, "MF": true,
	"IC": true, "EA": true, "AX": true,
}

// canonicalCountry returns the ISO 3166-1 alpha-2 code for code in any
// case, reading the aliases "UK" as "GB" and the EU's "EL" as "GR", as
// consent.AgeOfConsent does.
func canonicalCountry(code string) string {
	code = strings.ToUpper(code)
	switch code {
	case "UK":
		return "GB"
	case "EL":
		return "GR"
	}
	return code
}

// InEEA reports whether country (ISO 3166-1 alpha-2) is in the European
// Economic Area, outermost regions included, where data flows without a
// transfer safeguard. "UK" and "EL" are read as "GB" and "GR".
func InEEA(country string) bool { return eea[canonicalCountry(country)] }

// adequacy holds the countries with an adequacy decision of the Commission
// under Art. 45(3) GDPR (or one kept in force by Art. 45(9)), as of 2025.
// A non-empty value means the decision is partial: it covers only the
// organisations it names, which Recipient.Reference must then show.
// Brazil's draft decision is not listed while it is not adopted.
var adequacy = map[string]string{
	"AD": "", // Andorra
	"AR": "", // Argentina
	"CA": "adequacy for Canada covers only organisations subject to PIPEDA",
	"CH": "", // Switzerland
	"FO": "", // Faroe Islands
	"GB": "", // United Kingdom
	"GG": "", // Guernsey
	"IL": "adequacy for Israel (Decision 2011/61/EU) covers only automated transfers, and non-automated ones subject to further automated processing in Israel",
	"IM": "", // Isle of Man
	"JE": "", // Jersey
	"JP": "adequacy for Japan covers only the private sector under the APPI and the Supplementary Rules",
	"KR": "adequacy for the Republic of Korea (Decision (EU) 2022/254) excludes personal credit information processed under the Credit Information Act by bodies supervised by the Financial Services Commission, missionary activities of religious organisations and the nomination of candidates by political parties",
	"NZ": "", // New Zealand
	"US": "adequacy for the United States covers only organisations certified under the EU-U.S. Data Privacy Framework",
	"UY": "", // Uruguay
}

// Adequate reports whether the Commission has decided that country (ISO
// 3166-1 alpha-2; "UK" is read as "GB") ensures an adequate level of
// protection (Art. 45), and whether that decision is partial, covering
// only some organisations or processing (the United States: those
// certified under the Data Privacy Framework; Canada: those under PIPEDA;
// Japan: the private sector; Korea: not personal credit information under
// the Credit Information Act, nor some religious and political processing;
// Israel: automated processing). The list is as of 2025: Andorra,
// Argentina, Canada, Faroe Islands, Guernsey, Israel, Isle of Man, Japan,
// Jersey, New Zealand, Republic of Korea, Switzerland, United Kingdom,
// United States, Uruguay.
func Adequate(country string) (adequate, partial bool) {
	scope, ok := adequacy[canonicalCountry(country)]
	return ok, ok && scope != ""
}

// AdequacyScope returns what a partial adequacy decision for country
// covers, and "" for a full one or none.
func AdequacyScope(country string) string { return adequacy[canonicalCountry(country)] }

// validCountry checks an ISO 3166-1 alpha-2 code in upper case; the
// aliases "UK" and "EL" are accepted.
func validCountry(code string) error {
	if len(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' {
		return fmt.Errorf("country %q: want an ISO 3166-1 alpha-2 code in upper case, such as \"DE\"", code)
	}
	r, err := language.ParseRegion(canonicalCountry(code))
	if err != nil || !r.IsCountry() {
		return fmt.Errorf("country %q is not an ISO 3166-1 country code", code)
	}
	return nil
}

// check returns the faults of a recipient declaration.
func (r Recipient) check() []fieldError {
	var out []fieldError
	add := func(field string, err error) { out = append(out, fieldError{field, err}) }
	if r.Name == "" {
		add("Name", errors.New("empty: name the recipient or the category of recipients"))
	}
	if !r.Role.Valid() {
		add("Role", errors.New("not set: want Processor, JointController or ThirdParty"))
	}
	if r.Country != "" || !r.InternationalOrganisation {
		if err := validCountry(r.Country); err != nil {
			add("Country", err)
			return out
		}
	}
	if r.Safeguard != 0 && !r.Safeguard.Valid() {
		add("Safeguard", fmt.Errorf("unknown safeguard %d", r.Safeguard))
		return out
	}
	if !r.ThirdCountry() {
		return out
	}
	dest := r.Country
	if r.InternationalOrganisation {
		dest = "the international organisation " + r.Name
	}
	switch r.Safeguard {
	case 0:
		add("Safeguard", fmt.Errorf("a transfer to %s, outside the EEA, needs a safeguard: an adequacy decision (Art. 45), standard contractual clauses (Art. 46), binding corporate rules (Art. 47) or an Art. 49 derogation", dest))
	case Adequacy:
		ok, partial := Adequate(r.Country)
		switch {
		case r.InternationalOrganisation:
			add("Safeguard", fmt.Errorf("%s has no adequacy decision of the Commission (Art. 45(1)); use an Art. 46 safeguard or an Art. 49 derogation", dest))
		case !ok:
			add("Safeguard", fmt.Errorf("%s has no adequacy decision of the Commission (Art. 45); use standard contractual clauses, binding corporate rules or an Art. 49 derogation", r.Country))
		case partial && r.Reference == "":
			add("Reference", fmt.Errorf("%s: give the recipient's certification or listing, or why it is within the decision's scope", AdequacyScope(r.Country)))
		}
	case StandardClauses, BindingCorporateRules:
		// Art. 46(1): appropriate safeguards, and, after Schrems II
		// (C-311/18), a transfer impact assessment (EDPB Recommendations
		// 01/2020).
		if r.Reference == "" {
			what := "the clauses' decision and module, such as \"SCC 2021/914 module 2\""
			if r.Safeguard == BindingCorporateRules {
				what = "the approval of the binding corporate rules"
			}
			add("Reference", fmt.Errorf("%s needs a reference: %s", r.Safeguard.Article(), what))
		}
		if !r.ImpactAssessed {
			add("ImpactAssessed", fmt.Errorf("%s needs a transfer impact assessment (CJEU C-311/18; EDPB Recommendations 01/2020): make one and set ImpactAssessed", r.Safeguard.Article()))
		}
	case Derogation:
		if r.Reference == "" {
			add("Reference", errors.New("name the Art. 49(1) point relied on, such as \"Art. 49(1)(b)\""))
		}
		if !r.Occasional {
			add("Occasional", errors.New("an Art. 49 derogation covers occasional transfers only, never a purpose's standing ones (EDPB Guidelines 2/2018): use an Art. 45-47 safeguard, or mark the transfers Occasional"))
		}
	}
	return out
}
