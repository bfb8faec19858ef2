package tcf

import (
	"fmt"
	"strings"
	"time"
)

// TCString is a decoded TC string. Its methods only read it, so it can be
// shared between goroutines once Parse has returned it. It keeps a reference
// to the input string: vendor bit fields are read from it rather than
// copied.
type TCString struct {
	// Version is the version of the encoding format, always 2.
	Version int
	// Created is when the string was created, to the decisecond as encoded.
	// Since TCF v2.2 CMPs set it, like LastUpdated, to the day the string was
	// last updated (midnight UTC).
	Created time.Time
	// LastUpdated is when the string was last updated, to the decisecond as
	// encoded.
	LastUpdated time.Time
	// CmpID identifies the Consent Management Platform that last updated
	// the string.
	CmpID int
	// CmpVersion is the version of that CMP.
	CmpVersion int
	// ConsentScreen is the CMP's number for the screen on which the user
	// made their choices.
	ConsentScreen int
	// ConsentLanguage is the two-letter ISO 639-1 code of the language of
	// the CMP interface, upper case ("EN").
	ConsentLanguage string
	// VendorListVersion is the version of the Global Vendor List used.
	VendorListVersion int
	// TcfPolicyVersion is the version of the TCF policies the string was
	// created under: 4 or more since TCF v2.2 (the Global Vendor List
	// tells which is current).
	TcfPolicyVersion int
	// IsServiceSpecific is true when the string applies only to the service
	// or group of services that created it. Global-scope strings are no
	// longer valid, so it must be true; ParseStrict enforces it.
	IsServiceSpecific bool
	// UseNonStandardTexts is true when the CMP modified the standard texts
	// (stack descriptions, illustrations). Formerly UseNonStandardStacks.
	UseNonStandardTexts bool
	// PurposeOneTreatment is true when purpose 1 was not disclosed to the
	// user because the publisher's jurisdiction does not require consent for
	// it; see PublisherCC.
	PurposeOneTreatment bool
	// PublisherCC is the ISO 3166-1 alpha-2 code of the country whose
	// legislation applies to the publisher, upper case ("DE").
	PublisherCC string

	raw             string
	specialFeatures uint32 // SpecialFeatureOptIns, 12 bits
	purposesConsent uint32 // PurposesConsent, 24 bits
	purposesLI      uint32 // PurposesLITransparency, 24 bits
	vendorConsents  vendorSection
	vendorLI        vendorSection
	disclosed       vendorSection
	allowed         vendorSection
	pubTC           PublisherTC
	present         uint8 // bit st is set when segment type st was decoded
	restrictions    []restriction
	arena           []idRange // range entries of every range-encoded section

	// Inline storage for the common case, so that decoding a typical string
	// makes a single allocation.
	restrictionBuf [12]restriction
	arenaBuf       [24]idRange
}

// maxInputLen bounds the length of the input, so that bit offsets fit in 32
// bits. Real TC strings are a few hundred bytes to a few kilobytes long.
var maxInputLen = 1 << 28

// Parse decodes a TC string of TCF v2 (v2.0 to v2.3): the core segment and
// any DisclosedVendors, AllowedVendors and Publisher TC segments that follow
// it, in any order, separated by '.'.
//
// Parse checks the form of the string, not the policies: it accepts strings
// without the DisclosedVendors segment that TCF v2.3 made mandatory, and
// the AllowedVendors segment that TCF v2.2 no longer has. Use [ParseStrict] or
// [TCString.CheckV23] to apply the v2.3 rules.
//
// Each segment is base64url without padding, as an encoder produces from
// whole bytes: a segment of 4n+1 characters, which no encoding has, is
// rejected with [ErrMalformed], as are '=' padding and characters outside
// the base64url alphabet ([ErrAlphabet]). Bits after the last field of a
// segment are padding and ignored whatever their value, as the
// specification asks, including the bits of the last character that do not
// make a whole byte.
//
// Any error is a *[DecodeError] wrapping one of the sentinel errors of this
// package.
// Strings longer than 256 MiB are rejected with [ErrMalformed].
func Parse(s string) (*TCString, error) {
	if s == "" {
		return nil, &DecodeError{Segment: SegmentCore, Index: -1, Offset: -1, Bit: -1, Err: ErrEmpty}
	}
	if len(s) > maxInputLen {
		return nil, &DecodeError{Segment: SegmentCore, Index: -1, Offset: -1, Bit: -1, Err: ErrMalformed,
			detail: fmt.Sprintf("%d bytes, longer than the %d this decoder accepts", len(s), maxInputLen)}
	}
	if i := firstBadChar(s); i >= 0 {
		return nil, alphabetError(s, i)
	}
	t := &TCString{raw: s}
	t.restrictions = t.restrictionBuf[:0]
	t.arena = t.arenaBuf[:0]
	d := decoder{t: t}
	off := 0
	for index := 0; ; index++ {
		seg := s[off:]
		end := strings.IndexByte(seg, '.')
		if end >= 0 {
			seg = seg[:end]
		}
		if seg == "" {
			return nil, emptySegmentError(s, index, off)
		}
		if len(seg)%4 == 1 {
			return nil, lengthError(index, off, seg)
		}
		d.begin(index, off, seg)
		var err error
		if index == 0 {
			err = d.core()
		} else {
			err = d.optional()
		}
		if err != nil {
			return nil, err
		}
		if end < 0 {
			break
		}
		off += end + 1
	}
	return t, nil
}

// ParseStrict decodes a TC string like [Parse], then applies the rules of
// TCF v2.3 with [TCString.CheckV23].
func ParseStrict(s string) (*TCString, error) {
	t, err := Parse(s)
	if err != nil {
		return nil, err
	}
	if err := t.CheckV23(); err != nil {
		return nil, err
	}
	return t, nil
}

// CheckV23 reports the first rule of TCF v2.3 that a decoded string breaks,
// or nil:
//
//   - the DisclosedVendors segment must be present (mandatory since v2.3);
//   - the AllowedVendors segment must be absent (not part of v2.2 and later);
//   - IsServiceSpecific must be set (global scope is no longer valid);
//   - PurposesLITransparency must not be set for purposes 3 to 6 (legitimate
//     interest for them was removed in v2.2).
//
// The error is a *[DecodeError] wrapping [ErrMissingSegment],
// [ErrRemovedSegment] or [ErrNonCompliant]. CheckV23 does not check the
// TcfPolicyVersion nor the vendors against a Global Vendor List.
func (t *TCString) CheckV23() error {
	switch {
	case !t.HasSegment(SegmentDisclosedVendors):
		return &DecodeError{Segment: SegmentDisclosedVendors, Index: -1, Offset: -1, Bit: -1,
			Err: ErrMissingSegment, detail: "TCF v2.3 requires the DisclosedVendors segment"}
	case t.HasSegment(SegmentAllowedVendors):
		return &DecodeError{Segment: SegmentAllowedVendors, Index: t.segmentIndex(SegmentAllowedVendors),
			Offset: -1, Bit: -1, Err: ErrRemovedSegment,
			detail: "AllowedVendors left the specification with out-of-band signalling and is not part of TCF v2.2 and later"}
	case !t.IsServiceSpecific:
		return &DecodeError{Segment: SegmentCore, Field: "IsServiceSpecific",
			Offset: bitIsServiceSpecific / 6, Bit: bitIsServiceSpecific, Err: ErrNonCompliant,
			detail: "must be 1: global-scope TC strings are no longer valid"}
	case t.purposesLI&liForbiddenMask != 0:
		return &DecodeError{Segment: SegmentCore, Field: "PurposesLITransparency",
			Offset: bitPurposesLITransparency / 6, Bit: bitPurposesLITransparency, Err: ErrNonCompliant,
			detail: fmt.Sprintf("legitimate interest set for purposes %v; TCF v2.2 removed it for purposes 3 to 6",
				t.liForbiddenPurposes())}
	}
	return nil
}

// liForbiddenMask selects purposes 3 to 6 in a 24-bit purpose field.
const liForbiddenMask = 0xF << (24 - 6)

func (t *TCString) liForbiddenPurposes() []int {
	var ids []int
	for id := 3; id <= 6; id++ {
		if bit24(t.purposesLI, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// segmentIndex returns the position in the string of the segment of type
// st, which must be present.
func (t *TCString) segmentIndex(st SegmentType) int {
	for i, seg := range strings.Split(t.raw, ".")[1:] {
		if SegmentType(alphabet[seg[0]]>>3) == st {
			return i + 1
		}
	}
	return -1
}

// String returns the TC string as it was given to Parse. TC strings must be
// passed on unmodified, so this is the value to forward.
func (t *TCString) String() string { return t.raw }

// HasSegment reports whether the string holds a segment of type st. The core
// segment is always present.
func (t *TCString) HasSegment(st SegmentType) bool {
	switch {
	case st == SegmentCore:
		return true
	case st < SegmentCore || st > SegmentPublisherTC:
		return false
	}
	return t.present&(1<<st) != 0
}

// PurposeConsent reports whether the user consented to purpose id (1..24).
func (t *TCString) PurposeConsent(id int) bool { return bit24(t.purposesConsent, id) }

// PurposeLegitimateInterest reports whether legitimate interest transparency
// was established for purpose id (1..24) and the user did not object to it.
func (t *TCString) PurposeLegitimateInterest(id int) bool { return bit24(t.purposesLI, id) }

// SpecialFeatureOptIn reports whether the user opted in to special feature
// id (1..12).
func (t *TCString) SpecialFeatureOptIn(id int) bool {
	return id >= 1 && id <= 12 && t.specialFeatures>>(12-id)&1 != 0
}

// VendorConsent reports whether the user consented to vendor vendorID.
func (t *TCString) VendorConsent(vendorID int) bool { return t.has(&t.vendorConsents, vendorID) }

// VendorLegitimateInterest reports whether the CMP established legitimate
// interest transparency for vendor vendorID and the user did not object.
func (t *TCString) VendorLegitimateInterest(vendorID int) bool { return t.has(&t.vendorLI, vendorID) }

// VendorDisclosed reports whether the CMP disclosed vendor vendorID to the
// user, as recorded by the DisclosedVendors segment. It is false for every
// vendor when the segment is absent.
func (t *TCString) VendorDisclosed(vendorID int) bool { return t.has(&t.disclosed, vendorID) }

// VendorAllowed reports whether the AllowedVendors segment of an older
// string lists vendor vendorID. It is false for every vendor when the
// segment is absent, as it is from every TCF v2.2 and later string.
func (t *TCString) VendorAllowed(vendorID int) bool { return t.has(&t.allowed, vendorID) }

// VendorConsents returns the vendor consent section of the core segment.
func (t *TCString) VendorConsents() VendorSet { return t.set(&t.vendorConsents) }

// VendorLegitimateInterests returns the vendor legitimate interest section
// of the core segment.
func (t *TCString) VendorLegitimateInterests() VendorSet { return t.set(&t.vendorLI) }

// DisclosedVendors returns the DisclosedVendors segment, empty when absent.
func (t *TCString) DisclosedVendors() VendorSet { return t.set(&t.disclosed) }

// AllowedVendors returns the AllowedVendors segment, empty when absent.
func (t *TCString) AllowedVendors() VendorSet { return t.set(&t.allowed) }

// PublisherTC returns the Publisher TC segment, the zero PublisherTC when
// absent.
func (t *TCString) PublisherTC() PublisherTC { return t.pubTC }

// alphabetError builds the error for the byte of s at i that is outside the
// alphabet.
func alphabetError(s string, i int) *DecodeError {
	index := strings.Count(s[:i], ".")
	st := SegmentCore
	if index > 0 {
		st = SegmentUnknown
		segStart := strings.LastIndexByte(s[:i], '.') + 1
		if segStart < i {
			st = SegmentType(alphabet[s[segStart]] >> 3)
		}
	}
	c := s[i]
	var what string
	switch c {
	case '=':
		what = "padding '='"
	case '+', '/':
		what = fmt.Sprintf("%q of the standard base64 alphabet (base64url uses '-' and '_')", c)
	default:
		if c < 0x80 {
			what = fmt.Sprintf("%q", c)
		} else {
			what = fmt.Sprintf("byte 0x%02X", c)
		}
	}
	return &DecodeError{Segment: st, Index: index, Offset: i, Bit: -1, Err: ErrAlphabet, detail: what}
}

// emptySegmentError builds the error for an empty segment number index,
// at byte off.
func emptySegmentError(s string, index, off int) *DecodeError {
	st := SegmentUnknown
	if index == 0 {
		st = SegmentCore
	}
	return &DecodeError{Segment: st, Index: index, Offset: min(off, len(s)-1), Bit: -1, Err: ErrMalformed,
		detail: "empty segment: the string starts or ends with '.', or has '..'"}
}

// lengthError builds the error for segment number index, at byte off, whose
// length no base64url encoding has: 4n+1 characters, the last of which
// would hold 6 bits, less than a byte.
func lengthError(index, off int, seg string) *DecodeError {
	st := SegmentCore
	if index > 0 {
		st = SegmentType(alphabet[seg[0]] >> 3)
	}
	return &DecodeError{Segment: st, Index: index, Offset: off + len(seg) - 1, Bit: -1, Err: ErrMalformed,
		detail: fmt.Sprintf("%d characters, a length no base64url encoding has (4n+1: the last character holds less than a byte)", len(seg))}
}
