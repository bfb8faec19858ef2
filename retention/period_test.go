package retention

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParsePeriod(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Period
		text string // String(); in when empty
	}{
		{in: "P6Y", want: Period{Years: 6}},
		{in: "P13M", want: Period{Months: 13}},
		{in: "P30D", want: Period{Days: 30}},
		{in: "P2W", want: Period{Weeks: 2}},
		{in: "PT24H", want: Period{Hours: 24}},
		{in: "PT90M", want: Period{Minutes: 90}},
		{in: "PT45S", want: Period{Seconds: 45}},
		{in: "P1Y2M10DT2H30M", want: Period{Years: 1, Months: 2, Days: 10, Hours: 2, Minutes: 30}},
		{in: "P1Y2M3W4DT5H6M7S", want: Period{1, 2, 3, 4, 5, 6, 7}},
		{in: "P1M", want: Period{Months: 1}},
		{in: "PT1M", want: Period{Minutes: 1}},
		{in: "P0D", want: Period{}},
		{in: "PT0S", want: Period{}, text: "P0D"},
		{in: "P0Y0M", want: Period{}, text: "P0D"},
		{in: "P007D", want: Period{Days: 7}, text: "P7D"},
		{in: "P999999Y", want: Period{Years: MaxComponent}},
	} {
		got, err := ParsePeriod(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
		text := tc.text
		if text == "" {
			text = tc.in
		}
		assert.Equal(t, text, got.String(), tc.in)
	}
}

func TestParsePeriodRejects(t *testing.T) {
	for _, tc := range []struct {
		in, reason string
		offset     int
	}{
		{"", "empty", 0},
		{"6Y", "must start with 'P'", 0},
		{"p6y", "must start with 'P'", 0},
		{"P", "no components", 1},
		{"PT", "'T' must be followed", 1},
		{"P1DT", "'T' must be followed", 3},
		{"P1D1Y", "out of order", 4},
		{"P1Y1Y", "out of order", 4},
		{"PT1S1H", "out of order", 5},
		{"P1H", "belong after 'T'", 2},
		{"PT1D", "belong before 'T'", 3},
		{"P1.5Y", "fractions", 2},
		{"P1,5Y", "fractions", 2},
		{"P-1D", "expected a number", 1},
		{"P+1D", "expected a number", 1},
		{"P 1D", "expected a number", 1},
		{"P1", "without a designator", 2},
		{"PY", "expected a number", 1},
		{"P1X", "unknown designator 'X'", 2},
		{"P1d", "unknown designator 'd'", 2},
		{"P1000000D", "larger than 999999", 1},
		{"P99999999999999999999D", "larger than 999999", 1},
		{"PT1HT1M", "second 'T'", 4},
		{"P1D ", "expected a number", 3},
	} {
		_, err := ParsePeriod(tc.in)
		require.Error(t, err, tc.in)
		assert.ErrorIs(t, err, ErrInvalidPeriod, tc.in)
		var pe *PeriodError
		require.ErrorAs(t, err, &pe, tc.in)
		assert.Contains(t, pe.Reason, tc.reason, tc.in)
		assert.Equal(t, tc.offset, pe.Offset, tc.in)
		assert.Equal(t, tc.in, pe.Input)
	}
}

func TestPeriodText(t *testing.T) {
	var cfg struct {
		Keep Period `json:"keep"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{"keep":"P1Y6M"}`), &cfg))
	assert.Equal(t, Period{Years: 1, Months: 6}, cfg.Keep)
	out, err := json.Marshal(cfg)
	require.NoError(t, err)
	assert.JSONEq(t, `{"keep":"P1Y6M"}`, string(out))

	err = json.Unmarshal([]byte(`{"keep":"six years"}`), &cfg)
	assert.ErrorIs(t, err, ErrInvalidPeriod)
	_, err = json.Marshal(struct{ P Period }{Period{Days: -1}})
	assert.ErrorIs(t, err, ErrInvalidPeriod, "a negative period cannot be written")
}

func TestPeriodValidate(t *testing.T) {
	assert.NoError(t, Period{Years: 1}.Validate())
	assert.ErrorIs(t, Period{Days: -1}.Validate(), ErrInvalidPeriod)
	assert.ErrorIs(t, Period{Hours: MaxComponent + 1}.Validate(), ErrInvalidPeriod)
}

func date(loc *time.Location, y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, loc)
}

func TestAddToMonthEnds(t *testing.T) {
	utc := time.UTC
	for _, tc := range []struct {
		from   time.Time
		period string
		want   time.Time
	}{
		{date(utc, 2025, 1, 31, 10, 0), "P1M", date(utc, 2025, 2, 28, 10, 0)},
		{date(utc, 2024, 1, 31, 10, 0), "P1M", date(utc, 2024, 2, 29, 10, 0)}, // leap year
		{date(utc, 2025, 1, 30, 0, 0), "P1M", date(utc, 2025, 2, 28, 0, 0)},
		{date(utc, 2025, 3, 31, 0, 0), "P1M", date(utc, 2025, 4, 30, 0, 0)},
		{date(utc, 2025, 1, 31, 0, 0), "P2M", date(utc, 2025, 3, 31, 0, 0)}, // not 28 March: months at once
		{date(utc, 2025, 8, 31, 0, 0), "P6M", date(utc, 2026, 2, 28, 0, 0)},
		{date(utc, 2025, 12, 31, 0, 0), "P2M", date(utc, 2026, 2, 28, 0, 0)}, // across the year
		{date(utc, 2025, 1, 31, 0, 0), "P13M", date(utc, 2026, 2, 28, 0, 0)},
		{date(utc, 2024, 2, 29, 0, 0), "P1Y", date(utc, 2025, 2, 28, 0, 0)}, // leap day, plain year
		{date(utc, 2024, 2, 29, 0, 0), "P4Y", date(utc, 2028, 2, 29, 0, 0)}, // leap day to leap day
		{date(utc, 2096, 2, 29, 0, 0), "P4Y", date(utc, 2100, 2, 28, 0, 0)}, // 2100 is no leap year
		{date(utc, 1996, 2, 29, 0, 0), "P4Y", date(utc, 2000, 2, 29, 0, 0)}, // 2000 is
		{date(utc, 2024, 2, 29, 0, 0), "P6Y", date(utc, 2030, 2, 28, 0, 0)},
		{date(utc, 2025, 1, 31, 0, 0), "P1M1D", date(utc, 2025, 3, 1, 0, 0)}, // clamp, then the day
		{date(utc, 2025, 2, 28, 0, 0), "P1D", date(utc, 2025, 3, 1, 0, 0)},
		{date(utc, 2024, 2, 28, 0, 0), "P1D", date(utc, 2024, 2, 29, 0, 0)},
		{date(utc, 2025, 12, 25, 0, 0), "P2W", date(utc, 2026, 1, 8, 0, 0)},
		{date(utc, 2025, 1, 31, 22, 0), "PT3H", date(utc, 2025, 2, 1, 1, 0)},
		{date(utc, 2025, 1, 31, 0, 0), "P1Y2M10DT2H30M", date(utc, 2026, 4, 10, 2, 30)},
	} {
		p, err := ParsePeriod(tc.period)
		require.NoError(t, err)
		got := p.AddTo(tc.from)
		assert.True(t, tc.want.Equal(got), "%s + %s = %s, want %s", tc.from, tc.period, got, tc.want)
	}
	// time.AddDate would overflow into March; AddTo does not.
	assert.Equal(t, time.March, date(utc, 2025, 1, 31, 0, 0).AddDate(0, 1, 0).Month())
}

func TestAddToDaylightSaving(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	day, _ := ParsePeriod("P1D")
	hours, _ := ParsePeriod("PT24H")
	month, _ := ParsePeriod("P1M")

	// Spring forward: 30 March 2025, 02:00 CET becomes 03:00 CEST.
	before := date(berlin, 2025, 3, 29, 12, 0)
	got := day.AddTo(before)
	assert.True(t, date(berlin, 2025, 3, 30, 12, 0).Equal(got), "P1D keeps the wall clock: %s", got)
	assert.Equal(t, 23*time.Hour, got.Sub(before), "the day has 23 hours")
	got = hours.AddTo(before)
	assert.True(t, date(berlin, 2025, 3, 30, 13, 0).Equal(got), "PT24H is elapsed time: %s", got)
	assert.Equal(t, 24*time.Hour, got.Sub(before))

	// Fall back: 26 October 2025, 03:00 CEST becomes 02:00 CET.
	before = date(berlin, 2025, 10, 25, 12, 0)
	got = day.AddTo(before)
	assert.True(t, date(berlin, 2025, 10, 26, 12, 0).Equal(got), "%s", got)
	assert.Equal(t, 25*time.Hour, got.Sub(before), "the day has 25 hours")
	got = hours.AddTo(before)
	assert.True(t, date(berlin, 2025, 10, 26, 11, 0).Equal(got), "PT24H is elapsed time: %s", got)

	// A month across the change keeps the wall clock too.
	got = month.AddTo(date(berlin, 2025, 3, 15, 9, 30))
	assert.True(t, date(berlin, 2025, 4, 15, 9, 30).Equal(got), "%s", got)
	_, offset := got.Zone()
	assert.Equal(t, 2*3600, offset, "April is summer time")

	// A wall-clock time the change skips moves forward by the gap.
	got = day.AddTo(date(berlin, 2025, 3, 29, 2, 30))
	assert.Equal(t, "2025-03-30 03:30:00 +0200 CEST", got.Format("2006-01-02 15:04:05 -0700 MST"))
	assert.Equal(t, berlin, got.Location(), "the result stays in the time's location")

	// The same instant in UTC: a day is always 24 hours.
	utcBefore := before.UTC()
	assert.Equal(t, 24*time.Hour, day.AddTo(utcBefore).Sub(utcBefore))
}

func TestAddToLongPeriods(t *testing.T) {
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{"P107000D", "P999999W", "P999999Y", "PT999999H999999M999999S"} {
		p := mustPeriod(t, s)
		assert.True(t, p.AddTo(from).After(from), "%s beyond a time.Duration's range", s)
	}
	got := Period{Days: 107_000}.AddTo(from)
	assert.Equal(t, from.AddDate(0, 0, 107_000), got)
}

func TestAddToZero(t *testing.T) {
	now := time.Date(2025, 5, 6, 7, 8, 9, 10, time.UTC)
	assert.True(t, now.Equal(Period{}.AddTo(now)))
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"P6Y", "P13M", "P30D", "PT24H", "P1Y2M10DT2H30M", "P2W", "P1Y2M3W4DT5H6M7S",
		"P", "PT", "P1.5Y", "P999999Y", "P1000000D", "PT0S", "P1DT", "P-1D"} {
		f.Add(s)
	}
	base := time.Date(2024, 1, 31, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err != nil {
			var pe *PeriodError
			if !assert.ErrorAs(t, err, &pe) {
				return
			}
			assert.True(t, pe.Offset >= 0 && pe.Offset <= len(s), "offset %d outside %q", pe.Offset, s)
			return
		}
		require.NoError(t, p.Validate())
		again, err := ParsePeriod(p.String())
		require.NoError(t, err, "String() of %q is %q", s, p.String())
		assert.Equal(t, p, again)
		assert.False(t, p.AddTo(base).Before(base), "a period never goes back in time")
	})
}
