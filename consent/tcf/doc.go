// Package tcf decodes TC strings of the IAB Europe Transparency & Consent
// Framework (TCF) v2, versions 2.2 and 2.3.
//
// # What a TC string is
//
// A TC (Transparency and Consent) string records, for one user on one site
// or app, what a Consent Management Platform (CMP) disclosed to the user and
// what the user chose: consent and legitimate-interest signals per purpose,
// special feature opt-ins, consent and legitimate-interest signals per
// vendor of the Global Vendor List, the restrictions the publisher puts on
// vendors, and the publisher's own purposes. CMPs write it; vendors read it
// from the CMP API, from the gdpr_consent parameter of a URL or from an
// OpenRTB bid request, and decide from it whether they may process personal
// data.
//
// The string is a sequence of segments separated by '.'. Each segment is a
// big-endian bit field encoded in base64url without padding. The core
// segment always comes first; the others start with a 3-bit SegmentType and
// may come in any order:
//
//	core                  purposes, special features, vendors, publisher restrictions
//	1 DisclosedVendors    vendors the CMP disclosed to the user
//	2 AllowedVendors      removed with out-of-band signalling, absent from v2.2
//	3 PublisherTC         the publisher's own purposes and custom purposes
//
// The layout follows "Transparency and Consent String with Global Vendor &
// CMP List Formats" of IAB Tech Lab (the TCF v2 technical specification).
//
// # Decode only
//
// This package reads TC strings; it cannot create or modify them. Under the
// TCF policies only registered CMPs may create TC strings, and vendors must
// pass a string on unmodified: [TCString.String] returns it as it was given.
//
// # Use
//
//	tc, err := tcf.Parse(s)
//	if err != nil {
//		// *tcf.DecodeError: errors.Is(err, tcf.ErrTruncated), ...
//	}
//	if tc.PurposeConsent(1) && tc.VendorConsent(755) { ... }
//	if rt, ok := tc.PublisherRestriction(2, 755); ok && rt == tcf.NotAllowed { ... }
//
// The checks take plain int IDs and return false for any ID that is out of
// range (zero, negative, above the section's MaxVendorId), never panic.
//
// # TCF v2.2 and v2.3
//
// The string format has Version 2 throughout v2.0 to v2.3; what changed is
// which segments and values are allowed:
//
//   - v2.2 (2023) removed legitimate interest for purposes 3 to 6: their bits
//     in PurposesLITransparency must be 0. It raised TcfPolicyVersion to 4.
//     The global scope and out-of-band signalling had been retired in 2021,
//     taking the AllowedVendors segment out of the specification, so the
//     v2.2 format has no AllowedVendors segment and IsServiceSpecific must
//     be 1.
//   - v2.3 (2025, mandatory from 1 March 2026) made the DisclosedVendors
//     segment mandatory, to remove the ambiguity about vendors that only
//     declare special purposes: a vendor disclosed in that segment was shown
//     to the user. Its layout did not change.
//
// [Parse] is lenient about these rules: it decodes any well-formed v2
// string, including older ones with an AllowedVendors segment (readable
// with [TCString.VendorAllowed]) or without DisclosedVendors. [ParseStrict],
// or [TCString.CheckV23] after Parse, rejects a string that breaks them.
//
// # Errors
//
// Every error is a *[DecodeError] giving the segment, the field, and the
// position of the problem, and wrapping a sentinel error: [ErrEmpty],
// [ErrAlphabet], [ErrVersion], [ErrTruncated], [ErrMalformed],
// [ErrUnknownSegment], [ErrDuplicateSegment], [ErrSegmentOrder], and for the
// strict checks [ErrMissingSegment], [ErrRemovedSegment] and
// [ErrNonCompliant]. The alphabet is checked byte by byte: where Go's
// base64 decoders skip CR and LF, and other encodings accept '=' padding,
// '+' and '/', this package rejects all of them, and spaces, with
// [ErrAlphabet]. A segment of 4n+1 characters, a length no base64url
// encoding has, is rejected with [ErrMalformed]. Bits after the last field
// of a segment are padding and ignored whatever their value, as the
// specification asks.
//
// # Memory
//
// Parse reads bits directly from the characters of the string through a
// lookup table, without decoding it into a []byte. Bit-field sections are
// not copied: a [TCString] keeps a reference to the input and reads vendor
// bits from it. Range-encoded sections are kept as sorted ranges. No
// allocation depends on a declared count (MaxVendorId, NumEntries) beyond
// what the input can actually hold, so a short string cannot make the
// decoder allocate a large amount of memory. A typical string is decoded
// with a single allocation.
package tcf
