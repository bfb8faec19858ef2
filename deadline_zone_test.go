package gdprkit_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Berlin whatever the machine's zone database

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/internal/dbtest"
)

// TestConfigDeadlineZoneReachesTheDesk: the controller's time zone in
// Config.Deadline decides the calendar day a request's time limit ends
// with (Art. 12(3), Reg. 1182/71 Art. 3). A request a Berlin controller
// receives at 23:30 UTC on 31 January 2026 arrives on 1 February in
// Berlin and is due at the end of 1 March there (23:00 UTC).
func TestConfigDeadlineZoneReachesTheDesk(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	db, _ := dbtest.SQLite(t)
	clk := &clock{t: time.Date(2026, 1, 31, 23, 30, 0, 0, time.UTC)}
	kit, _ := openShop(t, db, filepath.Join(t.TempDir(), "kek.json"), clk.Now, func(c *gdprkit.Config) {
		c.Deadline = rights.Deadline{Location: berlin}
	})
	r, err := kit.Desk().Receive(context.Background(), rights.Request{Right: rights.RightAccess, Subject: "ada"})
	require.NoError(t, err)
	end := time.Date(2026, 3, 1, 23, 0, 0, 0, time.UTC)
	assert.True(t, end.Add(-time.Nanosecond).Equal(r.Due), "due %v", r.Due.In(berlin))
	assert.False(t, r.Overdue(end.Add(-time.Nanosecond)))
	assert.True(t, r.Overdue(end))
}
