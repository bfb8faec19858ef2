package tcf

import (
	"cmp"
	"iter"
	"slices"
)

// maxVendorID is the largest vendor ID a 16-bit field can hold.
const maxVendorID = 1<<16 - 1

// idRange is an inclusive range of vendor IDs, lo <= hi.
type idRange struct{ lo, hi uint16 }

// VendorSet is a read-only set of vendor IDs decoded from a TC string: the
// vendors with consent, with legitimate interest established, disclosed, or
// under a publisher restriction.
//
// A set encoded as a bit field is not copied: it reads its bits from the
// characters of the TC string it came from. A set encoded as ranges holds
// the ranges, sorted and merged, and is searched by bisection. Neither form
// uses memory in proportion to the declared MaxVendorId.
//
// The zero VendorSet is empty.
type VendorSet struct {
	bits    string    // the input string, holding the bit field
	ranges  []idRange // sorted, disjoint and non-adjacent, for range sets
	start   int       // offset of the bit of vendor 1 in bits
	max     int       // MaxVendorId
	isRange bool
}

// Has reports whether vendor id is in the set. It returns false for any id
// outside 1..MaxID(), including zero, negative and huge values.
func (v VendorSet) Has(id int) bool {
	if id < 1 || id > v.max {
		return false
	}
	if v.isRange {
		return rangesHave(v.ranges, id)
	}
	return bitAt(v.bits, v.start+id-1)
}

// MaxID returns the MaxVendorId declared by the section, or for a publisher
// restriction the largest vendor ID it lists. No vendor above it is in the
// set.
func (v VendorSet) MaxID() int { return v.max }

// IsRangeEncoded reports whether the section was encoded as range entries
// rather than as a bit field. Publisher restrictions always use ranges.
func (v VendorSet) IsRangeEncoded() bool { return v.isRange }

// Len returns the number of vendors in the set.
func (v VendorSet) Len() int {
	n := 0
	if v.isRange {
		for _, r := range v.ranges {
			n += int(r.hi) - int(r.lo) + 1
		}
		return n
	}
	for id := 1; id <= v.max; id++ {
		if bitAt(v.bits, v.start+id-1) {
			n++
		}
	}
	return n
}

// All returns an iterator over the vendor IDs of the set, in ascending order.
func (v VendorSet) All() iter.Seq[int] {
	return func(yield func(int) bool) {
		if v.isRange {
			for _, r := range v.ranges {
				for id := int(r.lo); id <= int(r.hi); id++ {
					if !yield(id) {
						return
					}
				}
			}
			return
		}
		for id := 1; id <= v.max; id++ {
			if bitAt(v.bits, v.start+id-1) && !yield(id) {
				return
			}
		}
	}
}

// vendorSection is the stored form of a VendorSet, 12 bytes, that a
// TCString holds for each of its vendor sections. For a bit field, pos is
// the offset of the bit of vendor 1 from the start of the input string; for
// ranges, the ranges are arena[pos:end] of the TCString.
type vendorSection struct {
	pos, end uint32
	max      uint16
	isRange  bool
}

// has reports whether vendor id is in the section v of t.
func (t *TCString) has(v *vendorSection, id int) bool {
	if id < 1 || id > int(v.max) {
		return false
	}
	if v.isRange {
		return rangesHave(t.arena[v.pos:v.end], id)
	}
	return bitAt(t.raw, int(v.pos)+id-1)
}

// set returns the section v of t as a VendorSet.
func (t *TCString) set(v *vendorSection) VendorSet {
	if v.isRange {
		return VendorSet{ranges: t.arena[v.pos:v.end:v.end], max: int(v.max), isRange: true}
	}
	return VendorSet{bits: t.raw, start: int(v.pos), max: int(v.max)}
}

// Ranges returns an iterator over the maximal runs of consecutive vendor IDs
// in the set, as inclusive (first, last) pairs in ascending order. For a
// range-encoded set these are its range entries, sorted and merged.
func (v VendorSet) Ranges() iter.Seq2[int, int] {
	return func(yield func(int, int) bool) {
		if v.isRange {
			for _, r := range v.ranges {
				if !yield(int(r.lo), int(r.hi)) {
					return
				}
			}
			return
		}
		first := 0
		for id := 1; id <= v.max+1; id++ {
			in := id <= v.max && bitAt(v.bits, v.start+id-1)
			switch {
			case in && first == 0:
				first = id
			case !in && first != 0:
				if !yield(first, id-1) {
					return
				}
				first = 0
			}
		}
	}
}

// rangesHave reports whether id, in 1..maxVendorID, falls in one of the
// sorted, disjoint ranges rs.
func rangesHave(rs []idRange, id int) bool {
	// Find the first range that ends at or after id.
	lo, hi := 0, len(rs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(rs[m].hi) < id {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo < len(rs) && int(rs[lo].lo) <= id
}

// normalizeRanges sorts rs by start and merges overlapping and adjacent
// ranges, in place, and returns the shortened slice. Encoders write ranges
// in ascending order, so the sort is normally skipped.
func normalizeRanges(rs []idRange) []idRange {
	if len(rs) < 2 {
		return rs
	}
	byStart := func(a, b idRange) int { return cmp.Compare(a.lo, b.lo) }
	if !slices.IsSortedFunc(rs, byStart) {
		slices.SortFunc(rs, byStart)
	}
	out := rs[:1]
	for _, r := range rs[1:] {
		last := &out[len(out)-1]
		if int(r.lo) <= int(last.hi)+1 {
			last.hi = max(last.hi, r.hi)
			continue
		}
		out = append(out, r)
	}
	return out
}
