package tcf

import (
	"fmt"
	"slices"
)

// decoder holds the state of one Parse call: the value being filled and a
// reader over the current segment.
type decoder struct {
	t      *TCString
	seg    SegmentType
	index  int // position of the segment in the string
	segOff int // byte offset of the segment in the input
	r      bitReader
}

// begin positions the decoder on segment number index, which starts at byte
// off of the input.
func (d *decoder) begin(index, off int, seg string) {
	d.index = index
	d.segOff = off
	d.r = newBitReader(seg)
}

// fail returns a DecodeError for the field starting at bit of the current
// segment.
func (d *decoder) fail(field string, bit int, err error, detail string) *DecodeError {
	off := -1
	if bit >= 0 {
		off = d.segOff + min(bit/6, max(len(d.r.s)-1, 0))
	}
	return &DecodeError{
		Segment: d.seg,
		Index:   d.index,
		Field:   field,
		Offset:  off,
		Bit:     bit,
		Err:     err,
		detail:  detail,
	}
}

// truncated returns an ErrTruncated error for a field of n bits that does
// not fit in what is left of the segment.
func (d *decoder) truncated(field string, n int) *DecodeError {
	return d.fail(field, d.r.pos(), ErrTruncated,
		fmt.Sprintf("needs %d bits, the segment has %d left", n, d.r.left()))
}

// uint reads an n-bit field, 1 <= n <= 36.
func (d *decoder) uint(field string, n int) (int, error) {
	if d.r.left() < n {
		return 0, d.truncated(field, n)
	}
	return int(d.r.read(n)), nil
}

// flag reads a 1-bit field.
func (d *decoder) flag(field string) (bool, error) {
	if d.r.left() < 1 {
		return false, d.truncated(field, 1)
	}
	return d.r.read(1) == 1, nil
}

// sectionFields names the fields of a vendor section in errors.
type sectionFields struct {
	maxVendorID, isRangeEncoding, bitField, numEntries, isARange, start, end string
}

func newSectionFields(prefix string) sectionFields {
	return sectionFields{
		maxVendorID:     prefix + "MaxVendorId",
		isRangeEncoding: prefix + "IsRangeEncoding",
		bitField:        prefix + "BitField",
		numEntries:      prefix + "NumEntries",
		isARange:        prefix + "RangeEntry.IsARange",
		start:           prefix + "RangeEntry.StartOrOnlyVendorId",
		end:             prefix + "RangeEntry.EndVendorId",
	}
}

var (
	vendorConsentFields = newSectionFields("VendorConsent.")
	vendorLIFields      = newSectionFields("VendorLegitimateInterest.")
	disclosedFields     = newSectionFields("DisclosedVendors.")
	allowedFields       = newSectionFields("AllowedVendors.")
	restrictionFields   = newSectionFields("PubRestrictionEntry.")
)

// vendorSection decodes MaxVendorId, IsRangeEncoding and the bit field or
// range section that follows, as found in the core segment (twice) and in
// the DisclosedVendors and AllowedVendors segments.
func (d *decoder) vendorSection(f *sectionFields) (vendorSection, error) {
	maxID, err := d.uint(f.maxVendorID, 16)
	if err != nil {
		return vendorSection{}, err
	}
	isRange, err := d.flag(f.isRangeEncoding)
	if err != nil {
		return vendorSection{}, err
	}
	v := vendorSection{max: uint16(maxID), isRange: isRange}
	if !isRange {
		if d.r.left() < maxID {
			return vendorSection{}, d.truncated(f.bitField, maxID)
		}
		// The bit field stays where it is, in the input string: record
		// where vendor 1 is, counted from the start of the input.
		v.pos = uint32(d.segOff*6 + d.r.pos())
		d.r.skip(maxID)
		return v, nil
	}
	lo, hi, err := d.rangeEntries(f, maxID)
	if err != nil {
		return vendorSection{}, err
	}
	v.pos, v.end = uint32(lo), uint32(hi)
	return v, nil
}

// Sizes of a range entry: IsARange and StartOrOnlyVendorId, and
// EndVendorId when IsARange is set.
const (
	minRangeEntryBits = 1 + 16
	maxRangeEntryBits = 1 + 16 + 16
)

// rangeEntry decodes one range entry near the end of the segment, field by
// field, to report the one that is truncated.
func (d *decoder) rangeEntry(f *sectionFields) (lo, hi int, isRange bool, err error) {
	if isRange, err = d.flag(f.isARange); err != nil {
		return 0, 0, false, err
	}
	if lo, err = d.uint(f.start, 16); err != nil {
		return 0, 0, false, err
	}
	hi = lo
	if isRange {
		if hi, err = d.uint(f.end, 16); err != nil {
			return 0, 0, false, err
		}
	}
	return lo, hi, isRange, nil
}

// rangeEntries decodes NumEntries and the range entries that follow, which
// must lie within 1..limit. It appends them to the arena of the TCString,
// sorted and merged, at arena[lo:hi].
func (d *decoder) rangeEntries(f *sectionFields, limit int) (lo, hi int, err error) {
	n, err := d.uint(f.numEntries, 12)
	if err != nil {
		return 0, 0, err
	}
	t := d.t
	// Reserve room for the entries that can fit in what is left of the
	// segment, no more: a large NumEntries in a short string fails with
	// ErrTruncated below without having allocated for it.
	if free := cap(t.arena) - len(t.arena); n > free {
		t.arena = slices.Grow(t.arena, min(n, d.r.left()/minRangeEntryBits))
	}
	first := len(t.arena)
	for i := range n {
		bit := d.r.pos()
		var (
			isRange bool
			lo, hi  int
		)
		if d.r.left() >= maxRangeEntryBits {
			// IsARange and StartOrOnlyVendorId in one read.
			v := d.r.read(minRangeEntryBits)
			isRange, lo = v>>16 != 0, int(v&0xFFFF)
			hi = lo
			if isRange {
				hi = int(d.r.read(16))
			}
		} else if lo, hi, isRange, err = d.rangeEntry(f); err != nil {
			return 0, 0, err
		}
		hiField, hiBit := f.start, bit+1
		if isRange {
			hiField, hiBit = f.end, bit+17
		}
		switch {
		case lo == 0:
			return 0, 0, d.fail(f.start, bit+1, ErrMalformed,
				fmt.Sprintf("range entry %d of %d starts at vendor ID 0", i+1, n))
		case hi < lo:
			return 0, 0, d.fail(hiField, hiBit, ErrMalformed,
				fmt.Sprintf("range entry %d of %d ends at %d, before its start %d", i+1, n, hi, lo))
		case hi > limit:
			return 0, 0, d.fail(hiField, hiBit, ErrMalformed,
				fmt.Sprintf("range entry %d of %d reaches vendor ID %d, above MaxVendorId %d", i+1, n, hi, limit))
		}
		t.arena = append(t.arena, idRange{uint16(lo), uint16(hi)})
	}
	rs := normalizeRanges(t.arena[first:])
	t.arena = t.arena[:first+len(rs)]
	return first, len(t.arena), nil
}
