package tcf

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseStrict(t *testing.T) {
	tc, err := ParseStrict(specV23Example)
	require.NoError(t, err)
	assert.True(t, tc.VendorDisclosed(100))

	// A crafted v2.3 string: service-specific, LI only for purposes 2, 7
	// and 8, a DisclosedVendors segment.
	s := newBits().header("EN", "FR", true, 2, 7, 8).bitField(4, 1, 2).bitField(0).u(0, 12).String() + "." +
		newBits().u(1, 3).bitField(4, 1, 2, 3).String()
	tc, err = ParseStrict(s)
	require.NoError(t, err)
	assert.True(t, tc.VendorDisclosed(3))
	assert.False(t, tc.VendorConsent(3))

	for _, c := range []struct {
		name    string
		in      string
		err     error
		segment SegmentType
		index   int
		field   string
	}{
		// GDPR::IAB::TCFv2 rejects this one in strict mode for the same reason.
		{"policy 5 string without DisclosedVendors", policy5NoDisclosed, ErrMissingSegment, SegmentDisclosedVendors, -1, ""},
		{"spec v2.0 example", specV20Example, ErrMissingSegment, SegmentDisclosedVendors, -1, ""},
		{"AllowedVendors", specV20FourSegments, ErrRemovedSegment, SegmentAllowedVendors, 2, ""},
		{"global scope", tenPurposesDisclosed, ErrNonCompliant, SegmentCore, 0, "IsServiceSpecific"},
		{"LI for purposes 3 to 6", oneRestrictionDisclosed, ErrNonCompliant, SegmentCore, 0, "PurposesLITransparency"},
		{"LI for purpose 6 only",
			newBits().header("EN", "FR", true, 2, 6).bitField(0).bitField(0).u(0, 12).String() + "." + newBits().u(1, 3).bitField(0).String(),
			ErrNonCompliant, SegmentCore, 0, "PurposesLITransparency"},
	} {
		t.Run(c.name, func(t *testing.T) {
			lenient, err := Parse(c.in)
			require.NoError(t, err, "Parse is lenient")

			checkErr := lenient.CheckV23()
			require.Error(t, checkErr)
			assert.ErrorIs(t, checkErr, c.err)
			var de *DecodeError
			require.ErrorAs(t, checkErr, &de)
			assert.Equal(t, c.segment, de.Segment)
			assert.Equal(t, c.index, de.Index)
			assert.Equal(t, c.field, de.Field)

			tc, err := ParseStrict(c.in)
			assert.Nil(t, tc)
			assert.Equal(t, checkErr, err)
		})
	}

	_, err = ParseStrict(oneRestrictionDisclosed)
	assert.ErrorContains(t, err, "legitimate interest set for purposes [3 4 5 6]")
	_, err = ParseStrict(specV20Example)
	assert.EqualError(t, err,
		"tcf: DisclosedVendors segment: required segment missing: TCF v2.3 requires the DisclosedVendors segment")
}
