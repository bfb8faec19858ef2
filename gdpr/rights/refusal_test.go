package rights_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr/rights"
)

// notice is the notice of Art. 12(4) of a refusal for reason, sent now by
// e-mail.
func notice(reason string) rights.RefusalNotice {
	return rights.RefusalNotice{Reason: reason, Authority: "Berliner Beauftragte für Datenschutz und Informationsfreiheit", Means: "email"}
}

// TestRefusalNoticeWithinOneMonthOfReceipt: Art. 12(4) requires the
// notice of a refusal, with its reasons and the right to complain, within
// one month of receipt. A notice on the limit's last day is in time; one
// the day after is recorded, closed and marked late, in the request and
// in the journal.
func TestRefusalNoticeWithinOneMonthOfReceipt(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t, nil)
	f.clock.now = time.Date(2025, 1, 31, 16, 0, 0, 0, time.UTC)
	f.receive(t, rights.Request{ID: "in-time", Right: rights.RightAccess, Subject: "cust-1"})
	f.receive(t, rights.Request{ID: "late", Right: rights.RightAccess, Subject: "cust-2"})
	f.verify = func(rights.Request) bool { return false }
	f.receive(t, rights.Request{ID: "unidentified", Right: rights.RightErasure, Subject: "cust-3"})

	f.clock.now = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC) // the day after 28 February
	n := notice(rights.RefusalExcessive)
	n.At = time.Date(2025, 2, 28, 18, 0, 0, 0, time.UTC) // sent on the last day, recorded later
	r, err := f.rights.Refuse(ctx, "in-time", n)
	require.NoError(t, err)
	assert.Equal(t, rights.RequestRefused, r.State)
	require.NotNil(t, r.Notice)
	assert.False(t, r.Notice.Late, "sent on the last day of the month")
	assert.Equal(t, "email", r.Notice.Means)
	assert.Equal(t, n.Authority, r.Notice.Authority)
	assert.True(t, r.Notice.At.Equal(n.At))

	r, err = f.rights.Refuse(ctx, "late", notice(rights.RefusalExcessive))
	require.NoError(t, err, "a late notice is recorded, not lost")
	assert.Equal(t, rights.RequestRefused, r.State)
	require.NotNil(t, r.Notice)
	assert.True(t, r.Notice.Late, "sent the day after the month ended")

	r, err = f.rights.Refuse(ctx, "unidentified", notice(rights.RefusalUnidentified))
	require.NoError(t, err)
	assert.True(t, r.Notice.Late, "the month runs for an unidentified requester too")

	reasons := map[string][]string{}
	for _, e := range entries(t, f.journal) {
		if e.Kind == rights.KindRequestRefused {
			reasons[e.Ref] = e.Reasons
		}
	}
	assert.Equal(t, []string{"manifestly-excessive", "notice-email", "complaint-authority-named"}, reasons["in-time"])
	assert.Equal(t, []string{"manifestly-excessive", "notice-email", "complaint-authority-named", "late"}, reasons["late"])
	assert.Equal(t, []string{"identity-not-established", "notice-email", "complaint-authority-named", "late"}, reasons["unidentified"])
}

// TestRefusalNoticeWithinAnExtension: a refusal decided within an
// extension given in time (Art. 12(3)) is not late up to the extended
// limit, and is the day after it.
func TestRefusalNoticeWithinAnExtension(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t, nil)
	f.clock.now = time.Date(2025, 1, 15, 9, 0, 0, 0, time.UTC)
	for _, id := range []string{"a", "b"} {
		f.receive(t, rights.Request{ID: id, Right: rights.RightAccess, Subject: "cust-1"})
		_, err := f.rights.Extend(ctx, id, 1, "twelve systems to search")
		require.NoError(t, err)
	}
	f.clock.now = time.Date(2025, 3, 16, 12, 0, 0, 0, time.UTC)
	n := notice(rights.RefusalUnfounded)
	n.At = time.Date(2025, 3, 15, 20, 0, 0, 0, time.UTC)
	r, err := f.rights.Refuse(ctx, "a", n)
	require.NoError(t, err)
	assert.False(t, r.Notice.Late, "within the extended limit, 15 March")
	r, err = f.rights.Refuse(ctx, "b", notice(rights.RefusalUnfounded))
	require.NoError(t, err)
	assert.True(t, r.Notice.Late, "16 March is after the extended limit")
}

// TestRefusalNoticeIsComplete: a notice that names no supervisory
// authority, no means, a free-text reason, or a time before the request
// or in the future is refused, and the request stays open.
func TestRefusalNoticeIsComplete(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t, nil)
	r := f.receive(t, rights.Request{ID: "r", Right: rights.RightAccess, Subject: "cust-1"})
	for name, edit := range map[string]func(*rights.RefusalNotice){
		"no authority":       func(n *rights.RefusalNotice) { n.Authority = " " },
		"no means":           func(n *rights.RefusalNotice) { n.Means = "" },
		"free-text reason":   func(n *rights.RefusalNotice) { n.Reason = "because I say so" },
		"before the request": func(n *rights.RefusalNotice) { n.At = r.ReceivedAt.Add(-time.Second) },
		"in the future":      func(n *rights.RefusalNotice) { n.At = f.clock.now.Add(time.Second) },
	} {
		n := notice(rights.RefusalExcessive)
		edit(&n)
		_, err := f.rights.Refuse(ctx, "r", n)
		assert.ErrorIs(t, err, rights.ErrInvalidRequest, name)
	}
	stored, err := f.rights.Request(ctx, "r")
	require.NoError(t, err)
	assert.Equal(t, rights.RequestOpen, stored.State)
	assert.Nil(t, stored.Notice)
}
