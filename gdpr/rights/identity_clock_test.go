package rights_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/rights"
)

// TestIdentityPendingRequestIsDueFromReceipt: Art. 12(3) runs "within one
// month of receipt of the request". A request whose requester is never
// identified is due one calendar month after receipt (31 January gives 28
// February, Reg. 1182/71), not overdue the day before that limit and
// overdue the day after, and listed by Overdue. Identifying the requester
// later does not move the limit under the default policy.
func TestIdentityPendingRequestIsDueFromReceipt(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t, nil)
	f.verify = func(rights.Request) bool { return false }
	f.clock.now = time.Date(2025, 1, 31, 16, 0, 0, 0, time.UTC)
	r := f.receive(t, rights.Request{ID: "req-1", Right: rights.RightErasure, Subject: "cust-1"})
	require.Equal(t, rights.RequestUnverified, r.State)
	assert.True(t, endOf(2025, 2, 28, time.UTC).Equal(r.Due), "due one month after receipt: %v", r.Due)

	dayBefore := time.Date(2025, 2, 27, 12, 0, 0, 0, time.UTC)
	dayAfter := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	assert.False(t, r.Overdue(dayBefore), "not overdue the day before the limit")
	assert.False(t, r.Overdue(endOf(2025, 2, 28, time.UTC)), "not overdue at the limit's last instant")
	assert.True(t, r.Overdue(dayAfter), "overdue the day after, still unidentified")
	assert.True(t, r.Overdue(time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC)), "a year later it is overdue")

	late, err := f.rights.Overdue(ctx, dayAfter)
	require.NoError(t, err)
	require.Len(t, late, 1, "a pending request appears in the overdue listing")
	assert.Equal(t, "req-1", late[0].ID)
	early, err := f.rights.Overdue(ctx, dayBefore)
	require.NoError(t, err)
	assert.Empty(t, early)

	// The identity document arrives on 20 February: the month still runs
	// from receipt.
	f.clock.now = time.Date(2025, 2, 20, 10, 0, 0, 0, time.UTC)
	f.verify = func(rights.Request) bool { return true }
	r, err = f.rights.Verify(ctx, "req-1")
	require.NoError(t, err)
	assert.Equal(t, rights.RequestOpen, r.State)
	assert.True(t, endOf(2025, 2, 28, time.UTC).Equal(r.Due), "identification does not move the limit: %v", r.Due)
}

// TestIdentityPendingUnderClockFromVerification: the verification-start
// reading (UK ICO) is an option; even then a pending request is due one
// month after receipt (Art. 12(4): the subject must be told within it why
// no action is taken), and the month starts again when the identifying
// information arrives.
func TestIdentityPendingUnderClockFromVerification(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.IdentityClock = rights.ClockFromVerification })
	f.verify = func(rights.Request) bool { return false }
	f.clock.now = time.Date(2025, 1, 31, 16, 0, 0, 0, time.UTC)
	r := f.receive(t, rights.Request{ID: "req-1", Right: rights.RightAccess, Subject: "cust-1"})
	assert.True(t, endOf(2025, 2, 28, time.UTC).Equal(r.Due), "pending: due one month after receipt: %v", r.Due)
	assert.True(t, r.Overdue(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)))

	f.clock.now = time.Date(2025, 2, 20, 10, 0, 0, 0, time.UTC)
	f.verify = func(rights.Request) bool { return true }
	r, err := f.rights.Verify(ctx, "req-1")
	require.NoError(t, err)
	assert.True(t, endOf(2025, 3, 20, time.UTC).Equal(r.Due), "the month starts again at the arrival: %v", r.Due)
	assert.True(t, r.ClockStart.Equal(f.clock.now))

	_, err = rights.NewDesk(rights.DeskConfig{IdentityClock: rights.ClockFromVerification + 1})
	assert.Error(t, err)
}

// TestIdentityRequestAndArrivalAreJournalled: the journal shows when
// identity information was requested (on receipt, and again when what
// arrived was not enough) and when it arrived, without its content.
func TestIdentityRequestAndArrivalAreJournalled(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t, nil)
	f.verify = func(rights.Request) bool { return false }
	received := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	f.clock.now = received
	r := f.receive(t, rights.Request{ID: "req-1", Right: rights.RightErasure, Subject: "cust-1"})
	assert.True(t, r.IdentityRequestedAt.Equal(received))

	first := time.Date(2025, 1, 14, 8, 0, 0, 0, time.UTC)
	f.clock.now = first
	_, err := f.rights.Verify(ctx, "req-1")
	require.ErrorIs(t, err, rights.ErrNotVerified)
	stored, err := f.rights.Request(ctx, "req-1")
	require.NoError(t, err)
	assert.True(t, stored.IdentityRequestedAt.Equal(first), "asked again when the information was not enough")

	second := time.Date(2025, 1, 20, 14, 0, 0, 0, time.UTC)
	f.clock.now = second
	f.verify = func(rights.Request) bool { return true }
	_, err = f.rights.Verify(ctx, "req-1")
	require.NoError(t, err)

	type ev struct {
		kind    audit.Kind
		at      time.Time
		reasons []string
	}
	var got []ev
	for _, e := range entries(t, f.journal) {
		if e.Ref != "req-1" {
			continue
		}
		assert.NotContains(t, e.Reasons, "cust-1")
		got = append(got, ev{e.Kind, e.At, e.Reasons})
	}
	want := []ev{
		{rights.KindRequestReceived, received, []string{"erasure"}},
		{rights.KindIdentityRequested, received, []string{"erasure"}},
		{rights.KindIdentityReceived, first, []string{"arrived-" + strconv.FormatInt(first.Unix(), 10), "insufficient"}},
		{rights.KindIdentityRequested, first, []string{"erasure"}},
		{rights.KindIdentityReceived, second, []string{"arrived-" + strconv.FormatInt(second.Unix(), 10), "verified"}},
		{rights.KindRequestVerified, second, []string{"information-received"}},
	}
	require.Len(t, got, len(want))
	for i := range want {
		assert.Equal(t, want[i].kind, got[i].kind, "entry %d", i)
		assert.True(t, want[i].at.Equal(got[i].at), "entry %d at %v", i, got[i].at)
		assert.Equal(t, want[i].reasons, got[i].reasons, "entry %d", i)
	}
}
