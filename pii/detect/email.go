package detect

import "unicode/utf8"

const (
	maxLocal  = 64  // RFC 5321 limit on the local part
	maxDomain = 253 // RFC 1035 limit on a domain name
	maxLabel  = 63  // RFC 1035 limit on one label
)

// emailAt validates an e-mail address around the '@' at position at. The
// local part is read backwards over the characters commonly used in
// addresses (letters, digits and ._%+-), never before lastEnd; the domain
// needs at least two labels and a top-level label of two or more letters
// (or an IDN "xn--" label). Quoted local parts, IP-literal domains and
// non-ASCII addresses are not recognised.
func emailAt(s string, at, lastEnd int) (start, end int) {
	lo := max(at-maxLocal, lastEnd, 0)
	st := at
	for st > lo && classes[s[st-1]]&cLocal != 0 {
		st--
	}
	if st == at-maxLocal && st > lastEnd && st > 0 && classes[s[st-1]]&cLocal != 0 {
		return -1, -1 // local part longer than 64 bytes
	}
	// A local part glued to letters this package does not read (müller@)
	// would be cut short: no finding.
	if st > 0 && s[st-1] >= utf8.RuneSelf && gluedBefore(s, st) {
		return -1, -1
	}
	// An address cannot start with a dot or a symbol; ".." is not allowed.
	for k := at - 2; k >= st; k-- {
		if s[k] == '.' && s[k+1] == '.' {
			st = k + 2
			break
		}
	}
	for st < at && (s[st] == '.' || s[st] == '+' || s[st] == '-' || s[st] == '%') {
		st++
	}
	if st >= at || s[at-1] == '.' {
		return -1, -1
	}
	end = domainAt(s, at+1)
	if end < 0 {
		return -1, -1
	}
	return st, end
}

// domainAt reads a domain name starting at p and returns its end, or -1.
func domainAt(s string, p int) int {
	n := len(s)
	j := p
	labels := 0
	last := p
	for {
		ls := j
		for j < n && j-p < maxDomain && classes[s[j]]&cDomain != 0 {
			j++
		}
		if j == ls || j-ls > maxLabel || s[ls] == '-' || s[j-1] == '-' {
			return -1
		}
		labels++
		last = ls
		if j < n && s[j] == '.' && j+1 < n && classes[s[j+1]]&cDomain != 0 && j-p < maxDomain {
			j++
			continue
		}
		break
	}
	if j < n && classes[s[j]]&cDomain != 0 {
		return -1 // longer than 253 bytes
	}
	if labels < 2 || !validTLD(s[last:j]) {
		return -1
	}
	if j < n {
		c := s[j]
		if c == '_' || c == '@' {
			return -1
		}
		if c >= utf8.RuneSelf {
			if r, size := utf8.DecodeRuneInString(s[j:]); r == utf8.RuneError && size <= 1 {
				return -1
			}
		}
	}
	return j
}

// validTLD reports whether t can be a top-level domain: two or more
// letters, or an internationalised "xn--" label.
func validTLD(t string) bool {
	if len(t) >= 5 && (t[0] == 'x' || t[0] == 'X') && (t[1] == 'n' || t[1] == 'N') && t[2] == '-' && t[3] == '-' {
		return true
	}
	if len(t) < 2 {
		return false
	}
	for i := 0; i < len(t); i++ {
		if classes[t[i]]&(cUpper|cLower) == 0 {
			return false
		}
	}
	return true
}
