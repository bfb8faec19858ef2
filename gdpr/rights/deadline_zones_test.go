package rights_test

import (
	"archive/zip"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// zoneNames lists the IANA zones of Go's own zone database,
// $GOROOT/lib/time/zoneinfo.zip, which every Go installation ships; the
// test is skipped where it is missing.
func zoneNames(t *testing.T) []string {
	t.Helper()
	zr, err := zip.OpenReader(filepath.Join(runtime.GOROOT(), "lib", "time", "zoneinfo.zip"))
	if os.IsNotExist(err) {
		t.Skip("no $GOROOT/lib/time/zoneinfo.zip to list the zones")
	}
	require.NoError(t, err)
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, "/") {
			names = append(names, f.Name)
		}
	}
	require.NotEmpty(t, names)
	return names
}

type civilDay struct {
	y int
	m time.Month
	d int
}

func dateOf(t time.Time) civilDay {
	y, m, d := t.Date()
	return civilDay{y, m, d}
}

func (c civilDay) before(o civilDay) bool {
	if c.y != o.y {
		return c.y < o.y
	}
	if c.m != o.m {
		return c.m < o.m
	}
	return c.d < o.d
}

// referenceEnd returns the end of calendar day c in loc by brute force: the
// first instant whose local date is after c, less a nanosecond. It steps
// through the 60 hours around the day a quarter of an hour at a time (every
// offset in use since 1970 is a multiple of 15 minutes from UTC, so no
// stretch of a date is shorter), then a minute, then a second at a time.
func referenceEnd(c civilDay, loc *time.Location) time.Time {
	after := func(u int64) bool { return c.before(dateOf(time.Unix(u, 0).In(loc))) }
	midnight := time.Date(c.y, c.m, c.d+1, 0, 0, 0, 0, time.UTC).Unix()
	u := midnight - 36*3600
	for !after(u + 900) {
		u += 900
	}
	for !after(u + 60) {
		u += 60
	}
	for !after(u + 1) {
		u++
	}
	return time.Unix(u+1, 0).Add(-time.Nanosecond).In(loc)
}

// TestDeadlineEndsWithTheDayInEveryZone: in every IANA zone, on every day
// of 2005 to 2030 on which or next to which the offset changes, a limit
// ends with the last instant of the calendar day, also where the day
// begins at 01:00 because midnight is skipped (America/Santiago,
// America/Asuncion, America/Havana), and around a skipped day
// (Pacific/Apia, 30 December 2011).
func TestDeadlineEndsWithTheDayInEveryZone(t *testing.T) {
	from := time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	checked, failed := 0, 0
	for _, name := range zoneNames(t) {
		loc, err := time.LoadLocation(name)
		if err != nil {
			continue // a name the system's database does not know
		}
		d := rights.Deadline{Location: loc}
		days := map[civilDay]bool{}
		for at := from; at.Before(to); {
			_, end := at.In(loc).ZoneBounds()
			if end.IsZero() || !end.Before(to) {
				break
			}
			for _, around := range []time.Time{end.Add(-time.Second), end} {
				c := dateOf(around.In(loc))
				days[c] = true
				days[dateOf(time.Date(c.y, c.m, c.d+1, 12, 0, 0, 0, time.UTC))] = true
			}
			at = end
		}
		for c := range days {
			// Start at noon of the same day a month before, where that
			// day exists in the calendar and in loc.
			before := dateOf(time.Date(c.y, c.m-1, c.d, 12, 0, 0, 0, time.UTC))
			start := time.Date(before.y, before.m, before.d, 12, 0, 0, 0, loc)
			if before.d != c.d || dateOf(start) != before {
				continue
			}
			checked++
			want := referenceEnd(c, loc)
			if got := d.Due(start, 0); !got.Equal(want) {
				failed++
				if failed <= 5 {
					assert.Failf(t, "wrong end of day", "%s %d-%02d-%02d: got %s, want %s", name, c.y, c.m, c.d,
						got.Format(time.RFC3339Nano), want.Format(time.RFC3339Nano))
				}
			}
		}
	}
	assert.Zero(t, failed, "days that end at the wrong instant, of %d", checked)
	assert.Greater(t, checked, 1000, "days checked")
}

// TestDeadlineEndsWithTheDayWhereMidnightIsSkipped: named cases of the
// zone-wide test above.
func TestDeadlineEndsWithTheDayWhereMidnightIsSkipped(t *testing.T) {
	for _, tc := range []struct {
		zone  string
		start time.Time // local noon, a month before the day
		want  string    // the last instant of the day, local
	}{
		// Chile: 7 September 2025 begins at 01:00.
		{"America/Santiago", time.Date(2025, 8, 6, 12, 0, 0, 0, time.UTC), "2025-09-06T23:59:59.999999999-04:00"},
		// Paraguay: 6 October 2024 begins at 01:00.
		{"America/Asuncion", time.Date(2024, 9, 5, 12, 0, 0, 0, time.UTC), "2024-10-05T23:59:59.999999999-04:00"},
		// Cuba: 9 March 2025 begins at 01:00.
		{"America/Havana", time.Date(2025, 2, 8, 16, 0, 0, 0, time.UTC), "2025-03-08T23:59:59.999999999-05:00"},
		// Samoa: 30 December 2011 does not exist; the 29th ends when the 31st begins.
		{"Pacific/Apia", time.Date(2011, 11, 29, 22, 0, 0, 0, time.UTC), "2011-12-29T23:59:59.999999999-10:00"},
	} {
		t.Run(tc.zone, func(t *testing.T) {
			loc, err := time.LoadLocation(tc.zone)
			require.NoError(t, err)
			got := rights.Deadline{Location: loc}.Due(tc.start, 0)
			assert.Equal(t, tc.want, got.Format(time.RFC3339Nano))
		})
	}
}
