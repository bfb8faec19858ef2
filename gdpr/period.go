package gdpr

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Period is an ISO 8601 duration such as "P6M", "P10Y" or "P1Y2M10DT2H30M":
// calendar years, months, weeks and days, then hours, minutes and seconds.
// Purposes declare their retention as one.
type Period struct {
	Years, Months, Weeks, Days, Hours, Minutes, Seconds int
}

// maxPeriodField bounds every number of a Period so that adding one to a
// time cannot overflow.
const maxPeriodField = 99999

// ParsePeriod reads an ISO 8601 duration: "P", then any of nY nM nW nD in
// this order, then optionally "T" and any of nH nM nS in this order. Numbers
// are non-negative integers (no fractions, at most 99999); at least one part
// must be given. Letters must be upper case, as the standard writes them.
func ParsePeriod(s string) (Period, error) {
	var p Period
	rest, ok := strings.CutPrefix(s, "P")
	if !ok {
		return p, periodError(s, errors.New(`must start with "P"`))
	}
	date, clock, hasT := strings.Cut(rest, "T")
	if hasT && clock == "" {
		return p, periodError(s, errors.New(`"T" must be followed by hours, minutes or seconds`))
	}
	n, err := parseParts(date, "YMWD", []*int{&p.Years, &p.Months, &p.Weeks, &p.Days})
	if err != nil {
		return p, periodError(s, err)
	}
	m, err := parseParts(clock, "HMS", []*int{&p.Hours, &p.Minutes, &p.Seconds})
	if err != nil {
		return p, periodError(s, err)
	}
	if n+m == 0 {
		return p, periodError(s, errors.New("names no years, months, weeks, days, hours, minutes or seconds"))
	}
	return p, nil
}

func periodError(s string, err error) error {
	return fmt.Errorf("ISO 8601 period %q: %w", s, err)
}

// parseParts reads number-letter pairs whose letters appear in units, in
// order, each at most once, and returns how many it read.
func parseParts(s, units string, into []*int) (int, error) {
	count, next := 0, 0
	for s != "" {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 {
			return 0, fmt.Errorf("expected a number at %q", s)
		}
		if i == len(s) {
			return 0, fmt.Errorf("number %s has no unit letter", s)
		}
		if s[i] == '.' || s[i] == ',' {
			return 0, errors.New("fractions are not supported: use a smaller unit")
		}
		u := strings.IndexByte(units[next:], s[i])
		if u < 0 {
			if strings.IndexByte(units, s[i]) >= 0 {
				return 0, fmt.Errorf("unit %q is out of order or repeated", s[i])
			}
			return 0, fmt.Errorf("unknown unit %q (want one of %s)", s[i], units)
		}
		v, err := strconv.Atoi(s[:i])
		if err != nil || v > maxPeriodField {
			return 0, fmt.Errorf("number %s is larger than %d", s[:i], maxPeriodField)
		}
		*into[next+u] = v
		next += u + 1
		count++
		s = s[i+1:]
	}
	return count, nil
}

// AddTo returns t moved forward by p: calendar parts with time.AddDate (so
// "P1M" from 31 January lands where AddDate puts it), clock parts as
// elapsed time.
func (p Period) AddTo(t time.Time) time.Time {
	t = t.AddDate(p.Years, p.Months, p.Weeks*7+p.Days)
	return t.Add(time.Duration(p.Hours)*time.Hour + time.Duration(p.Minutes)*time.Minute + time.Duration(p.Seconds)*time.Second)
}

// String writes p in ISO 8601, leaving out zero parts; the zero Period is
// "PT0S".
func (p Period) String() string {
	var b strings.Builder
	b.WriteByte('P')
	for _, part := range []struct {
		v int
		u byte
	}{{p.Years, 'Y'}, {p.Months, 'M'}, {p.Weeks, 'W'}, {p.Days, 'D'}} {
		if part.v != 0 {
			b.WriteString(strconv.Itoa(part.v))
			b.WriteByte(part.u)
		}
	}
	if p.Hours != 0 || p.Minutes != 0 || p.Seconds != 0 {
		b.WriteByte('T')
		for _, part := range []struct {
			v int
			u byte
		}{{p.Hours, 'H'}, {p.Minutes, 'M'}, {p.Seconds, 'S'}} {
			if part.v != 0 {
				b.WriteString(strconv.Itoa(part.v))
				b.WriteByte(part.u)
			}
		}
	}
	if b.Len() == 1 {
		return "PT0S"
	}
	return b.String()
}
