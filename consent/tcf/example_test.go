package tcf_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/gdprkit/gdprkit/consent/tcf"
)

func Example() {
	// The example TC string of the TCF v2.3 specification.
	tc, err := tcf.Parse("CQSbk4AQSbk4ANwAAAENAwCgAAAAAAAAAAYgACPAAAAA.IDKQA4AAgAKAGQAygAAA.YAAAAAAAAAAA")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("CMP:", tc.CmpID, "GVL:", tc.VendorListVersion, "language:", tc.ConsentLanguage, "country:", tc.PublisherCC)
	fmt.Println("last updated:", tc.LastUpdated.Format(time.DateOnly))
	fmt.Println("purpose 1 consent:", tc.PurposeConsent(1))
	fmt.Println("vendor 2 consent:", tc.VendorConsent(2), "vendor 5 consent:", tc.VendorConsent(5))
	fmt.Println("vendor 100 disclosed:", tc.VendorDisclosed(100))
	fmt.Println("complies with v2.3:", tc.CheckV23() == nil)
	// Output:
	// CMP: 880 GVL: 48 language: EN country: DE
	// last updated: 2025-06-03
	// purpose 1 consent: false
	// vendor 2 consent: true vendor 5 consent: false
	// vendor 100 disclosed: true
	// complies with v2.3: true
}

func ExampleParse_error() {
	_, err := tcf.Parse("CQSbk4AQ")
	fmt.Println(errors.Is(err, tcf.ErrTruncated))
	var de *tcf.DecodeError
	if errors.As(err, &de) {
		fmt.Println(de.Field, de.Offset)
	}
	fmt.Println(err)
	// Output:
	// true
	// LastUpdated 7
	// tcf: segment 0 (core), field LastUpdated, char 7, bit 42: truncated segment: needs 36 bits, the segment has 6 left
}

func ExampleParseStrict() {
	// A TCF v2.2 string without the DisclosedVendors segment that v2.3 made
	// mandatory: Parse accepts it, ParseStrict does not.
	const s = "CLcVDxRMWfGmWAVAHCENAXCkAKDAADnAABRgA5mdfCKZuYJez-NQm0TBMYA4oCAAGQYIAAAAAAEAIAEgAA"
	_, err := tcf.Parse(s)
	fmt.Println(err)
	_, err = tcf.ParseStrict(s)
	fmt.Println(errors.Is(err, tcf.ErrMissingSegment))
	// Output:
	// <nil>
	// true
}

func ExampleTCString_PublisherRestriction() {
	tc, err := tcf.Parse("COwAdDhOwAdDhN4ABAENAPCgAAQAAv___wAAAFP_AAp_4AI6ACACAA")
	if err != nil {
		fmt.Println(err)
		return
	}
	if rt, ok := tc.PublisherRestriction(7, 32); ok {
		fmt.Println("purpose 7, vendor 32:", rt)
	}
	for _, r := range tc.PubRestrictions() {
		fmt.Println(r.PurposeID, r.Type, r.Vendors.Len())
	}
	// Output:
	// purpose 7, vendor 32: RequireConsent
	// 7 RequireConsent 1
}
