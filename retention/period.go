package retention

import (
	"strconv"
	"time"
)

// MaxComponent is the largest value a Period component may hold. It keeps
// every period's arithmetic far from overflow: 999,999 hours still fit a
// time.Duration many times over.
const MaxComponent = 999_999

// Period is an ISO 8601 duration of calendar and clock components, such as
// P6Y, P13M, P2W, P30D, PT24H or P1Y2M10DT2H30M. Its zero value is the empty
// period ("P0D").
//
// A period is calendar-aware: AddTo adds years and months to the calendar
// date, clamping the day to the month's last day; weeks and days to the
// date in the time's own location, keeping the wall-clock time; and hours,
// minutes and seconds as elapsed time. Components are never normalised into
// each other: P13M stays thirteen months, PT36H thirty-six hours.
type Period struct {
	Years, Months, Weeks, Days int
	Hours, Minutes, Seconds    int
}

// designator order: date part Y M W D, then time part H M S.
const (
	posYears = iota
	posMonths
	posWeeks
	posDays
	posHours
	posMinutes
	posSeconds
)

// ParsePeriod parses an ISO 8601 duration: 'P', then any of nY nM nW nD in
// this order, then optionally 'T' and any of nH nM nS in this order, with at
// least one component in all and one after a 'T'. Numbers are unsigned
// decimal integers up to MaxComponent; designators are upper-case. Weeks may
// be combined with the other components (ISO 8601-2). Fractions, signs and
// spaces are rejected. Errors are *PeriodError and match ErrInvalidPeriod.
func ParsePeriod(s string) (Period, error) {
	var p Period
	fail := func(at int, reason string) (Period, error) {
		return Period{}, &PeriodError{Input: s, Offset: at, Reason: reason}
	}
	if s == "" {
		return fail(0, "empty; want a duration such as P30D or P1Y6M")
	}
	if s[0] != 'P' {
		return fail(0, "must start with 'P'")
	}
	last, inTime, timeSeen, any := -1, false, false, false
	for i := 1; i < len(s); {
		if s[i] == 'T' {
			if inTime {
				return fail(i, "second 'T'")
			}
			if i == len(s)-1 {
				return fail(i, "'T' must be followed by hours, minutes or seconds")
			}
			inTime = true
			i++
			continue
		}
		start, n := i, 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			n = n*10 + int(s[i]-'0')
			if n > MaxComponent {
				return fail(start, "number larger than "+strconv.Itoa(MaxComponent))
			}
			i++
		}
		if i == start {
			return fail(i, "expected a number")
		}
		if i == len(s) {
			return fail(i, "number without a designator (Y, M, W, D, H or S)")
		}
		pos := -1
		switch c := s[i]; {
		case c == '.' || c == ',':
			return fail(i, "fractions are not supported; use a smaller unit")
		case !inTime && c == 'Y':
			pos = posYears
		case !inTime && c == 'M':
			pos = posMonths
		case !inTime && c == 'W':
			pos = posWeeks
		case !inTime && c == 'D':
			pos = posDays
		case inTime && c == 'H':
			pos = posHours
		case inTime && c == 'M':
			pos = posMinutes
		case inTime && c == 'S':
			pos = posSeconds
		case !inTime && (c == 'H' || c == 'S'):
			return fail(i, "hours and seconds belong after 'T'")
		case inTime && (c == 'Y' || c == 'W' || c == 'D'):
			return fail(i, "years, weeks and days belong before 'T'")
		default:
			return fail(i, "unknown designator "+strconv.QuoteRune(rune(c))+"; want Y, M, W, D, H or S")
		}
		if pos <= last {
			return fail(i, "components out of order or repeated; want PnYnMnWnDTnHnMnS")
		}
		last = pos
		*p.component(pos) = n
		any = true
		timeSeen = timeSeen || inTime
		i++
	}
	if !any {
		return fail(len(s), "no components; want at least one, such as P30D")
	}
	if inTime && !timeSeen {
		return fail(len(s), "'T' must be followed by hours, minutes or seconds")
	}
	return p, nil
}

func (p *Period) component(pos int) *int {
	switch pos {
	case posYears:
		return &p.Years
	case posMonths:
		return &p.Months
	case posWeeks:
		return &p.Weeks
	case posDays:
		return &p.Days
	case posHours:
		return &p.Hours
	case posMinutes:
		return &p.Minutes
	}
	return &p.Seconds
}

// String formats p in ISO 8601, omitting zero components: "P1Y2M10DT2H30M".
// The zero period is "P0D". ParsePeriod(p.String()) returns p.
func (p Period) String() string {
	if p.IsZero() {
		return "P0D"
	}
	b := make([]byte, 0, 24)
	b = append(b, 'P')
	add := func(n int, d byte) {
		if n != 0 {
			b = strconv.AppendInt(b, int64(n), 10)
			b = append(b, d)
		}
	}
	add(p.Years, 'Y')
	add(p.Months, 'M')
	add(p.Weeks, 'W')
	add(p.Days, 'D')
	if p.Hours|p.Minutes|p.Seconds != 0 {
		b = append(b, 'T')
		add(p.Hours, 'H')
		add(p.Minutes, 'M')
		add(p.Seconds, 'S')
	}
	return string(b)
}

// IsZero reports whether every component is zero.
func (p Period) IsZero() bool { return p == Period{} }

// Validate reports a component that is negative or above MaxComponent, as a
// *PeriodError matching ErrInvalidPeriod. ParsePeriod never returns such a
// period; one built by hand may be.
func (p Period) Validate() error {
	for pos := posYears; pos <= posSeconds; pos++ {
		if n := *p.component(pos); n < 0 || n > MaxComponent {
			return &PeriodError{Input: p.String(), Reason: "component " + strconv.Itoa(n) + " outside 0.." + strconv.Itoa(MaxComponent)}
		}
	}
	return nil
}

// AddTo returns t plus p, calendar-aware:
//
//   - years and months move the calendar month; a day the target month does
//     not have becomes its last day (31 January plus P1M is 28 or 29
//     February, never March — unlike time.Time.AddDate);
//   - weeks and days then move the calendar date in t's location, keeping
//     the wall-clock time, so P1D across a daylight-saving change is 23 or
//     25 hours of elapsed time (a wall-clock time the change skips moves
//     forward by the gap, as time.Date does);
//   - hours, minutes and seconds are then added as elapsed time, so PT24H
//     is always 24 hours.
func (p Period) AddTo(t time.Time) time.Time {
	if days := p.Days + 7*p.Weeks; p.Years|p.Months == 0 && days <= maxFastDays && t.Location() == time.UTC {
		// No calendar months, and no daylight saving: a day is 24 hours.
		return t.Add(time.Duration(days)*24*time.Hour + p.clock())
	}
	if p.Years|p.Months|p.Weeks|p.Days != 0 {
		year, month, day := t.Date()
		hour, min, sec := t.Clock()
		months := int(month) - 1 + p.Months + 12*p.Years
		year += floorDiv(months, 12)
		month = time.Month(months-12*floorDiv(months, 12)) + 1
		if last := daysIn(year, month); day > last {
			day = last
		}
		day += p.Days + 7*p.Weeks
		t = time.Date(year, month, day, hour, min, sec, t.Nanosecond(), t.Location())
	}
	if p.Hours|p.Minutes|p.Seconds != 0 {
		t = t.Add(p.clock())
	}
	return t
}

// maxFastDays bounds the days AddTo adds as a time.Duration, far below the
// 106,751 days a Duration can hold.
const maxFastDays = 100_000

// clock returns the hours, minutes and seconds of p as a duration.
func (p Period) clock() time.Duration {
	return time.Duration(p.Hours)*time.Hour + time.Duration(p.Minutes)*time.Minute + time.Duration(p.Seconds)*time.Second
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// daysIn returns the number of days in month of year (proleptic Gregorian).
func daysIn(year int, month time.Month) int {
	switch month {
	case time.February:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// MarshalText formats p with String, so periods read and write as text in
// JSON, YAML and flag values.
func (p Period) MarshalText() ([]byte, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return []byte(p.String()), nil
}

// UnmarshalText parses text with ParsePeriod.
func (p *Period) UnmarshalText(text []byte) error {
	q, err := ParsePeriod(string(text))
	if err != nil {
		return err
	}
	*p = q
	return nil
}
