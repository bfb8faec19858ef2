package detect

import (
	"strings"
	"unicode/utf8"
)

const (
	maxPhoneGroups = 8
	maxPhoneDigits = 18 // 00 + 15 digits of E.164 + a "(0)"
	maxParenDigits = 5  // an area code in parentheses
)

// phoneGroups is the tokenised form of a phone candidate: groups of
// digits and what separates them.
type phoneGroups struct {
	n     int
	end   [maxPhoneGroups]int   // byte offset after the group (and its ')')
	cum   [maxPhoneGroups]uint8 // digits up to and including the group
	size  [maxPhoneGroups]uint8 // digits in the group
	paren [maxPhoneGroups]bool  // the group is in parentheses
	punct [maxPhoneGroups]byte  // '-', '.', '/' after the group, or 0
	cut   [maxPhoneGroups]bool  // the separator after the group has a space
	digs  [maxPhoneDigits]byte
}

// tokenizePhone reads digit groups starting at i. A group may be in
// parentheses; groups are separated by one of ' ', '-', '.', '/' with an
// optional space on either side ("030 123", "030/123", "030 - 123",
// "(030) 123", "+49 (0)30"). Reading stops at anything else, after a
// block of six or more digits followed by a plain space (which ends most
// numbers), and at the digit limit.
func tokenizePhone(s string, i int, t *phoneGroups) {
	n := len(s)
	p := i
	if s[p] == '+' {
		p++
	}
	nd := 0
	for t.n < maxPhoneGroups {
		q := p
		open := q < n && s[q] == '('
		if open {
			q++
		}
		ds := q
		for q < n && q-ds <= maxPhoneDigits && isDigit(s[q]) {
			q++
		}
		gl := q - ds
		if gl == 0 || nd+gl > maxPhoneDigits {
			return
		}
		if open {
			if gl > maxParenDigits || q >= n || s[q] != ')' {
				return
			}
			q++
		}
		g := t.n
		copy(t.digs[nd:], s[ds:q])
		nd += gl
		t.end[g], t.cum[g], t.size[g], t.paren[g] = q, uint8(nd), uint8(gl), open
		t.n++

		r := q
		space := false
		if r < n && s[r] == ' ' {
			r++
			space = true
		}
		if r < n && (s[r] == '-' || s[r] == '.' || s[r] == '/') {
			t.punct[g] = s[r]
			r++
			if r < n && s[r] == ' ' {
				r++
				space = true
			}
		}
		t.cut[g] = space
		if (r == q && !open) || r >= n || (!isDigit(s[r]) && s[r] != '(') {
			return
		}
		if gl >= 6 && space && t.punct[g] == 0 {
			return
		}
		p = r
	}
}

// phoneAt validates a phone number starting at i ('+', '(' or a digit).
// The longest run of groups that forms a valid number wins; a shorter one
// may only end where a space separates it from the rest.
func phoneAt(s string, i int) int {
	var t phoneGroups
	tokenizePhone(s, i, &t)
	plus := s[i] == '+'
	inSequence := !plus && s[i] != '(' && afterDigitGroup(s, i)
	for k := t.n; k >= 1; k-- {
		if inSequence && k > 1 {
			continue
		}
		if k < t.n && !t.cut[k-1] {
			continue
		}
		end := t.end[k-1]
		if !numEndOK(s, end) || dashDigitAfter(s, end) {
			continue
		}
		if plus {
			if validPlus(&t, k) {
				return end
			}
			continue
		}
		if validNational(&t, k) && !priceAround(s, i, end) {
			return end
		}
	}
	return -1
}

// validPlus checks "+CC ..." numbers. A "(0)" group after the country code
// is the trunk prefix some countries print in parentheses and is dropped.
func validPlus(t *phoneGroups, k int) bool {
	var d [maxPhoneDigits]byte
	m := 0
	for g := 0; g < k; g++ {
		st := int(t.cum[g] - t.size[g])
		if g > 0 && t.paren[g] && t.size[g] == 1 && t.digs[st] == '0' {
			continue
		}
		m += copy(d[m:], t.digs[st:t.cum[g]])
	}
	return validIntl(d[:m])
}

// validNational checks numbers without '+': the international prefix 00,
// a trunk prefix 0 (DE, FR, GB, NL, IT fixed), or a national form without
// prefix (US, ES, PL, IT mobile), which must be grouped the way those
// countries write numbers, since a bare run of nine or ten digits is as
// likely an identifier.
func validNational(t *phoneGroups, k int) bool {
	nd := int(t.cum[k-1])
	if nd < 8 {
		return false
	}
	d := t.digs[:nd]
	if d[0] == '0' {
		if d[1] == '0' {
			return t.size[0] >= 3 && validIntl(d[2:])
		}
		return t.size[0] >= 2 && !dateLike(t, k) && !(k <= 4 && dotted(t, k, 3)) && validTrunk(d)
	}
	return groupedNational(t, k, d)
}

// groupedNational checks national numbers written without a prefix.
func groupedNational(t *phoneGroups, k int, d []byte) bool {
	var sz [maxPhoneGroups]uint8
	copy(sz[:], t.size[:k])
	first := 0
	// North America: [1] NXX NXX XXXX, or (NXX) NXX-XXXX / (NXX) NXXXXXX.
	if k == 4 && sz[0] == 1 && d[0] == '1' {
		first = 1
	}
	g := sz[first:k]
	if (len(g) == 3 && g[0] == 3 && g[1] == 3 && g[2] == 4) ||
		(len(g) == 2 && t.paren[first] && g[0] == 3 && g[1] == 7) {
		if nanpNSN(d[first:]) {
			return true
		}
	}
	// Dotted groups of up to three digits are IP addresses and versions
	// ("160.120.242"); only North American numbers are written with dots.
	if dotted(t, k, 3) {
		return false
	}
	// Spain, Poland: 612 345 678, 612 34 56 78, 91 123 45 67, 12 345 67 89.
	if len(d) == 9 && (pattern(sz[:k], 3, 3, 3) || pattern(sz[:k], 3, 2, 2, 2) || pattern(sz[:k], 2, 3, 2, 2)) {
		if esNSN(d) || plNSN(d) {
			return true
		}
	}
	// Italian mobile: 347 123 4567, 347 1234567, 347-123-45-67.
	if d[0] == '3' && k >= 2 && sz[0] == 3 && !t.paren[0] && itNSN(d) {
		return true
	}
	return false
}

func pattern(sz []uint8, want ...uint8) bool {
	if len(sz) != len(want) {
		return false
	}
	for k := range sz {
		if sz[k] != want[k] {
			return false
		}
	}
	return true
}

// dotted reports whether the first k groups are joined by dots and none
// has more than maxSize digits.
func dotted(t *phoneGroups, k int, maxSize uint8) bool {
	if k < 2 {
		return false
	}
	for g := 0; g < k; g++ {
		if t.size[g] > maxSize || (g < k-1 && t.punct[g] != '.') {
			return false
		}
	}
	return true
}

// dateLike reports whether the groups read as a date: 01-15-2024,
// 15.01.2024, 01/02/03 (three groups, one punctuation mark throughout).
func dateLike(t *phoneGroups, k int) bool {
	if k != 3 || t.punct[0] == 0 || t.punct[0] != t.punct[1] || t.cut[0] || t.cut[1] {
		return false
	}
	a, b, c := t.size[0], t.size[1], t.size[2]
	return a == 2 && b == 2 && (c == 2 || c == 4) || a == 4 && b == 2 && c == 2
}

var currencies = [...]string{"€", "$", "£", "¥", "₽", "₹", "zł", "EUR", "USD", "GBP", "PLN", "CHF", "JPY", "RUB"}

// priceAround reports whether s[i:j] sits next to a currency sign or
// code ("612 345 678 €", "€ 612 345 678", "123 456 789 zł"), which makes
// it an amount.
func priceAround(s string, i, j int) bool {
	after := s[j:]
	if len(after) > 0 && after[0] == ' ' {
		after = after[1:]
	}
	if len(after) > 4 {
		after = after[:4]
	}
	before := s[:i]
	if len(before) > 0 && before[len(before)-1] == ' ' {
		before = before[:len(before)-1]
	}
	if len(before) > 4 {
		before = before[len(before)-4:]
	}
	for _, c := range currencies {
		if strings.HasPrefix(after, c) && (len(after) == len(c) || !isWordStart(after[len(c):])) ||
			strings.HasSuffix(before, c) {
			return true
		}
	}
	return false
}

func isWordStart(s string) bool {
	if s == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	return isWordRune(r)
}
