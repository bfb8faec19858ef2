package gdpr

import "github.com/gdprkit/gdprkit/retention"

// Period is an ISO 8601 period such as "P6M", "P10Y" or "P1Y2M10DT2H30M".
// Purposes declare their retention as one. It is the retention package's
// Period, so that a purpose's retention and a retention rule count time the
// same way (calendar-aware, a month from 31 January ends on the last day of
// February).
type Period = retention.Period

// ParsePeriod reads an ISO 8601 period; see retention.ParsePeriod.
func ParsePeriod(s string) (Period, error) { return retention.ParsePeriod(s) }
