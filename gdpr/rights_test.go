package gdpr_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/pii"
)

func TestReceiveVerifiedStartsTheClockOnReceipt(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t, nil)
	f.clock.now = time.Date(2024, 1, 31, 15, 0, 0, 0, time.UTC)
	r := f.receive(t, gdpr.Request{Right: gdpr.RightAccess, Subject: "cust-1", Language: "DE-at"})

	assert.Equal(t, gdpr.RequestOpen, r.State)
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
	assert.Equal(t, gdpr.KindRequestReceived, es[0].Kind)
	assert.Equal(t, []string{"access"}, es[0].Reasons)
	assert.Equal(t, gdpr.KindRequestVerified, es[1].Kind)
	assert.Equal(t, []string{"on-receipt"}, es[1].Reasons)
	for _, e := range es {
		assert.Equal(t, r.ID, e.Ref)
		assert.Equal(t, r.SubjectToken, e.Subject, "the journal holds the token, not the ID")
	}
}

// TestVerificationWaits: a request whose requester is not identified yet
// waits with no deadline; the clock starts when the requested identity
// information arrives (the ICO's reading of Art. 12(3) with 12(6)).
func TestVerificationWaits(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t, nil)
	f.verify = func(gdpr.Request) bool { return false }
	f.clock.now = time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	r := f.receive(t, gdpr.Request{ID: "req-1", Right: gdpr.RightErasure, Subject: "cust-1"})
	assert.Equal(t, gdpr.RequestUnverified, r.State)
	assert.True(t, r.Due.IsZero(), "no time limit runs while identity is unverified")
	assert.False(t, r.Overdue(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)), "never overdue while waiting")

	_, err := f.rights.Erase(ctx, "req-1")
	assert.ErrorIs(t, err, gdpr.ErrNotVerified, "nothing is fulfilled for an unidentified requester")
	var buf bytes.Buffer
	r2 := f.receive(t, gdpr.Request{ID: "req-2", Right: gdpr.RightAccess, Subject: "cust-1"})
	_, err = f.rights.Export(ctx, r2.ID, &buf)
	assert.ErrorIs(t, err, gdpr.ErrNotVerified)
	assert.Zero(t, buf.Len(), "nothing was written")

	f.clock.Advance(5 * 24 * time.Hour)
	_, err = f.rights.Verify(ctx, "req-1")
	assert.ErrorIs(t, err, gdpr.ErrNotVerified, "the verifier still says no")
	var re *gdpr.RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "Verify", re.Op)
	assert.Equal(t, "req-1", re.ID)

	// The passport copy arrives on 20 January.
	f.clock.now = time.Date(2025, 1, 20, 14, 0, 0, 0, time.UTC)
	f.verify = func(gdpr.Request) bool { return true }
	r, err = f.rights.Verify(ctx, "req-1")
	require.NoError(t, err)
	assert.Equal(t, gdpr.RequestOpen, r.State)
	assert.True(t, r.VerifiedAt.Equal(f.clock.now))
	assert.True(t, endOf(2025, 2, 20, time.UTC).Equal(r.Due), "due one month after the identity arrived, not after receipt: %v", r.Due)

	again, err := f.rights.Verify(ctx, "req-1")
	require.NoError(t, err)
	assert.Equal(t, r.Due, again.Due, "verifying again changes nothing")
	verified := 0
	for _, e := range entries(t, f.journal) {
		if e.Kind == gdpr.KindRequestVerified {
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
	f := newRightsFixture(t, nil)
	f.verify = func(gdpr.Request) bool { return false }
	f.clock.now = time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	r := f.receive(t, gdpr.Request{ID: "req-1", Right: gdpr.RightAccess, Subject: "cust-1"})
	require.Equal(t, gdpr.RequestUnverified, r.State)

	f.verify = func(gdpr.Request) bool { return true }
	f.clock.now = time.Date(2025, 2, 3, 11, 0, 0, 0, time.UTC)
	arrived := time.Date(2025, 1, 20, 14, 0, 0, 0, time.UTC)

	for name, at := range map[string]time.Time{
		"before the request": r.ReceivedAt.Add(-time.Second),
		"in the future":      f.clock.now.Add(time.Second),
	} {
		_, err := f.rights.VerifyAt(ctx, "req-1", at)
		assert.ErrorIs(t, err, gdpr.ErrInvalidRequest, name)
		var re *gdpr.RequestError
		require.ErrorAs(t, err, &re, name)
		assert.Equal(t, "VerifyAt", re.Op)
		stored, err := f.rights.Request(ctx, "req-1")
		require.NoError(t, err)
		assert.Equal(t, gdpr.RequestUnverified, stored.State, name)
	}

	r, err := f.rights.VerifyAt(ctx, "req-1", arrived)
	require.NoError(t, err)
	assert.Equal(t, gdpr.RequestOpen, r.State)
	assert.True(t, r.VerifiedAt.Equal(arrived), "the clock runs from the arrival: %v", r.VerifiedAt)
	assert.True(t, endOf(2025, 2, 20, time.UTC).Equal(r.Due), "due one month after the arrival, not after the check: %v", r.Due)

	again, err := f.rights.VerifyAt(ctx, "req-1", f.clock.now)
	require.NoError(t, err)
	assert.Equal(t, r.Due, again.Due, "verifying again changes nothing")

	// Information that came with the request itself is within bounds.
	f.verify = func(gdpr.Request) bool { return false }
	r2 := f.receive(t, gdpr.Request{ID: "req-2", Right: gdpr.RightAccess, Subject: "cust-1", ReceivedAt: arrived})
	f.verify = func(gdpr.Request) bool { return true }
	r2, err = f.rights.VerifyAt(ctx, "req-2", r2.ReceivedAt)
	require.NoError(t, err)
	assert.True(t, r2.VerifiedAt.Equal(arrived))
}

func TestReceiveKeepsTheRequestWhenTheVerifierFails(t *testing.T) {
	boom := errors.New("identity service down")
	f := newRightsFixture(t, func(c *gdpr.RightsConfig) {
		c.Verifier = gdpr.VerifierFunc(func(context.Context, gdpr.Request) (bool, error) { return false, boom })
	})
	r, err := f.rights.Receive(context.Background(), gdpr.Request{ID: "req-1", Right: gdpr.RightAccess, Subject: "cust-1"})
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, "req-1", r.ID)
	stored, err := f.rights.Request(context.Background(), "req-1")
	require.NoError(t, err, "received, though not verified")
	assert.Equal(t, gdpr.RequestUnverified, stored.State)
}

func TestReceiveRefusesIncompleteRequests(t *testing.T) {
	f := newRightsFixture(t, nil)
	f.clock.now = t0
	for _, tc := range []struct {
		name string
		r    gdpr.Request
		want error
		text string
	}{
		{"no right", gdpr.Request{Subject: "s"}, gdpr.ErrInvalidRequest, "Right 0"},
		{"unknown right", gdpr.Request{Right: 42, Subject: "s"}, gdpr.ErrInvalidRequest, "Right 42"},
		{"no subject", gdpr.Request{Right: gdpr.RightAccess}, gdpr.ErrNoSubject, "no data subject"},
		{"ID not a code", gdpr.Request{ID: "my request", Right: gdpr.RightAccess, Subject: "s"}, gdpr.ErrInvalidRequest, "not a code"},
		{"future receipt", gdpr.Request{Right: gdpr.RightAccess, Subject: "s", ReceivedAt: t0.Add(time.Hour)}, gdpr.ErrInvalidRequest, "in the future"},
		{"bad language", gdpr.Request{Right: gdpr.RightAccess, Subject: "s", Language: "not a language"}, gdpr.ErrInvalidRequest, "BCP 47"},
		{"objection without purpose", gdpr.Request{Right: gdpr.RightObjection, Subject: "s"}, gdpr.ErrInvalidRequest, "purpose objected to"},
		{"objection to unknown purpose", gdpr.Request{Right: gdpr.RightObjection, Subject: "s", Purpose: "nope"}, gdpr.ErrInvalidRequest, `"nope" is not registered`},
		{"restriction without ground", gdpr.Request{Right: gdpr.RightRestriction, Subject: "s"}, gdpr.ErrInvalidRequest, "Ground"},
		{"objection to a contract purpose", gdpr.Request{Right: gdpr.RightObjection, Subject: "s", Purpose: "account"}, gdpr.ErrNotObjectable, `purpose "account": the purpose rests on Art. 6(1)(b)`},
		{"objection to a legal obligation", gdpr.Request{Right: gdpr.RightObjection, Subject: "s", Purpose: "archive"}, gdpr.ErrNotObjectable, "Art. 21 gives no right to object"},
		{"purpose on access", gdpr.Request{Right: gdpr.RightAccess, Subject: "s", Purpose: "fraud"}, gdpr.ErrInvalidRequest, "only an objection"},
		{"ground on erasure", gdpr.Request{Right: gdpr.RightErasure, Subject: "s", Ground: gdpr.Accuracy}, gdpr.ErrInvalidRequest, "only a restriction"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.rights.Receive(context.Background(), tc.r)
			require.ErrorIs(t, err, tc.want)
			assert.Contains(t, err.Error(), tc.text)
			assert.NotContains(t, err.Error(), `"s"`, "errors do not repeat the subject")
		})
	}
	_, err := f.rights.Receive(context.Background(), gdpr.Request{ID: "dup", Right: gdpr.RightAccess, Subject: "s"})
	require.NoError(t, err)
	_, err = f.rights.Receive(context.Background(), gdpr.Request{ID: "dup", Right: gdpr.RightAccess, Subject: "s"})
	assert.ErrorIs(t, err, gdpr.ErrRequestExists)
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
	_, err := f.rights.Receive(ctx, gdpr.Request{ID: "o", Right: gdpr.RightObjection, Subject: "cust-1", Purpose: "account"})
	require.Error(t, err)
	assert.ErrorIs(t, err, gdpr.ErrNotObjectable)
	assert.ErrorIs(t, err, gdpr.ErrInvalidRequest)
	var re *gdpr.RequestError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, "Receive", re.Op)
	_, err = f.rights.Request(ctx, "o")
	assert.ErrorIs(t, err, gdpr.ErrUnknownRequest, "nothing refused is stored")

	for _, purpose := range []string{"fraud", "newsletter", gdpr.AllDirectMarketing} {
		_, err := f.rights.Receive(ctx, gdpr.Request{Right: gdpr.RightObjection, Subject: "cust-1", Purpose: purpose})
		assert.NoError(t, err, purpose)
	}
}

func TestExtend(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t, nil)
	f.clock.now = time.Date(2025, 1, 15, 9, 0, 0, 0, time.UTC)
	r := f.receive(t, gdpr.Request{ID: "r", Right: gdpr.RightAccess, Subject: "cust-1"})

	_, err := f.rights.Extend(ctx, "r", 1, "")
	assert.ErrorIs(t, err, gdpr.ErrExtension, "a reason is required")
	_, err = f.rights.Extend(ctx, "r", 0, "many requests")
	assert.ErrorIs(t, err, gdpr.ErrExtension)
	_, err = f.rights.Extend(ctx, "r", 3, "complex")
	assert.ErrorIs(t, err, gdpr.ErrExtensionTooLong)

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
	assert.ErrorIs(t, err, gdpr.ErrExtensionTooLong, "beyond two further months")

	late := f.receive(t, gdpr.Request{ID: "late", Right: gdpr.RightAccess, Subject: "cust-1"})
	f.clock.now = late.Due.Add(time.Nanosecond)
	_, err = f.rights.Extend(ctx, "late", 1, "complex")
	assert.ErrorIs(t, err, gdpr.ErrExtensionLate, "refused after the first month")
	assert.ErrorIs(t, err, gdpr.ErrExtension)
	assert.Contains(t, err.Error(), "request late: Extend")

	f.verify = func(gdpr.Request) bool { return false }
	f.receive(t, gdpr.Request{ID: "waiting", Right: gdpr.RightAccess, Subject: "cust-1"})
	_, err = f.rights.Extend(ctx, "waiting", 1, "complex")
	assert.ErrorIs(t, err, gdpr.ErrNotVerified)

	var months []string
	for _, e := range entries(t, f.journal) {
		if e.Kind == gdpr.KindRequestExtended {
			months = append(months, e.Reasons...)
		}
	}
	assert.Equal(t, []string{"months-1", "months-2"}, months, "the reason text is not journalled, the months are")
}

func TestOpenAndOverdue(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t, nil)
	f.clock.now = time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	f.receive(t, gdpr.Request{ID: "jan10", Right: gdpr.RightAccess, Subject: "a"})
	f.clock.now = time.Date(2025, 1, 5, 9, 0, 0, 0, time.UTC)
	f.receive(t, gdpr.Request{ID: "jan05", Right: gdpr.RightReview, Subject: "b"})
	f.clock.now = time.Date(2025, 1, 20, 9, 0, 0, 0, time.UTC)
	f.receive(t, gdpr.Request{ID: "jan20", Right: gdpr.RightAccess, Subject: "c"})
	f.verify = func(gdpr.Request) bool { return false }
	f.receive(t, gdpr.Request{ID: "unverified", Right: gdpr.RightAccess, Subject: "d"})
	f.verify = func(gdpr.Request) bool { return true }
	f.receive(t, gdpr.Request{ID: "refused", Right: gdpr.RightAccess, Subject: "e"})
	_, err := f.rights.Refuse(ctx, "refused", gdpr.RefusalExcessive)
	require.NoError(t, err)

	open, err := f.rights.Open(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"jan05", "jan10", "jan20", "unverified"}, ids(open), "earliest deadline first, unverified last")

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
	assert.Equal(t, []string{"jan10", "jan20"}, ids(late), "completed and refused requests are never overdue")
}

func ids(rs []gdpr.Request) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func TestRefuseAndComplete(t *testing.T) {
	ctx := context.Background()
	f := newRightsFixture(t, nil)
	f.receive(t, gdpr.Request{ID: "r", Right: gdpr.RightErasure, Subject: "cust-1"})
	_, err := f.rights.Refuse(ctx, "r", "because I say so")
	assert.ErrorIs(t, err, gdpr.ErrInvalidRequest, "the reason is a code")
	r, err := f.rights.Refuse(ctx, "r", gdpr.RefusalUnfounded)
	require.NoError(t, err)
	assert.Equal(t, gdpr.RequestRefused, r.State)
	assert.Equal(t, gdpr.RefusalUnfounded, r.Refusal)
	assert.True(t, r.CompletedAt.Equal(f.clock.now))
	_, err = f.rights.Refuse(ctx, "r", gdpr.RefusalUnfounded)
	assert.ErrorIs(t, err, gdpr.ErrRequestClosed)
	_, err = f.rights.Erase(ctx, "r")
	assert.ErrorIs(t, err, gdpr.ErrRequestClosed)

	f.receive(t, gdpr.Request{ID: "a", Right: gdpr.RightAccess, Subject: "cust-1"})
	_, err = f.rights.Complete(ctx, "a")
	assert.ErrorIs(t, err, gdpr.ErrInvalidRequest, "an access request completes by its export")
	assert.Contains(t, err.Error(), "right of access (Art. 15)")
	_, err = f.rights.Erase(ctx, "a")
	assert.ErrorIs(t, err, gdpr.ErrInvalidRequest)

	f.receive(t, gdpr.Request{ID: "review", Right: gdpr.RightReview, Subject: "cust-1"})
	r, err = f.rights.Complete(ctx, "review")
	require.NoError(t, err)
	assert.Equal(t, gdpr.RequestCompleted, r.State)
	assert.Nil(t, r.Lease)
	assert.Empty(t, r.Sources, "a review involves no source")
	assert.Equal(t, "cust-1", r.Subject, "only an erasure forgets the subject")
	_, err = f.rights.Request(ctx, "nope")
	assert.ErrorIs(t, err, gdpr.ErrUnknownRequest)
}

// TestRestrictTakesEffectAtOnce: the Guard allows before and denies after,
// and the sources that can are told.
func TestRestrictTakesEffectAtOnce(t *testing.T) {
	ctx := context.Background()
	crm := newMemSource("crm", "account")
	shop := plainSource{newMemSource("shop", "orders")}
	f := newRightsFixture(t, func(c *gdpr.RightsConfig) { c.Sources = []gdpr.Source{crm, shop} })

	_, err := f.guard.Allow(ctx, "cust-1", "orders")
	require.NoError(t, err, "allowed before")
	r := f.receive(t, gdpr.Request{ID: "r", Right: gdpr.RightRestriction, Subject: "cust-1", Ground: gdpr.Accuracy})
	r, err = f.rights.Restrict(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, gdpr.RequestCompleted, r.State)

	_, err = f.guard.Allow(ctx, "cust-1", "orders")
	assert.ErrorIs(t, err, gdpr.ErrRestricted, "denied after")
	d, err := f.guard.Allow(ctx, "cust-1", "archive")
	require.NoError(t, err, "storage goes on (Art. 18(2))")
	assert.Equal(t, gdpr.ReasonRestrictionExempt, d.Reason)
	assert.True(t, crm.restricted["cust-1"], "the source marked the data")
	st, _ := r.Source("crm")
	assert.Equal(t, gdpr.StepDone, st.State)
	st, _ = r.Source("shop")
	assert.Equal(t, gdpr.StepSkipped, st.State, "a source that cannot restrict is recorded as skipped")

	require.NoError(t, f.rights.LiftRestriction(ctx, "cust-1"))
	_, err = f.guard.Allow(ctx, "cust-1", "orders")
	assert.NoError(t, err)
	assert.False(t, crm.restricted["cust-1"])
}

func TestObjectTakesEffectAtOnce(t *testing.T) {
	ctx := context.Background()
	crm := newMemSource("crm", "account")
	shop := newMemSource("shop", "orders", "fraud")
	f := newRightsFixture(t, func(c *gdpr.RightsConfig) { c.Sources = []gdpr.Source{crm, shop} })

	_, err := f.guard.Allow(ctx, "cust-1", "fraud")
	require.NoError(t, err, "allowed before")
	f.receive(t, gdpr.Request{ID: "o", Right: gdpr.RightObjection, Subject: "cust-1", Purpose: "fraud"})
	r, err := f.rights.Object(ctx, "o")
	require.NoError(t, err)
	assert.Equal(t, gdpr.RequestCompleted, r.State)
	_, err = f.guard.Allow(ctx, "cust-1", "fraud")
	assert.ErrorIs(t, err, gdpr.ErrObjected, "denied after")
	assert.Equal(t, []string{"cust-1/fraud"}, shop.objections, "the source serving the purpose acts")
	assert.Empty(t, crm.objections, "a source that does not serve it is skipped")
	st, _ := r.Source("crm")
	assert.Equal(t, gdpr.StepSkipped, st.State)

	f.receive(t, gdpr.Request{ID: "dm", Right: gdpr.RightObjection, Subject: "cust-2", Purpose: gdpr.AllDirectMarketing})
	_, err = f.rights.Object(ctx, "dm")
	require.NoError(t, err)
	_, err = f.guard.Allow(ctx, "cust-2", "newsletter")
	assert.ErrorIs(t, err, gdpr.ErrObjected)

	_, err = f.rights.Receive(ctx, gdpr.Request{ID: "no", Right: gdpr.RightObjection, Subject: "cust-3", Purpose: "orders"})
	assert.ErrorIs(t, err, gdpr.ErrNotObjectable, "no right to object to a contract: refused on receipt, not on every run")
}

func TestRectify(t *testing.T) {
	ctx := context.Background()
	crm := newMemSource("crm", "account")
	shop := plainSource{newMemSource("shop", "orders")}
	f := newRightsFixture(t, func(c *gdpr.RightsConfig) { c.Sources = []gdpr.Source{crm, shop} })
	f.receive(t, gdpr.Request{ID: "r", Right: gdpr.RightRectification, Subject: "cust-1"})

	_, err := f.rights.Rectify(ctx, "r")
	assert.ErrorIs(t, err, gdpr.ErrInvalidRequest, "corrections are required")
	_, err = f.rights.Rectify(ctx, "r", gdpr.Correction{Category: "user.nope", Value: "x"})
	assert.ErrorIs(t, err, gdpr.ErrInvalidRequest)

	fix := gdpr.Correction{Category: pii.Email, Value: "ada@new.example"}
	r, err := f.rights.Rectify(ctx, "r", fix)
	require.NoError(t, err)
	assert.Equal(t, gdpr.RequestCompleted, r.State)
	assert.Equal(t, []gdpr.Correction{fix}, crm.corrections)
	st, _ := r.Source("shop")
	assert.Equal(t, gdpr.StepSkipped, st.State)
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
	journal, err := gdpr.NewJournal(gdpr.JournalConfig{Store: gdpr.NewMemoryJournalStore(), Tokenizer: newTokenizer(t)})
	require.NoError(t, err)
	ok := gdpr.VerifierFunc(func(context.Context, gdpr.Request) (bool, error) { return true, nil })
	base := func() gdpr.RightsConfig {
		return gdpr.RightsConfig{Register: reg, Store: gdpr.NewMemoryRequestStore(), Journal: journal, Verifier: ok}
	}
	for _, tc := range []struct {
		name string
		edit func(*gdpr.RightsConfig)
		want error
		text string
	}{
		{"no register", func(c *gdpr.RightsConfig) { c.Register = nil }, gdpr.ErrInvalidConfig, "Register is nil"},
		{"no store", func(c *gdpr.RightsConfig) { c.Store = nil }, gdpr.ErrInvalidConfig, "Store is nil"},
		{"no journal", func(c *gdpr.RightsConfig) { c.Journal = nil }, gdpr.ErrInvalidConfig, "Journal is nil"},
		{"no verifier", func(c *gdpr.RightsConfig) { c.Verifier = nil }, gdpr.ErrInvalidConfig, "Art. 12(6)"},
		{"negative attempts", func(c *gdpr.RightsConfig) { c.Attempts = -1 }, gdpr.ErrInvalidConfig, "Attempts"},
		{"negative lease", func(c *gdpr.RightsConfig) { c.Lease = -time.Second }, gdpr.ErrInvalidConfig, "Lease"},
		{"guard on another register", func(c *gdpr.RightsConfig) { c.Guard = newFixture(t, false).guard }, gdpr.ErrInvalidConfig, "another register"},
		{"namespace not a code", func(c *gdpr.RightsConfig) {
			c.Namespaces = []gdpr.Namespace{{Name: "My App", Keys: &keyEraser{}}}
		}, gdpr.ErrInvalidConfig, `Name "My App" is not a code`},
		{"namespace without a name", func(c *gdpr.RightsConfig) { c.Namespaces = []gdpr.Namespace{{Keys: &keyEraser{}}} }, gdpr.ErrInvalidConfig, `Name "" is not a code`},
		{"namespace twice", func(c *gdpr.RightsConfig) {
			c.Namespaces = []gdpr.Namespace{{Name: "a", Keys: &keyEraser{}}, {Name: "a", Keys: &keyEraser{}}}
		}, gdpr.ErrInvalidConfig, "used twice"},
		{"namespace without keys", func(c *gdpr.RightsConfig) { c.Namespaces = []gdpr.Namespace{{Name: "a"}} }, gdpr.ErrInvalidConfig, "Keys is nil"},
		{"source names an unknown namespace", func(c *gdpr.RightsConfig) {
			s := newMemSource("crm", "account")
			s.info.Namespace = "app"
			c.Sources = []gdpr.Source{s}
		}, gdpr.ErrInvalidSource, `Namespace "app" is not in RightsConfig.Namespaces`},
		{"source name", func(c *gdpr.RightsConfig) { c.Sources = []gdpr.Source{newMemSource("..", "account")} }, gdpr.ErrInvalidSource, "starting with a letter"},
		{"source twice", func(c *gdpr.RightsConfig) {
			c.Sources = []gdpr.Source{newMemSource("crm", "account"), newMemSource("crm", "orders")}
		}, gdpr.ErrInvalidSource, "used by another source"},
		{"unknown purpose", func(c *gdpr.RightsConfig) { c.Sources = []gdpr.Source{newMemSource("crm", "nope")} }, gdpr.ErrInvalidSource, `purpose "nope" is not registered`},
		{"no purposes", func(c *gdpr.RightsConfig) { c.Sources = []gdpr.Source{newMemSource("crm")} }, gdpr.ErrInvalidSource, "Purposes is empty"},
		{"no description", func(c *gdpr.RightsConfig) {
			s := newMemSource("crm", "account")
			s.info.Description = ""
			c.Sources = []gdpr.Source{s}
		}, gdpr.ErrInvalidSource, "Art. 15(1)(g)"},
		{"nil source", func(c *gdpr.RightsConfig) { c.Sources = []gdpr.Source{nil} }, gdpr.ErrInvalidSource, "Sources[0] is nil"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := base()
			tc.edit(&cfg)
			_, err := gdpr.NewRights(cfg)
			require.ErrorIs(t, err, tc.want)
			assert.Contains(t, err.Error(), tc.text)
		})
	}
	_, err = gdpr.NewRights(base())
	assert.NoError(t, err)
}

func TestRestrictAndObjectNeedTheGuard(t *testing.T) {
	f := newRightsFixture(t, func(c *gdpr.RightsConfig) { c.Guard = nil })
	f.receive(t, gdpr.Request{ID: "r", Right: gdpr.RightRestriction, Subject: "s", Ground: gdpr.Unlawful})
	_, err := f.rights.Restrict(context.Background(), "r")
	assert.ErrorIs(t, err, gdpr.ErrNotConfigured)
	f.receive(t, gdpr.Request{ID: "o", Right: gdpr.RightObjection, Subject: "s", Purpose: "fraud"})
	_, err = f.rights.Object(context.Background(), "o")
	assert.ErrorIs(t, err, gdpr.ErrNotConfigured)
	assert.ErrorIs(t, f.rights.LiftRestriction(context.Background(), "s"), gdpr.ErrNotConfigured)
}
