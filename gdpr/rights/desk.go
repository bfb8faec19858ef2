package rights

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/internal/safe"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/detect"
)

// Kinds of journal events about data-subject requests. Each names the
// request in Ref; the subject appears as its token.
const (
	KindRequestReceived audit.Kind = "request.received" // Desk.Receive; reasons: the right
	KindRequestVerified audit.Kind = "request.verified" // identity verified; reasons: "on-receipt" or "information-received"
	// KindIdentityRequested: the Verifier asked for more information to
	// establish the requester's identity (Art. 12(6)), on receipt or
	// because what arrived was not enough; reasons: the right.
	KindIdentityRequested audit.Kind = "request.identity-requested"
	// KindIdentityReceived: identity information arrived (Desk.Verify,
	// Desk.VerifyAt); reasons: "arrived-" and the Unix second it arrived,
	// and "verified" or "insufficient". Content-free: what arrived is not
	// journalled.
	KindIdentityReceived audit.Kind = "request.identity-received"
	KindRequestExtended  audit.Kind = "request.extended" // Desk.Extend; reasons: "months-1" or "months-2"
	// KindRequestRefused: Desk.Refuse; reasons: the refusal code,
	// "notice-" and the means the subject was told by,
	// "complaint-authority-named", and "late" when the notice came after
	// its time limit (Art. 12(4)).
	KindRequestRefused   audit.Kind = "request.refused"
	KindRequestCompleted audit.Kind = "request.completed" // fulfilled; reasons: the right
	// KindRequestSource is one try of one source: reasons are the right,
	// the source's name, "attempt-N" and, when exempt, the exception.
	KindRequestSource audit.Kind = "request.source"
	// KindRequestKey is one try at shredding the subject's key in a
	// namespace: reasons are "erasure", "ns." and the namespace's name,
	// "attempt-N" and, when kept, the exception.
	KindRequestKey audit.Kind = "request.key"
	// KindRequestConsent is one try at withdrawing the subject's consents
	// from the consent ledger (DeskConfig.Consents): reasons are
	// "erasure", "consent-ledger", "attempt-N" and "withdrawn-N" when it
	// withdrew N purposes. It is never exempt.
	KindRequestConsent audit.Kind = "request.consent"
)

// Outcomes of request steps, besides OutcomeDone and OutcomeFailed.
const (
	OutcomeExempt  audit.Outcome = "exempt"  // kept under an exception of Art. 17(3)
	OutcomeSkipped audit.Outcome = "skipped" // the source has no part in the request
)

// Reasons for refusing a request, for RefusalNotice.Reason.
const (
	// RefusalUnfounded: the request is manifestly unfounded (Art. 12(5)).
	RefusalUnfounded = "manifestly-unfounded"
	// RefusalExcessive: the request is manifestly excessive, in
	// particular because of its repetitive character (Art. 12(5)).
	RefusalExcessive = "manifestly-excessive"
	// RefusalUnidentified: the controller cannot identify the subject
	// (Arts. 11(2) and 12(2)).
	RefusalUnidentified = "identity-not-established"
)

// Defaults of DeskConfig.
const (
	DefaultAttempts = 3
	DefaultLease    = 10 * time.Minute
)

// Verifier decides whether the person making a request is the data subject
// (Art. 12(6)): a logged-in session, a confirmed e-mail link, a document
// checked by staff. It returns false, with no error, when more information
// is needed: the request then waits, unverified, until Desk.Verify is
// called again once the information arrives. Its time limit runs all the
// same (see IdentityClock).
type Verifier interface {
	Verify(ctx context.Context, r Request) (bool, error)
}

// VerifierFunc adapts a function to a Verifier.
type VerifierFunc func(ctx context.Context, r Request) (bool, error)

// Verify calls f.
func (f VerifierFunc) Verify(ctx context.Context, r Request) (bool, error) { return f(ctx, r) }

// DeskConfig configures a Desk.
type DeskConfig struct {
	// Register holds the purposes the sources serve; exports draw the Art.
	// 15(1) information from it. Required.
	Register *gdpr.Register
	// Store keeps the requests. Required; a MemoryStore or SQLStore.
	Store Store
	// Journal records every step. Required: requests are answered with
	// evidence, and the subject's token comes from it.
	Journal *audit.Journal
	// Verifier establishes the requester's identity. Required.
	Verifier Verifier
	// Sources are the places that hold personal data. Their names must be
	// unique and their purposes registered.
	Sources []Source
	// Namespaces are the crypto-shredding namespaces an erasure destroys
	// the subject's key in: the pii/shred Shredders of the application,
	// and the one that seals the consent ledger's proofs. Their names are
	// unique.
	Namespaces []gdpr.Namespace
	// Consents is the consent ledger the Guard reads (a *consent.Ledger).
	// When set, an erasure withdraws every consent the subject has given
	// (Ledger.WithdrawAll, by consent.MethodSystem from ConsentSource), so
	// that consent-based processing ends with the erasure, whatever the
	// exemptions (see Desk.Erase). Nil leaves the ledger alone.
	Consents ConsentWithdrawer
	// Guard receives restrictions and objections, and is honoured at once.
	// Required for restriction and objection requests. An erasure that an
	// Art. 17(3) exception keeps data from limits the subject's data to
	// the exception's purposes through it (gdpr.Guard.Keep); without a
	// Guard nothing enforces that limit.
	Guard *gdpr.Guard
	// Holds tells whether a legal hold touches the subject's data in a
	// category of a source's purposes: such data is not erased (Art.
	// 17(3)). *retention.Holds implements it.
	Holds HoldChecker
	// Deadline computes time limits in the controller's time zone
	// (Deadline.Location). The zero Deadline counts in UTC, which ends a
	// limit of a controller east of Greenwich hours after its own day
	// ends: set Location.
	Deadline Deadline
	// IdentityClock is when the time limit of a request whose requester
	// must first be identified runs from; ClockFromReceipt when zero.
	IdentityClock IdentityClock
	// Attempts bounds the tries per source and run; DefaultAttempts when
	// zero. A source that still fails leaves the request in progress; the
	// next run (Erase, Resume) goes on from there.
	Attempts int
	// Backoff waits before try number attempt (2, 3, …) of a step, or
	// returns ctx's error. Nil waits 200 ms doubled per try, at most 10 s.
	Backoff func(ctx context.Context, attempt int) error
	// Lease is how long a run may hold a request before another instance
	// may take it over; DefaultLease when zero. A run renews it with every
	// step.
	Lease time.Duration
	// TempDir holds the export's spool files (encrypted under a key that
	// exists only in memory); os.TempDir when empty.
	TempDir string
	// Now is the clock; time.Now when nil.
	Now func() time.Time

	// Recipients keeps the disclosures of subjects' data to recipients and
	// the notices owed them (Art. 19): a NewSQLRecipientStore or
	// NewMemoryRecipientStore. When set, fulfilling a rectification,
	// erasure or restriction queues a notice for every recipient the
	// subject's data was disclosed to, and an access export lists those
	// recipients when the subject asks (Request.Recipients). Nil records
	// no disclosures.
	Recipients RecipientStore
	// Notifier delivers the notices (Desk.DeliverNotices).
	Notifier RecipientNotifier
	// NoticeBackoff is the wait after a notice's failed attempt number
	// attempt; DefaultNoticeBackoff when nil.
	NoticeBackoff func(attempt int) time.Duration
	// Authority is the supervisory authority the subject may complain to
	// (Art. 77), named in an export's README (Art. 15(1)(f)): the lead
	// authority, or the one of the controller's establishment.
	Authority gdpr.Party
}

// Desk answers data subjects' requests (Arts. 15–22) within the legal
// time limit, across the registered sources, with evidence in the journal.
// Safe for concurrent use; any number of instances may share the store.
type Desk struct {
	reg        *gdpr.Register
	store      Store
	journal    *audit.Journal
	verifier   Verifier
	sources    []*source
	namespaces []gdpr.Namespace
	consents   ConsentWithdrawer
	guard      *gdpr.Guard
	holds      HoldChecker
	deadline   Deadline
	idClock    IdentityClock
	attempts   int
	backoff    func(context.Context, int) error
	lease      time.Duration
	tempDir    string
	now        func() time.Time
	redactor   *detect.TextRedactor
	recipients RecipientStore
	notifier   RecipientNotifier
	noticeWait func(int) time.Duration
	authority  gdpr.Party
}

// NewDesk returns a Desk. It fails when a required collaborator is
// missing or a source cannot be registered, naming each fault.
func NewDesk(cfg DeskConfig) (*Desk, error) {
	switch {
	case cfg.Register == nil:
		return nil, configError("NewDesk", "DeskConfig.Register is nil")
	case cfg.Store == nil:
		return nil, configError("NewDesk", "DeskConfig.Store is nil; use NewMemoryStore or NewSQLStore")
	case cfg.Journal == nil:
		return nil, configError("NewDesk", "DeskConfig.Journal is nil: requests are answered with evidence")
	case cfg.Verifier == nil:
		return nil, configError("NewDesk", "DeskConfig.Verifier is nil: the requester's identity must be verified (Art. 12(6))")
	case cfg.Attempts < 0:
		return nil, configError("NewDesk", "DeskConfig.Attempts is negative")
	case cfg.Lease < 0:
		return nil, configError("NewDesk", "DeskConfig.Lease is negative")
	case cfg.IdentityClock > ClockFromVerification:
		return nil, configError("NewDesk", fmt.Sprintf("DeskConfig.IdentityClock %d is neither ClockFromReceipt nor ClockFromVerification", cfg.IdentityClock))
	case cfg.Guard != nil && cfg.Guard.Register() != cfg.Register:
		return nil, configError("NewDesk", "DeskConfig.Guard decides by another register than DeskConfig.Register")
	}
	seen := map[string]bool{}
	for i, ns := range cfg.Namespaces {
		switch {
		case !safe.Code(ns.Name, false):
			return nil, configError("NewDesk", fmt.Sprintf("DeskConfig.Namespaces[%d]: Name %q is not a code (lower-case letters, digits and . _ -): certificates and the journal name it", i, ns.Name))
		case seen[ns.Name]:
			return nil, configError("NewDesk", fmt.Sprintf("DeskConfig.Namespaces[%d]: Name %q is used twice", i, ns.Name))
		case ns.Keys == nil:
			return nil, configError("NewDesk", fmt.Sprintf("DeskConfig.Namespaces[%d] (%q): Keys is nil", i, ns.Name))
		}
		seen[ns.Name] = true
	}
	sources, err := checkSources(cfg.Register, cfg.Sources, cfg.Namespaces)
	if err != nil {
		return nil, err
	}
	rt := &Desk{
		reg: cfg.Register, store: cfg.Store, journal: cfg.Journal, verifier: cfg.Verifier,
		sources: sources, namespaces: slices.Clone(cfg.Namespaces), consents: cfg.Consents, guard: cfg.Guard, holds: cfg.Holds,
		deadline: cfg.Deadline, idClock: cfg.IdentityClock, attempts: cfg.Attempts, backoff: cfg.Backoff, lease: cfg.Lease,
		tempDir: cfg.TempDir, now: cfg.Now,
		redactor:   detect.NewTextRedactor(detect.TextRedactorConfig{}),
		recipients: cfg.Recipients, notifier: cfg.Notifier, noticeWait: cfg.NoticeBackoff, authority: cfg.Authority,
	}
	if rt.attempts == 0 {
		rt.attempts = DefaultAttempts
	}
	if rt.lease == 0 {
		rt.lease = DefaultLease
	}
	if rt.backoff == nil {
		rt.backoff = sleepBackoff
	}
	if rt.now == nil {
		rt.now = time.Now
	}
	return rt, nil
}

// sleepBackoff waits 200 ms before the second try, doubling up to 10 s.
func sleepBackoff(ctx context.Context, attempt int) error {
	d := min(200*time.Millisecond<<min(attempt-2, 6), 10*time.Second)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// clock returns the time without a monotonic reading, as stores keep it.
func (rt *Desk) clock() time.Time { return rt.now().Round(0) }

// Receive records a request and starts it: it assigns an ID when r has
// none, stamps ReceivedAt with the clock when zero, and asks the Verifier.
// A request verified on receipt is open, due one month after ReceivedAt;
// otherwise it waits, unverified, until Verify succeeds, and the journal
// records that identity information was requested. Either way it is due
// one month after ReceivedAt (Art. 12(3)), and so listed by Overdue when
// it waits too long (see IdentityClock). The request is stored before
// the Verifier is asked, so a failing Verifier loses nothing: Receive then
// returns the stored, unverified request with the error.
//
// r needs a Right and a Subject; an objection needs the Purpose objected to
// (a registered purpose or AllDirectMarketing), a restriction its Ground.
// An objection to a purpose Art. 21 gives no right to object to (one that
// rests neither on public task nor on legitimate interests, and is not
// direct marketing) is refused with ErrNotObjectable, as Guard.Object
// would refuse it; nothing is stored.
// Only what a requester says is taken from r: ID, Right, Subject,
// Language, Purpose, Ground, Recipients and ReceivedAt. Its state, time limit and
// steps (Sources, Keys, Consents) are the Desk's own and are ignored, so that
// no step of an erasure can be passed in as done.
func (rt *Desk) Receive(ctx context.Context, in Request) (Request, error) {
	now := rt.clock()
	r := Request{
		ID: in.ID, Right: in.Right, Subject: in.Subject, Language: in.Language,
		Purpose: in.Purpose, Ground: in.Ground, ReceivedAt: in.ReceivedAt, Recipients: in.Recipients,
	}
	if r.ID == "" {
		r.ID = newID("req-")
	}
	if r.ReceivedAt.IsZero() {
		r.ReceivedAt = now
	}
	r.ReceivedAt = r.ReceivedAt.Round(0)
	if err := rt.checkNew(&r, now); err != nil {
		return Request{}, err
	}
	r.SubjectToken = rt.journal.Token(r.Subject)
	r.State = RequestUnverified
	// Art. 12(3): the month runs from receipt, identified or not.
	r.ClockStart, r.Due = r.ReceivedAt, rt.deadline.Due(r.ReceivedAt, 0)
	if err := rt.store.CreateRequest(ctx, r); err != nil {
		return Request{}, &RequestError{ID: r.ID, Op: "Receive", Err: err}
	}
	if err := rt.record(ctx, &r, KindRequestReceived, audit.OutcomeDone, r.Right.String()); err != nil {
		return r, err
	}
	ok, err := rt.verifier.Verify(ctx, r)
	if err != nil {
		return r, &RequestError{ID: r.ID, Op: "Receive", Err: fmt.Errorf("verifier: %w", err)}
	}
	if !ok {
		return rt.identityRequested(ctx, r.ID, now)
	}
	return rt.verified(ctx, r.ID, r.ReceivedAt, "on-receipt")
}

// checkNew validates a request before it is stored.
func (rt *Desk) checkNew(r *Request, now time.Time) error {
	bad := func(format string, args ...any) error {
		return &RequestError{ID: r.ID, Op: "Receive", Err: fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), ErrInvalidRequest)}
	}
	switch {
	case !safe.Code(r.ID, true):
		return &RequestError{ID: fmt.Sprintf("%q", r.ID), Op: "Receive", Err: fmt.Errorf("the ID is not a code (1 to 64 letters, digits and . _ - : /): %w", ErrInvalidRequest)}
	case !r.Right.Valid():
		return bad("Right %d is not one of the rights of Arts. 15-22", r.Right)
	case r.Subject == "":
		return &RequestError{ID: r.ID, Op: "Receive", Err: gdpr.ErrNoSubject}
	case r.ReceivedAt.After(now):
		return bad("ReceivedAt %s is in the future", r.ReceivedAt.Format(time.RFC3339))
	}
	if r.Language != "" {
		lang, err := requestLanguage(r.Language)
		if err != nil {
			return bad("Language %q is neither a BCP 47 tag nor an Accept-Language list: %v", r.Language, err)
		}
		r.Language = lang
	}
	switch r.Right {
	case RightObjection:
		if r.Purpose == gdpr.AllDirectMarketing {
			break
		}
		p, registered := rt.reg.Purpose(r.Purpose)
		notObjectable := func(why string) error {
			return &RequestError{ID: r.ID, Op: "Receive", Err: fmt.Errorf("an objection to purpose %q: %s: %w: %w", r.Purpose, why, gdpr.ErrNotObjectable, ErrInvalidRequest)}
		}
		switch {
		case !registered:
			return bad("an objection names the purpose objected to: %q is not registered (or use AllDirectMarketing)", r.Purpose)
		case !p.Objectable() && p.Basis == gdpr.Consent:
			return notObjectable("the purpose rests on consent and is not direct marketing, so withdraw the consent in the consent ledger instead")
		case !p.Objectable():
			return notObjectable(fmt.Sprintf("the purpose rests on %s and is not direct marketing, so Art. 21 gives no right to object to it", p.Basis.Article()))
		}
	case RightRestriction:
		if !r.Ground.Valid() {
			return bad("a restriction names its Ground, one of Art. 18(1)(a)-(d)")
		}
	}
	if r.Purpose != "" && r.Right != RightObjection {
		return bad("Purpose is set, but only an objection names one")
	}
	if r.Ground != 0 && r.Right != RightRestriction {
		return bad("Ground is set, but only a restriction has one")
	}
	return nil
}

// Verify asks the Verifier again, once the information requested to
// establish the requester's identity has arrived, taking now as the
// arrival: VerifyAt with the clock's time. Call it as the information
// arrives, or call VerifyAt with when it did.
func (rt *Desk) Verify(ctx context.Context, id string) (Request, error) {
	return rt.verifyAt(ctx, id, rt.clock(), "Verify")
}

// VerifyAt asks the Verifier again, once the information requested to
// establish the requester's identity has arrived at instant arrived; the
// journal records the arrival (KindIdentityReceived). When the Verifier
// is satisfied the request is open; under ClockFromVerification its time
// limit then starts again at arrived. When it is not, the journal records
// that more information was requested, the request goes on waiting, and
// VerifyAt returns ErrNotVerified. arrived must lie between the request's
// ReceivedAt and now (ErrInvalidRequest). Verifying a verified request
// changes nothing.
func (rt *Desk) VerifyAt(ctx context.Context, id string, arrived time.Time) (Request, error) {
	return rt.verifyAt(ctx, id, arrived, "VerifyAt")
}

func (rt *Desk) verifyAt(ctx context.Context, id string, arrived time.Time, op string) (Request, error) {
	now := rt.clock()
	arrived = arrived.Round(0)
	r, err := rt.Request(ctx, id)
	switch {
	case err != nil:
		return Request{}, err
	case r.State.Closed():
		return r, &RequestError{ID: id, Op: op, Err: ErrRequestClosed}
	case r.State != RequestUnverified:
		return r, nil
	case arrived.Before(r.ReceivedAt):
		return r, &RequestError{ID: id, Op: op, Err: fmt.Errorf("%w: the information arrived at %s, before the request (%s)", ErrInvalidRequest, arrived.Format(time.RFC3339), r.ReceivedAt.Format(time.RFC3339))}
	case arrived.After(now):
		return r, &RequestError{ID: id, Op: op, Err: fmt.Errorf("%w: the information arrived at %s, in the future (now %s)", ErrInvalidRequest, arrived.Format(time.RFC3339), now.Format(time.RFC3339))}
	}
	ok, err := rt.verifier.Verify(ctx, r)
	if err != nil {
		return r, &RequestError{ID: id, Op: op, Err: fmt.Errorf("verifier: %w", err)}
	}
	verdict := "insufficient"
	if ok {
		verdict = "verified"
	}
	if err := rt.record(ctx, &r, KindIdentityReceived, audit.OutcomeDone, "arrived-"+strconv.FormatInt(arrived.Unix(), 10), verdict); err != nil {
		return r, err
	}
	if !ok {
		r, err := rt.identityRequested(ctx, id, now)
		if err != nil {
			return r, err
		}
		return r, &RequestError{ID: id, Op: op, Err: fmt.Errorf("%w: the requester is not shown to be the data subject yet", ErrNotVerified)}
	}
	return rt.verified(ctx, id, arrived, "information-received")
}

// identityRequested records that the Verifier asked for (more) identity
// information at now (Art. 12(6)).
func (rt *Desk) identityRequested(ctx context.Context, id string, now time.Time) (Request, error) {
	r, err := rt.store.UpdateRequest(ctx, id, func(r *Request) error {
		r.IdentityRequestedAt = now
		return nil
	})
	if err != nil {
		return Request{}, &RequestError{ID: id, Op: "Verify", Err: err}
	}
	return r, rt.record(ctx, &r, KindIdentityRequested, audit.OutcomeDone, r.Right.String())
}

// verified opens a request whose requester was identified at start:
// under ClockFromVerification its time limit starts again there.
func (rt *Desk) verified(ctx context.Context, id string, start time.Time, how string) (Request, error) {
	var changed bool
	r, err := rt.store.UpdateRequest(ctx, id, func(r *Request) error {
		changed = r.State == RequestUnverified
		if !changed {
			return nil
		}
		r.State, r.VerifiedAt = RequestOpen, start
		if rt.idClock == ClockFromVerification || r.ClockStart.IsZero() {
			r.ClockStart = start
		}
		months := 0
		if r.Extension != nil {
			months = r.Extension.Months
		}
		r.Due = rt.deadline.Due(r.ClockStart, months)
		return nil
	})
	if err != nil {
		return Request{}, &RequestError{ID: id, Op: "Verify", Err: err}
	}
	if changed {
		err = rt.record(ctx, &r, KindRequestVerified, audit.OutcomeDone, how)
	}
	return r, err
}

// clockStart returns when the request's time limit runs from: ClockStart,
// or, for a request stored before it was kept, VerifiedAt.
func clockStart(r *Request) time.Time {
	if r.ClockStart.IsZero() {
		return r.VerifiedAt
	}
	return r.ClockStart
}

// Extend extends the time limit by months further months (Art. 12(3)),
// giving the reason the subject is told, within the first month: at most
// two further months in all (ErrExtensionTooLong), and not once the first
// month is over (ErrExtensionLate). Extending twice by one month is
// allowed within those bounds. A request waiting for identity information
// can be extended too: its time limit runs.
func (rt *Desk) Extend(ctx context.Context, id string, months int, reason string) (Request, error) {
	now := rt.clock()
	var total int
	r, err := rt.store.UpdateRequest(ctx, id, func(r *Request) error {
		switch {
		case r.State.Closed():
			return ErrRequestClosed
		case clockStart(r).IsZero():
			return fmt.Errorf("%w: the time limit has not started", ErrNotVerified)
		case months < 1:
			return fmt.Errorf("%w: extend by 1 or 2 months, not %d", ErrExtension, months)
		case reason == "":
			return fmt.Errorf("%w: give the reasons for the delay (Art. 12(3))", ErrExtension)
		}
		if first := rt.deadline.Due(clockStart(r), 0); now.After(first) {
			return fmt.Errorf("%w (it ended %s)", ErrExtensionLate, first.Format(time.RFC3339))
		}
		total = months
		if r.Extension != nil {
			total += r.Extension.Months
		}
		if total > MaxExtension {
			return fmt.Errorf("%w: %d months in all", ErrExtensionTooLong, total)
		}
		r.Extension = &Extension{Months: total, Reason: reason, At: now}
		r.Due = rt.deadline.Due(clockStart(r), total)
		return nil
	})
	if err != nil {
		return Request{}, &RequestError{ID: id, Op: "Extend", Err: err}
	}
	return r, rt.record(ctx, &r, KindRequestExtended, audit.OutcomeDone, fmt.Sprintf("months-%d", total))
}

// RefusalNotice is a decision not to act on a request together with the
// notice Art. 12(4) requires the subject be given: the reasons, and the
// possibility of lodging a complaint with a supervisory authority and of
// seeking a judicial remedy. The Desk does not send it: the caller tells
// the subject and records here that it did, and how.
type RefusalNotice struct {
	// Reason is the refusal's code, such as RefusalExcessive: what the
	// notice gives as the reasons. Required.
	Reason string `json:"reason"`
	// Authority names the supervisory authority the notice tells the
	// subject they may complain to, such as "Berliner Beauftragte für
	// Datenschutz und Informationsfreiheit". Required: a notice without
	// it does not meet Art. 12(4).
	Authority string `json:"authority"`
	// Means is how the notice went to the subject, a code such as
	// "email", "letter" or "portal". Required.
	Means string `json:"means"`
	// At is when the notice was sent; the clock when zero. It lies between
	// the request's receipt and now.
	At time.Time `json:"at"`
	// Late is set by Desk.Refuse when At is after the time limit for the
	// notice (see Desk.Refuse).
	Late bool `json:"late,omitempty"`
}

// maxAuthorityLen bounds RefusalNotice.Authority.
const maxAuthorityLen = 200

// Refuse refuses a request and records the notice of Art. 12(4) that told
// the subject so: the reasons and the right to complain to the named
// supervisory authority. Art. 12(4) requires that notice "without delay
// and at the latest within one month of receipt of the request"; Refuse
// also accepts it up to the request's own time limit when that is later
// (an extension under Art. 12(3) given in time, or, under
// ClockFromVerification, the month from identification). A notice after
// that limit is still recorded, since the subject was told and the
// request is closed, but marked late: Notice.Late, the journal reason
// "late", so that the breach of the time limit shows instead of the
// request staying open as if nothing had been decided.
func (rt *Desk) Refuse(ctx context.Context, id string, n RefusalNotice) (Request, error) {
	bad := func(msg string) (Request, error) {
		return Request{}, &RequestError{ID: id, Op: "Refuse", Err: fmt.Errorf("%w: %s", ErrInvalidRequest, msg)}
	}
	now := rt.clock()
	if n.At.IsZero() {
		n.At = now
	}
	n.At, n.Late = n.At.Round(0), false
	switch {
	case !safe.Code(n.Reason, false):
		return bad(fmt.Sprintf("the reason %q is not a code such as %q", n.Reason, RefusalExcessive))
	case strings.TrimSpace(n.Authority) == "" || len(n.Authority) > maxAuthorityLen || !utf8.ValidString(n.Authority):
		return bad(fmt.Sprintf("name the supervisory authority the notice tells the subject they may complain to (Art. 12(4)), in at most %d bytes", maxAuthorityLen))
	case !safe.Code(n.Means, false):
		return bad(fmt.Sprintf("the means %q the notice went by is not a code such as \"email\" or \"letter\"", n.Means))
	case n.At.After(now):
		return bad(fmt.Sprintf("the notice was sent at %s, in the future (now %s)", n.At.Format(time.RFC3339), now.Format(time.RFC3339)))
	}
	r, err := rt.store.UpdateRequest(ctx, id, func(r *Request) error {
		switch {
		case r.State.Closed():
			return ErrRequestClosed
		case r.Lease != nil && now.Before(r.Lease.Until):
			return ErrRequestBusy
		case n.At.Before(r.ReceivedAt):
			return fmt.Errorf("%w: the notice was sent at %s, before the request (%s)", ErrInvalidRequest, n.At.Format(time.RFC3339), r.ReceivedAt.Format(time.RFC3339))
		}
		n.Late = n.At.After(rt.refusalLimit(r))
		notice := n
		r.State, r.Refusal, r.Notice, r.CompletedAt = RequestRefused, n.Reason, &notice, now
		return nil
	})
	if err != nil {
		return Request{}, &RequestError{ID: id, Op: "Refuse", Err: err}
	}
	reasons := []string{n.Reason, "notice-" + n.Means, "complaint-authority-named"}
	if n.Late {
		reasons = append(reasons, "late")
	}
	return r, rt.record(ctx, &r, KindRequestRefused, audit.OutcomeDone, reasons...)
}

// refusalLimit is the last instant for the notice of a refusal (Art.
// 12(4)): one month of receipt, or the request's time limit when later.
func (rt *Desk) refusalLimit(r *Request) time.Time {
	limit := rt.deadline.Due(r.ReceivedAt, 0)
	if r.Due.After(limit) {
		limit = r.Due
	}
	return limit
}

// Complete records that a request people answer, a review of an automated
// decision (Art. 22(3)), was answered. Other rights complete through the
// call that fulfils them.
func (rt *Desk) Complete(ctx context.Context, id string) (Request, error) {
	u, err := rt.begin(ctx, id, "Complete", RightReview)
	if err != nil {
		return Request{}, err
	}
	return u.complete(ctx)
}

// Request returns the request with the ID.
func (rt *Desk) Request(ctx context.Context, id string) (Request, error) {
	r, err := rt.store.Request(ctx, id)
	if err != nil {
		return Request{}, &RequestError{ID: id, Op: "Request", Err: err}
	}
	return r, nil
}

// Open returns the requests neither completed nor refused, the earliest
// deadline first (those waiting for identity information among them) and
// any without a deadline, stored by an older version, last.
func (rt *Desk) Open(ctx context.Context) ([]Request, error) {
	all, err := rt.store.OpenRequests(ctx)
	if err != nil {
		return nil, fmt.Errorf("rights: open requests: %w", err)
	}
	slices.SortStableFunc(all, func(a, b Request) int {
		switch {
		case a.Due.IsZero() != b.Due.IsZero():
			if a.Due.IsZero() {
				return 1
			}
			return -1
		}
		return a.Due.Compare(b.Due)
	})
	return all, nil
}

// Overdue returns the open requests whose deadline has passed at now, the
// longest overdue first, those still waiting for identity information
// included.
func (rt *Desk) Overdue(ctx context.Context, now time.Time) ([]Request, error) {
	all, err := rt.Open(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(r Request) bool { return !r.Overdue(now) }), nil
}

// Restrict fulfils a restriction request (Art. 18): it restricts the
// subject's data through the Guard, which from then on allows only storage
// and legal-claims purposes, and asks every source that is a Restricter to
// mark the data. A source that keeps failing leaves the request in
// progress; call Restrict again to go on.
func (rt *Desk) Restrict(ctx context.Context, id string) (Request, error) {
	if rt.guard == nil {
		return Request{}, &RequestError{ID: id, Op: "Restrict", Err: fmt.Errorf("DeskConfig.Guard is nil: %w", gdpr.ErrNotConfigured)}
	}
	u, err := rt.begin(ctx, id, "Restrict", RightRestriction)
	if err != nil {
		return Request{}, err
	}
	defer u.release(ctx)
	if err := rt.guard.Restrict(ctx, gdpr.Restriction{Subject: u.req.Subject, Ground: u.req.Ground, At: u.req.VerifiedAt}); err != nil {
		return u.req, &RequestError{ID: id, Op: "Restrict", Err: err}
	}
	return u.fanOut(ctx, "restrict", func(s *source) func(context.Context) error {
		r, ok := s.Source.(Restricter)
		if !ok {
			return nil
		}
		return func(ctx context.Context) error { return r.Restrict(ctx, u.req.Subject, true) }
	})
}

// LiftRestriction ends the restriction of the subject's data in the Guard
// and in every source that is a Restricter. Inform the subject before
// (Art. 18(3)).
func (rt *Desk) LiftRestriction(ctx context.Context, subject string) error {
	if rt.guard == nil {
		return fmt.Errorf("rights: LiftRestriction: DeskConfig.Guard is nil: %w", gdpr.ErrNotConfigured)
	}
	if err := rt.guard.LiftRestriction(ctx, subject); err != nil {
		return err
	}
	var errs []error
	for _, s := range rt.sources {
		if r, ok := s.Source.(Restricter); ok {
			if err := r.Restrict(ctx, subject, false); err != nil {
				errs = append(errs, &SourceError{Source: s.info.Name, Op: "lift restriction", Err: err})
			}
		}
	}
	return errors.Join(errs...)
}

// Object fulfils an objection (Art. 21): it records the objection through
// the Guard, which denies the purpose from then on, and asks every source
// that is an Objector and serves the purpose to act on it. Receive
// refuses an objection to a purpose Art. 21 gives no right to object to
// (ErrNotObjectable), so such a request never reaches Object.
func (rt *Desk) Object(ctx context.Context, id string) (Request, error) {
	if rt.guard == nil {
		return Request{}, &RequestError{ID: id, Op: "Object", Err: fmt.Errorf("DeskConfig.Guard is nil: %w", gdpr.ErrNotConfigured)}
	}
	u, err := rt.begin(ctx, id, "Object", RightObjection)
	if err != nil {
		return Request{}, err
	}
	defer u.release(ctx)
	if err := rt.guard.Object(ctx, gdpr.Objection{Subject: u.req.Subject, Purpose: u.req.Purpose, At: u.req.VerifiedAt}); err != nil {
		return u.req, &RequestError{ID: id, Op: "Object", Err: err}
	}
	return u.fanOut(ctx, "object", func(s *source) func(context.Context) error {
		o, ok := s.Source.(Objector)
		if !ok || !s.serves(rt.reg, u.req.Purpose) {
			return nil
		}
		return func(ctx context.Context) error { return o.Object(ctx, u.req.Subject, u.req.Purpose) }
	})
}

// Rectify fulfils a rectification request (Art. 16): it asks every source
// that is a Rectifier to apply the corrections. Sources that are not are
// recorded as skipped: correct their data by other means. The corrections
// are passed on, never stored or journalled (the journal names their
// categories). A source that keeps failing leaves the request in progress;
// call Rectify again, with the same corrections, to go on.
func (rt *Desk) Rectify(ctx context.Context, id string, corrections ...Correction) (Request, error) {
	if len(corrections) == 0 {
		return Request{}, &RequestError{ID: id, Op: "Rectify", Err: fmt.Errorf("%w: no corrections given", ErrInvalidRequest)}
	}
	for i, c := range corrections {
		if _, ok := pii.LookupCategory(string(c.Category)); !ok || c.Category == "" {
			return Request{}, &RequestError{ID: id, Op: "Rectify", Err: fmt.Errorf("%w: corrections[%d]: unknown category %q", ErrInvalidRequest, i, c.Category)}
		}
	}
	u, err := rt.begin(ctx, id, "Rectify", RightRectification)
	if err != nil {
		return Request{}, err
	}
	defer u.release(ctx)
	return u.fanOut(ctx, "rectify", func(s *source) func(context.Context) error {
		r, ok := s.Source.(Rectifier)
		if !ok {
			return nil
		}
		return func(ctx context.Context) error { return r.Rectify(ctx, u.req.Subject, slices.Clone(corrections)) }
	})
}

// record journals an event about a request.
func (rt *Desk) record(ctx context.Context, r *Request, kind audit.Kind, outcome audit.Outcome, reasons ...string) error {
	_, err := rt.journal.Record(ctx, audit.Event{Kind: kind, Subject: r.Subject, Outcome: outcome, Reasons: reasons, Ref: r.ID})
	if err != nil {
		return &RequestError{ID: r.ID, Op: "journal", Err: fmt.Errorf("%s took effect but was not journalled: %w", kind, err)}
	}
	return nil
}

// newID returns prefix and 16 random hex digits.
func newID(prefix string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}
