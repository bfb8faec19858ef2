package tcf

import (
	"slices"
	"strings"
)

// bitWriter builds test segments bit by bit, to craft inputs that no public
// string covers (invalid values, adversarial counts). It exists only in
// tests: the package itself has no encoder.
type bitWriter struct{ bits []byte }

// u appends v as an n-bit big-endian field.
func (w *bitWriter) u(v, n int) *bitWriter {
	for i := n - 1; i >= 0; i-- {
		w.bits = append(w.bits, byte(v>>i&1))
	}
	return w
}

// b appends a 1-bit flag.
func (w *bitWriter) b(v bool) *bitWriter {
	if v {
		return w.u(1, 1)
	}
	return w.u(0, 1)
}

// ids appends an n-bit field where bit i (from the left) is set when i+1 is
// in ids.
func (w *bitWriter) ids(n int, ids ...int) *bitWriter {
	for i := 1; i <= n; i++ {
		w.b(slices.Contains(ids, i))
	}
	return w
}

// letters appends a two-letter code, 6 bits a letter.
func (w *bitWriter) letters(s string) *bitWriter {
	return w.u(int(s[0]-'A'), 6).u(int(s[1]-'A'), 6)
}

// bitField appends a vendor section encoded as a bit field.
func (w *bitWriter) bitField(maxID int, ids ...int) *bitWriter {
	return w.u(maxID, 16).b(false).ids(maxID, ids...)
}

// rangeEntries appends NumEntries and the entries; an entry {a, a} is
// written as a single vendor ID.
func (w *bitWriter) rangeEntries(entries ...[2]int) *bitWriter {
	w.u(len(entries), 12)
	for _, e := range entries {
		if e[0] == e[1] {
			w.b(false).u(e[0], 16)
		} else {
			w.b(true).u(e[0], 16).u(e[1], 16)
		}
	}
	return w
}

// ranged appends a vendor section encoded as ranges.
func (w *bitWriter) ranged(maxID int, entries ...[2]int) *bitWriter {
	return w.u(maxID, 16).b(true).rangeEntries(entries...)
}

// header appends the fixed fields of a core segment (213 bits) with the
// given languages and LI purposes, and plausible values elsewhere.
func (w *bitWriter) header(lang, cc string, serviceSpecific bool, liPurposes ...int) *bitWriter {
	w.u(2, 6)                     // Version
	w.u(17489088000, 36)          // Created: 2025-06-03
	w.u(17489088000, 36)          // LastUpdated
	w.u(10, 12).u(3, 12).u(1, 6)  // CmpId, CmpVersion, ConsentScreen
	w.letters(lang)               // ConsentLanguage
	w.u(100, 12).u(5, 6)          // VendorListVersion, TcfPolicyVersion
	w.b(serviceSpecific).b(false) // IsServiceSpecific, UseNonStandardTexts
	w.ids(12, 1)                  // SpecialFeatureOptIns
	w.ids(24, 1, 2, 3)            // PurposesConsent
	w.ids(24, liPurposes...)      // PurposesLITransparency
	return w.b(false).letters(cc) // PurposeOneTreatment, PublisherCC
}

// core appends a minimal valid core segment: no vendors, no restrictions.
func (w *bitWriter) core() *bitWriter {
	return w.header("EN", "DE", true).bitField(0).bitField(0).u(0, 12)
}

// String encodes the bits as a TC string encoder does: padded with zero
// bits to a whole number of bytes, then in base64url without padding (the
// last character padded with zero bits).
func (w *bitWriter) String() string {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	var sb strings.Builder
	n := (len(w.bits) + 7) / 8 * 8
	for i := 0; i < n; i += 6 {
		v := 0
		for j := range 6 {
			v <<= 1
			if i+j < len(w.bits) {
				v |= int(w.bits[i+j])
			}
		}
		sb.WriteByte(chars[v])
	}
	return sb.String()
}

func newBits() *bitWriter { return &bitWriter{} }
