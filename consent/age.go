package consent

import (
	"strings"
	"time"

	"golang.org/x/text/language"
)

// DefaultAgeOfConsent is the age from which a child may consent alone to an
// information society service offered directly to them, under Art. 8(1)
// GDPR, where a member state's law does not lower it. Member states may
// lower it to no less than 13.
const DefaultAgeOfConsent = 16

// ageOfConsent holds the Art. 8 age of digital consent by ISO 3166-1 region,
// for the EU member states, the EEA states and the United Kingdom.
//
// Sources, cross-checked:
//   - [EC] European Commission, SWD(2020) 115 final, accompanying the
//     two-year review of the GDPR (COM(2020) 264), p. 17: the ages in force
//     in mid-2020 for 26 member states.
//   - [BB] Bird & Bird, GDPR Tracker, "Children", per-country entries
//     reviewed 2018–2019 (twobirds.com).
//   - The national acts named on each line, where a figure changed after
//     those surveys or is not in them.
//
// Figures change: Denmark raised its age in 2024, and Norway consulted in
// 2025 on raising its age to 15. Review this table against the national
// acts before relying on it.
var ageOfConsent = map[string]int{
	"AT": 14, // Austria: DSG § 4(4). [EC] [BB]
	"BE": 13, // Belgium: Act of 30 July 2018, Art. 7. [EC] [BB]
	"BG": 14, // Bulgaria: Personal Data Protection Act, as amended in 2019. [EC]
	"HR": 16, // Croatia: GDPR Implementation Act of 2018 keeps 16. [EC]
	"CY": 14, // Cyprus: Law 125(I)/2018. [EC]
	"CZ": 15, // Czechia: Act No. 110/2019, § 7. [EC] [BB]
	"DK": 15, // Denmark: Databeskyttelsesloven § 6(2), 15 since 1 January 2024 (Act amending it, bill L 79 of 2023-24); 13 before. [EC] and [BB] give the earlier 13.
	"EE": 13, // Estonia: Personal Data Protection Act of 2018. [EC]
	"FI": 13, // Finland: Data Protection Act 1050/2018, s. 5. [EC] [BB]
	"FR": 15, // France: Loi Informatique et Libertés, Art. 45 (then Art. 7-1). [EC] [BB]
	"DE": 16, // Germany: no lower age enacted. [EC] [BB]
	"GR": 15, // Greece: Law 4624/2019, Art. 21. [EC]
	"HU": 16, // Hungary: no lower age enacted. [EC] [BB]
	"IE": 16, // Ireland: Data Protection Act 2018, s. 31. [EC] [BB]
	"IT": 14, // Italy: Privacy Code, Art. 2-quinquies (Legislative Decree 101/2018). [EC] [BB]
	"LV": 13, // Latvia: Personal Data Processing Law of 2018. [EC]
	"LT": 14, // Lithuania: Law on Legal Protection of Personal Data, as amended in 2018. [EC]
	"LU": 16, // Luxembourg: no lower age enacted. [EC]
	"MT": 13, // Malta: Data Protection Act (Cap. 586) and its subsidiary legislation. [EC]
	"NL": 16, // Netherlands: UAVG Art. 5. [EC] [BB]
	"PL": 16, // Poland: no lower age enacted. [EC] [BB]
	"PT": 13, // Portugal: Law 58/2019, Art. 16. [EC]
	"RO": 16, // Romania: Law 190/2018 enacts no lower age. [EC]
	"SK": 16, // Slovakia: Act No. 18/2018 keeps 16. [EC] [BB]
	"SI": 15, // Slovenia: ZVOP-2 (Official Gazette 163/2022), Art. 8; in force 26 January 2023. Not in [EC] (no act then, so 16 applied).
	"ES": 14, // Spain: LOPDGDD (Organic Law 3/2018), Art. 7. [EC] [BB]
	"SE": 13, // Sweden: Act 2018:218 (Dataskyddslagen). [EC] [BB]
	"IS": 13, // Iceland (EEA): Act No. 90/2018, Art. 10.
	"LI": 16, // Liechtenstein (EEA): no lower age enacted in the DSG of 2018.
	"NO": 13, // Norway (EEA): Personopplysningsloven § 5 (Prop. 56 LS (2017–2018), ch. 13); a 2025 bill proposes 15.
	"GB": 13, // United Kingdom: UK GDPR Art. 8 as amended by the Data Protection Act 2018, s. 9. [BB]
}

// AgeOfConsent returns the age of digital consent under Art. 8 GDPR in
// country: below it, consent to an information society service offered
// directly to a child must be given or authorised by the holder of parental
// responsibility. country is an ISO 3166-1 code, alpha-2 ("DE"), alpha-3
// ("DEU") or numeric ("276"), in any case; "UK" and the EU's "EL" for
// Greece are understood. ok is false outside the EU, the EEA and the United
// Kingdom.
func AgeOfConsent(country string) (age int, ok bool) {
	if strings.EqualFold(country, "EL") {
		country = "GR"
	}
	region, err := language.ParseRegion(country)
	if err != nil {
		return 0, false
	}
	age, ok = ageOfConsent[region.Canonicalize().String()]
	return age, ok
}

// Age is what a consent record holds about the subject's age and country,
// so that Art. 8 GDPR can be checked: below the age of digital consent of
// the subject's country (AgeOfConsent), consent to an information society
// service offered directly to a child holds only if given or authorised by
// the holder of parental responsibility.
//
// An Act carries it into a grant; the ledger stores the country, the age
// band and the parental marker with the event, never the birth month
// (data minimisation, Art. 5(1)(c)): BirthMonth is turned into AtLeast at
// the grant.
type Age struct {
	// Country is where the subject lives, as an ISO 3166-1 code ("UK" and
	// "EL" understood); the ledger stores the upper-case alpha-2 code. It
	// selects the age of digital consent.
	Country string `json:"country,omitempty"`
	// BirthMonth is the subject's year and month of birth, "2011-05", when
	// known. Act only: the ledger records the age it gives at the grant in
	// AtLeast, counting the birthday as the last day of the month, so that
	// a subject counts as N years old only once the whole birth month N
	// years on has passed (UTC).
	BirthMonth string `json:"-" pii:"dob"`
	// AtLeast is the lower end of the subject's age band at the grant, in
	// whole years, from a declaration or an age check: the subject is at
	// least this old. Zero when unknown. With BirthMonth, the lower of the
	// two counts.
	AtLeast int `json:"at_least,omitempty"`
	// Parental marks consent given or authorised by the holder of parental
	// responsibility over the subject (Art. 8(1)); the grant's
	// Proof.ParentalResponsibility must then say who that is and how it was
	// verified (Art. 8(2)).
	Parental bool `json:"parental,omitempty"`
}

// IsZero reports whether a holds nothing.
func (a Age) IsZero() bool { return a == Age{} }

// Meets reports whether the record shows valid consent under Art. 8(1) for
// a subject who must be at least minAge: given by a holder of parental
// responsibility, or by a subject in an age band at least minAge.
func (a Age) Meets(minAge int) bool { return a.Parental || a.AtLeast >= minAge }

// ConsentAge returns the age of digital consent that applies to the
// subject: AgeOfConsent of Country, or DefaultAgeOfConsent (16, Art. 8(1))
// for a country outside the table or none.
func (a Age) ConsentAge() int {
	if age, ok := AgeOfConsent(a.Country); ok {
		return age
	}
	return DefaultAgeOfConsent
}

// normalize checks a at a grant recorded at now and returns it as stored:
// the country canonical, the birth month turned into an age band.
func (a Age) normalize(now time.Time) (Age, error) {
	if a.Country != "" {
		c := a.Country
		if strings.EqualFold(c, "EL") {
			c = "GR"
		}
		region, err := language.ParseRegion(c)
		if err != nil || !region.Canonicalize().IsCountry() {
			return Age{}, invalid("Act.Age.Country", "%q is not an ISO 3166-1 country code", a.Country)
		}
		a.Country = region.Canonicalize().String()
	}
	if a.AtLeast < 0 || a.AtLeast > 150 {
		return Age{}, invalid("Act.Age.AtLeast", "%d is not an age", a.AtLeast)
	}
	if a.BirthMonth != "" {
		born, err := time.Parse("2006-01", a.BirthMonth)
		if err != nil {
			return Age{}, invalid("Act.Age.BirthMonth", "%q: want the year and month of birth, such as \"2011-05\"", a.BirthMonth)
		}
		now = now.UTC()
		years := now.Year() - born.Year()
		if now.Month() <= born.Month() { // the birth month has not wholly passed this year
			years--
		}
		if years < 0 {
			return Age{}, invalid("Act.Age.BirthMonth", "%q is in the future", a.BirthMonth)
		}
		if a.AtLeast == 0 || years < a.AtLeast {
			a.AtLeast = years
		}
		a.BirthMonth = ""
	}
	return a, nil
}
