package tcf

import (
	"fmt"
	"strconv"
)

// SegmentType identifies a segment of a TC string. Segments after the first
// start with their type in 3 bits; the first segment is always the core.
type SegmentType int8

// The segment types of TCF v2.
const (
	// SegmentUnknown stands for a segment whose type could not be read,
	// in a DecodeError.
	SegmentUnknown SegmentType = -1
	// SegmentCore is the core segment, always first.
	SegmentCore SegmentType = 0
	// SegmentDisclosedVendors lists the vendors the CMP disclosed to the
	// user. Optional before TCF v2.3, mandatory since.
	SegmentDisclosedVendors SegmentType = 1
	// SegmentAllowedVendors listed the vendors allowed to use out-of-band
	// legal bases. It left the specification with out-of-band signalling in
	// 2021 and is not part of TCF v2.2; Parse still decodes it from older
	// strings, and ParseStrict rejects it.
	SegmentAllowedVendors SegmentType = 2
	// SegmentPublisherTC holds the publisher's own purposes transparency and
	// consent.
	SegmentPublisherTC SegmentType = 3
)

// String returns the name the specification gives the segment.
func (st SegmentType) String() string {
	switch st {
	case SegmentUnknown:
		return "unknown"
	case SegmentCore:
		return "core"
	case SegmentDisclosedVendors:
		return "DisclosedVendors"
	case SegmentAllowedVendors:
		return "AllowedVendors"
	case SegmentPublisherTC:
		return "PublisherTC"
	}
	return "SegmentType(" + strconv.Itoa(int(st)) + ")"
}

// segmentType decodes the SegmentType field that starts every segment but
// the first, and checks it is known and not seen before.
func (d *decoder) segmentType() error {
	// The segment is not empty, so it holds the 3 bits of SegmentType.
	st := SegmentType(d.r.read(3))
	d.seg = st
	switch {
	case st == SegmentCore:
		return d.fail("SegmentType", 0, ErrDuplicateSegment,
			"a second core segment (SegmentType 0)")
	case st > SegmentPublisherTC:
		return d.fail("SegmentType", 0, ErrUnknownSegment,
			fmt.Sprintf("SegmentType %d; the specification defines 1 (DisclosedVendors) and 3 (PublisherTC)", st))
	case d.t.present&(1<<st) != 0:
		return d.fail("SegmentType", 0, ErrDuplicateSegment,
			fmt.Sprintf("a second %s segment", st))
	}
	d.t.present |= 1 << st
	return nil
}

// optional decodes a segment after the core one.
func (d *decoder) optional() error {
	if err := d.segmentType(); err != nil {
		return err
	}
	var err error
	switch d.seg {
	case SegmentDisclosedVendors:
		d.t.disclosed, err = d.vendorSection(&disclosedFields)
	case SegmentAllowedVendors:
		d.t.allowed, err = d.vendorSection(&allowedFields)
	case SegmentPublisherTC:
		err = d.publisherTC()
	}
	return err
}

// PublisherTC holds the Publisher TC segment: the transparency and consent
// a publisher established for its own use of the standard purposes, and of
// custom purposes it defines. Vendors should not rely on it unless they
// agreed with the publisher to do so.
//
// The zero PublisherTC, returned when the segment is absent, has no
// purposes and no custom purposes.
type PublisherTC struct {
	consent, li             uint32 // PubPurposesConsent, PubPurposesLITransparency
	customConsent, customLI uint64 // bit i is custom purpose i+1
	numCustom               int
}

// PurposeConsent reports whether the user consented to purpose id (1..24)
// for the publisher's own use.
func (p PublisherTC) PurposeConsent(id int) bool { return bit24(p.consent, id) }

// PurposeLegitimateInterest reports whether the publisher established
// legitimate interest transparency for purpose id (1..24) and the user did
// not object.
func (p PublisherTC) PurposeLegitimateInterest(id int) bool { return bit24(p.li, id) }

// NumCustomPurposes returns the number of custom purposes the publisher
// defines, 0 to 63.
func (p PublisherTC) NumCustomPurposes() int { return p.numCustom }

// CustomPurposeConsent reports whether the user consented to custom purpose
// id (1..NumCustomPurposes).
func (p PublisherTC) CustomPurposeConsent(id int) bool {
	return id >= 1 && id <= p.numCustom && p.customConsent>>(id-1)&1 != 0
}

// CustomPurposeLegitimateInterest reports whether the publisher established
// legitimate interest for custom purpose id (1..NumCustomPurposes) and the
// user did not object.
func (p PublisherTC) CustomPurposeLegitimateInterest(id int) bool {
	return id >= 1 && id <= p.numCustom && p.customLI>>(id-1)&1 != 0
}

// publisherTC decodes the Publisher TC segment after its SegmentType.
func (d *decoder) publisherTC() error {
	var p PublisherTC
	v, err := d.uint("PubPurposesConsent", 24)
	if err != nil {
		return err
	}
	p.consent = uint32(v)
	if v, err = d.uint("PubPurposesLITransparency", 24); err != nil {
		return err
	}
	p.li = uint32(v)
	if p.numCustom, err = d.uint("NumCustomPurposes", 6); err != nil {
		return err
	}
	n := p.numCustom
	if d.r.left() < n {
		return d.truncated("CustomPurposesConsent", n)
	}
	p.customConsent = reverseBits(d.r.readWide(n), n)
	if d.r.left() < n {
		return d.truncated("CustomPurposesLITransparency", n)
	}
	p.customLI = reverseBits(d.r.readWide(n), n)
	d.t.pubTC = p
	return nil
}

// reverseBits turns an n-bit field read most significant bit first (custom
// purpose 1 first) into a mask where bit i is custom purpose i+1.
func reverseBits(v uint64, n int) uint64 {
	var out uint64
	for i := range n {
		out |= (v >> (n - 1 - i) & 1) << i
	}
	return out
}

// bit24 reports whether id (1..24) is set in a 24-bit field read most
// significant bit first, where the first bit is id 1.
func bit24(v uint32, id int) bool {
	return id >= 1 && id <= 24 && v>>(24-id)&1 != 0
}
