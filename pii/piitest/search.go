package piitest

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/detect"
)

// hit is a personal value found in a text, at text[start:end].
type hit struct {
	start, end int
	label      string // what was found: "User.Email (user.contact.email)"
	category   pii.Category
}

// search returns where the needles occur in text, matching ASCII letters
// without regard to case, leftmost first; where two matches overlap, the
// one that starts first (and then the longer) is kept.
func search(text string, needles []needle) []hit {
	folded := foldASCII(text)
	var hits []hit
	for _, n := range needles {
		label := n.field + " (" + string(n.category) + ")"
		for _, form := range n.forms {
			f := foldASCII(form)
			for from := 0; from <= len(folded)-len(f); {
				i := strings.Index(folded[from:], f)
				if i < 0 {
					break
				}
				start := from + i
				hits = append(hits, hit{start, start + len(f), label, n.category})
				from = start + len(f)
			}
		}
	}
	return disjoint(hits)
}

// foldASCII lower-cases ASCII letters only, so that byte offsets into the
// result are offsets into s.
func foldASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// disjoint sorts hits by position and drops those that overlap an earlier
// (or, at the same start, a longer) one.
func disjoint(hits []hit) []hit {
	sort.Slice(hits, func(i, j int) bool {
		if hits[i].start != hits[j].start {
			return hits[i].start < hits[j].start
		}
		return hits[i].end > hits[j].end
	})
	out := hits[:0]
	end := -1
	for _, h := range hits {
		if h.start >= end {
			out = append(out, h)
			end = h.end
		}
	}
	return out
}

// detected returns the personal data package detect finds in text, as
// hits, leaving out loopback and unspecified IP addresses (127.0.0.1, ::1,
// 0.0.0.0), which identify nobody.
func detected(text string) []hit {
	var hits []hit
	for _, f := range detect.Find(text) {
		if f.Type == detect.IPv4 || f.Type == detect.IPv6 {
			if ip, err := netip.ParseAddr(f.Text); err == nil && (ip.IsLoopback() || ip.IsUnspecified()) {
				continue
			}
		}
		c := categoryOf(f.Type)
		hits = append(hits, hit{f.Start, f.End, f.Type.String() + " (" + string(c) + ")", c})
	}
	return hits
}

// categoryOf maps a detected type to the pii category it belongs to.
func categoryOf(t detect.Type) pii.Category {
	switch t {
	case detect.Email:
		return pii.Email
	case detect.Phone:
		return pii.Phone
	case detect.IPv4, detect.IPv6:
		return pii.IPAddress
	case detect.Card:
		return pii.PaymentCard
	case detect.IBAN:
		return pii.BankAccount
	case detect.MAC:
		return pii.DeviceID
	}
	return ""
}

// around is how many bytes of text an excerpt shows on each side of a hit.
const around = 24

// describe lists the first maxListed hits, each with its byte offset and
// an excerpt of text around it in which every hit, and everything package
// detect finds, is masked with shape: a failure message must not
// spread what it reports.
func describe(text string, hits []hit) []string {
	items := make([]string, 0, min(len(hits), maxListed))
	for _, h := range hits[:min(len(hits), maxListed)] {
		items = append(items, fmt.Sprintf("%s at byte %d: %s", h.label, h.start, excerpt(text, h, hits)))
	}
	return items
}

// excerpt returns text around h, escaped, with personal data masked.
func excerpt(text string, h hit, hits []hit) string {
	from, to := max(0, h.start-around), min(len(text), h.end+around)
	// Widen the window over any hit it cuts, so that masks are whole.
	for _, o := range hits {
		if o.start < from && o.end > from {
			from = o.start
		}
		if o.start < to && o.end > to {
			to = o.end
		}
	}
	for from > 0 && !utf8.RuneStart(text[from]) {
		from--
	}
	for to < len(text) && !utf8.RuneStart(text[to]) {
		to++
	}
	masks := []hit{}
	for _, o := range hits {
		if o.start < to && o.end > from {
			masks = append(masks, o)
		}
	}
	// Also mask what detect finds near the window, clipped to it.
	lo, hi := max(0, from-around), min(len(text), to+around)
	for _, d := range detected(text[lo:hi]) {
		d.start, d.end = max(d.start+lo, from), min(d.end+lo, to)
		if d.start < d.end {
			masks = append(masks, d)
		}
	}
	masks = disjoint(masks)

	var b strings.Builder
	if from > 0 {
		b.WriteString("...")
	}
	pos := from
	for _, m := range masks {
		writeEscaped(&b, text[pos:m.start])
		writeEscaped(&b, shape(m.category, text[m.start:m.end]))
		pos = m.end
	}
	writeEscaped(&b, text[pos:to])
	if to < len(text) {
		b.WriteString("...")
	}
	return b.String()
}

// writeEscaped writes s with line breaks, tabs, other control characters
// and invalid UTF-8 escaped, so that an excerpt stays on one line.
func writeEscaped(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == utf8.RuneError && size == 1, r < 0x20, r == 0x7f:
			fmt.Fprintf(b, `\x%02x`, s[i])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
}
