package tcf

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Public TC strings used by the tests. The expected values written out in
// the fixtures below were worked out from the bit layout of the
// specification, and agree with the values asserted by the test suites of
// other decoders where those use the same strings (noted per fixture).
const (
	// The worked example of the current specification (TCF v2.3): core,
	// DisclosedVendors and Publisher TC.
	specV23Example = "CQSbk4AQSbk4ANwAAAENAwCgAAAAAAAAAAYgACPAAAAA.IDKQA4AAgAKAGQAygAAA.YAAAAAAAAAAA"

	// The example of the specification for v2.2 (February 2025 revision):
	// a production-like core with a 1283-vendor bit field and ten publisher
	// restrictions, and a Publisher TC segment with custom purposes.
	specV22CoreExample = "CQNIGUAQNIGUAE1ACADEBbFgAP_gAAAAAAYgKBpV9C7dbWFF8X53aPtkOY0X19BzIsQhBhSBAyAFyBOQ8JQA02E6NASgJiACEAAAoxTBAAFEHABEAQCAQAAEAADsIAwEgAAIIABEgBEQAAJYAAgKCIggEAAIgAIEEgAAmBiAKdLmXUiAgIACCgCQACABAICAAgMABAAIAAIAAAAAwgAAgAJgoAIAAAAAARAIAAAAAAAAAAAAIAAAAAAAAAAAgAAAKHQAYAAgoGMgAwABBQMVABgACCgYiADAAEFAw0AGAAIKBhIAMAAQUDLQAYAAgoGUgAwABBQMlABgACCgZCADAAEFAw"
	specV22Example     = specV22CoreExample + ".YAAAAAAAA60A"

	// The second example of the same revision: range-encoded vendors.
	specV22RangeExample = "CQNIGUAQNIGUAA4ACAFRBdFgALAAAAEgAAIgKRwBYAFgAbABgAGQCmgOHgpECkYBEQA4AFAAWAEUARAAAAAA"

	// The service-specific example of the v2.0/v2.1 specification, with a
	// Publisher TC segment.
	specV20Example = "CLcVDxRMWfGmWAVAHCENAXCkAKDAADnAABRgA5mdfCKZuYJez-NQm0TBMYA4oCAAGQYIAAAAAAEAIAEgAA.argAC0gAAAAAAAAAAAA"

	// The same core with a Publisher TC segment holding custom purposes
	// (GDPR::IAB::TCFv2 test suite).
	specV20CustomPurposes = "CLcVDxRMWfGmWAVAHCENAXCkAKDAADnAABRgA5mdfCKZuYJez-NQm0TBMYA4oCAAGQYIAAAAAAEAIAEgAA.YAAAAAAAAXA"

	// The globally-scoped example of the v2.0 specification, with all four
	// segments, including the former AllowedVendors.
	specV20FourSegments = "COw4XqLOw4XqLAAAAAENAXCAAAAAAAAAAAAAAAAAAAAA.IFukWSQgAIQwgI0QEByFAAAAeIAACAIgSAAQAIAgEQACEABAAAgAQFAEAIAAAGBAAgAAAAQAIFAAMCQAAgAAQiRAEQAAAAANAAIAAggAIYQFAAARmggBC3ZCYzU2yIA.QFukWSQgAIQwgI0QEByFAAAAeIAACAIgSAAQAIAgEQACEABAAAgAQFAEAIAAAGBAAgAAAAQAIFAAMCQAAgAAQiRAEQAAAAANAAIAAggAIYQFAAARmggBC3ZCYzU2yIA.YAAAAAAAAAAAAAAAAAA"

	// Range-encoded vendor sections (GDPR::IAB::TCFv2 test suite).
	rangeVendors = "COyfVVoOyfVVoADACHENAwCAAAAAAAAAAAAAE5QBgALgAqgD8AQACSwEygJyAnSAMABgAFkAgQCDASeAmYBOgAA"

	// One publisher restriction (GDPR::IAB::TCFv2 test suite) ...
	oneRestriction = "COwAdDhOwAdDhN4ABAENAPCgAAQAAv___wAAAFP_AAp_4AI6ACACAA"
	// ... and the same core with a DisclosedVendors segment.
	oneRestrictionDisclosed = oneRestriction + ".ILrtR_G__bXlv-bb36ftkeYxf9_hr7sQxBgbJs24FzLvW7JwX32E7NEzatqYKmRIAu3TBIQNtHJjURVChKIgVrzDsaEyUoTtKJ-BkiHMRY2NYCFxvm4tjWQCZ5vr_91d9mT-N7dr-2dzyy7hnv3a9_-S1WJidKYetHfv8bBKT-_IU9_x-_4v4_N7pE2-eS1v_tGvt639-4vP_dpvxt-7yffz____73_e7X__d_______Xf_7____________4AAA"

	// Seven publisher restrictions, vendor 32 listed twice for purpose 2
	// (GDPR::IAB::TCFv2 test suite).
	sevenRestrictions = "COxPe2TOxPe2TALABAENAPCgAAAAAAAAAAAAAFAAAAoAAA4IACACAIABgACAFA4ADACAAIygAGADwAQBIAIAIB0AEAEBSACACAA"

	// A TCF v2.2 production string, policy version 5, without
	// DisclosedVendors (GDPR::IAB::TCFv2 test suite).
	policy5NoDisclosed = "CP188cAQKFpAAAHABBENBSFsAP_gAEPgAAiQKqNX_H__bW9r8X73aft0eY1P9_j77uQxBhfJE-4FzLvW_JwXx2ExNA36tqIKmRIEu3bBIQNlHJHUTVigaogVryHMak2cpTNKJ6BkiFMRM2dYCF5vm4tj-QKY5_r993dx2D-t_dv83dzyz81Hn3f5_2e0eLCdQ5-tDfv9bROb-9IPd_78v4v8_l_rk2_eT1n_tevr7D_-ft8__XW_9_fff_9Pn_-uB_-_3_vf_EFUwCTDQqIA-wJCQg0DCKBACoKwgIoFAQAAJA0QEAJgwKdgYALrCRACAFAAMEAIAAQZAAgAAAgAQiACQAoEAAEAgUAAYAEAwEABAwAAgAsBAIAAQHQMUwIIFAsIEjMioUwIQoEggJbKhBICgQVwhCLPAIgERMFAAgAAAVgACAsFgcSSAlQkECXUG0AABAAgFEIFQgk9MAAwJmy1B4MG0ZWmAYPmCRDTAMgCIIyEAAAA.f_wACHwAAAAA"

	// Ten purposes, two special features, vendor ranges, and a
	// DisclosedVendors segment (go-iabtcf test suite).
	tenPurposesDisclosed = "COzcJxTOzcJxTBcAAAENAiCMAP_AAAAAAAAADTwAQDTgAAAA.IF5EX2S5OI2tho2YdF7BEYYwfJxyigMgShgQIsS8NwIeFbBoGPmAAHBG4JAQAGBAkkACBAQIsHGBcCQABgIgRiRCMQEGMjzNKBJBAggkbI0FACCVmnkHS3ZCY70-6u__bA"

	// PurposeOneTreatment set (used by several public test suites).
	purposeOneTreatment = "CO052l-O052l-DGAMBFRACBgAIBAAAAABIYgEawAQEagAAAA"
)

// vendorsWant describes an expected VendorSet. When all is set, the set must
// hold exactly those IDs; otherwise it must hold count IDs, including some
// and excluding not.
type vendorsWant struct {
	max    int
	ranged bool
	count  int
	all    []int
	some   []int
	not    []int
}

type pubTCWant struct {
	purposes, purposesLI []int
	numCustom            int
	custom, customLI     []int
}

type fixture struct {
	name                      string
	s                         string
	created, updated          time.Time
	cmpID, cmpVersion, screen int
	lang, cc                  string
	vlv, policy               int
	serviceSpecific           bool
	nonStandardTexts          bool
	purposeOneTreatment       bool
	specialFeatures           []int
	purposes, purposesLI      []int
	consents, li              vendorsWant
	restrictions              []PubRestrictionWant
	disclosed, allowed        *vendorsWant
	pubTC                     *pubTCWant
}

// PubRestrictionWant is an expected publisher restriction entry.
type PubRestrictionWant struct {
	purpose int
	typ     RestrictionType
	ranges  [][2]int
}

func span(lo, hi int) []int {
	var ids []int
	for id := lo; id <= hi; id++ {
		ids = append(ids, id)
	}
	return ids
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

var fixtures = []fixture{
	{
		// Also in the c15t and b.iabTcf suites: CMP 880, GVL 48, DE,
		// vendors 1-4 with consent, 1-5, 100 and 404 disclosed, 2025-06-03.
		name: "spec v2.3 example", s: specV23Example,
		created: day(2025, 6, 3), updated: day(2025, 6, 3),
		cmpID: 880, lang: "EN", cc: "DE", vlv: 48, policy: 2, serviceSpecific: true,
		consents:  vendorsWant{max: 4, all: []int{1, 2, 3, 4}},
		li:        vendorsWant{max: 0, all: nil},
		disclosed: &vendorsWant{max: 404, ranged: true, all: append(span(1, 5), 100, 404)},
		pubTC:     &pubTCWant{},
	},
	{
		name: "spec v2.2 example", s: specV22Example,
		created: day(2025, 2, 20), updated: day(2025, 2, 20),
		cmpID: 309, cmpVersion: 2, lang: "DE", cc: "DE", vlv: 91, policy: 5, serviceSpecific: true,
		purposes: span(1, 11),
		consents: vendorsWant{max: 1283, count: 259,
			some: []int{1, 4, 6, 8, 10, 11, 12, 13, 14, 16, 21, 23, 1081, 1122, 1126, 1135, 1213, 1283},
			not:  []int{2, 3, 5, 7, 9, 15, 1282, 1284}},
		li: vendorsWant{max: 0},
		restrictions: []PubRestrictionWant{
			{7, RequireConsent, [][2]int{{1, 1283}}}, {6, RequireConsent, [][2]int{{1, 1283}}},
			{5, RequireConsent, [][2]int{{1, 1283}}}, {4, RequireConsent, [][2]int{{1, 1283}}},
			{3, RequireConsent, [][2]int{{1, 1283}}}, {2, RequireConsent, [][2]int{{1, 1283}}},
			{11, RequireConsent, [][2]int{{1, 1283}}}, {10, RequireConsent, [][2]int{{1, 1283}}},
			{9, RequireConsent, [][2]int{{1, 1283}}}, {8, RequireConsent, [][2]int{{1, 1283}}},
		},
		pubTC: &pubTCWant{numCustom: 7, custom: []int{2, 4, 5, 7}},
	},
	{
		name: "spec v2.2 range example", s: specV22RangeExample,
		created: day(2025, 2, 20), updated: day(2025, 2, 20),
		cmpID: 56, cmpVersion: 2, lang: "FR", cc: "BE", vlv: 93, policy: 5, serviceSpecific: true,
		purposes: []int{1, 3, 4}, purposesLI: []int{8, 11},
		consents: vendorsWant{max: 1315, ranged: true, all: []int{11, 12, 13, 24, 25, 333, 903, 1314, 1315}},
		li:       vendorsWant{max: 136, ranged: true, all: []int{10, 11, 69, 136}},
	},
	{
		// GDPR::IAB::TCFv2 asserts the same values (created 1228644257.7,
		// last updated 1326215413.4, CMP 21 version 7, screen 2, KM, the
		// purpose, special feature and vendor lists, and the Publisher TC
		// purposes).
		name: "spec v2.0 example", s: specV20Example,
		created: time.Unix(1228644257, 700_000_000).UTC(), updated: time.Unix(1326215413, 400_000_000).UTC(),
		cmpID: 21, cmpVersion: 7, screen: 2, lang: "EN", cc: "KM", vlv: 23, policy: 2, serviceSpecific: true,
		specialFeatures: []int{2}, purposes: []int{1, 3, 9, 10}, purposesLI: []int{3, 4, 5, 8, 9, 10},
		consents: vendorsWant{max: 115, all: []int{
			2, 3, 6, 7, 8, 10, 12, 13, 14, 15, 16, 21, 25, 27, 30, 31, 34, 35, 37, 38, 39, 42, 43, 49, 52, 54,
			55, 56, 57, 59, 60, 63, 64, 65, 66, 67, 68, 69, 73, 74, 76, 78, 83, 86, 87, 89, 90, 92, 96, 99, 100,
			106, 109, 110, 114, 115}},
		li:    vendorsWant{max: 113, all: []int{1, 9, 26, 27, 30, 36, 37, 43, 86, 97, 110, 113}},
		pubTC: &pubTCWant{purposes: []int{2, 4, 6, 8, 9, 10}, purposesLI: []int{2, 4, 5, 7, 10}},
	},
	{
		name: "custom purposes", s: specV20CustomPurposes,
		created: time.Unix(1228644257, 700_000_000).UTC(), updated: time.Unix(1326215413, 400_000_000).UTC(),
		cmpID: 21, cmpVersion: 7, screen: 2, lang: "EN", cc: "KM", vlv: 23, policy: 2, serviceSpecific: true,
		specialFeatures: []int{2}, purposes: []int{1, 3, 9, 10}, purposesLI: []int{3, 4, 5, 8, 9, 10},
		consents: vendorsWant{max: 115, count: 56, some: []int{2, 3, 115}, not: []int{1, 4, 116}},
		li:       vendorsWant{max: 113, count: 12, some: []int{1, 9, 113}, not: []int{2, 114}},
		pubTC:    &pubTCWant{numCustom: 2, custom: []int{1, 2}, customLI: []int{1}},
	},
	{
		name: "spec v2.0 four segments", s: specV20FourSegments,
		created: time.Unix(1585246887, 500_000_000).UTC(), updated: time.Unix(1585246887, 500_000_000).UTC(),
		lang: "EN", cc: "AA", vlv: 23, policy: 2,
		consents: vendorsWant{max: 0}, li: vendorsWant{max: 0},
		disclosed: &vendorsWant{max: 733, count: 115,
			some: []int{2, 6, 8, 9, 12, 15, 18, 23, 37, 42, 47, 48, 722, 723, 725, 726, 729, 733},
			not:  []int{1, 3, 732}},
		allowed: &vendorsWant{max: 733, count: 115,
			some: []int{2, 6, 8, 9, 12, 15, 18, 23, 37, 42, 47, 48, 722, 723, 725, 726, 729, 733},
			not:  []int{1, 3, 732}},
		pubTC: &pubTCWant{},
	},
	{
		// GDPR::IAB::TCFv2: created 1587946020, CMP 3 version 2, screen 7,
		// GVL 48, not service-specific, consent max 626, LI max 628, and
		// the same vendor lists.
		name: "range vendors", s: rangeVendors,
		created: time.Unix(1587946020, 0).UTC(), updated: time.Unix(1587946020, 0).UTC(),
		cmpID: 3, cmpVersion: 2, screen: 7, lang: "EN", cc: "AA", vlv: 48, policy: 2,
		consents: vendorsWant{max: 626, ranged: true, all: []int{23, 42, 126, 127, 128, 587, 613, 626}},
		li:       vendorsWant{max: 628, ranged: true, all: []int{24, 44, 129, 130, 131, 591, 614, 628}},
	},
	{
		name: "one restriction, disclosed vendors", s: oneRestrictionDisclosed,
		created: time.Unix(1583781091, 300_000_000).UTC(), updated: time.Unix(1583781091, 300_000_000).UTC(),
		cmpID: 888, cmpVersion: 1, lang: "EN", cc: "AA", vlv: 15, policy: 2, serviceSpecific: true,
		purposes: []int{6, 23}, purposesLI: span(1, 24),
		consents:     vendorsWant{max: 10, all: span(1, 10)},
		li:           vendorsWant{max: 10, all: span(1, 10)},
		restrictions: []PubRestrictionWant{{7, RequireConsent, [][2]int{{32, 32}}}},
		// GDPR::IAB::TCFv2: vendor 284 disclosed, 9999 not.
		disclosed: &vendorsWant{max: 1495, count: 935,
			some: []int{1, 2, 4, 6, 10, 284, 755, 1490, 1495}, not: []int{3, 5, 9999}},
	},
	{
		name: "seven restrictions", s: sevenRestrictions,
		created: time.Unix(1585852763, 500_000_000).UTC(), updated: time.Unix(1585852763, 500_000_000).UTC(),
		cmpID: 11, cmpVersion: 1, lang: "EN", cc: "AA", vlv: 15, policy: 2, serviceSpecific: true,
		consents: vendorsWant{max: 10}, li: vendorsWant{max: 10},
		restrictions: []PubRestrictionWant{
			{1, NotAllowed, [][2]int{{32, 32}}},
			{2, NotAllowed, [][2]int{{1, 40}}},
			{7, NotAllowed, [][2]int{{32, 35}}},
			{10, NotAllowed, [][2]int{{30, 32}}},
			{2, RequireConsent, [][2]int{{32, 32}}},
			{7, RequireConsent, [][2]int{{32, 32}}},
			{10, RequireConsent, [][2]int{{32, 32}}},
		},
	},
	{
		name: "policy 5 without disclosed vendors", s: policy5NoDisclosed,
		created: day(2023, 11, 28), updated: day(2024, 12, 23),
		cmpID: 7, cmpVersion: 1, screen: 1, lang: "EN", cc: "ES", vlv: 82, policy: 5, serviceSpecific: true,
		specialFeatures: []int{1, 2}, purposes: span(1, 11), purposesLI: []int{2, 7, 8, 9, 10, 11},
		consents: vendorsWant{max: 1364, count: 836,
			some: []int{1, 2, 4, 6, 8, 9, 10, 11, 12, 1356, 1357, 1358, 1359, 1360, 1364},
			not:  []int{3, 5, 7, 1361, 1362, 1363}},
		li: vendorsWant{max: 1363, count: 314,
			some: []int{8, 11, 14, 15, 20, 21, 23, 28, 1344, 1350, 1354, 1355, 1358, 1363},
			not:  []int{1, 9, 1364}},
		pubTC: &pubTCWant{purposes: span(1, 11), purposesLI: []int{2, 7, 8, 9, 10, 11}},
	},
	{
		// go-iabtcf: CMP 92, GVL 34, purposes 1-10, special features 1
		// and 2, vendor 423 as the only range entry, publisher CC "AA".
		name: "ten purposes, disclosed vendors", s: tenPurposesDisclosed,
		created: time.Unix(1589540360, 300_000_000).UTC(), updated: time.Unix(1589540360, 300_000_000).UTC(),
		cmpID: 92, lang: "EN", cc: "AA", vlv: 34, policy: 2,
		specialFeatures: []int{1, 2}, purposes: span(1, 10),
		consents: vendorsWant{max: 423, ranged: true, all: []int{423}},
		li:       vendorsWant{max: 0},
		disclosed: &vendorsWant{max: 754, count: 272,
			some: []int{2, 6, 8, 9, 10, 11, 12, 14, 15, 18, 21, 23, 750, 751, 753, 754},
			not:  []int{1, 3, 752}},
	},
	{
		name: "purpose one treatment", s: purposeOneTreatment,
		created: time.Unix(1591996659, 0).UTC(), updated: time.Unix(1591996659, 0).UTC(),
		cmpID: 198, cmpVersion: 12, screen: 1, lang: "FR", cc: "DE", vlv: 2, policy: 1,
		serviceSpecific: true, purposeOneTreatment: true,
		purposes: []int{1, 10}, purposesLI: []int{22},
		consents: vendorsWant{max: 565, ranged: true, all: []int{565}},
		li:       vendorsWant{max: 0},
	},
}

func TestParsePublicStrings(t *testing.T) {
	for _, f := range fixtures {
		t.Run(f.name, func(t *testing.T) {
			tc, err := Parse(f.s)
			require.NoError(t, err)
			require.NotNil(t, tc)

			assert.Equal(t, f.s, tc.String())
			assert.Equal(t, 2, tc.Version)
			assert.True(t, f.created.Equal(tc.Created), "Created %v, want %v", tc.Created, f.created)
			assert.True(t, f.updated.Equal(tc.LastUpdated), "LastUpdated %v, want %v", tc.LastUpdated, f.updated)
			assert.Equal(t, f.cmpID, tc.CmpID, "CmpId")
			assert.Equal(t, f.cmpVersion, tc.CmpVersion, "CmpVersion")
			assert.Equal(t, f.screen, tc.ConsentScreen, "ConsentScreen")
			assert.Equal(t, f.lang, tc.ConsentLanguage, "ConsentLanguage")
			assert.Equal(t, f.vlv, tc.VendorListVersion, "VendorListVersion")
			assert.Equal(t, f.policy, tc.TcfPolicyVersion, "TcfPolicyVersion")
			assert.Equal(t, f.serviceSpecific, tc.IsServiceSpecific, "IsServiceSpecific")
			assert.Equal(t, f.nonStandardTexts, tc.UseNonStandardTexts, "UseNonStandardTexts")
			assert.Equal(t, f.purposeOneTreatment, tc.PurposeOneTreatment, "PurposeOneTreatment")
			assert.Equal(t, f.cc, tc.PublisherCC, "PublisherCC")

			assertIDs(t, "SpecialFeatureOptIn", 12, f.specialFeatures, tc.SpecialFeatureOptIn)
			assertIDs(t, "PurposeConsent", 24, f.purposes, tc.PurposeConsent)
			assertIDs(t, "PurposeLegitimateInterest", 24, f.purposesLI, tc.PurposeLegitimateInterest)

			assertVendors(t, "VendorConsents", f.consents, tc.VendorConsents(), tc.VendorConsent)
			assertVendors(t, "VendorLegitimateInterests", f.li, tc.VendorLegitimateInterests(), tc.VendorLegitimateInterest)

			require.Equal(t, len(f.restrictions), tc.NumPubRestrictions())
			for i, r := range tc.PubRestrictions() {
				w := f.restrictions[i]
				assert.Equal(t, w.purpose, r.PurposeID, "restriction %d purpose", i)
				assert.Equal(t, w.typ, r.Type, "restriction %d type", i)
				assert.Equal(t, w.ranges, collectRanges(r.Vendors), "restriction %d vendors", i)
				assert.True(t, r.Vendors.IsRangeEncoded())
			}

			assert.Equal(t, f.disclosed != nil, tc.HasSegment(SegmentDisclosedVendors))
			if f.disclosed != nil {
				assertVendors(t, "DisclosedVendors", *f.disclosed, tc.DisclosedVendors(), tc.VendorDisclosed)
			} else {
				assert.Zero(t, tc.DisclosedVendors().MaxID())
				assert.False(t, tc.VendorDisclosed(1))
			}
			assert.Equal(t, f.allowed != nil, tc.HasSegment(SegmentAllowedVendors))
			if f.allowed != nil {
				assertVendors(t, "AllowedVendors", *f.allowed, tc.AllowedVendors(), tc.VendorAllowed)
			} else {
				assert.False(t, tc.VendorAllowed(2))
			}

			assert.Equal(t, f.pubTC != nil, tc.HasSegment(SegmentPublisherTC))
			want := f.pubTC
			if want == nil {
				want = &pubTCWant{}
			}
			p := tc.PublisherTC()
			assertIDs(t, "PublisherTC.PurposeConsent", 24, want.purposes, p.PurposeConsent)
			assertIDs(t, "PublisherTC.PurposeLegitimateInterest", 24, want.purposesLI, p.PurposeLegitimateInterest)
			assert.Equal(t, want.numCustom, p.NumCustomPurposes())
			assertIDs(t, "PublisherTC.CustomPurposeConsent", want.numCustom, want.custom, p.CustomPurposeConsent)
			assertIDs(t, "PublisherTC.CustomPurposeLegitimateInterest", want.numCustom, want.customLI, p.CustomPurposeLegitimateInterest)
		})
	}
}

// assertIDs checks that has(id) holds exactly for the ids in want, over
// 0..n+1.
func assertIDs(t *testing.T, what string, n int, want []int, has func(int) bool) {
	t.Helper()
	var got []int
	for id := 0; id <= n+1; id++ {
		if has(id) {
			got = append(got, id)
		}
	}
	assert.Equal(t, want, got, what)
}

func assertVendors(t *testing.T, what string, w vendorsWant, v VendorSet, has func(int) bool) {
	t.Helper()
	assert.Equal(t, w.max, v.MaxID(), "%s MaxVendorId", what)
	assert.Equal(t, w.ranged, v.IsRangeEncoded(), "%s IsRangeEncoding", what)
	got := slices.Collect(v.All())
	if w.all != nil || w.count == 0 {
		assert.Equal(t, w.all, got, "%s IDs", what)
		assert.Equal(t, len(w.all), v.Len(), "%s Len", what)
	} else {
		assert.Len(t, got, w.count, "%s IDs", what)
		assert.Equal(t, w.count, v.Len(), "%s Len", what)
	}
	for _, id := range w.some {
		assert.True(t, has(id), "%s should hold %d", what, id)
	}
	for _, id := range append(w.not, 0, -1, w.max+1, 1<<20) {
		assert.False(t, has(id), "%s should not hold %d", what, id)
	}
	for _, id := range got {
		assert.True(t, has(id) && v.Has(id), "%s iterated %d but does not hold it", what, id)
	}
}

func collectRanges(v VendorSet) [][2]int {
	var out [][2]int
	for first, last := range v.Ranges() {
		out = append(out, [2]int{first, last})
	}
	return out
}

func TestRanges(t *testing.T) {
	tc, err := Parse(specV23Example)
	require.NoError(t, err)
	assert.Equal(t, [][2]int{{1, 4}}, collectRanges(tc.VendorConsents()), "bit field")
	assert.Equal(t, [][2]int{{1, 5}, {100, 100}, {404, 404}}, collectRanges(tc.DisclosedVendors()), "ranges")
	assert.Nil(t, collectRanges(tc.VendorLegitimateInterests()))

	tc, err = Parse(specV20Example)
	require.NoError(t, err)
	assert.Equal(t, [][2]int{{1, 1}, {9, 9}, {26, 27}, {30, 30}, {36, 37}, {43, 43}, {86, 86}, {97, 97}, {110, 110}, {113, 113}},
		collectRanges(tc.VendorLegitimateInterests()))
	for _, v := range []VendorSet{tc.VendorConsents(), tc.VendorLegitimateInterests()} {
		var ids []int
		for first, last := range v.Ranges() {
			ids = append(ids, span(first, last)...)
		}
		assert.Equal(t, slices.Collect(v.All()), ids)
	}
	for range tc.VendorConsents().Ranges() {
		break
	}
}

func TestPublisherRestrictionLookup(t *testing.T) {
	tc, err := Parse(sevenRestrictions)
	require.NoError(t, err)

	// The lookups GDPR::IAB::TCFv2 asserts for this string.
	for _, c := range []struct {
		purpose, vendor int
		want            RestrictionType
		ok              bool
	}{
		{1, 284, 0, false},
		{1, 32, NotAllowed, true},
		{2, 32, NotAllowed, true}, // listed as NotAllowed and as RequireConsent: NotAllowed wins
		{2, 5, NotAllowed, true},
		{2, 11, NotAllowed, true},
		{2, 40, NotAllowed, true},
		{2, 41, 0, false},
		{2, 44, 0, false},
		{2, 500, 0, false},
		{7, 33, NotAllowed, true},
		{7, 36, 0, false},
		{10, 29, 0, false},
		{10, 30, NotAllowed, true},
		{3, 32, 0, false},
		{0, 32, 0, false},
		{-1, 32, 0, false},
		{2, 0, 0, false},
		{2, -5, 0, false},
		{2, 1 << 40, 0, false},
	} {
		got, ok := tc.PublisherRestriction(c.purpose, c.vendor)
		assert.Equal(t, c.ok, ok, "purpose %d vendor %d", c.purpose, c.vendor)
		assert.Equal(t, c.want, got, "purpose %d vendor %d", c.purpose, c.vendor)
	}

	tc, err = Parse(oneRestriction)
	require.NoError(t, err)
	rt, ok := tc.PublisherRestriction(7, 32)
	assert.True(t, ok)
	assert.Equal(t, RequireConsent, rt)
	_, ok = tc.PublisherRestriction(7, 7)
	assert.False(t, ok)
	_, ok = tc.PublisherRestriction(5, 32)
	assert.False(t, ok)
}

func TestFirstRestrictionWinsWithoutNotAllowed(t *testing.T) {
	s := newBits().header("EN", "DE", true).bitField(0).bitField(0).
		u(2, 12).
		u(4, 6).u(int(RequireLegitimateInterest), 2).rangeEntries([2]int{10, 20}).
		u(4, 6).u(int(RequireConsent), 2).rangeEntries([2]int{15, 15}).
		String()
	tc, err := Parse(s)
	require.NoError(t, err)
	rt, ok := tc.PublisherRestriction(4, 15)
	assert.True(t, ok)
	assert.Equal(t, RequireLegitimateInterest, rt)
}

func TestRangesAreSortedAndMerged(t *testing.T) {
	// Out of order, overlapping and adjacent entries are valid input; the
	// set they describe is what counts.
	s := newBits().header("EN", "DE", true).
		ranged(300, [2]int{200, 300}, [2]int{5, 5}, [2]int{1, 3}, [2]int{4, 4}, [2]int{250, 260}, [2]int{100, 100}).
		bitField(0).u(0, 12).String()
	tc, err := Parse(s)
	require.NoError(t, err)
	v := tc.VendorConsents()
	want := append(append(span(1, 5), 100), span(200, 300)...)
	assert.Equal(t, want, slices.Collect(v.All()))
	assert.Equal(t, len(want), v.Len())
	assert.Equal(t, []idRange{{1, 5}, {100, 100}, {200, 300}}, v.ranges)
	for id := -2; id <= 302; id++ {
		assert.Equal(t, slices.Contains(want, id), tc.VendorConsent(id), "vendor %d", id)
	}

	// In order but adjacent: single IDs 13 and 14 make one run.
	s = newBits().header("EN", "DE", true).
		ranged(20, [2]int{1, 5}, [2]int{13, 13}, [2]int{14, 14}, [2]int{16, 17}, [2]int{17, 20}).
		bitField(0).u(0, 12).String()
	tc, err = Parse(s)
	require.NoError(t, err)
	assert.Equal(t, [][2]int{{1, 5}, {13, 14}, {16, 20}}, collectRanges(tc.VendorConsents()))
}

func TestIterationStops(t *testing.T) {
	tc, err := Parse(specV20Example)
	require.NoError(t, err)
	for _, v := range []VendorSet{tc.VendorConsents(), tc.DisclosedVendors()} {
		n := 0
		for range v.All() {
			n++
			if n == 3 {
				break
			}
		}
		assert.LessOrEqual(t, n, 3)
	}
	tc, err = Parse(rangeVendors)
	require.NoError(t, err)
	var first []int
	for id := range tc.VendorConsents().All() {
		first = append(first, id)
		if len(first) == 4 {
			break
		}
	}
	assert.Equal(t, []int{23, 42, 126, 127}, first)
}

func TestZeroValues(t *testing.T) {
	var v VendorSet
	assert.False(t, v.Has(1))
	assert.Zero(t, v.Len())
	assert.Empty(t, slices.Collect(v.All()))

	var p PublisherTC
	assert.False(t, p.PurposeConsent(1))
	assert.False(t, p.CustomPurposeConsent(1))
	assert.Zero(t, p.NumCustomPurposes())

	assert.Equal(t, "NotAllowed", NotAllowed.String())
	assert.Equal(t, "RequireConsent", RequireConsent.String())
	assert.Equal(t, "RequireLegitimateInterest", RequireLegitimateInterest.String())
	assert.Equal(t, "RestrictionType(3)", RestrictionType(3).String())
	assert.Equal(t, "core", SegmentCore.String())
	assert.Equal(t, "DisclosedVendors", SegmentDisclosedVendors.String())
	assert.Equal(t, "AllowedVendors", SegmentAllowedVendors.String())
	assert.Equal(t, "PublisherTC", SegmentPublisherTC.String())
	assert.Equal(t, "unknown", SegmentUnknown.String())
	assert.Equal(t, "SegmentType(5)", SegmentType(5).String())
}

func TestSegmentsInAnyOrder(t *testing.T) {
	// The specification allows the segments after the core in any order.
	parts := []string{
		"CQSbk4AQSbk4ANwAAAENAwCgAAAAAAAAAAYgACPAAAAA",
		"YAAAAAAAAAAA",
		"IDKQA4AAgAKAGQAygAAA",
	}
	tc, err := Parse(parts[0] + "." + parts[1] + "." + parts[2])
	require.NoError(t, err)
	assert.True(t, tc.HasSegment(SegmentDisclosedVendors))
	assert.True(t, tc.HasSegment(SegmentPublisherTC))
	assert.True(t, tc.VendorDisclosed(404))
	assert.False(t, tc.HasSegment(SegmentType(7)))
	assert.False(t, tc.HasSegment(SegmentUnknown))
	assert.True(t, tc.HasSegment(SegmentCore))
}

func TestParseAllocations(t *testing.T) {
	for _, s := range []string{specV22CoreExample, specV22Example, specV23Example, specV20FourSegments, rangeVendors} {
		allocs := testing.AllocsPerRun(100, func() {
			if _, err := Parse(s); err != nil {
				t.Fatal(err)
			}
		})
		assert.LessOrEqual(t, allocs, 1.0, "%.30s...", s)
	}
}
