package consent

import (
	"strings"

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
