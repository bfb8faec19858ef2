package detect

import (
	"iter"
	"math/bits"
)

// Detector finds personal data in text. It is configured with the types
// to look for and is safe for concurrent use. The zero value, like a nil
// *Detector, looks for every type.
type Detector struct {
	mask uint16
}

// New returns a Detector that looks for the given types, or for every
// type when none is given.
func New(types ...Type) *Detector {
	var m uint16
	for _, t := range types {
		if t >= Email && t <= maxType {
			m |= t.bit()
		}
	}
	if m == 0 {
		m = allTypes
	}
	return &Detector{mask: m}
}

var defaultDetector = New()

// Find returns all personal data found in text by a Detector that looks
// for every type. See Detector.FindAll.
func Find(text string) []Finding {
	return defaultDetector.FindAll(text)
}

func (d *Detector) types() uint16 {
	if d == nil || d.mask == 0 {
		return allTypes
	}
	return d.mask
}

// Types returns the types d looks for.
func (d *Detector) Types() []Type {
	m := d.types()
	var out []Type
	for _, t := range Types() {
		if m&t.bit() != 0 {
			out = append(out, t)
		}
	}
	return out
}

// FindAll returns the findings in text, sorted by Start and never
// overlapping. Each Finding's Text is a substring of text. It returns nil,
// without allocating, when nothing is found.
func (d *Detector) FindAll(text string) []Finding {
	return d.AppendFindings(nil, text)
}

// AppendFindings appends the findings in text to dst and returns the
// extended slice, so that a caller can reuse one slice across calls.
func (d *Detector) AppendFindings(dst []Finding, text string) []Finding {
	pos, lastEnd := 0, 0
	for {
		f, ok, _ := d.scan(text, pos, len(text), lastEnd)
		if !ok {
			return dst
		}
		dst = append(dst, f)
		pos, lastEnd = f.End, f.End
	}
}

// All returns an iterator over the findings in text, in order. It does
// not allocate a slice.
func (d *Detector) All(text string) iter.Seq[Finding] {
	return func(yield func(Finding) bool) {
		pos, lastEnd := 0, 0
		for {
			f, ok, _ := d.scan(text, pos, len(text), lastEnd)
			if !ok || !yield(f) {
				return
			}
			pos, lastEnd = f.End, f.End
		}
	}
}

// Contains reports whether text holds any personal data d looks for.
func (d *Detector) Contains(text string) bool {
	_, ok, _ := d.scan(text, 0, len(text), 0)
	return ok
}

// scan is the single pass over s. It looks at the positions from..limit-1
// and returns the first finding triggered there, or ok=false and the
// position where it stopped (>= limit). lastEnd is the end of the previous
// finding: no finding may start before it.
//
// Each byte is looked up in the class table; bytes that cannot start a
// candidate are passed over at once, words that do not start at a word
// boundary are skipped as a whole, and at the remaining positions a small
// dispatch calls the validators for the types the first bytes allow. Every
// validator reads a bounded window (see lookahead and lookbehind), so the
// pass is linear in len(s). What happens at a position depends only on the
// bytes around it and on lastEnd, which lets the stream forms cut the input
// anywhere and resume.
func (d *Detector) scan(s string, from, limit, lastEnd int) (f Finding, ok bool, next int) {
	mask := d.types()
	i := from
	scanTo := i // positions before scanTo are looked at one by one
	for i < limit {
		if i >= scanTo && anchorJump {
			// Every finding holds an anchor within anchorReach
			// bytes of its start: jump to the next one.
			end := min(len(s), limit+anchorReach)
			j := nextAnchor(s, i, end)
			if j >= end || j-anchorReach >= limit {
				return Finding{}, false, limit
			}
			i = max(i, j-anchorReach)
			scanTo = j + 1
		}
		c := s[i]
		k := classes[c]
		if k&cTrigger == 0 {
			i++
			continue
		}
		if k&cWord != 0 {
			// Only digits, upper-case letters (IBAN) and hex letters (MAC,
			// IPv6) start a candidate; other words are skipped at once.
			if k&(cDigit|cUpper|cHex) != 0 && !gluedBefore(s, i) {
				t, end := Type(0), -1
				if !continues(s, i) {
					t, end = atWord(s, i, k, mask)
				} else if k&cDigit != 0 && mask&IPv4.bit() != 0 && s[i-1] == '-' {
					// The second address of a range "10.0.0.1-10.0.0.9".
					t, end = IPv4, ipv4At(s, i)
				}
				if end > 0 {
					return Finding{Type: t, Start: i, End: end, Text: s[i:end]}, true, end
				}
			}
			i++
			for i < len(s) && classes[s[i]]&cWord != 0 {
				i++
			}
			continue
		}
		switch c {
		case '@':
			if mask&Email.bit() != 0 {
				if st, end := emailAt(s, i, lastEnd); end > 0 {
					return Finding{Type: Email, Start: st, End: end, Text: s[st:end]}, true, end
				}
			}
		case '+', '(':
			if mask&Phone.bit() != 0 && i+1 < len(s) && isDigit(s[i+1]) && !gluedBefore(s, i) && !continues(s, i) {
				if end := phoneAt(s, i); end > 0 {
					return Finding{Type: Phone, Start: i, End: end, Text: s[i:end]}, true, end
				}
			}
		case ':':
			if mask&IPv6.bit() != 0 && i+1 < len(s) && s[i+1] == ':' && !gluedBefore(s, i) && (i == 0 || s[i-1] != ':') {
				if end := ipv6At(s, i); end > 0 {
					return Finding{Type: IPv6, Start: i, End: end, Text: s[i:end]}, true, end
				}
			}
		}
		i++
	}
	return Finding{}, false, i
}

// atWord dispatches at the first byte of a word that starts at a boundary.
func atWord(s string, i int, k, mask uint16) (Type, int) {
	if k&cDigit != 0 {
		return atDigit(s, i, mask)
	}
	if k&cUpper != 0 && mask&IBAN.bit() != 0 && i+3 < len(s) &&
		classes[s[i+1]]&cUpper != 0 && isDigit(s[i+2]) && isDigit(s[i+3]) {
		if end := ibanAt(s, i); end > 0 {
			return IBAN, end
		}
	}
	if k&cHex != 0 && mask&(MAC.bit()|IPv6.bit()) != 0 {
		return atHex(s, i, mask)
	}
	return 0, -1
}

// atHex tries the hexadecimal forms (MAC, IPv6) at i.
func atHex(s string, i int, mask uint16) (Type, int) {
	n := len(s)
	j := i
	for j < n && j-i < 5 && classes[s[j]]&cHex != 0 {
		j++
	}
	h := j - i
	if j >= n || h > 4 || hexContinues(s, i) {
		return 0, -1
	}
	switch s[j] {
	case ':':
		if h == 2 && mask&MAC.bit() != 0 {
			if end := macAt(s, i, ':'); end > 0 {
				return MAC, end
			}
		}
		if mask&IPv6.bit() != 0 {
			if end := ipv6At(s, i); end > 0 {
				return IPv6, end
			}
		}
	case '-':
		if h == 2 && mask&MAC.bit() != 0 {
			if end := macAt(s, i, '-'); end > 0 {
				return MAC, end
			}
		}
	case '.':
		if h == 4 && mask&MAC.bit() != 0 {
			if end := ciscoMACAt(s, i); end > 0 {
				return MAC, end
			}
		}
	}
	return 0, -1
}

// atDigit tries every form that starts with a digit at i.
func atDigit(s string, i int, mask uint16) (Type, int) {
	n := len(s)
	j := i
	for j < n && j-i < 20 && isDigit(s[j]) {
		j++
	}
	nd := j - i
	var next byte
	if j < n {
		next = s[j]
	}
	// A MAC or IPv6 address starts with at most four hex digits and a
	// separator: after "7731 " there is none to look for.
	if mask&(MAC.bit()|IPv6.bit()) != 0 && nd <= 4 &&
		(classes[next]&cHex != 0 || next == ':' || next == '-' || next == '.') {
		if t, end := atHex(s, i, mask); end > 0 {
			return t, end
		}
	}
	if nd >= 20 || classes[next]&cWord != 0 {
		// Too long for any number read here, or glued to letters ("12ms",
		// "3f9a…"): not a number.
		return 0, -1
	}
	if next == '.' && nd <= 3 && mask&IPv4.bit() != 0 {
		if end := ipv4At(s, i); end > 0 {
			return IPv4, end
		}
	}
	// more: a further group of digits may follow, as the phone and card
	// readers join them (" ", one of "-./", " ", then a digit or "(").
	more := false
	if r := j; r < n {
		if s[r] == ' ' {
			r++
		}
		if r < n && (s[r] == '-' || s[r] == '.' || s[r] == '/') {
			r++
			if r < n && s[r] == ' ' {
				r++
			}
		}
		more = r > j && r < n && (isDigit(s[r]) || s[r] == '(')
	}
	if !anchorJump {
		more = next == ' ' || next == '-' || next == '.' || next == '/' || next == '(' // the readers decide
	}
	if mask&Card.bit() != 0 && (nd >= 12 || (nd == 4 && more && (next == ' ' || next == '-'))) {
		if end := cardAt(s, i); end > 0 {
			return Card, end
		}
	}
	if mask&Phone.bit() != 0 && (nd >= 8 || more) {
		if end := phoneAt(s, i); end > 0 {
			return Phone, end
		}
	}
	return 0, -1
}

// The anchors are '-', '.', the digits, ':' and '@'. Every finding holds
// one within anchorReach bytes of its start: an e-mail address its '@'
// (from which the address is found), a phone number, IPv4 address, card
// or IBAN a digit within two bytes (after "+", "(" or the IBAN's country
// code), an IPv6 address a digit or ':' within four (a group has at most
// four hex digits), a MAC address its first separator within four. Text
// without anchors is passed over eight bytes at a time.
const anchorReach = 5

// anchorJump is off only in the test that compares the scan with and
// without its shortcuts (the jumps to anchors, and the digit readers left
// out when no further group follows).
var anchorJump = true

const (
	lo7  = 0x7f7f7f7f7f7f7f7f
	hi1  = 0x8080808080808080
	ones = 0x0101010101010101
)

// between flags, in the high bit of each byte, the bytes of x strictly
// between lo and hi (ASCII bytes only). It is exact per byte: no carry or
// borrow crosses bytes (Bit Twiddling Hacks, "hasbetween").
func between(x uint64, lo, hi uint64) uint64 {
	t := x & lo7
	return (ones*(127+hi) - t) & ^x & (t + ones*(127-lo)) & hi1
}

// load8 reads eight bytes of s at i, little-endian; the compiler makes it
// one load.
func load8(s string, i int) uint64 {
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// anchors flags the anchors among the eight bytes of x.
func anchors(x uint64) uint64 {
	return between(x, '-'-1, '@'+1)
}

// nextAnchor returns the index of the first anchor in s[i:end], or end.
// The bytes of "/;<=>?" the range test takes along are passed over here,
// so that punctuation in prose does not stop the jump.
func nextAnchor(s string, i, end int) int {
	for ; i+8 <= end; i += 8 {
		for m := anchors(load8(s, i)); m != 0; m &= m - 1 {
			if j := i + bits.TrailingZeros64(m)/8; isAnchor(s[j]) {
				return j
			}
		}
	}
	for ; i < end; i++ {
		if isAnchor(s[i]) {
			return i
		}
	}
	return end
}

// isAnchor reports whether c is an anchor: a digit or one of "-.:@".
func isAnchor(c byte) bool {
	return classes[c]&cDigit != 0 || c == '-' || c == '.' || c == ':' || c == '@'
}
