package tcf

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// sentinels lists every error Parse, ParseStrict and CheckV23 may wrap.
var sentinels = []error{
	ErrEmpty, ErrAlphabet, ErrVersion, ErrTruncated, ErrMalformed, ErrUnknownSegment,
	ErrDuplicateSegment, ErrSegmentOrder, ErrMissingSegment, ErrRemovedSegment, ErrNonCompliant,
}

// probeIDs are the IDs every check is called with on every decoded string.
var probeIDs = []int{
	math.MinInt, -1 << 40, -65536, -1, 0, 1, 2, 3, 6, 7, 12, 13, 24, 25, 32, 63, 64,
	100, 1000, 65534, 65535, 65536, 1 << 20, 1 << 40, math.MaxInt,
}

func FuzzParse(f *testing.F) {
	for _, fx := range fixtures {
		f.Add(fx.s)
	}
	for _, s := range []string{
		"", ".", "..", "C", "CQSbk4AQ", specV23Core, specV22Example, specV23Core + ".",
		specV23Core + "\n", specV23Core + "==", " " + specV23Core,
		"IDKQA4AAgAKAGQAygAAA", "BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASAAAAAAAAAA",
		specV23Example + ".YAAAAAAAAAAA", specV23Core + ".gAAA", specV23Core + "._w",
		specV23Core + "." + specV23Core,
		newBits().header("EN", "DE", true).u(65535, 16).b(true).u(4095, 12).String(),
		newBits().header("EN", "DE", true).ranged(300, [2]int{200, 300}, [2]int{5, 5}, [2]int{1, 3}).bitField(0).u(0, 12).String(),
		newBits().header("EN", "DE", true).bitField(0).bitField(0).u(2, 12).
			u(4, 6).u(2, 2).rangeEntries([2]int{10, 20}).u(4, 6).u(1, 2).rangeEntries([2]int{15, 15}).String(),
		specV23Core + "." + newBits().u(3, 3).u(0, 48).u(63, 6).u(0, 126).String(),
		// Adjacent single-ID range entries, which must merge into one run.
		"C00000000000000000AA00000000000007AAACBAAAAA.IDKQA4AAgAKAA0AB0A",
	} {
		f.Add(s)
	}

	f.Fuzz(func(t *testing.T, s string) {
		tc, err := Parse(s)
		strict, strictErr := ParseStrict(s)
		if err != nil {
			checkError(t, s, err)
			if tc != nil {
				t.Fatal("non-nil TCString with an error")
			}
			if strictErr == nil || strictErr.Error() != err.Error() {
				t.Fatalf("ParseStrict: %v, Parse: %v", strictErr, err)
			}
			return
		}
		if tc.String() != s || tc.Version != 2 {
			t.Fatalf("String() = %q, Version %d", tc.String(), tc.Version)
		}
		if checkErr := tc.CheckV23(); (checkErr == nil) != (strictErr == nil) {
			t.Fatalf("CheckV23: %v, ParseStrict: %v", checkErr, strictErr)
		} else if checkErr != nil {
			checkError(t, s, checkErr)
			if strict != nil {
				t.Fatal("non-nil TCString with a strict error")
			}
		} else if !strict.HasSegment(SegmentDisclosedVendors) || strict.HasSegment(SegmentAllowedVendors) {
			t.Fatal("ParseStrict accepted a string without DisclosedVendors or with AllowedVendors")
		}
		if len(tc.ConsentLanguage) != 2 || len(tc.PublisherCC) != 2 {
			t.Fatalf("letter codes %q %q", tc.ConsentLanguage, tc.PublisherCC)
		}

		p := tc.PublisherTC()
		for _, id := range probeIDs {
			in := func(lo, hi int) bool { return id >= lo && id <= hi }
			if tc.PurposeConsent(id) && !in(1, 24) || tc.PurposeLegitimateInterest(id) && !in(1, 24) ||
				tc.SpecialFeatureOptIn(id) && !in(1, 12) ||
				p.PurposeConsent(id) && !in(1, 24) || p.PurposeLegitimateInterest(id) && !in(1, 24) ||
				p.CustomPurposeConsent(id) && !in(1, p.NumCustomPurposes()) ||
				p.CustomPurposeLegitimateInterest(id) && !in(1, p.NumCustomPurposes()) {
				t.Fatalf("a check holds for out-of-range id %d", id)
			}
			for _, v := range []struct {
				has func(int) bool
				set VendorSet
			}{
				{tc.VendorConsent, tc.VendorConsents()},
				{tc.VendorLegitimateInterest, tc.VendorLegitimateInterests()},
				{tc.VendorDisclosed, tc.DisclosedVendors()},
				{tc.VendorAllowed, tc.AllowedVendors()},
			} {
				if v.has(id) != v.set.Has(id) || v.has(id) && !in(1, v.set.MaxID()) {
					t.Fatalf("vendor check for id %d", id)
				}
			}
			for _, purpose := range probeIDs {
				if rt, ok := tc.PublisherRestriction(purpose, id); ok && (rt > RequireLegitimateInterest || !in(1, maxVendorID)) {
					t.Fatalf("restriction %v for purpose %d vendor %d", rt, purpose, id)
				}
			}
		}
		if p.NumCustomPurposes() < 0 || p.NumCustomPurposes() > 63 {
			t.Fatalf("NumCustomPurposes %d", p.NumCustomPurposes())
		}

		sets := []VendorSet{tc.VendorConsents(), tc.VendorLegitimateInterests(), tc.DisclosedVendors(), tc.AllowedVendors()}
		restrictions := tc.PubRestrictions()
		if len(restrictions) != tc.NumPubRestrictions() {
			t.Fatal("NumPubRestrictions")
		}
		for _, r := range restrictions {
			if r.PurposeID < 1 || r.PurposeID > 63 || r.Type > RequireLegitimateInterest || !r.Vendors.IsRangeEncoded() {
				t.Fatalf("restriction %+v", r)
			}
			sets = append(sets, r.Vendors)
		}
		for _, v := range sets {
			checkSet(t, v)
		}
	})
}

// checkError checks that err is a *DecodeError wrapping a sentinel, with a
// position inside s.
func checkError(t *testing.T, s string, err error) {
	t.Helper()
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("%T is not a *DecodeError: %v", err, err)
	}
	known := false
	for _, e := range sentinels {
		known = known || de.Err == e
	}
	if !known {
		t.Fatalf("unknown sentinel in %v", err)
	}
	if de.Offset < -1 || de.Offset >= max(len(s), 1) || de.Bit < -1 {
		t.Fatalf("position out of range in %v (input of %d bytes)", err, len(s))
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "tcf: ") {
		t.Fatalf("message %q", msg)
	}
}

// checkSet checks that iteration, Len and Has agree.
func checkSet(t *testing.T, v VendorSet) {
	t.Helper()
	if v.MaxID() < 0 || v.MaxID() > maxVendorID {
		t.Fatalf("MaxID %d", v.MaxID())
	}
	n, prev := 0, 0
	for id := range v.All() {
		if id <= prev || id > v.MaxID() || !v.Has(id) {
			t.Fatalf("iterated %d after %d (MaxID %d, Has %v)", id, prev, v.MaxID(), v.Has(id))
		}
		prev = id
		n++
	}
	if n != v.Len() {
		t.Fatalf("Len %d, iterated %d", v.Len(), n)
	}
	m, last := 0, -1
	for first, end := range v.Ranges() {
		if first <= last+1 || end < first || !v.Has(first) || !v.Has(end) || v.Has(first-1) || v.Has(end+1) {
			t.Fatalf("run %d-%d after %d", first, end, last)
		}
		m += end - first + 1
		last = end
	}
	if m != n {
		t.Fatalf("runs cover %d IDs, iterated %d", m, n)
	}
	if v.MaxID() <= 2048 {
		count := 0
		for id := 1; id <= v.MaxID(); id++ {
			if v.Has(id) {
				count++
			}
		}
		if count != n {
			t.Fatalf("Has holds for %d IDs, iterated %d", count, n)
		}
	}
}
