package detect

import (
	"unicode"
	"unicode/utf8"
)

// Byte classes. Every byte of the input is looked up once in the classes
// table; the bits tell the scanner whether the byte can start a candidate
// (cTrigger) and tell the validators which characters they may consume.
const (
	cDigit   uint16 = 1 << iota // 0-9
	cUpper                      // A-Z
	cLower                      // a-z
	cHex                        // 0-9 A-F a-f
	cWord                       // ASCII letter, digit or '_'
	cTrigger                    // the scanner stops here to look closer
	cLocal                      // allowed in an e-mail local part
	cDomain                     // allowed in a domain label
	cIPv6                       // allowed in an IPv6 literal: hex digit ':' '.'
)

// classes is the 256-entry byte class table driving the scanner.
var classes = buildClasses()

func buildClasses() (t [256]uint16) {
	for c := 0; c < 256; c++ {
		var k uint16
		switch {
		case c >= '0' && c <= '9':
			k = cDigit | cHex | cWord | cTrigger | cLocal | cDomain | cIPv6
		case c >= 'A' && c <= 'Z':
			k = cUpper | cWord | cTrigger | cLocal | cDomain
			if c <= 'F' {
				k |= cHex | cIPv6
			}
		case c >= 'a' && c <= 'z':
			k = cLower | cWord | cTrigger | cLocal | cDomain
			if c <= 'f' {
				k |= cHex | cIPv6
			}
		}
		switch c {
		case '_':
			k |= cWord | cLocal
		case '.':
			k |= cLocal | cIPv6
		case '%':
			k |= cLocal
		case '+':
			k |= cLocal | cTrigger
		case '-':
			k |= cLocal | cDomain
		case ':':
			k |= cIPv6 | cTrigger
		case '@', '(':
			k |= cTrigger
		}
		t[c] = k
	}
	return t
}

func isDigit(c byte) bool { return classes[c]&cDigit != 0 }

// isWordRune reports whether r continues a word, so that a number or
// address glued to it is not a separate token. Letters, digits and
// combining marks count, except in scripts written without spaces between
// words (Han, kana, Hangul, Thai, Lao, Khmer, Myanmar), where a number
// embedded in running text is still a token of its own.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return classes[r]&cWord != 0
	}
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) {
		return false
	}
	return !unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana,
		unicode.Hangul, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar)
}

// gluedBefore reports whether the character ending just before s[i] is a
// word character, so that a token cannot start at i. A byte that is not
// valid UTF-8 counts as glued.
func gluedBefore(s string, i int) bool {
	if i == 0 {
		return false
	}
	c := s[i-1]
	if c < utf8.RuneSelf {
		return classes[c]&cWord != 0
	}
	r, size := utf8.DecodeLastRuneInString(s[:i])
	if r == utf8.RuneError && size <= 1 {
		return true
	}
	return isWordRune(r)
}

// gluedAfter reports whether the character starting at s[j] is a word
// character, so that a token cannot end at j. A byte that is not valid
// UTF-8 counts as glued, which keeps every reported offset on a rune
// boundary.
func gluedAfter(s string, j int) bool {
	if j >= len(s) {
		return false
	}
	c := s[j]
	if c < utf8.RuneSelf {
		return classes[c]&cWord != 0
	}
	r, size := utf8.DecodeRuneInString(s[j:])
	if r == utf8.RuneError && size <= 1 {
		return true
	}
	return isWordRune(r)
}

// numEndOK reports whether a numeric token may end at j: the next
// character must not continue a word, an e-mail address or a decimal
// number ("12.5", "1,234").
func numEndOK(s string, j int) bool {
	if j >= len(s) {
		return true
	}
	c := s[j]
	if c == '@' {
		return false
	}
	if (c == '.' || c == ',') && j+1 < len(s) && isDigit(s[j+1]) {
		return false
	}
	return !gluedAfter(s, j)
}

// continues reports whether position i merely continues a token that
// started earlier: a digit group after "2024-", "1.", "12:" or "3,", an
// identifier segment after "ORD-", or anything after '+' or '#'. Such a
// position never starts a finding; it keeps parts of dates, versions,
// UUIDs and order numbers from being reported on their own.
func continues(s string, i int) bool {
	if i < 1 {
		return false
	}
	p := s[i-1]
	switch p {
	case '+', '#':
		return true
	case '.', ',', ':', '/', '-':
		if i < 2 {
			return false
		}
		q := classes[s[i-2]]
		if q&cDigit != 0 {
			return true
		}
		if p == '-' && q&(cUpper|cLower) != 0 {
			return true
		}
		if p == ':' && s[i-2] == ':' {
			return true
		}
	}
	return false
}

// hexContinues reports whether position i follows a complete hex group
// and a separator ("001a.", "00:", "fe80:"), so that a MAC or IPv6
// candidate at i would only be the tail of a longer one.
func hexContinues(s string, i int) bool {
	if i < 2 {
		return false
	}
	switch s[i-1] {
	case ':', '-', '.':
	default:
		return false
	}
	j := i - 1
	for j > 0 && i-1-j < 5 && classes[s[j-1]]&cHex != 0 {
		j--
	}
	h := i - 1 - j
	return h >= 1 && h <= 4 && !gluedBefore(s, j)
}

// afterDigitGroup reports whether i follows a digit and one space, in the
// middle of a sequence of digit groups ("DE89 3704 0044 …").
func afterDigitGroup(s string, i int) bool {
	return i >= 2 && s[i-1] == ' ' && isDigit(s[i-2])
}
