package tcf

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Every error returned by [Parse], [ParseStrict] and
// [TCString.CheckV23] is a *[DecodeError] that wraps exactly one of them, so
// callers can test the kind of failure with [errors.Is] and read its position
// with [errors.As].
var (
	// ErrEmpty reports an empty input string.
	ErrEmpty = errors.New("tcf: empty TC string")

	// ErrAlphabet reports a byte outside the base64url alphabet
	// (A-Z a-z 0-9 - _) and the '.' segment separator. Padding ('='), the
	// standard-alphabet characters '+' and '/', spaces, tabs, CR and LF are
	// all rejected: a TC string is transmitted as is and never contains them.
	ErrAlphabet = errors.New("tcf: character outside the base64url alphabet")

	// ErrVersion reports a core segment whose Version field is not 2.
	ErrVersion = errors.New("tcf: unsupported TC string version")

	// ErrTruncated reports a segment that ends before a field it must hold.
	// DecodeError.Field names the field that could not be read.
	ErrTruncated = errors.New("tcf: truncated segment")

	// ErrMalformed reports a field whose value the specification does not
	// allow (a letter code above 'Z', a vendor ID of 0, a range that ends
	// before it starts or beyond MaxVendorId, an undefined restriction type),
	// empty segments ("..", or a leading or trailing '.'), a segment whose
	// length no base64url encoding has (4n+1 characters), and an input
	// longer than 256 MiB.
	ErrMalformed = errors.New("tcf: malformed TC string")

	// ErrUnknownSegment reports a segment whose SegmentType is not one the
	// specification defines (4 to 7).
	ErrUnknownSegment = errors.New("tcf: unknown segment type")

	// ErrDuplicateSegment reports a segment type that appears more than once,
	// including a second core segment.
	ErrDuplicateSegment = errors.New("tcf: duplicated segment")

	// ErrSegmentOrder reports a string that does not start with the core
	// segment. The other segments may appear in any order.
	ErrSegmentOrder = errors.New("tcf: core segment is not first")

	// ErrMissingSegment reports, in strict mode, the absence of the
	// DisclosedVendors segment that TCF v2.3 made mandatory.
	ErrMissingSegment = errors.New("tcf: required segment missing")

	// ErrRemovedSegment reports, in strict mode, an AllowedVendors segment,
	// which is no longer part of the specification (TCF v2.2 has none).
	ErrRemovedSegment = errors.New("tcf: segment removed from the specification")

	// ErrNonCompliant reports, in strict mode, a well-formed field whose value
	// TCF v2.2/v2.3 no longer allows.
	ErrNonCompliant = errors.New("tcf: value not allowed by TCF v2.3")
)

// DecodeError describes why a TC string was rejected and where.
type DecodeError struct {
	// Segment is the segment being decoded, SegmentUnknown when its type
	// could not be read.
	Segment SegmentType
	// Index is the position of that segment in the string (0 for the first
	// one), or -1 when the error concerns a segment that is absent.
	Index int
	// Field is the name of the field, as the specification spells it, that
	// could not be read or holds a wrong value; empty when the error is not
	// about one field. Fields of repeated or shared sections carry a prefix,
	// e.g. "VendorConsent.MaxVendorId" or "PubRestrictionEntry.RestrictionType".
	Field string
	// Offset is the byte offset in the input string of the character where
	// the problem lies (for a field, the character holding its first bit), or
	// -1 when the error is not tied to a position.
	Offset int
	// Bit is the bit offset, from the start of the segment, of the field
	// being read, or -1 when the error is not about one field.
	Bit int
	// Err is one of the sentinel errors of this package.
	Err error

	detail string
}

// Error returns a message naming the segment, the field, the position and
// the cause.
func (e *DecodeError) Error() string {
	var b strings.Builder
	b.WriteString("tcf: ")
	if e.Index >= 0 {
		b.WriteString("segment ")
		b.WriteString(strconv.Itoa(e.Index))
		b.WriteString(" (")
		b.WriteString(e.Segment.String())
		b.WriteString(")")
	} else {
		b.WriteString(e.Segment.String())
		b.WriteString(" segment")
	}
	if e.Field != "" {
		b.WriteString(", field ")
		b.WriteString(e.Field)
	}
	if e.Offset >= 0 {
		b.WriteString(", char ")
		b.WriteString(strconv.Itoa(e.Offset))
	}
	if e.Bit >= 0 {
		b.WriteString(", bit ")
		b.WriteString(strconv.Itoa(e.Bit))
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(strings.TrimPrefix(e.Err.Error(), "tcf: "))
	}
	if e.detail != "" {
		b.WriteString(": ")
		b.WriteString(e.detail)
	}
	return b.String()
}

// Unwrap returns the sentinel error, for [errors.Is].
func (e *DecodeError) Unwrap() error { return e.Err }
