package rights_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/pii"
)

func TestReceiveVerifiedStartsTheClockOnReceipt(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t, nil)
	f.clock.now = time.Date(2024, 1, 31, 15, 0, 0, 0, time.UTC)
	r := f.receive(t, rights.Request{Right: rights.RightAccess, Subject: "cust-1", Language: "DE-at"})

	assert.Equal(t, rights.RequestOpen, r.State)
	assert.Regexp(t, `^req-[0-9a-f]{16}$`, r.ID)
	assert.Equal(t, "de-AT", r.Language, "stored in canonical form")
	assert.True(t, r.ReceivedAt.Equal(f.clock.now))
	assert.True(t, r.VerifiedAt.Equal(r.ReceivedAt), "verified on receipt: the clock runs from receipt")
	assert.True(t, endOf(2024, 2, 29, time.UTC).Equal(r.Due), "due %v", r.Due)
	assert.Equal(t, f.journal.Token("cust-1"), r.SubjectToken)

	stored, err := f.rights.Request(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, r, stored)

	es := entries(t, f.journal)
	require.Len(t, es, 2)
	assert.Equal(t, rights.KindRequestReceived, es[0].Kind)
	assert.Equal(t, []string{"access"}, es[0].Reasons)
	assert.Equal(t, rights.KindRequestVerified, es[1].Kind)
	assert.Equal(t, []string{"on-receipt"}, es[1].Reasons)
	for _, e := range es {
		assert.Equal(t, r.ID, e.Ref)
		assert.Equal(t, r.SubjectToken, e.Subject, "the journal holds the token, not the ID")
	}
}

// TestVerificationWaits: under ClockFromVerification (the ICO's reading
// of Art. 12(3) with 12(6)) a request whose requester is not identified
// yet waits, due one month after receipt (Art. 12(4)); the clock starts
// again when the requested identity information arrives.
func TestVerificationWaits(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.IdentityClock = rights.ClockFromVerification })
	f.verify = func(rights.Request) bool { return false }
	f.clock.now = time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	r := f.receive(t, rights.Request{ID: "req-1", Right: rights.RightErasure, Subject: "cust-1"})
	assert.Equal(t, rights.RequestUnverified, r.State)
	assert.True(t, endOf(2025, 2, 10, time.UTC).Equal(r.Due), "due one month after receipt while waiting: %v", r.Due)
	assert.True(t, r.Overdue(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)), "a waiting request does not stall unseen")

	_, err := f.rights.Erase(ctx, "req-1")
	assert.ErrorIs(t, err, rights.ErrNotVerified, "nothing is fulfilled for an unidentified requester")
	var buf bytes.Buffer
	r2 := f.receive(t, rights.Request{ID: "req-2", Right: rights.RightAccess, Subject: "cust-1"})
	_, err = f.rights.Export(ctx, r2.ID, &buf)
	assert.ErrorIs(t, err, rights.ErrNotVerified)
	assert.Zero(t, buf.Len(), "nothing was written")

	f.clock.Advance(5 * 24 * time.Hour)
	_, err = f.rights.Verify(ctx, "req-1")
	assert.ErrorIs(t, err, rights.ErrNotVerified, "the verifier still says no")
	var re *rights.RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "Verify", re.Op)
	assert.Equal(t, "req-1", re.ID)

	// The passport copy arrives on 20 January.
	f.clock.now = time.Date(2025, 1, 20, 14, 0, 0, 0, time.UTC)
	f.verify = func(rights.Request) bool { return true }
	r, err = f.rights.Verify(ctx, "req-1")
	require.NoError(t, err)
	assert.Equal(t, rights.RequestOpen, r.State)
	assert.True(t, r.VerifiedAt.Equal(f.clock.now))
	assert.True(t, endOf(2025, 2, 20, time.UTC).Equal(r.Due), "due one month after the identity arrived, not after receipt: %v", r.Due)

	again, err := f.rights.Verify(ctx, "req-1")
	require.NoError(t, err)
	assert.Equal(t, r.Due, again.Due, "verifying again changes nothing")
	verified := 0
	for _, e := range entries(t, f.journal) {
		if e.Kind == rights.KindRequestVerified {
			verified++
			assert.Equal(t, []string{"information-received"}, e.Reasons)
		}
	}
	assert.Equal(t, 1, verified)
}

// TestVerifyAtStartsTheClockWhenTheInformationArrived: identity
// information that arrived on 20 January and is checked on 3 February
// makes the request due one month after 20 January, not after the check;
// an arrival before the request or in the future is refused and leaves
// the request waiting.
func TestVerifyAtStartsTheClockWhenTheInformationArrived(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.IdentityClock = rights.ClockFromVerification })
	f.verify = func(rights.Request) bool { return false }
	f.clock.now = time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	r := f.receive(t, rights.Request{ID: "req-1", Right: rights.RightAccess, Subject: "cust-1"})
	require.Equal(t, rights.RequestUnverified, r.State)

	f.verify = func(rights.Request) bool { return true }
	f.clock.now = time.Date(2025, 2, 3, 11, 0, 0, 0, time.UTC)
	arrived := time.Date(2025, 1, 20, 14, 0, 0, 0, time.UTC)

	for name, at := range map[string]time.Time{
		"before the request": r.ReceivedAt.Add(-time.Second),
		"in the future":      f.clock.now.Add(time.Second),
	} {
		_, err := f.rights.VerifyAt(ctx, "req-1", at)
		assert.ErrorIs(t, err, rights.ErrInvalidRequest, name)
		var re *rights.RequestError
		require.ErrorAs(t, err, &re, name)
		assert.Equal(t, "VerifyAt", re.Op)
		stored, err := f.rights.Request(ctx, "req-1")
		require.NoError(t, err)
		assert.Equal(t, rights.RequestUnverified, stored.State, name)
	}

	r, err := f.rights.VerifyAt(ctx, "req-1", arrived)
	require.NoError(t, err)
	assert.Equal(t, rights.RequestOpen, r.State)
	assert.True(t, r.VerifiedAt.Equal(arrived), "the clock runs from the arrival: %v", r.VerifiedAt)
	assert.True(t, endOf(2025, 2, 20, time.UTC).Equal(r.Due), "due one month after the arrival, not after the check: %v", r.Due)

	again, err := f.rights.VerifyAt(ctx, "req-1", f.clock.now)
	require.NoError(t, err)
	assert.Equal(t, r.Due, again.Due, "verifying again changes nothing")

	// Information that came with the request itself is within bounds.
	f.verify = func(rights.Request) bool { return false }
	r2 := f.receive(t, rights.Request{ID: "req-2", Right: rights.RightAccess, Subject: "cust-1", ReceivedAt: arrived})
	f.verify = func(rights.Request) bool { return true }
	r2, err = f.rights.VerifyAt(ctx, "req-2", r2.ReceivedAt)
	require.NoError(t, err)
	assert.True(t, r2.VerifiedAt.Equal(arrived))
}

func TestReceiveKeepsTheRequestWhenTheVerifierFails(t *testing.T) {
	boom := errors.New("identity service down")
	f := newRightsFixture(t, func(c *rights.DeskConfig) {
		c.Verifier = rights.VerifierFunc(func(context.Context, rights.Request) (bool, error) { return false, boom })
	})
	r, err := f.rights.Receive(context.Background(), rights.Request{ID: "req-1", Right: rights.RightAccess, Subject: "cust-1"})
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, "req-1", r.ID)
	stored, err := f.rights.Request(context.Background(), "req-1")
	require.NoError(t, err, "received, though not verified")
	assert.Equal(t, rights.RequestUnverified, stored.State)
}

func TestReceiveRefusesIncompleteRequests(t *testing.T) {
	f := newRightsFixture(t, nil)
	f.clock.now = t0
	for _, tc := range []struct {
		name string
		r    rights.Request
		want error
		text string
	}{
		{"no right", rights.Request{Subject: "s"}, rights.ErrInvalidRequest, "Right 0"},
		{"unknown right", rights.Request{Right: 42, Subject: "s"}, rights.ErrInvalidRequest, "Right 42"},
		{"no subject", rights.Request{Right: rights.RightAccess}, gdpr.ErrNoSubject, "no data subject"},
		{"ID not a code", rights.Request{ID: "my request", Right: rights.RightAccess, Subject: "s"}, rights.ErrInvalidRequest, "not a code"},
		{"future receipt", rights.Request{Right: rights.RightAccess, Subject: "s", ReceivedAt: t0.Add(time.Hour)}, rights.ErrInvalidRequest, "in the future"},
		{"bad language", rights.Request{Right: rights.RightAccess, Subject: "s", Language: "not a language"}, rights.ErrInvalidRequest, "BCP 47"},
		{"objection without purpose", rights.Request{Right: rights.RightObjection, Subject: "s"}, rights.ErrInvalidRequest, "purpose objected to"},
		{"objection to unknown purpose", rights.Request{Right: rights.RightObjection, Subject: "s", Purpose: "nope"}, rights.ErrInvalidRequest, `"nope" is not registered`},
		{"restriction without ground", rights.Request{Right: rights.RightRestriction, Subject: "s"}, rights.ErrInvalidRequest, "Ground"},
		{"objection to a contract purpose", rights.Request{Right: rights.RightObjection, Subject: "s", Purpose: "account"}, gdpr.ErrNotObjectable, `purpose "account": the purpose rests on Art. 6(1)(b)`},
		{"objection to a legal obligation", rights.Request{Right: rights.RightObjection, Subject: "s", Purpose: "archive"}, gdpr.ErrNotObjectable, "Art. 21 gives no right to object"},
		{"purpose on access", rights.Request{Right: rights.RightAccess, Subject: "s", Purpose: "fraud"}, rights.ErrInvalidRequest, "only an objection"},
		{"ground on erasure", rights.Request{Right: rights.RightErasure, Subject: "s", Ground: gdpr.Accuracy}, rights.ErrInvalidRequest, "only a restriction"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.rights.Receive(context.Background(), tc.r)
			require.ErrorIs(t, err, tc.want)
			assert.Contains(t, err.Error(), tc.text)
			assert.NotContains(t, err.Error(), `"s"`, "errors do not repeat the subject")
		})
	}
	_, err := f.rights.Receive(context.Background(), rights.Request{ID: "dup", Right: rights.RightAccess, Subject: "s"})
	require.NoError(t, err)
	_, err = f.rights.Receive(context.Background(), rights.Request{ID: "dup", Right: rights.RightAccess, Subject: "s"})
	assert.ErrorIs(t, err, rights.ErrRequestExists)
	open, err := f.rights.Open(context.Background())
	require.NoError(t, err)
	assert.Len(t, open, 1, "nothing refused was stored")
}

// TestReceiveRefusesObjectionsArt21DoesNotGrant: an objection to a purpose
// resting on a contract is refused on receipt, as an invalid request the
// Guard would refuse on every run, and nothing is stored; objections to
// legitimate interests and to direct marketing are received.
func TestReceiveRefusesObjectionsArt21DoesNotGrant(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t, nil)
	_, err := f.rights.Receive(ctx, rights.Request{ID: "o", Right: rights.RightObjection, Subject: "cust-1", Purpose: "account"})
	require.Error(t, err)
	assert.ErrorIs(t, err, gdpr.ErrNotObjectable)
	assert.ErrorIs(t, err, rights.ErrInvalidRequest)
	var re *rights.RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "Receive", re.Op)
	_, err = f.rights.Request(ctx, "o")
	assert.ErrorIs(t, err, rights.ErrUnknownRequest, "nothing refused is stored")

	for _, purpose := range []string{"fraud", "newsletter", gdpr.AllDirectMarketing} {
		_, err := f.rights.Receive(ctx, rights.Request{Right: rights.RightObjection, Subject: "cust-1", Purpose: purpose})
		assert.NoError(t, err, purpose)
	}
}

func TestExtend(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t, nil)
	f.clock.now = time.Date(2025, 1, 15, 9, 0, 0, 0, time.UTC)
	r := f.receive(t, rights.Request{ID: "r", Right: rights.RightAccess, Subject: "cust-1"})

	_, err := f.rights.Extend(ctx, "r", 1, "")
	assert.ErrorIs(t, err, rights.ErrExtension, "a reason is required")
	_, err = f.rights.Extend(ctx, "r", 0, "many requests")
	assert.ErrorIs(t, err, rights.ErrExtension)
	_, err = f.rights.Extend(ctx, "r", 3, "complex")
	assert.ErrorIs(t, err, rights.ErrExtensionTooLong)

	f.clock.Advance(10 * 24 * time.Hour)
	r, err = f.rights.Extend(ctx, "r", 1, "the request spans twelve systems")
	require.NoError(t, err)
	assert.True(t, endOf(2025, 3, 15, time.UTC).Equal(r.Due), "due %v", r.Due)
	require.NotNil(t, r.Extension)
	assert.Equal(t, 1, r.Extension.Months)

	// The last instant of the first month is still in time.
	f.clock.now = endOf(2025, 2, 15, time.UTC)
	r, err = f.rights.Extend(ctx, "r", 1, "and the archive is offline")
	require.NoError(t, err)
	assert.True(t, endOf(2025, 4, 15, time.UTC).Equal(r.Due), "due %v", r.Due)
	assert.Equal(t, 2, r.Extension.Months)
	assert.Equal(t, "and the archive is offline", r.Extension.Reason)

	_, err = f.rights.Extend(ctx, "r", 1, "more")
	assert.ErrorIs(t, err, rights.ErrExtensionTooLong, "beyond two further months")

	late := f.receive(t, rights.Request{ID: "late", Right: rights.RightAccess, Subject: "cust-1"})
	f.clock.now = late.Due.Add(time.Nanosecond)
	_, err = f.rights.Extend(ctx, "late", 1, "complex")
	assert.ErrorIs(t, err, rights.ErrExtensionLate, "refused after the first month")
	assert.ErrorIs(t, err, rights.ErrExtension)
	assert.Contains(t, err.Error(), "request late: Extend")

	// A request waiting for identity information has a running limit
	// (Art. 12(3)), which may be extended too.
	f.verify = func(rights.Request) bool { return false }
	waiting := f.receive(t, rights.Request{ID: "waiting", Right: rights.RightAccess, Subject: "cust-1"})
	r, err = f.rights.Extend(ctx, "waiting", 1, "complex")
	require.NoError(t, err)
	assert.True(t, r.Due.After(waiting.Due) && r.Due.Before(waiting.Due.AddDate(0, 1, 1)), "due %v", r.Due)

	var months []string
	for _, e := range entries(t, f.journal) {
		if e.Kind == rights.KindRequestExtended {
			months = append(months, e.Reasons...)
		}
	}
	assert.Equal(t, []string{"months-1", "months-2", "months-1"}, months, "the reason text is not journalled, the months are")
}

func TestOpenAndOverdue(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t, nil)
	f.clock.now = time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	f.receive(t, rights.Request{ID: "jan10", Right: rights.RightAccess, Subject: "a"})
	f.clock.now = time.Date(2025, 1, 5, 9, 0, 0, 0, time.UTC)
	f.receive(t, rights.Request{ID: "jan05", Right: rights.RightReview, Subject: "b"})
	f.clock.now = time.Date(2025, 1, 20, 9, 0, 0, 0, time.UTC)
	f.receive(t, rights.Request{ID: "jan20", Right: rights.RightAccess, Subject: "c"})
	f.verify = func(rights.Request) bool { return false }
	f.receive(t, rights.Request{ID: "unverified", Right: rights.RightAccess, Subject: "d"})
	f.verify = func(rights.Request) bool { return true }
	f.receive(t, rights.Request{ID: "refused", Right: rights.RightAccess, Subject: "e"})
	_, err := f.rights.Refuse(ctx, "refused", notice(rights.RefusalExcessive))
	require.NoError(t, err)

	open, err := f.rights.Open(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"jan05", "jan10", "jan20", "unverified"}, ids(open), "earliest deadline first, unverified ones by theirs")

	late, err := f.rights.Overdue(ctx, endOf(2025, 2, 10, time.UTC))
	require.NoError(t, err)
	assert.Equal(t, []string{"jan05"}, ids(late), "due 10 February is late only after that day")
	late, err = f.rights.Overdue(ctx, endOf(2025, 2, 10, time.UTC).Add(time.Nanosecond))
	require.NoError(t, err)
	assert.Equal(t, []string{"jan05", "jan10"}, ids(late))

	_, err = f.rights.Complete(ctx, "jan05")
	require.NoError(t, err)
	late, err = f.rights.Overdue(ctx, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	assert.Equal(t, []string{"jan10", "jan20", "unverified"}, ids(late), "completed and refused requests are never overdue; unverified ones are (Art. 12(3))")
}

func ids(rs []rights.Request) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func TestRefuseAndComplete(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t, nil)
	f.receive(t, rights.Request{ID: "r", Right: rights.RightErasure, Subject: "cust-1"})
	_, err := f.rights.Refuse(ctx, "r", notice("because I say so"))
	assert.ErrorIs(t, err, rights.ErrInvalidRequest, "the reason is a code")
	r, err := f.rights.Refuse(ctx, "r", notice(rights.RefusalUnfounded))
	require.NoError(t, err)
	assert.Equal(t, rights.RequestRefused, r.State)
	assert.Equal(t, rights.RefusalUnfounded, r.Refusal)
	assert.True(t, r.CompletedAt.Equal(f.clock.now))
	_, err = f.rights.Refuse(ctx, "r", notice(rights.RefusalUnfounded))
	assert.ErrorIs(t, err, rights.ErrRequestClosed)
	_, err = f.rights.Erase(ctx, "r")
	assert.ErrorIs(t, err, rights.ErrRequestClosed)

	f.receive(t, rights.Request{ID: "a", Right: rights.RightAccess, Subject: "cust-1"})
	_, err = f.rights.Complete(ctx, "a")
	assert.ErrorIs(t, err, rights.ErrInvalidRequest, "an access request completes by its export")
	assert.Contains(t, err.Error(), "right of access (Art. 15)")
	_, err = f.rights.Erase(ctx, "a")
	assert.ErrorIs(t, err, rights.ErrInvalidRequest)

	f.receive(t, rights.Request{ID: "review", Right: rights.RightReview, Subject: "cust-1"})
	r, err = f.rights.Complete(ctx, "review")
	require.NoError(t, err)
	assert.Equal(t, rights.RequestCompleted, r.State)
	assert.Nil(t, r.Lease)
	assert.Empty(t, r.Sources, "a review involves no source")
	assert.Equal(t, "cust-1", r.Subject, "only an erasure forgets the subject")
	_, err = f.rights.Request(ctx, "nope")
	assert.ErrorIs(t, err, rights.ErrUnknownRequest)
}

// TestRestrictTakesEffectAtOnce: the Guard allows before and denies after,
// and the sources that can are told.
func TestRestrictTakesEffectAtOnce(t *testing.T) {
	ctx := context.Background()
	crm := newMemSource("crm", "account")
	shop := plainSource{newMemSource("shop", "orders")}
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{crm, shop} })

	_, err := f.guard.Allow(ctx, "cust-1", "orders")
	require.NoError(t, err, "allowed before")
	r := f.receive(t, rights.Request{ID: "r", Right: rights.RightRestriction, Subject: "cust-1", Ground: gdpr.Accuracy})
	r, err = f.rights.Restrict(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, rights.RequestCompleted, r.State)

	_, err = f.guard.Allow(ctx, "cust-1", "orders")
	assert.ErrorIs(t, err, gdpr.ErrRestricted, "denied after")
	d, err := f.guard.Allow(ctx, "cust-1", "archive")
	require.NoError(t, err, "storage goes on (Art. 18(2))")
	assert.Equal(t, gdpr.ReasonRestrictionExempt, d.Reason)
	assert.True(t, crm.restricted["cust-1"], "the source marked the data")
	st, _ := r.Source("crm")
	assert.Equal(t, rights.StepDone, st.State)
	st, _ = r.Source("shop")
	assert.Equal(t, rights.StepSkipped, st.State, "a source that cannot restrict is recorded as skipped")

	require.NoError(t, f.rights.LiftRestriction(ctx, "cust-1"))
	_, err = f.guard.Allow(ctx, "cust-1", "orders")
	assert.NoError(t, err)
	assert.False(t, crm.restricted["cust-1"])
}

func TestObjectTakesEffectAtOnce(t *testing.T) {
	ctx := context.Background()
	crm := newMemSource("crm", "account")
	shop := newMemSource("shop", "orders", "fraud")
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{crm, shop} })

	_, err := f.guard.Allow(ctx, "cust-1", "fraud")
	require.NoError(t, err, "allowed before")
	f.receive(t, rights.Request{ID: "o", Right: rights.RightObjection, Subject: "cust-1", Purpose: "fraud"})
	r, err := f.rights.Object(ctx, "o")
	require.NoError(t, err)
	assert.Equal(t, rights.RequestCompleted, r.State)
	_, err = f.guard.Allow(ctx, "cust-1", "fraud")
	assert.ErrorIs(t, err, gdpr.ErrObjected, "denied after")
	assert.Equal(t, []string{"cust-1/fraud"}, shop.objections, "the source serving the purpose acts")
	assert.Empty(t, crm.objections, "a source that does not serve it is skipped")
	st, _ := r.Source("crm")
	assert.Equal(t, rights.StepSkipped, st.State)

	f.receive(t, rights.Request{ID: "dm", Right: rights.RightObjection, Subject: "cust-2", Purpose: gdpr.AllDirectMarketing})
	_, err = f.rights.Object(ctx, "dm")
	require.NoError(t, err)
	_, err = f.guard.Allow(ctx, "cust-2", "newsletter")
	assert.ErrorIs(t, err, gdpr.ErrObjected)

	_, err = f.rights.Receive(ctx, rights.Request{ID: "no", Right: rights.RightObjection, Subject: "cust-3", Purpose: "orders"})
	assert.ErrorIs(t, err, gdpr.ErrNotObjectable, "no right to object to a contract: refused on receipt, not on every run")
}

func TestRectify(t *testing.T) {
	ctx := context.Background()
	crm := newMemSource("crm", "account")
	shop := plainSource{newMemSource("shop", "orders")}
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{crm, shop} })
	f.receive(t, rights.Request{ID: "r", Right: rights.RightRectification, Subject: "cust-1"})

	_, err := f.rights.Rectify(ctx, "r")
	assert.ErrorIs(t, err, rights.ErrInvalidRequest, "corrections are required")
	_, err = f.rights.Rectify(ctx, "r", rights.Correction{Category: "user.nope", Value: "x"})
	assert.ErrorIs(t, err, rights.ErrInvalidRequest)

	fix := rights.Correction{Category: pii.Email, Value: "ada@new.example"}
	r, err := f.rights.Rectify(ctx, "r", fix)
	require.NoError(t, err)
	assert.Equal(t, rights.RequestCompleted, r.State)
	assert.Equal(t, []rights.Correction{fix}, crm.corrections)
	st, _ := r.Source("shop")
	assert.Equal(t, rights.StepSkipped, st.State)
	assert.Equal(t, "user.contact.email=[redacted]", fix.String(), "a correction does not print its value")

	for _, e := range entries(t, f.journal) {
		for _, reason := range e.Reasons {
			assert.NotContains(t, reason, "ada@", "corrections are not journalled")
		}
	}
	stored, err := f.rights.Request(ctx, "r")
	require.NoError(t, err)
	assert.NotContains(t, stored.Sources[0].Error, "ada@")
}

func TestNewRightsNamesEachFault(t *testing.T) {
	reg := newRegister(t, shopPurposes()...)
	journal, err := audit.NewJournal(audit.JournalConfig{Store: audit.NewMemoryStore(), Tokenizer: newTokenizer(t)})
	require.NoError(t, err)
	ok := rights.VerifierFunc(func(context.Context, rights.Request) (bool, error) { return true, nil })
	base := func() rights.DeskConfig {
		return rights.DeskConfig{Register: reg, Store: rights.NewMemoryStore(), Journal: journal, Verifier: ok}
	}
	for _, tc := range []struct {
		name string
		edit func(*rights.DeskConfig)
		want error
		text string
	}{
		{"no register", func(c *rights.DeskConfig) { c.Register = nil }, gdpr.ErrInvalidConfig, "Register is nil"},
		{"no store", func(c *rights.DeskConfig) { c.Store = nil }, gdpr.ErrInvalidConfig, "Store is nil"},
		{"no journal", func(c *rights.DeskConfig) { c.Journal = nil }, gdpr.ErrInvalidConfig, "Journal is nil"},
		{"no verifier", func(c *rights.DeskConfig) { c.Verifier = nil }, gdpr.ErrInvalidConfig, "Art. 12(6)"},
		{"negative attempts", func(c *rights.DeskConfig) { c.Attempts = -1 }, gdpr.ErrInvalidConfig, "Attempts"},
		{"negative lease", func(c *rights.DeskConfig) { c.Lease = -time.Second }, gdpr.ErrInvalidConfig, "Lease"},
		{"guard on another register", func(c *rights.DeskConfig) { c.Guard = guardOn(t, newRegister(t, shopPurposes()[5])) }, gdpr.ErrInvalidConfig, "another register"},
		{"namespace not a code", func(c *rights.DeskConfig) {
			c.Namespaces = []gdpr.Namespace{{Name: "My App", Keys: &keyEraser{}}}
		}, gdpr.ErrInvalidConfig, `Name "My App" is not a code`},
		{"namespace without a name", func(c *rights.DeskConfig) { c.Namespaces = []gdpr.Namespace{{Keys: &keyEraser{}}} }, gdpr.ErrInvalidConfig, `Name "" is not a code`},
		{"namespace twice", func(c *rights.DeskConfig) {
			c.Namespaces = []gdpr.Namespace{{Name: "a", Keys: &keyEraser{}}, {Name: "a", Keys: &keyEraser{}}}
		}, gdpr.ErrInvalidConfig, "used twice"},
		{"namespace without keys", func(c *rights.DeskConfig) { c.Namespaces = []gdpr.Namespace{{Name: "a"}} }, gdpr.ErrInvalidConfig, "Keys is nil"},
		{"source names an unknown namespace", func(c *rights.DeskConfig) {
			s := newMemSource("crm", "account")
			s.info.Namespace = "app"
			c.Sources = []rights.Source{s}
		}, rights.ErrInvalidSource, `Namespace "app" is not in DeskConfig.Namespaces`},
		{"source name", func(c *rights.DeskConfig) { c.Sources = []rights.Source{newMemSource("..", "account")} }, rights.ErrInvalidSource, "starting with a letter"},
		{"source twice", func(c *rights.DeskConfig) {
			c.Sources = []rights.Source{newMemSource("crm", "account"), newMemSource("crm", "orders")}
		}, rights.ErrInvalidSource, "used by another source"},
		{"unknown purpose", func(c *rights.DeskConfig) { c.Sources = []rights.Source{newMemSource("crm", "nope")} }, rights.ErrInvalidSource, `purpose "nope" is not registered`},
		{"no purposes", func(c *rights.DeskConfig) { c.Sources = []rights.Source{newMemSource("crm")} }, rights.ErrInvalidSource, "Purposes is empty"},
		{"no description", func(c *rights.DeskConfig) {
			s := newMemSource("crm", "account")
			s.info.Description = ""
			c.Sources = []rights.Source{s}
		}, rights.ErrInvalidSource, "Art. 15(1)(g)"},
		{"nil source", func(c *rights.DeskConfig) { c.Sources = []rights.Source{nil} }, rights.ErrInvalidSource, "Sources[0] is nil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := base()
			tc.edit(&cfg)
			_, err := rights.NewDesk(cfg)
			require.ErrorIs(t, err, tc.want)
			assert.Contains(t, err.Error(), tc.text)
		})
	}
	_, err = rights.NewDesk(base())
	assert.NoError(t, err)
}

func TestRestrictAndObjectNeedTheGuard(t *testing.T) {
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Guard = nil })
	f.receive(t, rights.Request{ID: "r", Right: rights.RightRestriction, Subject: "s", Ground: gdpr.Unlawful})
	_, err := f.rights.Restrict(context.Background(), "r")
	assert.ErrorIs(t, err, gdpr.ErrNotConfigured)
	f.receive(t, rights.Request{ID: "o", Right: rights.RightObjection, Subject: "s", Purpose: "fraud"})
	_, err = f.rights.Object(context.Background(), "o")
	assert.ErrorIs(t, err, gdpr.ErrNotConfigured)
	assert.ErrorIs(t, f.rights.LiftRestriction(context.Background(), "s"), gdpr.ErrNotConfigured)
}
