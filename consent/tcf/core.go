package tcf

import (
	"fmt"
	"strings"
	"time"
)

// coreHeader lists the fixed-size fields at the start of the core segment,
// in order, with their sizes in bits.
var coreHeader = [...]struct {
	name string
	bits int
}{
	{"Version", 6},
	{"Created", 36},
	{"LastUpdated", 36},
	{"CmpId", 12},
	{"CmpVersion", 12},
	{"ConsentScreen", 6},
	{"ConsentLanguage", 12},
	{"VendorListVersion", 12},
	{"TcfPolicyVersion", 6},
	{"IsServiceSpecific", 1},
	{"UseNonStandardTexts", 1},
	{"SpecialFeatureOptIns", 12},
	{"PurposesConsent", 24},
	{"PurposesLITransparency", 24},
	{"PurposeOneTreatment", 1},
	{"PublisherCC", 12},
}

// Bit offsets of core fields named in errors, and the size of the header.
const (
	bitConsentLanguage        = 108
	bitIsServiceSpecific      = 138
	bitPurposesLITransparency = 176
	bitPublisherCC            = 201
	coreHeaderBits            = 213
)

// letterPairs holds every two-letter code "AA".."ZZ" back to back, so that a
// decoded language or country code is a substring of it and costs no
// allocation.
var letterPairs = func() string {
	var b strings.Builder
	b.Grow(26 * 26 * 2)
	for a := byte('A'); a <= 'Z'; a++ {
		for c := byte('A'); c <= 'Z'; c++ {
			b.WriteByte(a)
			b.WriteByte(c)
		}
	}
	return b.String()
}()

// letterPair decodes a 12-bit field holding two letters of 6 bits each,
// a=0..z=25, as an upper-case code.
func letterPair(v uint64) (string, bool) {
	a, b := int(v>>6), int(v&0x3F)
	if a > 25 || b > 25 {
		return "", false
	}
	i := (a*26 + b) * 2
	return letterPairs[i : i+2], true
}

// fromDeciseconds converts a count of deciseconds since the Unix epoch.
func fromDeciseconds(ds uint64) time.Time {
	return time.UnixMilli(int64(ds) * 100).UTC()
}

// core decodes the core segment.
func (d *decoder) core() error {
	d.seg = SegmentCore
	r, t := &d.r, d.t
	// The segment is not empty, so it holds the 6 bits of Version.
	if v := int(r.read(6)); v != 2 {
		return d.badVersion(v)
	}
	if r.n < coreHeaderBits {
		bit := 0
		for _, f := range coreHeader {
			if bit+f.bits > r.n {
				r.seek(bit)
				return d.truncated(f.name, f.bits)
			}
			bit += f.bits
		}
	}
	t.Version = 2
	t.Created = fromDeciseconds(r.read(36))
	t.LastUpdated = fromDeciseconds(r.read(36))
	t.CmpID = int(r.read(12))
	t.CmpVersion = int(r.read(12))
	t.ConsentScreen = int(r.read(6))
	lang := r.read(12)
	t.VendorListVersion = int(r.read(12))
	t.TcfPolicyVersion = int(r.read(6))
	t.IsServiceSpecific = r.read(1) == 1
	t.UseNonStandardTexts = r.read(1) == 1
	t.specialFeatures = uint32(r.read(12))
	t.purposesConsent = uint32(r.read(24))
	t.purposesLI = uint32(r.read(24))
	t.PurposeOneTreatment = r.read(1) == 1
	cc := r.read(12)

	var ok bool
	if t.ConsentLanguage, ok = letterPair(lang); !ok {
		return d.fail("ConsentLanguage", bitConsentLanguage, ErrMalformed,
			fmt.Sprintf("letter values %d and %d, want 0 (a) to 25 (z)", lang>>6, lang&0x3F))
	}
	if t.PublisherCC, ok = letterPair(cc); !ok {
		return d.fail("PublisherCC", bitPublisherCC, ErrMalformed,
			fmt.Sprintf("letter values %d and %d, want 0 (a) to 25 (z)", cc>>6, cc&0x3F))
	}

	var err error
	if t.vendorConsents, err = d.vendorSection(&vendorConsentFields); err != nil {
		return err
	}
	if t.vendorLI, err = d.vendorSection(&vendorLIFields); err != nil {
		return err
	}
	return d.pubRestrictions()
}

// badVersion builds the error for a first segment whose Version is v, not 2.
// When the first 3 bits name a known optional segment, the string most
// likely lacks its core segment or has it out of place.
func (d *decoder) badVersion(v int) error {
	if st := SegmentType(v >> 3); st >= SegmentDisclosedVendors && st <= SegmentPublisherTC {
		d.seg = st
		return d.fail("SegmentType", 0, ErrSegmentOrder,
			fmt.Sprintf("the string starts with a %s segment", st))
	}
	detail := fmt.Sprintf("version %d, want 2", v)
	if v == 1 {
		detail = "version 1: TCF v1 consent strings are not supported"
	}
	return d.fail("Version", 0, ErrVersion, detail)
}
