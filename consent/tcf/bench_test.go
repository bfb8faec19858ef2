package tcf

import (
	"encoding/base64"
	"testing"
)

var (
	sinkTC    *TCString
	sinkBytes []byte
	sinkBool  bool
)

// BenchmarkParse compares decoding a typical TCF v2.2 core segment (the
// specification's example: a 1283-vendor bit field and ten publisher
// restrictions, 346 characters) with only base64-decoding the same string,
// the floor for any decoder that goes through bytes.
func BenchmarkParse(b *testing.B) {
	b.Run("typical", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(specV22CoreExample)))
		for b.Loop() {
			tc, err := Parse(specV22CoreExample)
			if err != nil {
				b.Fatal(err)
			}
			sinkTC = tc
		}
	})
	b.Run("base64", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(specV22CoreExample)))
		for b.Loop() {
			p, err := base64.RawURLEncoding.DecodeString(specV22CoreExample)
			if err != nil {
				b.Fatal(err)
			}
			sinkBytes = p
		}
	})
	b.Run("all-segments", func(b *testing.B) {
		// The v2.3 example of the specification: core, DisclosedVendors
		// and Publisher TC.
		b.ReportAllocs()
		for b.Loop() {
			tc, err := Parse(specV23Example)
			if err != nil {
				b.Fatal(err)
			}
			sinkTC = tc
		}
	})
}

// BenchmarkChecks measures the lookups on a decoded string.
func BenchmarkChecks(b *testing.B) {
	tc, err := Parse(specV22CoreExample)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		sinkBool = tc.PurposeConsent(1) && tc.VendorConsent(755) && tc.VendorLegitimateInterest(755)
		_, sinkBool = tc.PublisherRestriction(2, 755)
	}
}
