package detect

// ibanLengths is the ISO 13616 registry: country code and IBAN length.
const ibanLengths = "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 " +
	"CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 DO28 EE20 EG29 ES24 FI18 FK18 FO18 " +
	"FR27 GB22 GE22 GI23 GL18 GR27 GT28 HN28 HR21 HU28 IE22 IL23 IQ23 IS26 " +
	"IT27 JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 " +
	"MK19 MN20 MR27 MT31 MU30 NI28 NL18 NO15 OM23 PK24 PL28 PS29 PT25 QA29 " +
	"RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28 TL23 " +
	"TN24 TR26 UA29 VA22 VG24 XK20 YE30"

// ibanLen maps a country code (index (c0-'A')*26 + c1-'A') to the length
// of its IBANs, 0 for countries that do not use IBAN.
var ibanLen = func() (t [26 * 26]uint8) {
	for k := 0; k+4 <= len(ibanLengths); k += 5 {
		e := ibanLengths[k : k+4]
		t[int(e[0]-'A')*26+int(e[1]-'A')] = (e[2]-'0')*10 + e[3] - '0'
	}
	return t
}()

// IBANCountries returns the country codes of the IBAN registry known to
// the detector, with the length of their IBANs.
func IBANCountries() map[string]int {
	m := make(map[string]int)
	for k := 0; k+4 <= len(ibanLengths); k += 5 {
		e := ibanLengths[k : k+4]
		m[e[:2]] = int(e[2]-'0')*10 + int(e[3]-'0')
	}
	return m
}

// ibanAt validates an IBAN starting at i, where the caller has seen two
// upper-case letters and two digits. It is either compact
// ("DE89370400440532013000") or printed in groups of four separated by
// single spaces ("DE89 3704 0044 0532 0130 00"). The length must match the
// country, the check digits must be 02..98, and the ISO 13616 MOD 97-10
// check must give 1. Upper-case letters and digits only.
func ibanAt(s string, i int) int {
	n := len(s)
	l := int(ibanLen[int(s[i]-'A')*26+int(s[i+1]-'A')])
	if l == 0 {
		return -1
	}
	if cd := int(s[i+2]-'0')*10 + int(s[i+3]-'0'); cd < 2 || cd > 98 {
		return -1
	}
	grouped := i+4 < n && s[i+4] == ' '
	var buf [34]byte
	j := i
	for c := 0; c < l; c++ {
		if grouped && c > 0 && c%4 == 0 {
			if j >= n || s[j] != ' ' {
				return -1
			}
			j++
		}
		if j >= n || classes[s[j]]&(cDigit|cUpper) == 0 {
			return -1
		}
		buf[c] = s[j]
		j++
	}
	if gluedAfter(s, j) || !ibanChecksum(buf[:l]) {
		return -1
	}
	return j
}

// ibanChecksum computes ISO 7064 MOD 97-10 over the IBAN with its first
// four characters moved to the end and letters as 10..35.
func ibanChecksum(b []byte) bool {
	r := 0
	for k := 4; k < len(b)+4; k++ {
		c := b[k%len(b)]
		if c <= '9' {
			r = (r*10 + int(c-'0')) % 97
		} else {
			r = (r*100 + int(c-'A') + 10) % 97
		}
	}
	return r == 1
}
