package tcf

import (
	"fmt"
	"strconv"
)

// RestrictionType is the kind of a publisher restriction.
type RestrictionType uint8

// The restriction types the specification defines. The value 3 is undefined
// and rejected by the decoder.
const (
	// NotAllowed: the purpose is flatly not allowed by the publisher,
	// whatever the vendor declared.
	NotAllowed RestrictionType = 0
	// RequireConsent: a vendor that declared the purpose as legitimate
	// interest and flexible must rely on consent instead.
	RequireConsent RestrictionType = 1
	// RequireLegitimateInterest: a vendor that declared the purpose as
	// consent and flexible must rely on legitimate interest instead.
	RequireLegitimateInterest RestrictionType = 2
)

// String returns the name of the restriction type.
func (rt RestrictionType) String() string {
	switch rt {
	case NotAllowed:
		return "NotAllowed"
	case RequireConsent:
		return "RequireConsent"
	case RequireLegitimateInterest:
		return "RequireLegitimateInterest"
	}
	return "RestrictionType(" + strconv.Itoa(int(rt)) + ")"
}

// PubRestriction is one publisher restriction entry of the core segment:
// vendors whose processing for a purpose the publisher restricts.
type PubRestriction struct {
	// PurposeID is the purpose the restriction applies to.
	PurposeID int
	// Type is what the publisher requires for that purpose.
	Type RestrictionType
	// Vendors are the vendors the restriction applies to.
	Vendors VendorSet
}

// restriction is the stored form of a PubRestriction: its vendor ranges are
// arena[lo:lo+n] of the TCString (n <= NumEntries < 4096).
type restriction struct {
	lo      uint32
	n       uint16
	purpose uint8
	typ     RestrictionType
}

// ranges returns the vendor ranges of r.
func (r restriction) ranges(arena []idRange) []idRange {
	hi := r.lo + uint32(r.n)
	return arena[r.lo:hi:hi]
}

// pubRestrictions decodes NumPubRestrictions and the entries that follow,
// the last part of the core segment.
func (d *decoder) pubRestrictions() error {
	n, err := d.uint("NumPubRestrictions", 12)
	if err != nil {
		return err
	}
	t := d.t
	for i := range n {
		bit := d.r.pos()
		purpose, err := d.uint("PubRestrictionEntry.PurposeId", 6)
		if err != nil {
			return err
		}
		typ, err := d.uint("PubRestrictionEntry.RestrictionType", 2)
		if err != nil {
			return err
		}
		if purpose == 0 {
			return d.fail("PubRestrictionEntry.PurposeId", bit, ErrMalformed,
				fmt.Sprintf("restriction %d of %d is for purpose 0", i+1, n))
		}
		if typ == 3 {
			return d.fail("PubRestrictionEntry.RestrictionType", bit+6, ErrMalformed,
				fmt.Sprintf("restriction %d of %d has the undefined type 3", i+1, n))
		}
		lo, hi, err := d.rangeEntries(&restrictionFields, maxVendorID)
		if err != nil {
			return err
		}
		t.restrictions = append(t.restrictions, restriction{
			lo:      uint32(lo),
			n:       uint16(hi - lo),
			purpose: uint8(purpose),
			typ:     RestrictionType(typ),
		})
	}
	return nil
}

// restrictionVendors returns the vendor set of a stored restriction.
func (t *TCString) restrictionVendors(r restriction) VendorSet {
	rs := r.ranges(t.arena)
	v := VendorSet{ranges: rs, isRange: true}
	if len(rs) > 0 {
		v.max = int(rs[len(rs)-1].hi)
	}
	return v
}

// PublisherRestriction reports whether the publisher restricts vendorID's
// processing for purposeID, and how. When several entries for the purpose
// list the vendor (contradictory signals), NotAllowed wins; otherwise the
// first entry in the string does. Use PubRestrictions to see them all.
func (t *TCString) PublisherRestriction(purposeID, vendorID int) (RestrictionType, bool) {
	if vendorID < 1 || vendorID > maxVendorID {
		return 0, false
	}
	var (
		typ   RestrictionType
		found bool
	)
	for _, r := range t.restrictions {
		if int(r.purpose) != purposeID || !rangesHave(r.ranges(t.arena), vendorID) {
			continue
		}
		if r.typ == NotAllowed {
			return NotAllowed, true
		}
		if !found {
			typ, found = r.typ, true
		}
	}
	return typ, found
}

// NumPubRestrictions returns the number of publisher restriction entries.
func (t *TCString) NumPubRestrictions() int { return len(t.restrictions) }

// PubRestrictions returns the publisher restriction entries, in the order of
// the string. The slice is a new copy on each call.
func (t *TCString) PubRestrictions() []PubRestriction {
	if len(t.restrictions) == 0 {
		return nil
	}
	out := make([]PubRestriction, len(t.restrictions))
	for i, r := range t.restrictions {
		out[i] = PubRestriction{
			PurposeID: int(r.purpose),
			Type:      r.typ,
			Vendors:   t.restrictionVendors(r),
		}
	}
	return out
}
