package gdpr_test

import (
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParsePeriod(t *testing.T) {
	good := map[string]gdpr.Period{
		"P1Y":             {Years: 1},
		"P6M":             {Months: 6},
		"P2W":             {Weeks: 2},
		"P30D":            {Days: 30},
		"PT12H":           {Hours: 12},
		"PT90M":           {Minutes: 90},
		"PT0S":            {},
		"P1Y2M3DT4H5M6S":  {Years: 1, Months: 2, Days: 3, Hours: 4, Minutes: 5, Seconds: 6},
		"P1M2W":           {Months: 1, Weeks: 2},
		"P99999Y":         {Years: 99999},
		"P010D":           {Days: 10},
		"P1DT1M":          {Days: 1, Minutes: 1},
		"P0Y0M0DT0H0M30S": {Seconds: 30},
	}
	for s, want := range good {
		p, err := gdpr.ParsePeriod(s)
		require.NoError(t, err, s)
		assert.Equal(t, want, p, s)
	}
	bad := map[string]string{
		"":          `must start with "P"`,
		"1Y":        `must start with "P"`,
		"p1y":       `must start with "P"`,
		"P":         "names no",
		"PT":        `"T" must be followed`,
		"P1":        "has no unit letter",
		"PY":        "expected a number",
		"P1.5Y":     "fractions are not supported",
		"P1M1Y":     "out of order or repeated",
		"P1Y1Y":     "out of order or repeated",
		"P1H":       "unknown unit",
		"PT1D":      "unknown unit",
		"PT1Y":      "unknown unit",
		"P100000Y":  "larger than 99999",
		"P-1D":      "expected a number",
		"P1DT1H1H":  "out of order",
		"P1D T1H":   "expected a number",
		"P1DT":      `"T" must be followed`,
		"P1DT1HT1M": "expected a number",
	}
	for s, says := range bad {
		_, err := gdpr.ParsePeriod(s)
		assert.ErrorContains(t, err, says, "%q", s)
		if err != nil {
			assert.Contains(t, err.Error(), `"`+s+`"`, "names the input")
		}
	}
}

func TestPeriodAddToAndString(t *testing.T) {
	start := time.Date(2024, 1, 31, 12, 0, 0, 0, time.UTC)
	p, err := gdpr.ParsePeriod("P1M1DT2H")
	require.NoError(t, err)
	assert.Equal(t, time.Date(2024, 3, 3, 14, 0, 0, 0, time.UTC), p.AddTo(start), "1 month from 31 Jan normalises like AddDate")
	p, _ = gdpr.ParsePeriod("P2W")
	assert.Equal(t, time.Date(2024, 2, 14, 12, 0, 0, 0, time.UTC), p.AddTo(start))
	assert.Equal(t, "P1Y2M3DT4H5M6S", gdpr.Period{Years: 1, Months: 2, Days: 3, Hours: 4, Minutes: 5, Seconds: 6}.String())
	assert.Equal(t, "PT0S", gdpr.Period{}.String())
	assert.Equal(t, "P2W", gdpr.Period{Weeks: 2}.String())
}

// FuzzParsePeriod: no input panics, and what parses prints back to a text
// that parses to the same period.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"P1Y", "P1Y2M3DT4H5M6S", "PT0S", "P2W", "P", "PT", "P99999Y", "P1M1Y", "P1.5D", "P-1D"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := gdpr.ParsePeriod(s)
		if err != nil {
			return
		}
		back, err := gdpr.ParsePeriod(p.String())
		require.NoError(t, err, "String of %q is %q", s, p.String())
		assert.Equal(t, p, back)
		assert.False(t, p.AddTo(time.Unix(0, 0)).Before(time.Unix(0, 0)), "a period never goes back in time")
	})
}
