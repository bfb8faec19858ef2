package rights

import "time"

// MaxExtension is the longest extension of a request's time limit: two
// further months (Art. 12(3)).
const MaxExtension = 2

// Deadline computes the time limit of a request (Art. 12(3): one month of
// receipt, extendable by two further months) the way Regulation (EEC,
// Euratom) No 1182/71 counts months (Art. 3(2)(c)): the limit ends with the
// last hour of the day in the later month that has the same number as the
// day the period runs from, or, when that month has no such day, with the
// last hour of its last day. So a request from 15 January is due on 15
// February, one from 31 January on 28 February (29 February in a leap year),
// one from 31 March on 30 April. The day ends in the controller's time zone,
// with the first instant of the next calendar day, also where clocks go
// forward at midnight and the next day begins at 01:00.
//
// The zero Deadline counts in UTC and never moves a limit. Give the
// controller's zone in configuration (DeskConfig.Deadline): a request a
// Berlin controller receives at 23:30 UTC on 31 January arrives on 1
// February there, and is due at the end of 1 March, Berlin time. UTC is
// the default rather than the machine's zone, which would make a limit
// depend on where the service happens to run.
type Deadline struct {
	// Location is the controller's time zone; UTC when nil.
	Location *time.Location
	// NonWorkingDay, when set, reports whether a day (given as its noon
	// in Location) is not a working day of the controller: a limit that
	// ends on such a day then ends with the next working day, as Art. 3(4)
	// of Regulation 1182/71 and the UK ICO allow. Weekend is one for
	// Saturdays and Sundays; add the public holidays that apply. Nil never
	// moves a limit, the stricter reading.
	NonWorkingDay func(day time.Time) bool
}

// Due returns the last instant of the time limit of a request whose clock
// started at start: the end of the day one month later (see Deadline) or,
// with extension (1 or 2) months more, that day moved by as many months
// again under the same rule. Counting the extension from the first limit,
// not three months from the start, gives the earlier of the two readings
// when the first limit fell on a short month's last day (31 January: 29
// April 2024, not 30 April), so an answer in time under this count is in
// time under either. extension is clamped to 0..MaxExtension.
func (d Deadline) Due(start time.Time, extension int) time.Time {
	loc := d.loc()
	y, m, day := start.In(loc).Date()
	y, m, day = addMonths(y, m, day, 1)
	y, m, day = addMonths(y, m, day, min(max(extension, 0), MaxExtension))
	if d.NonWorkingDay != nil {
		// A year of holidays cannot make the search run on for ever.
		for i := 0; i < 366 && d.NonWorkingDay(time.Date(y, m, day, 12, 0, 0, 0, loc)); i++ {
			y, m, day = time.Date(y, m, day+1, 12, 0, 0, 0, time.UTC).Date()
		}
	}
	return dayEnd(y, m, day, loc)
}

// dayEnd returns the last instant of calendar day y-m-day in loc: a
// nanosecond before the first instant whose local date is after it. That
// instant is not always the next day's midnight, which does not exist
// where clocks go forward at midnight (America/Santiago, America/Havana:
// the day begins at 01:00) or a whole day is skipped (Pacific/Apia, 30
// December 2011); time.Date would move such a midnight an hour back, into
// the day. So it walks loc's offsets from well before the day: within one
// offset the local time runs with the instant, and the first instant
// after the day is either where the local time reaches the next midnight
// or the start of an offset whose local time is already past it.
func dayEnd(y int, m time.Month, day int, loc *time.Location) time.Time {
	next := time.Date(y, m, day+1, 0, 0, 0, 0, time.UTC).Unix() // the next midnight's local clock, in seconds
	// 36 hours before it in UTC is before it in local time under any
	// offset (they stay within ±16 hours).
	at := time.Unix(next-36*3600, 0).In(loc)
	for range 64 { // offsets change at most a few times a day
		_, offset := at.Zone()
		if at.Unix()+int64(offset) >= next {
			return at.Add(-time.Nanosecond)
		}
		reach := next - int64(offset) // the instant this offset's clock shows the next midnight
		_, end := at.ZoneBounds()
		if end.IsZero() || reach < end.Unix() {
			return time.Unix(reach, 0).In(loc).Add(-time.Nanosecond)
		}
		at = end.In(loc)
	}
	return time.Date(y, m, day+1, 0, 0, 0, 0, loc).Add(-time.Nanosecond) // not reached
}

func (d Deadline) loc() *time.Location {
	if d.Location == nil {
		return time.UTC
	}
	return d.Location
}

// addMonths returns the day with the same number n months after the given
// one, or the last day of that month when it is shorter.
func addMonths(y int, m time.Month, day, n int) (int, time.Month, int) {
	first := time.Date(y, m+time.Month(n), 1, 12, 0, 0, 0, time.UTC)
	y, m = first.Year(), first.Month()
	return y, m, min(day, daysIn(y, m))
}

// daysIn returns the number of days of month m of year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC).Day()
}

// Weekend reports whether day is a Saturday or a Sunday, for
// Deadline.NonWorkingDay.
func Weekend(day time.Time) bool {
	wd := day.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// IdentityClock is when the time limit of a request runs from when its
// requester must first be identified (Art. 12(6)). Under either policy a
// request waiting for identity information is due one month after its
// receipt, so it never waits unseen: Art. 12(3) counts the month "of
// receipt of the request", and Art. 12(4) obliges the controller that does
// not take action (because the requester cannot be identified, say) to
// tell the subject why within that same month.
type IdentityClock uint8

const (
	// ClockFromReceipt, the default: the month runs from receipt, and
	// identifying the requester does not move it (Art. 12(3), read as it
	// is written and as the EDPB's Guidelines 01/2022 on the right of
	// access read it). Ask for identity only on reasonable doubts, and
	// early: the time spent waiting counts.
	ClockFromReceipt IdentityClock = iota
	// ClockFromVerification: the month starts again when the information
	// that identifies the requester arrives (the UK ICO's reading of Art.
	// 12(3) with 12(6)); until then the request is due one month after
	// receipt, the limit for telling the subject why no action is taken
	// (Art. 12(4)).
	ClockFromVerification
)
