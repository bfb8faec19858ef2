package rights_test

import (
	"context"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin whatever the machine's zone database

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr/rights"
)

// TestDeadlineInTheControllersZone: the time limit of Art. 12(3) ends with
// the controller's calendar day (Reg. 1182/71 Art. 3), so the Desk counts
// in the zone its configuration names. A request a Berlin controller
// receives at 23:30 UTC on 31 January arrives on 1 February in Berlin and
// is due at the end of 1 March there (23:00 UTC), not at the end of 28
// February in UTC; one received at 23:30 UTC on 31 May (1 June, 01:30
// CEST) is due at the end of 1 July, CEST (22:00 UTC). The request's
// deadline, the extension and the refusal notice's limit all count so.
func TestDeadlineInTheControllersZone(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	ctx := context.Background()
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Deadline = rights.Deadline{Location: berlin} })

	for _, tc := range []struct {
		id       string
		received time.Time
		due      time.Time // the first instant after the limit, in UTC
	}{
		{"winter", time.Date(2025, 1, 31, 23, 30, 0, 0, time.UTC), time.Date(2025, 3, 1, 23, 0, 0, 0, time.UTC)},
		{"summer", time.Date(2025, 5, 31, 23, 30, 0, 0, time.UTC), time.Date(2025, 7, 1, 22, 0, 0, 0, time.UTC)},
	} {
		f.clock.now = tc.received
		r := f.receive(t, rights.Request{ID: tc.id, Right: rights.RightAccess, Subject: "cust-1"})
		assert.True(t, tc.due.Add(-time.Nanosecond).Equal(r.Due), "%s: due %v", tc.id, r.Due.In(berlin))
		y, m, d := r.Due.In(berlin).Date()
		assert.Equal(t, [3]int{tc.due.Year(), int(tc.due.Month()), tc.due.Day()}, [3]int{y, int(m), d}, tc.id)
		assert.False(t, r.Overdue(tc.due.Add(-time.Nanosecond)), tc.id)
		assert.True(t, r.Overdue(tc.due), "%s: overdue from the first instant of the next Berlin day", tc.id)
	}

	// A refusal noticed at 23:30 on the limit's day in Berlin (22:30 UTC)
	// is in time; one at 00:30 the next Berlin day (23:30 UTC, still the
	// limit's day in UTC) is late.
	f.clock.now = time.Date(2025, 3, 2, 12, 0, 0, 0, time.UTC)
	n := notice(rights.RefusalExcessive)
	n.At = time.Date(2025, 3, 1, 23, 30, 0, 0, time.UTC)
	r, err := f.rights.Refuse(ctx, "winter", n)
	require.NoError(t, err)
	assert.True(t, r.Notice.Late, "00:30 on 2 March in Berlin is after the limit")
}
