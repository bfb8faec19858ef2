package rights_test

import (
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin on machines without a zone database

	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// endOf returns the last instant of the day in loc.
func endOf(y int, m time.Month, d int, loc *time.Location) time.Time {
	return time.Date(y, m, d, 23, 59, 59, 999999999, loc)
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 10, 0, 0, 0, time.UTC) }

func TestDeadlineCountsCalendarMonths(t *testing.T) {
	var utc rights.Deadline
	for _, tc := range []struct {
		name     string
		received time.Time
		due      time.Time
	}{
		{"31 Jan 2024 gives 29 Feb in a leap year", day(2024, 1, 31), endOf(2024, 2, 29, time.UTC)},
		{"31 Jan 2025 gives 28 Feb", day(2025, 1, 31), endOf(2025, 2, 28, time.UTC)},
		{"30 Jan 2025 gives 28 Feb", day(2025, 1, 30), endOf(2025, 2, 28, time.UTC)},
		{"29 Feb 2024 gives 29 Mar", day(2024, 2, 29), endOf(2024, 3, 29, time.UTC)},
		{"31 Mar gives 30 Apr", day(2025, 3, 31), endOf(2025, 4, 30, time.UTC)},
		{"15 Jan gives 15 Feb", day(2025, 1, 15), endOf(2025, 2, 15, time.UTC)},
		{"28 Feb gives 28 Mar", day(2025, 2, 28), endOf(2025, 3, 28, time.UTC)},
		{"31 Dec gives 31 Jan across the year", day(2024, 12, 31), endOf(2025, 1, 31, time.UTC)},
		{"1 Jan at midnight gives 1 Feb", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), endOf(2025, 2, 1, time.UTC)},
		{"received a nanosecond before midnight", time.Date(2025, 1, 15, 23, 59, 59, 999999999, time.UTC), endOf(2025, 2, 15, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := utc.Due(tc.received, 0)
			assert.True(t, tc.due.Equal(got), "due %v, want %v", got, tc.due)
			next := got.Add(time.Nanosecond)
			assert.True(t, next.Equal(next.Truncate(24*time.Hour)), "the limit is the day's last instant: %v", got)
		})
	}
}

func TestDeadlineExtension(t *testing.T) {
	var d rights.Deadline
	for _, tc := range []struct {
		name     string
		received time.Time
		months   int
		due      time.Time
	}{
		{"15 Jan plus two", day(2025, 1, 15), 2, endOf(2025, 4, 15, time.UTC)},
		{"15 Jan plus one", day(2025, 1, 15), 1, endOf(2025, 3, 15, time.UTC)},
		// Counted from the first limit, 29 Feb: the earlier reading.
		{"31 Jan 2024 plus two", day(2024, 1, 31), 2, endOf(2024, 4, 29, time.UTC)},
		{"31 Jan 2025 plus one", day(2025, 1, 31), 1, endOf(2025, 3, 28, time.UTC)},
		{"30 Nov plus two", day(2024, 11, 30), 2, endOf(2025, 2, 28, time.UTC)},
		{"more than two is two", day(2025, 1, 15), 5, endOf(2025, 4, 15, time.UTC)},
		{"negative is none", day(2025, 1, 15), -1, endOf(2025, 2, 15, time.UTC)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := d.Due(tc.received, tc.months)
			assert.True(t, tc.due.Equal(got), "due %v, want %v", got, tc.due)
		})
	}
}

func TestDeadlineEndsInTheControllersZone(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	d := rights.Deadline{Location: berlin}
	// 23:30 UTC on 31 January is already 1 February in Berlin.
	got := d.Due(time.Date(2024, 1, 31, 23, 30, 0, 0, time.UTC), 0)
	assert.True(t, endOf(2024, 3, 1, berlin).Equal(got), "due %v", got)
	assert.Equal(t, "2024-03-01T22:59:59.999999999Z", got.UTC().Format(time.RFC3339Nano), "the end of the day in Berlin (UTC+1)")

	// Across the switch to summer time (31 March 2024) the day still ends
	// at local midnight.
	got = d.Due(time.Date(2024, 3, 15, 12, 0, 0, 0, berlin), 0)
	assert.Equal(t, "2024-04-15T21:59:59.999999999Z", got.UTC().Format(time.RFC3339Nano))

	var utc rights.Deadline
	assert.True(t, endOf(2024, 2, 29, time.UTC).Equal(utc.Due(time.Date(2024, 1, 31, 23, 30, 0, 0, time.UTC), 0)), "UTC by default")
}

func TestDeadlineNonWorkingDays(t *testing.T) {
	d := rights.Deadline{NonWorkingDay: rights.Weekend}
	// 15 February 2025 is a Saturday: the limit moves to Monday 17.
	got := d.Due(day(2025, 1, 15), 0)
	assert.True(t, endOf(2025, 2, 17, time.UTC).Equal(got), "due %v", got)
	// 15 February 2024 is a Thursday: no move.
	assert.True(t, endOf(2024, 2, 15, time.UTC).Equal(d.Due(day(2024, 1, 15), 0)))

	holidays := rights.Deadline{NonWorkingDay: func(day time.Time) bool {
		_, m, dd := day.Date()
		return rights.Weekend(day) || m == time.December && (dd == 25 || dd == 26)
	}}
	// 25 November 2025 + 1 month = Thursday 25 December, a holiday; 26 too;
	// then a weekend: Monday 29 December.
	got = holidays.Due(day(2025, 11, 25), 0)
	assert.True(t, endOf(2025, 12, 29, time.UTC).Equal(got), "due %v", got)

	always := rights.Deadline{NonWorkingDay: func(time.Time) bool { return true }}
	assert.NotPanics(t, func() { always.Due(day(2025, 1, 15), 0) }, "a calendar without working days ends the search")
}

func TestWeekend(t *testing.T) {
	assert.True(t, rights.Weekend(day(2025, 2, 15)))
	assert.True(t, rights.Weekend(day(2025, 2, 16)))
	assert.False(t, rights.Weekend(day(2025, 2, 17)))
}

// FuzzDeadline: for any start, the limit is the last instant of the day
// with the start's day number one month later, or of that month's last day
// when it is shorter; each month of extension moves it by 28 to 31 days.
func FuzzDeadline(f *testing.F) {
	for _, s := range []int64{day(2024, 1, 31).Unix(), day(2025, 1, 31).Unix(), day(2024, 12, 31).Unix(), 0, -86400 * 365 * 50} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, sec int64, ext uint8) {
		if sec < -1<<40 || sec > 1<<40 {
			t.Skip("beyond the years a request is made in")
		}
		var d rights.Deadline
		start := time.Unix(sec, 0).UTC()
		due := d.Due(start, 0)
		y, m, dd := start.Date()
		next := time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC)
		last := time.Date(next.Year(), next.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
		want := endOf(next.Year(), next.Month(), min(dd, last), time.UTC)
		require.True(t, want.Equal(due), "start %v: due %v, want %v", start, due, want)

		e := int(ext % 3)
		prev := due
		for i := 1; i <= e; i++ {
			later := d.Due(start, i)
			gap := later.Sub(prev)
			assert.True(t, gap >= 28*24*time.Hour && gap <= 31*24*time.Hour, "extension %d moves %v", i, gap)
			prev = later
		}
	})
}
