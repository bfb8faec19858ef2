package rights

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/pii"
)

// Art. 19 GDPR: the controller communicates any rectification, erasure or
// restriction to each recipient to whom the personal data have been
// disclosed, and tells the data subject about those recipients if the
// subject asks. This file keeps the disclosures, queues the notices owed
// when such a request is fulfilled, and delivers them.

// Kinds of journal events about recipients (Art. 19). Ref names the
// request the notice is owed for.
const (
	// KindDisclosure: personal data of the subject was disclosed to a
	// recipient (Desk.RecordDisclosure); Purpose is the purpose.
	KindDisclosure audit.Kind = "recipient.disclosed"
	// KindRecipientNotified is one try at delivering a notice: reasons
	// are the right, the notice's ID and "attempt-N".
	KindRecipientNotified audit.Kind = "recipient.notified"
)

// DefaultNoticeBatch bounds the notices one DeliverNotices call claims.
const DefaultNoticeBatch = 100

// Disclosure records that personal data of a subject was disclosed to a
// recipient (Art. 19): who received it, for which purpose, which
// categories, when. It holds no personal values: a store keeps the
// subject as its journal token only.
type Disclosure struct {
	// Subject is the subject's ID, as the sources know it; given to
	// RecordDisclosure, never stored. Empty in what a store returns.
	Subject string `json:"subject,omitempty"`
	// SubjectToken is the subject's token, as the journal records it.
	SubjectToken string `json:"subject_token"`
	// Recipient is the recipient's Name, as a recipient of Purpose
	// declares it in the register.
	Recipient string `json:"recipient"`
	// Purpose is the registered purpose the data was disclosed for.
	Purpose string `json:"purpose"`
	// Categories are the kinds of data disclosed.
	Categories []pii.Category `json:"categories"`
	// At is when the data was disclosed; the clock's time when zero.
	At time.Time `json:"at"`
}

// DisclosedRecipient is a recipient the subject's data was disclosed to,
// as the subject may learn it (Art. 19, last sentence; Art. 15(1)(c)).
type DisclosedRecipient struct {
	// Recipient is the recipient as the register declares it: name, role,
	// country and the safeguard of a transfer.
	Recipient gdpr.Recipient `json:"recipient"`
	// Purposes are the IDs of the purposes the data was disclosed for.
	Purposes []string `json:"purposes"`
	// Categories are the kinds of data disclosed, over all disclosures.
	Categories []pii.Category `json:"categories"`
	// First and Last are the earliest and latest disclosure.
	First time.Time `json:"first"`
	Last  time.Time `json:"last"`
}

// Notice is what a recipient is owed under Art. 19 when a rectification,
// erasure or restriction request is fulfilled: the request, the subject as
// the recipient knows it, and the categories disclosed to it. Notices wait
// in an outbox (a RecipientStore) until the RecipientNotifier confirms
// delivery; a notice may be delivered more than once (after a crash, or a
// lease that ran out), so a notifier makes its delivery idempotent by ID.
type Notice struct {
	// ID identifies the notice: the same for the same request and
	// recipient, however often it is queued or delivered.
	ID string `json:"id"`
	// Request is the ID of the request fulfilled, and Right its right:
	// rectification, erasure or restriction.
	Request string `json:"request"`
	Right   Right  `json:"right"`
	// Ground is, for a restriction, why processing is restricted.
	Ground gdpr.Ground `json:"ground,omitempty"`
	// Recipient is the recipient's name, as the register declares it.
	Recipient string `json:"recipient"`
	// Subject is the subject's ID, as disclosed, so that the recipient
	// finds the data; emptied once the notice is delivered.
	Subject string `json:"subject,omitempty"`
	// SubjectToken is the subject's token, as the journal records it.
	SubjectToken string `json:"subject_token"`
	// Categories are the kinds of data disclosed to the recipient. The
	// values of a rectification are not kept: the notifier sends the
	// current values, which are the corrected ones.
	Categories []pii.Category `json:"categories"`
	// Fulfilled is when the request was fulfilled and the notice queued.
	Fulfilled time.Time `json:"fulfilled"`

	// Attempts counts the deliveries started, a crashed one included.
	Attempts int `json:"attempts,omitempty"`
	// Next is the earliest instant of the next try.
	Next time.Time `json:"next"`
	// Delivered is when the notifier confirmed delivery; zero while
	// pending.
	Delivered time.Time `json:"delivered,omitzero"`
	// Error is the last failure, with personal values masked.
	Error string `json:"error,omitempty"`
	// Lease is held by the delivery that claimed the notice, so that two
	// instances do not deliver it at once.
	Lease *Lease `json:"lease,omitempty"`
}

// RecipientNotifier tells a recipient of a rectification, erasure or
// restriction (Art. 19): an API call, a message, a ticket. The service
// provides it (DeskConfig.Notifier). Notify returns nil only once the
// recipient has the notice; it must be idempotent by Notice.ID, since a
// notice whose confirmation was lost is delivered again.
type RecipientNotifier interface {
	Notify(ctx context.Context, n Notice) error
}

// RecipientNotifierFunc adapts a function to a RecipientNotifier.
type RecipientNotifierFunc func(ctx context.Context, n Notice) error

// Notify calls f.
func (f RecipientNotifierFunc) Notify(ctx context.Context, n Notice) error { return f(ctx, n) }

// RecipientStore keeps disclosures and the outbox of notices (Art. 19).
// NewMemoryRecipientStore and NewSQLRecipientStore implement it.
type RecipientStore interface {
	// AddDisclosure stores a disclosure; its Subject is empty.
	AddDisclosure(ctx context.Context, d Disclosure) error
	// Disclosures returns the disclosures of the subject with the token,
	// oldest first.
	Disclosures(ctx context.Context, subjectToken string) ([]Disclosure, error)
	// EnqueueNotices stores the notices whose ID is not stored yet, and
	// leaves the others as they are, delivered or not.
	EnqueueNotices(ctx context.Context, ns []Notice) error
	// ClaimNotices leases to owner, until until, at most limit notices
	// that are undelivered, due at now (Next not after it) and not leased
	// at now, counting an attempt on each, and returns them. Across
	// instances, a notice is leased to one owner at a time.
	ClaimNotices(ctx context.Context, owner string, now, until time.Time, limit int) ([]Notice, error)
	// ConfirmNotice marks the notice delivered at at, empties its Subject
	// and drops its lease, whoever holds it. Confirming a delivered notice
	// changes nothing.
	ConfirmNotice(ctx context.Context, id string, at time.Time) error
	// RetryNotice records a failed delivery by owner: the notice is due
	// again at next, with the error, and its lease is dropped. It changes
	// nothing when owner no longer holds the lease or the notice is
	// delivered.
	RetryNotice(ctx context.Context, id, owner string, next time.Time, msg string) error
	// PendingNotices returns the undelivered notices, the earliest due
	// first.
	PendingNotices(ctx context.Context) ([]Notice, error)
}

// Errors about disclosures.
var (
	// ErrInvalidDisclosure is matched by a disclosure that names no
	// subject, an unregistered purpose, a recipient the purpose does not
	// declare, or an unknown category.
	ErrInvalidDisclosure = errors.New("rights: invalid disclosure")
)

// RecordDisclosure records that personal data of d.Subject was disclosed
// to a recipient for a purpose (Art. 19), so that the recipient is told of
// a later rectification, erasure or restriction, and the subject can learn
// of it. The recipient must be one that the purpose declares in the
// register (Art. 30(1)(d)); the store keeps the subject's token, not the
// ID. It needs DeskConfig.Recipients.
func (rt *Desk) RecordDisclosure(ctx context.Context, d Disclosure) error {
	if rt.recipients == nil {
		return fmt.Errorf("rights: RecordDisclosure: DeskConfig.Recipients is nil: %w", gdpr.ErrNotConfigured)
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("rights: RecordDisclosure: %s: %w", fmt.Sprintf(format, args...), ErrInvalidDisclosure)
	}
	if d.Subject == "" {
		return bad("no subject")
	}
	p, ok := rt.reg.Purpose(d.Purpose)
	if !ok {
		return bad("purpose %q is not registered", d.Purpose)
	}
	if !slices.ContainsFunc(p.Recipients, func(r gdpr.Recipient) bool { return r.Name == d.Recipient }) {
		return bad("purpose %q declares no recipient %q (Art. 30(1)(d))", d.Purpose, d.Recipient)
	}
	if len(d.Categories) == 0 {
		return bad("no categories")
	}
	for i, c := range d.Categories {
		if _, ok := pii.LookupCategory(string(c)); !ok {
			return bad("Categories[%d]: unknown category %q", i, c)
		}
	}
	if d.At.IsZero() {
		d.At = rt.clock()
	}
	stored := Disclosure{
		SubjectToken: rt.journal.Token(d.Subject), Recipient: d.Recipient, Purpose: d.Purpose,
		Categories: slices.Clone(d.Categories), At: d.At.Round(0),
	}
	if err := rt.recipients.AddDisclosure(ctx, stored); err != nil {
		return fmt.Errorf("rights: RecordDisclosure: %w", err)
	}
	_, err := rt.journal.Record(ctx, audit.Event{Kind: KindDisclosure, Subject: d.Subject, Purpose: d.Purpose, Outcome: audit.OutcomeDone})
	if err != nil {
		return fmt.Errorf("rights: RecordDisclosure: recorded but not journalled: %w", err)
	}
	return nil
}

// Recipients returns the recipients the subject's data was disclosed to,
// as DeskConfig.Recipients recorded them, in the order of their first
// disclosure: what the controller tells the subject who asks (Art. 19,
// last sentence). A recipient no longer declared in the register is
// named as it was recorded.
func (rt *Desk) Recipients(ctx context.Context, subject string) ([]DisclosedRecipient, error) {
	if rt.recipients == nil {
		return nil, fmt.Errorf("rights: Recipients: DeskConfig.Recipients is nil: %w", gdpr.ErrNotConfigured)
	}
	if subject == "" {
		return nil, fmt.Errorf("rights: Recipients: %w", gdpr.ErrNoSubject)
	}
	ds, err := rt.recipients.Disclosures(ctx, rt.journal.Token(subject))
	if err != nil {
		return nil, fmt.Errorf("rights: Recipients: %w", err)
	}
	return rt.disclosedRecipients(ds), nil
}

// disclosedRecipients groups disclosures by recipient.
func (rt *Desk) disclosedRecipients(ds []Disclosure) []DisclosedRecipient {
	out := []DisclosedRecipient{}
	index := map[string]int{}
	for _, d := range ds {
		i, ok := index[d.Recipient]
		if !ok {
			i = len(out)
			index[d.Recipient] = i
			out = append(out, DisclosedRecipient{Recipient: rt.declaredRecipient(d), First: d.At, Last: d.At, Purposes: []string{}, Categories: []pii.Category{}})
		}
		r := &out[i]
		if !slices.Contains(r.Purposes, d.Purpose) {
			r.Purposes = append(r.Purposes, d.Purpose)
		}
		for _, c := range d.Categories {
			if !slices.Contains(r.Categories, c) {
				r.Categories = append(r.Categories, c)
			}
		}
		if d.At.Before(r.First) {
			r.First = d.At
		}
		if d.At.After(r.Last) {
			r.Last = d.At
		}
	}
	return out
}

// declaredRecipient returns the register's declaration of a disclosure's
// recipient, or one that only names it.
func (rt *Desk) declaredRecipient(d Disclosure) gdpr.Recipient {
	if p, ok := rt.reg.Purpose(d.Purpose); ok {
		for _, r := range p.Recipients {
			if r.Name == d.Recipient {
				return r
			}
		}
	}
	for _, p := range rt.reg.Purposes() {
		for _, r := range p.Recipients {
			if r.Name == d.Recipient {
				return r
			}
		}
	}
	return gdpr.Recipient{Name: d.Recipient}
}

// notifiesRecipients reports whether fulfilling a request for right r is
// owed to recipients: rectification, erasure and restriction (Art. 19).
func notifiesRecipients(r Right) bool {
	return r == RightRectification || r == RightErasure || r == RightRestriction
}

// queueNotices queues a notice for every recipient the subject's data was
// disclosed to, when a rectification, erasure or restriction request is
// fulfilled (Art. 19). It runs before the completion is stored, so that a
// crash in between queues them again on the next run; a notice's ID is
// fixed by the request and recipient, so they are queued once.
func (rt *Desk) queueNotices(ctx context.Context, r *Request) error {
	if rt.recipients == nil || !notifiesRecipients(r.Right) || r.Subject == "" {
		return nil
	}
	ds, err := rt.recipients.Disclosures(ctx, r.SubjectToken)
	if err != nil {
		return &RequestError{ID: r.ID, Op: "notices", Err: err}
	}
	if len(ds) == 0 {
		return nil
	}
	now := rt.clock()
	var ns []Notice
	for _, dr := range rt.disclosedRecipients(ds) {
		ns = append(ns, Notice{
			ID: noticeID(r.ID, dr.Recipient.Name), Request: r.ID, Right: r.Right, Ground: r.Ground,
			Recipient: dr.Recipient.Name, Subject: r.Subject, SubjectToken: r.SubjectToken,
			Categories: dr.Categories, Fulfilled: now, Next: now,
		})
	}
	if err := rt.recipients.EnqueueNotices(ctx, ns); err != nil {
		return &RequestError{ID: r.ID, Op: "notices", Err: err}
	}
	return nil
}

// noticeID returns the ID of the notice of a request to a recipient.
func noticeID(request, recipient string) string {
	h := sha256.Sum256([]byte(request + "\x00" + recipient))
	return "ntc-" + hex.EncodeToString(h[:10])
}

// DeliveryReport says what one DeliverNotices call did.
type DeliveryReport struct {
	Claimed   int // notices claimed
	Delivered int // confirmed by the notifier
	Failed    int // failed, and due again later
}

// DeliverNotices delivers the notices that are due (Art. 19): it claims
// up to DefaultNoticeBatch of them under a lease of DeskConfig.Lease,
// hands each to DeskConfig.Notifier, and confirms it, or, when the
// notifier fails, makes it due again after DeskConfig.NoticeBackoff. Call
// it periodically, from any number of instances: a notice is leased to one
// at a time, and one whose delivery never got confirmed (the instance
// died) is delivered again once its lease has run out. Delivery is at
// least once; the notifier deduplicates by Notice.ID. Every try is
// journalled.
func (rt *Desk) DeliverNotices(ctx context.Context) (DeliveryReport, error) {
	var rep DeliveryReport
	switch {
	case rt.recipients == nil:
		return rep, fmt.Errorf("rights: DeliverNotices: DeskConfig.Recipients is nil: %w", gdpr.ErrNotConfigured)
	case rt.notifier == nil:
		return rep, fmt.Errorf("rights: DeliverNotices: DeskConfig.Notifier is nil: %w", gdpr.ErrNotConfigured)
	}
	owner := newID("dlv-")
	now := rt.clock()
	ns, err := rt.recipients.ClaimNotices(ctx, owner, now, now.Add(rt.lease), DefaultNoticeBatch)
	if err != nil {
		return rep, fmt.Errorf("rights: DeliverNotices: %w", err)
	}
	rep.Claimed = len(ns)
	var errs []error
	for _, n := range ns {
		if err := ctx.Err(); err != nil {
			return rep, fmt.Errorf("rights: DeliverNotices: %w", err) // the leases run out
		}
		callErr := rt.notifier.Notify(ctx, n)
		outcome := audit.OutcomeDone
		if callErr != nil {
			outcome = audit.OutcomeFailed
		}
		ev := audit.Event{Kind: KindRecipientNotified, Subject: n.Subject, Outcome: outcome,
			Reasons: []string{n.Right.String(), n.ID, "attempt-" + strconv.Itoa(n.Attempts)}, Ref: n.Request}
		if _, err := rt.journal.Record(ctx, ev); err != nil {
			errs = append(errs, fmt.Errorf("rights: DeliverNotices: notice %s not journalled: %w", n.ID, err))
		}
		at := rt.clock()
		if callErr == nil {
			if err := rt.recipients.ConfirmNotice(ctx, n.ID, at); err != nil {
				errs = append(errs, fmt.Errorf("rights: DeliverNotices: notice %s delivered but not confirmed: %w", n.ID, err))
				continue
			}
			rep.Delivered++
			continue
		}
		rep.Failed++
		msg := rt.scrub(callErr, n.Subject)
		if err := rt.recipients.RetryNotice(ctx, n.ID, owner, at.Add(rt.noticeBackoff(n.Attempts)), msg); err != nil {
			errs = append(errs, fmt.Errorf("rights: DeliverNotices: notice %s: %w", n.ID, err))
		}
	}
	return rep, errors.Join(errs...)
}

// PendingNotices returns the notices not delivered yet, the earliest due
// first, with their attempts and last failure: what recipients are still
// owed under Art. 19.
func (rt *Desk) PendingNotices(ctx context.Context) ([]Notice, error) {
	if rt.recipients == nil {
		return nil, fmt.Errorf("rights: PendingNotices: DeskConfig.Recipients is nil: %w", gdpr.ErrNotConfigured)
	}
	ns, err := rt.recipients.PendingNotices(ctx)
	if err != nil {
		return nil, fmt.Errorf("rights: PendingNotices: %w", err)
	}
	return ns, nil
}

// DefaultNoticeBackoff is the wait after failed attempt number attempt (1,
// 2, …) of a notice: one minute, doubled per attempt, at most six hours.
// Notices are tried until delivered.
func DefaultNoticeBackoff(attempt int) time.Duration {
	return min(time.Minute<<min(max(attempt-1, 0), 9), 6*time.Hour)
}

// noticeBackoff returns the wait after a failed attempt.
func (rt *Desk) noticeBackoff(attempt int) time.Duration {
	if rt.noticeWait != nil {
		return rt.noticeWait(attempt)
	}
	return DefaultNoticeBackoff(attempt)
}
