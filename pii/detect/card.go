package detect

// A cardRange is one issuer identification range: numbers whose first
// `digits` digits lie in lo..hi and whose length is in lengths (bit n set
// for length n).
type cardRange struct {
	lo, hi  uint32
	digits  uint8
	lengths uint32
}

func lens(ls ...int) uint32 {
	var m uint32
	for _, l := range ls {
		m |= 1 << l
	}
	return m
}

func lenRange(lo, hi int) uint32 {
	var m uint32
	for l := lo; l <= hi; l++ {
		m |= 1 << l
	}
	return m
}

// cardRanges lists the issuer prefixes and number lengths accepted, as
// the issuers and the card networks publish them.
var cardRanges = []cardRange{
	{4, 4, 1, lens(13, 16, 19)},           // Visa
	{51, 55, 2, lens(16)},                 // Mastercard
	{2221, 2720, 4, lens(16)},             // Mastercard 2-series
	{34, 34, 2, lens(15)},                 // American Express
	{37, 37, 2, lens(15)},                 // American Express
	{6011, 6011, 4, lenRange(16, 19)},     // Discover
	{644, 649, 3, lenRange(16, 19)},       // Discover
	{65, 65, 2, lenRange(16, 19)},         // Discover, RuPay
	{622126, 622925, 6, lenRange(16, 19)}, // Discover co-branded UnionPay
	{300, 305, 3, lenRange(14, 19)},       // Diners Club International
	{3095, 3095, 4, lenRange(14, 19)},     // Diners Club International
	{36, 36, 2, lenRange(14, 19)},         // Diners Club International
	{38, 39, 2, lenRange(14, 19)},         // Diners Club International
	{3528, 3589, 4, lenRange(16, 19)},     // JCB
	{62, 62, 2, lenRange(16, 19)},         // UnionPay
	{81, 81, 2, lenRange(16, 19)},         // UnionPay
	{2200, 2204, 4, lenRange(16, 19)},     // Mir
	{5018, 5018, 4, lenRange(12, 19)},     // Maestro
	{5020, 5020, 4, lenRange(12, 19)},     // Maestro
	{5038, 5038, 4, lenRange(12, 19)},     // Maestro
	{5893, 5893, 4, lenRange(12, 19)},     // Maestro
	{6304, 6304, 4, lenRange(12, 19)},     // Maestro
	{6759, 6759, 4, lenRange(12, 19)},     // Maestro UK
	{6761, 6763, 4, lenRange(12, 19)},     // Maestro
	{676770, 676770, 6, lenRange(12, 19)}, // Maestro UK
	{676774, 676774, 6, lenRange(12, 19)}, // Maestro UK
	{5019, 5019, 4, lens(16)},             // Dankort
	{60, 60, 2, lens(16)},                 // RuPay
	{82, 82, 2, lens(16)},                 // RuPay
	{508, 508, 3, lens(16)},               // RuPay
	{506099, 506198, 6, lens(16, 18, 19)}, // Verve
	{507865, 507964, 6, lens(16, 18, 19)}, // Verve
	{650002, 650027, 6, lens(16, 18, 19)}, // Verve
	{9792, 9792, 4, lens(16)},             // Troy
}

// validCard reports whether the digit string d is a plausible payment
// card number: a known issuer prefix for its length and a valid Luhn
// check digit.
func validCard(d []byte) bool {
	l := len(d)
	if l < 12 || l > 19 {
		return false
	}
	var pre [7]uint32
	v := uint32(0)
	for k := 1; k <= 6; k++ {
		v = v*10 + uint32(d[k-1]-'0')
		pre[k] = v
	}
	known := false
	for _, r := range cardRanges {
		if r.lengths&(1<<l) != 0 && pre[r.digits] >= r.lo && pre[r.digits] <= r.hi {
			known = true
			break
		}
	}
	return known && luhn(d)
}

// luhn reports whether the digit string d passes the Luhn (mod 10) check.
func luhn(d []byte) bool {
	sum := 0
	double := false
	for k := len(d) - 1; k >= 0; k-- {
		v := int(d[k] - '0')
		if double {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
		double = !double
	}
	return sum%10 == 0
}

// cardAt validates a card number starting at i, either compact (12 to 19
// digits) or printed in groups: a first group of four digits and further
// groups of three to six, separated by single spaces or single dashes
// used consistently ("4111 1111 1111 1111", "3782-822463-10005"). When
// more groups follow, the number may end after an earlier group only at a
// space.
func cardAt(s string, i int) int {
	var digs [19]byte
	n := len(s)
	j := i
	for j < n && j-i < 20 && isDigit(s[j]) {
		j++
	}
	l := j - i
	if l >= 12 && l <= 19 {
		copy(digs[:], s[i:j])
		if numEndOK(s, j) && !dashDigitAfter(s, j) && validCard(digs[:l]) {
			return j
		}
		return -1
	}
	if l != 4 || j >= n || afterDigitGroup(s, i) {
		return -1
	}
	sep := s[j]
	if sep != ' ' && sep != '-' {
		return -1
	}
	copy(digs[:4], s[i:j])
	var ends, counts [6]int
	ends[0], counts[0] = j, 4
	ng, nd := 1, 4
	for ng < len(ends) && j+1 < n && s[j] == sep {
		st := j + 1
		k := st
		for k < n && k-st < 7 && isDigit(s[k]) {
			k++
		}
		gl := k - st
		if gl < 3 || gl > 6 || nd+gl > len(digs) {
			break
		}
		copy(digs[nd:], s[st:k])
		nd += gl
		j = k
		ends[ng], counts[ng] = j, nd
		ng++
	}
	for g := ng - 1; g >= 2; g-- {
		if counts[g] < 12 || (g < ng-1 && sep != ' ') {
			continue
		}
		if numEndOK(s, ends[g]) && !dashDigitAfter(s, ends[g]) && validCard(digs[:counts[g]]) {
			return ends[g]
		}
	}
	return -1
}
