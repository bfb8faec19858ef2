package tcf

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSegmentLengthNoEncodingProduces checks that a segment of 4n+1
// characters, which no base64url encoding produces (its last character
// would hold less than a byte), is rejected in every position, however
// many bits its fields need.
func TestSegmentLengthNoEncodingProduces(t *testing.T) {
	segments := strings.Split(specV23Example, ".")
	core, disclosed, pub := segments[0], segments[1], segments[2]
	cases := []struct {
		name    string
		in      string
		segment SegmentType
		index   int
		offset  int
	}{
		{"one character", "C", SegmentCore, 0, 0},
		{"five characters", "CQSbk", SegmentCore, 0, 4},
		{"core with a character more", core + "A", SegmentCore, 0, len(core)},
		{"whole core with a character more", core + "AAAA_", SegmentCore, 0, len(core) + 4},
		{"core with a character more, then segments", core + "A." + disclosed, SegmentCore, 0, len(core)},
		{"disclosed vendors with a character more", core + "." + disclosed + "A", SegmentDisclosedVendors, 1, len(core) + len(disclosed) + 1},
		{"publisher TC with a character more", core + "." + disclosed + "." + pub + "A", SegmentPublisherTC, 2, len(specV23Example)},
		{"one-character segment", core + ".I", SegmentDisclosedVendors, 1, len(core) + 1},
		{"one-character unknown segment", core + "._", SegmentType(7), 1, len(core) + 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, 1, len(strings.Split(c.in, ".")[c.index])%4, "a 4n+1 segment")
			tc, err := Parse(c.in)
			assert.True(t, tc == nil, "no TCString with an error")
			require.ErrorIs(t, err, ErrMalformed)
			var de *DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, c.segment, de.Segment, "Segment")
			assert.Equal(t, c.index, de.Index, "Index")
			assert.Equal(t, c.offset, de.Offset, "Offset")
			assert.Equal(t, -1, de.Bit, "Bit")
			assert.Empty(t, de.Field)
			assert.ErrorContains(t, err, "no base64url encoding")
			_, strictErr := ParseStrict(c.in)
			assert.Equal(t, err, strictErr)
		})
	}
}

// TestTrailingBitsIgnored checks what the specification asks of the bits
// after the last field of a segment, including those of the last character
// beyond the last whole byte: they are padding, and ignored whatever their
// value.
func TestTrailingBitsIgnored(t *testing.T) {
	want, err := Parse(specV23Example)
	require.NoError(t, err)
	segments := strings.Split(specV23Example, ".")
	for i := range segments {
		for _, extra := range []string{"AA", "A_", "__", "AAA", "___", "AAAA", "____"} {
			changed := append([]string(nil), segments...)
			changed[i] += extra
			in := strings.Join(changed, ".")
			tc, err := Parse(in)
			require.NoError(t, err, "segment %d + %q", i, extra)
			assert.Equal(t, want.VendorDisclosed(100), tc.VendorDisclosed(100))
			assert.Equal(t, want.PublisherTC(), tc.PublisherTC())
			assert.Equal(t, want.Created, tc.Created)
		}
	}
}
