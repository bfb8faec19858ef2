package tcf

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const specV23Core = "CQSbk4AQSbk4ANwAAAENAwCgAAAAAAAAAAYgACPAAAAA"

func TestParseErrors(t *testing.T) {
	restriction := func(purpose, typ int, entries ...[2]int) string {
		return newBits().header("EN", "DE", true).bitField(0).bitField(0).
			u(1, 12).u(purpose, 6).u(typ, 2).rangeEntries(entries...).String()
	}
	dvSegment := func(f func(w *bitWriter)) string {
		w := newBits().u(int(SegmentDisclosedVendors), 3)
		f(w)
		return specV23Core + "." + w.String()
	}

	cases := []struct {
		name    string
		in      string
		err     error
		segment SegmentType
		index   int
		field   string
		offset  int // -2: do not check
	}{
		{"empty", "", ErrEmpty, SegmentCore, -1, "", -1},

		// Version.
		{"TCF v1 string", "BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASAAAAAAAAAA", ErrVersion, SegmentCore, 0, "Version", 0},
		{"version 3", "DOEFEAyOEFEAyAHABDENAI4AAAB9vABAASAAAAAAAAAA", ErrVersion, SegmentCore, 0, "Version", 0},
		{"version 0", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", ErrVersion, SegmentCore, 0, "Version", 0},

		// Order: the core must come first.
		{"disclosed vendors alone", "IDKQA4AAgAKAGQAygAAA", ErrSegmentOrder, SegmentDisclosedVendors, 0, "SegmentType", 0},
		{"publisher TC before core", "YAAAAAAAAAAA." + specV23Core, ErrSegmentOrder, SegmentPublisherTC, 0, "SegmentType", 0},

		// Alphabet.
		{"trailing LF", specV23Example + "\n", ErrAlphabet, SegmentPublisherTC, 2, "", len(specV23Example)},
		{"trailing CRLF", specV23Example + "\r\n", ErrAlphabet, SegmentPublisherTC, 2, "", len(specV23Example)},
		{"CR inside", specV23Core[:10] + "\r" + specV23Core[10:], ErrAlphabet, SegmentCore, 0, "", 10},
		{"LF inside", specV23Core[:40] + "\n" + specV23Core[40:], ErrAlphabet, SegmentCore, 0, "", 40},
		{"leading space", " " + specV23Example, ErrAlphabet, SegmentCore, 0, "", 0},
		{"trailing space", specV23Core + " ", ErrAlphabet, SegmentCore, 0, "", len(specV23Core)},
		{"tab", specV23Core[:5] + "\t" + specV23Core[5:], ErrAlphabet, SegmentCore, 0, "", 5},
		{"padding", specV23Core + "==", ErrAlphabet, SegmentCore, 0, "", len(specV23Core)},
		{"padding in segment", specV23Core + ".IDKQA4AAgAKAGQAygAAA=", ErrAlphabet, SegmentDisclosedVendors, 1, "", len(specV23Core) + 21},
		{"standard alphabet slash", strings.Replace(specV22CoreExample, "_", "/", 1), ErrAlphabet, SegmentCore, 0, "", strings.IndexByte(specV22CoreExample, '_')},
		{"standard alphabet plus", strings.Replace(specV20Example, "-", "+", 1), ErrAlphabet, SegmentCore, 0, "", strings.IndexByte(specV20Example, '-')},
		{"percent-encoded", specV23Core + "%2E" + "IDKQA4AAgAKAGQAygAAA", ErrAlphabet, SegmentCore, 0, "", len(specV23Core)},
		{"NUL", specV23Core[:3] + "\x00" + specV23Core[3:], ErrAlphabet, SegmentCore, 0, "", 3},
		{"non-ASCII", specV23Core + ".é", ErrAlphabet, SegmentUnknown, 1, "", len(specV23Core) + 1},

		// Empty segments.
		{"trailing dot", specV23Core + ".", ErrMalformed, SegmentUnknown, 1, "", len(specV23Core)},
		{"leading dot", "." + specV23Core, ErrMalformed, SegmentCore, 0, "", 0},
		{"double dot", specV23Core + "..YAAAAAAAAAAA", ErrMalformed, SegmentUnknown, 1, "", len(specV23Core) + 1},
		{"only a dot", ".", ErrMalformed, SegmentCore, 0, "", 0},

		// Truncation, with the field that could not be read.
		{"two characters", "CQ", ErrTruncated, SegmentCore, 0, "Created", 1},
		{"core cut in LastUpdated", "CQSbk4AQ", ErrTruncated, SegmentCore, 0, "LastUpdated", 7},
		{"core cut in PublisherCC", specV23Core[:35], ErrTruncated, SegmentCore, 0, "PublisherCC", 33},
		{"core cut in NumPubRestrictions", specV23Core[:42], ErrTruncated, SegmentCore, 0, "NumPubRestrictions", 41},
		{"bit field longer than the string", newBits().header("EN", "DE", true).u(65535, 16).b(false).u(0, 60).String(),
			ErrTruncated, SegmentCore, 0, "VendorConsent.BitField", 38},
		{"LI section missing", newBits().header("EN", "DE", true).bitField(3, 1).String(),
			ErrTruncated, SegmentCore, 0, "VendorLegitimateInterest.MaxVendorId", -2},
		{"range entries missing", newBits().header("EN", "DE", true).u(65535, 16).b(true).u(4095, 12).String(),
			ErrTruncated, SegmentCore, 0, "VendorConsent.RangeEntry.StartOrOnlyVendorId", -2}, // IsARange read from padding
		{"range end missing", newBits().header("EN", "DE", true).u(100, 16).b(true).u(1, 12).b(true).u(3, 16).String(),
			ErrTruncated, SegmentCore, 0, "VendorConsent.RangeEntry.EndVendorId", -2},
		{"restrictions missing", newBits().header("EN", "DE", true).bitField(0).bitField(0).u(4095, 12).String(),
			ErrTruncated, SegmentCore, 0, "PubRestrictionEntry.PurposeId", -2},
		{"restriction entries missing", newBits().header("EN", "DE", true).bitField(0).bitField(0).u(1, 12).u(1, 6).u(0, 2).u(4095, 12).String(),
			ErrTruncated, SegmentCore, 0, "PubRestrictionEntry.RangeEntry.StartOrOnlyVendorId", -2}, // IsARange read from padding
		{"disclosed vendors cut", specV23Core + ".IDKQA4", ErrTruncated, SegmentDisclosedVendors, 1,
			"DisclosedVendors.RangeEntry.StartOrOnlyVendorId", -2},
		{"disclosed bit field cut", dvSegment(func(w *bitWriter) { w.u(800, 16).b(false).u(0, 100) }), ErrTruncated,
			SegmentDisclosedVendors, 1, "DisclosedVendors.BitField", -2},
		{"allowed vendors cut", specV23Core + ".QAA", ErrTruncated, SegmentAllowedVendors, 1, "AllowedVendors.MaxVendorId", -2},
		{"publisher TC cut", specV23Core + ".YAAA", ErrTruncated, SegmentPublisherTC, 1, "PubPurposesConsent", len(specV23Core) + 1},
		{"custom purposes cut", specV23Core + "." + newBits().u(3, 3).u(0, 48).u(63, 6).u(0, 40).String(),
			ErrTruncated, SegmentPublisherTC, 1, "CustomPurposesConsent", -2},
		{"custom LI cut", specV23Core + "." + newBits().u(3, 3).u(0, 48).u(40, 6).u(0, 40).String(),
			ErrTruncated, SegmentPublisherTC, 1, "CustomPurposesLITransparency", -2},

		// Duplicates.
		{"publisher TC twice", specV23Example + ".YAAAAAAAAAAA", ErrDuplicateSegment, SegmentPublisherTC, 3, "SegmentType", -2},
		{"disclosed vendors twice", specV23Core + ".IDKQA4AAgAKAGQAygAAA.IDKQA4AAgAKAGQAygAAA", ErrDuplicateSegment,
			SegmentDisclosedVendors, 2, "SegmentType", len(specV23Core) + 22},
		{"second core", specV23Core + "." + specV23Core, ErrDuplicateSegment, SegmentCore, 1, "SegmentType", len(specV23Core) + 1},

		// Unknown segment types.
		{"segment type 4", specV23Core + ".gAAA", ErrUnknownSegment, SegmentType(4), 1, "SegmentType", len(specV23Core) + 1},
		{"segment type 7", specV23Example + "._w", ErrUnknownSegment, SegmentType(7), 3, "SegmentType", -2},

		// Values the specification does not allow.
		{"language letter out of range", newBits().header("E[", "DE", true).bitField(0).bitField(0).u(0, 12).String(),
			ErrMalformed, SegmentCore, 0, "ConsentLanguage", 18},
		{"country letter out of range", newBits().header("EN", "_A", true).bitField(0).bitField(0).u(0, 12).String(),
			ErrMalformed, SegmentCore, 0, "PublisherCC", 33},
		{"restriction type 3", restriction(2, 3, [2]int{1, 1}), ErrMalformed, SegmentCore, 0, "PubRestrictionEntry.RestrictionType", -2},
		{"restriction purpose 0", restriction(0, 0, [2]int{1, 1}), ErrMalformed, SegmentCore, 0, "PubRestrictionEntry.PurposeId", -2},
		{"restriction vendor 0", restriction(1, 0, [2]int{0, 0}), ErrMalformed, SegmentCore, 0,
			"PubRestrictionEntry.RangeEntry.StartOrOnlyVendorId", -2},
		{"restriction range backwards", restriction(1, 0, [2]int{9, 3}), ErrMalformed, SegmentCore, 0,
			"PubRestrictionEntry.RangeEntry.EndVendorId", -2},
		{"consent range beyond MaxVendorId", newBits().header("EN", "DE", true).ranged(10, [2]int{5, 11}).String(),
			ErrMalformed, SegmentCore, 0, "VendorConsent.RangeEntry.EndVendorId", -2},
		{"consent vendor beyond MaxVendorId", newBits().header("EN", "DE", true).ranged(10, [2]int{12, 12}).String(),
			ErrMalformed, SegmentCore, 0, "VendorConsent.RangeEntry.StartOrOnlyVendorId", -2},
		{"range entry with MaxVendorId 0", newBits().header("EN", "DE", true).bitField(0).ranged(0, [2]int{1, 1}).String(),
			ErrMalformed, SegmentCore, 0, "VendorLegitimateInterest.RangeEntry.StartOrOnlyVendorId", -2},
		{"disclosed vendor 0", dvSegment(func(w *bitWriter) { w.ranged(5, [2]int{0, 2}) }), ErrMalformed,
			SegmentDisclosedVendors, 1, "DisclosedVendors.RangeEntry.StartOrOnlyVendorId", -2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tc, err := Parse(c.in)
			require.Error(t, err)
			assert.Nil(t, tc)
			assert.ErrorIs(t, err, c.err)

			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, c.segment, de.Segment, "Segment")
			assert.Equal(t, c.index, de.Index, "Index")
			assert.Equal(t, c.field, de.Field, "Field")
			if c.offset != -2 {
				assert.Equal(t, c.offset, de.Offset, "Offset")
			}
			assert.Less(t, de.Offset, max(len(c.in), 1), "Offset inside the input")
			if de.Field != "" {
				assert.Contains(t, err.Error(), de.Field)
				assert.GreaterOrEqual(t, de.Bit, 0)
			}
			assert.True(t, strings.HasPrefix(err.Error(), "tcf: "), err.Error())
			assert.Equal(t, 1, strings.Count(err.Error(), "tcf:"), err.Error())

			_, strictErr := ParseStrict(c.in)
			assert.Equal(t, err.Error(), strictErr.Error(), "ParseStrict reports decoding errors first")
		})
	}
}

func TestErrorMessages(t *testing.T) {
	_, err := Parse("CQSbk4AQ")
	assert.EqualError(t, err,
		"tcf: segment 0 (core), field LastUpdated, char 7, bit 42: truncated segment: needs 36 bits, the segment has 6 left")

	_, err = Parse(specV23Core + "\n")
	assert.EqualError(t, err, `tcf: segment 0 (core), char 44: character outside the base64url alphabet: '\n'`)

	_, err = Parse(strings.Replace(specV22CoreExample, "_", "/", 1))
	assert.ErrorContains(t, err, "'/' of the standard base64 alphabet")

	_, err = Parse(specV23Core + "=")
	assert.ErrorContains(t, err, "padding '='")

	_, err = Parse(specV23Core + "\xff")
	assert.ErrorContains(t, err, "byte 0xFF")

	_, err = Parse("BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASAAAAAAAAAA")
	assert.ErrorContains(t, err, "TCF v1 consent strings are not supported")

	_, err = Parse("")
	assert.EqualError(t, err, "tcf: core segment: empty TC string")

	_, err = Parse("IDKQA4AAgAKAGQAygAAA")
	assert.ErrorContains(t, err, "core segment is not first: the string starts with a DisclosedVendors segment")

	_, err = Parse(specV23Example + ".YAAAAAAAAAAA")
	assert.ErrorContains(t, err, "duplicated segment: a second PublisherTC segment")
}

// bytesPerRun returns the average number of bytes f allocates.
func bytesPerRun(runs int, f func()) uint64 {
	var before, after runtime.MemStats
	f()
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range runs {
		f()
	}
	runtime.ReadMemStats(&after)
	return (after.TotalAlloc - before.TotalAlloc) / uint64(runs)
}

func TestAllocationBoundedByInput(t *testing.T) {
	// Declared counts far beyond what the string holds must not be
	// allocated for: the decoder fails on the truncation with a small,
	// constant amount of memory.
	hugeBitField := newBits().header("EN", "DE", true).u(65535, 16).b(false).u(0, 120).String()
	hugeRanges := newBits().header("EN", "DE", true).u(65535, 16).b(true).u(4095, 12).
		rangeEntries([2]int{1, 65535}).String()
	hugeRestrictions := newBits().header("EN", "DE", true).bitField(0).bitField(0).u(4095, 12).
		u(1, 6).u(0, 2).u(4095, 12).b(true).u(1, 16).u(65535, 16).String()
	hugeDisclosed := specV23Core + "." + newBits().u(1, 3).u(65535, 16).b(true).u(4095, 12).b(false).u(7, 16).String()
	for name, s := range map[string]string{
		"bit field": hugeBitField, "ranges": hugeRanges, "restrictions": hugeRestrictions, "disclosed": hugeDisclosed,
	} {
		_, err := Parse(s)
		require.ErrorIs(t, err, ErrTruncated, name)
		n := bytesPerRun(50, func() { _, _ = Parse(s) })
		assert.Less(t, n, uint64(4096), "%s: %d bytes per Parse of a %d-character string", name, n, len(s))
	}

	// A valid string whose sets are large but cheap to encode: MaxVendorId
	// 65535 everywhere in a string of a few dozen characters.
	wide := newBits().header("EN", "DE", true).ranged(65535, [2]int{1, 65535}).ranged(65535, [2]int{65535, 65535}).
		u(1, 12).u(1, 6).u(0, 2).rangeEntries([2]int{1, 65535}).String() + "." +
		newBits().u(1, 3).ranged(65535, [2]int{2, 65534}).String()
	tc, err := Parse(wide)
	require.NoError(t, err)
	assert.True(t, tc.VendorConsent(65535))
	assert.Equal(t, 65535, tc.VendorConsents().Len())
	assert.True(t, tc.VendorLegitimateInterest(65535))
	assert.False(t, tc.VendorLegitimateInterest(65534))
	assert.False(t, tc.VendorDisclosed(65535))
	rt, ok := tc.PublisherRestriction(1, 40000)
	assert.True(t, ok)
	assert.Equal(t, NotAllowed, rt)
	n := bytesPerRun(50, func() { _, _ = Parse(wide) })
	assert.Less(t, n, uint64(2048), "%d bytes per Parse", n)
}

func TestManyRangesStayCorrect(t *testing.T) {
	// More range entries than the inline storage holds: the arena moves to
	// the heap, and sets decoded before and after must still be right.
	var consent, li [][2]int
	for i := range 100 {
		consent = append(consent, [2]int{i*10 + 1, i*10 + 2})
		li = append(li, [2]int{i*10 + 5, i*10 + 5})
	}
	w := newBits().header("EN", "DE", true).ranged(1000, consent...).ranged(1000, li...).u(40, 12)
	for p := 1; p <= 40; p++ {
		w.u(p%24+1, 6).u(p%3, 2).rangeEntries([2]int{p, p}, [2]int{p + 100, p + 101})
	}
	tc, err := Parse(w.String())
	require.NoError(t, err)
	for i := range 100 {
		assert.True(t, tc.VendorConsent(i*10+1))
		assert.True(t, tc.VendorConsent(i*10+2))
		assert.False(t, tc.VendorConsent(i*10+3))
		assert.True(t, tc.VendorLegitimateInterest(i*10+5))
		assert.False(t, tc.VendorLegitimateInterest(i*10+6))
	}
	assert.Equal(t, 200, tc.VendorConsents().Len())
	rs := tc.PubRestrictions()
	require.Len(t, rs, 40)
	for i, r := range rs {
		p := i + 1
		assert.Equal(t, p%24+1, r.PurposeID)
		assert.Equal(t, RestrictionType(p%3), r.Type)
		assert.True(t, r.Vendors.Has(p))
		assert.True(t, r.Vendors.Has(p+101))
		assert.False(t, r.Vendors.Has(p+1))
		assert.Equal(t, p+101, r.Vendors.MaxID())
	}
}

func TestDecodeErrorUnwrap(t *testing.T) {
	_, err := Parse(specV23Core + ".gAAA")
	var de *DecodeError
	require.True(t, errors.As(err, &de))
	assert.Same(t, ErrUnknownSegment, errors.Unwrap(err))
	assert.False(t, errors.Is(err, ErrMalformed))
}

func TestInputTooLong(t *testing.T) {
	defer func(n int) { maxInputLen = n }(maxInputLen)
	maxInputLen = len(specV23Example)
	_, err := Parse(specV23Example)
	require.NoError(t, err)
	_, err = Parse(specV23Example + "A")
	require.ErrorIs(t, err, ErrMalformed)
	assert.ErrorContains(t, err, "longer than")
}
