package detect

import (
	"unicode"
	"unicode/utf8"
)

// Token boundaries. A finding must stand alone: what is glued to it on
// either side, or what it continues, decides whether a candidate is a
// token of its own.

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
// character must not continue a word, an e-mail address, a decimal number
// ("12.5", "1,234") or a hyphenated identifier ("1234-abc").
func numEndOK(s string, j int) bool {
	if j >= len(s) {
		return true
	}
	c := s[j]
	if c == '@' {
		return false
	}
	if j+1 < len(s) {
		next := classes[s[j+1]]
		if (c == '.' || c == ',') && next&cDigit != 0 {
			return false
		}
		if c == '-' && next&(cUpper|cLower) != 0 {
			return false // part of a hyphenated identifier: "04898446-e6ca-…"
		}
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

// dashDigitAfter reports whether a dash and a digit follow j: a grouped
// number that stops there is part of a longer hyphenated sequence.
func dashDigitAfter(s string, j int) bool {
	return j+1 < len(s) && s[j] == '-' && isDigit(s[j+1])
}
