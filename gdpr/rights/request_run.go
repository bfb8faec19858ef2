package rights

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gdprkit/gdprkit/gdpr/audit"
)

// ErrIncomplete is matched by the *IncompleteError of a run that left
// steps undone: the request stays in progress, and the next run goes on.
var ErrIncomplete = errors.New("rights: request incomplete")

// IncompleteError lists the steps a run could not finish.
type IncompleteError struct {
	ID string // the request's ID
	// Pending are the steps not settled: failed after their tries this
	// run, or waiting (a namespace's key, until the exemption of a source
	// it seals is decided). The consent step never waits: it is pending
	// only after a withdrawal failed.
	Pending []Step
}

// Error names the request and each pending step with its last failure.
func (e *IncompleteError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rights: request %s incomplete:", e.ID)
	for i, s := range e.Pending {
		if i > 0 {
			b.WriteByte(';')
		}
		fmt.Fprintf(&b, " %q %s after %d attempts", s.Name, s.State, s.Attempts)
		if s.Error != "" {
			b.WriteString(": " + s.Error)
		}
	}
	return b.String()
}

// Unwrap returns ErrIncomplete.
func (e *IncompleteError) Unwrap() error { return ErrIncomplete }

// run is one instance's turn at fulfilling a request. It holds the
// request's lease: every change it stores checks and renews the lease, so
// two instances never work on one request at once.
type run struct {
	rt    *Desk
	op    string
	owner string
	req   Request // as last stored
}

// begin takes the lease of a verified, open request for one of rights,
// marks it in progress and adds a pending step for every source and, for
// an erasure, every key namespace and the consent ledger.
func (rt *Desk) begin(ctx context.Context, id, op string, rights ...Right) (*run, error) {
	owner := newID("run-")
	now := rt.clock()
	req, err := rt.store.UpdateRequest(ctx, id, func(r *Request) error {
		switch {
		case r.State.Closed():
			return ErrRequestClosed
		case !slices.Contains(rights, r.Right):
			return fmt.Errorf("%w: it is a request for the %s (%s)", ErrInvalidRequest, r.Right.Title(), r.Right.Article())
		case r.State == RequestUnverified:
			return ErrNotVerified
		case r.Lease != nil && now.Before(r.Lease.Until):
			return ErrRequestBusy
		}
		r.Lease = &Lease{Owner: owner, Until: now.Add(rt.lease)}
		r.State = RequestInProgress
		if r.Right != RightReview {
			for _, s := range rt.sources {
				step(&r.Sources, s.info.Name)
			}
		}
		if r.Right == RightErasure {
			for _, ns := range rt.namespaces {
				step(&r.Keys, ns.Name)
			}
			if rt.consents != nil {
				step(&r.Consents, consentStep)
			}
		}
		return nil
	})
	if err != nil {
		return nil, &RequestError{ID: id, Op: op, Err: err}
	}
	return &run{rt: rt, op: op, owner: owner, req: req}, nil
}

// update stores a change of the request, if the run still holds its lease.
func (u *run) update(ctx context.Context, fn func(*Request) error) error {
	until := u.rt.clock().Add(u.rt.lease)
	req, err := u.rt.store.UpdateRequest(ctx, u.req.ID, func(r *Request) error {
		if r.Lease == nil || r.Lease.Owner != u.owner {
			return fmt.Errorf("%w: another instance took the request over", ErrRequestBusy)
		}
		r.Lease.Until = until
		return fn(r)
	})
	if err != nil {
		return &RequestError{ID: u.req.ID, Op: u.op, Err: err}
	}
	u.req = req
	return nil
}

// release gives the lease up, unless the request completed (which drops
// it). It runs even when ctx is cancelled; when it fails, the lease simply
// runs out.
func (u *run) release(ctx context.Context) {
	if u.req.Lease == nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	_, _ = u.rt.store.UpdateRequest(ctx, u.req.ID, func(r *Request) error {
		if r.Lease == nil || r.Lease.Owner != u.owner {
			return errStop
		}
		r.Lease = nil
		return nil
	})
}

// stepsOf returns the request's steps of the kind: sources, keys or
// consents.
func stepsOf(r *Request, kind audit.Kind) *[]Step {
	switch kind {
	case KindRequestKey:
		return &r.Keys
	case KindRequestConsent:
		return &r.Consents
	}
	return &r.Sources
}

// current returns the stored step of the named source or key.
func (u *run) current(kind audit.Kind, name string) Step {
	for _, s := range *stepsOf(&u.req, kind) {
		if s.Name == name {
			return s
		}
	}
	return Step{Name: name, State: StepPending}
}

// stepLabel is how a step names itself in journal reasons: a source (or
// the consent ledger) by its name, a namespace as "ns." and its name.
func stepLabel(kind audit.Kind, name string) string {
	if kind != KindRequestKey {
		return name
	}
	return "ns." + name
}

// settle journals and stores a step's end without a try: exempt or
// skipped.
func (u *run) settle(ctx context.Context, kind audit.Kind, name string, state StepState, ex *Exemption) error {
	outcome, reasons := OutcomeSkipped, []string{u.req.Right.String(), stepLabel(kind, name)}
	if state == StepExempt {
		outcome = OutcomeExempt
		reasons = append(reasons, ex.Exception.String())
	}
	if err := u.rt.record(ctx, &u.req, kind, outcome, reasons...); err != nil {
		return err
	}
	now := u.rt.clock()
	return u.update(ctx, func(r *Request) error {
		s := step(stepsOf(r, kind), name)
		s.State, s.Exemption, s.Error, s.At = state, ex, "", now
		return nil
	})
}

// fail journals and stores a failure that is not a try of the step itself,
// such as an exemption that could not be decided.
func (u *run) fail(ctx context.Context, kind audit.Kind, name, what string, cause error) error {
	if err := u.rt.record(ctx, &u.req, kind, audit.OutcomeFailed, u.req.Right.String(), stepLabel(kind, name), what); err != nil {
		return err
	}
	msg := u.rt.scrub(fmt.Errorf("%s: %w", what, cause), u.req.Subject)
	now := u.rt.clock()
	return u.update(ctx, func(r *Request) error {
		s := step(stepsOf(r, kind), name)
		s.State, s.Error, s.At = StepFailed, msg, now
		return nil
	})
}

// try calls call, up to DeskConfig.Attempts times with the backoff in
// between, until it succeeds; it journals and stores every try, so a crash
// loses none. It returns whether the step is done; an error means the run
// must stop (the context ended, the journal or the store failed).
func (u *run) try(ctx context.Context, kind audit.Kind, name string, call func(context.Context) error) (bool, error) {
	return u.tryCounting(ctx, kind, name, func(ctx context.Context) (int, error) { return 0, call(ctx) })
}

// tryCounting is try for a call that reports how many purposes it
// withdrew consent to, even when it fails: the count is added to the
// step's Withdrawn and journalled as "withdrawn-N".
func (u *run) tryCounting(ctx context.Context, kind audit.Kind, name string, call func(context.Context) (int, error)) (bool, error) {
	for i := 1; i <= u.rt.attempts; i++ {
		if i > 1 {
			if err := u.rt.backoff(ctx, i); err != nil {
				return false, &RequestError{ID: u.req.ID, Op: u.op, Err: err}
			}
		}
		if err := ctx.Err(); err != nil {
			return false, &RequestError{ID: u.req.ID, Op: u.op, Err: err}
		}
		n, callErr := call(ctx)
		attempt := u.current(kind, name).Attempts + 1
		outcome := audit.OutcomeDone
		if callErr != nil {
			outcome = audit.OutcomeFailed
		}
		reasons := []string{u.req.Right.String(), stepLabel(kind, name), "attempt-" + strconv.Itoa(attempt)}
		if n > 0 {
			reasons = append(reasons, "withdrawn-"+strconv.Itoa(n))
		}
		if err := u.rt.record(ctx, &u.req, kind, outcome, reasons...); err != nil {
			return false, err
		}
		var msg string
		if callErr != nil {
			msg = u.rt.scrub(callErr, u.req.Subject)
		}
		now := u.rt.clock()
		err := u.update(ctx, func(r *Request) error {
			s := step(stepsOf(r, kind), name)
			s.Attempts, s.At, s.Error = attempt, now, msg
			s.Withdrawn += n
			s.State = StepDone
			if callErr != nil {
				s.State = StepFailed
			}
			return nil
		})
		if err != nil {
			return false, err
		}
		if callErr == nil {
			return true, nil
		}
	}
	return false, nil
}

// fanOut asks every source that is not settled yet to do its part: pick
// returns the call, or nil when the source has no part (it is then
// skipped). The request completes when every source is settled.
func (u *run) fanOut(ctx context.Context, op string, pick func(*source) func(context.Context) error) (Request, error) {
	for _, s := range u.rt.sources {
		if st := u.current(KindRequestSource, s.info.Name); st.settled() {
			continue
		}
		call := pick(s)
		if call == nil {
			if err := u.settle(ctx, KindRequestSource, s.info.Name, StepSkipped, nil); err != nil {
				return u.req, err
			}
			continue
		}
		if _, err := u.try(ctx, KindRequestSource, s.info.Name, func(ctx context.Context) error {
			if err := call(ctx); err != nil {
				return &SourceError{Source: s.info.Name, Op: op, Err: err}
			}
			return nil
		}); err != nil {
			return u.req, err
		}
	}
	return u.finish(ctx)
}

// finish completes the request when every step is settled, and otherwise
// reports the pending ones.
func (u *run) finish(ctx context.Context) (Request, error) {
	var pending []Step
	for _, s := range slices.Concat(u.req.Sources, u.req.Keys, u.req.Consents) {
		if !s.settled() {
			pending = append(pending, s)
		}
	}
	if len(pending) > 0 {
		return u.req, &IncompleteError{ID: u.req.ID, Pending: pending}
	}
	return u.complete(ctx)
}

// complete journals the completion and stores it with the journal head it
// produced; an erasure forgets the subject's ID.
func (u *run) complete(ctx context.Context) (Request, error) {
	// Art. 19: recipients are owed a notice of the rectification, erasure
	// or restriction, queued before the completion is stored.
	if err := u.rt.queueNotices(ctx, &u.req); err != nil {
		return u.req, err
	}
	e, err := u.rt.journal.Record(ctx, audit.Event{
		Kind: KindRequestCompleted, Subject: u.req.Subject, Outcome: audit.OutcomeDone,
		Reasons: []string{u.req.Right.String()}, Ref: u.req.ID,
	})
	if err != nil {
		return u.req, &RequestError{ID: u.req.ID, Op: u.op, Err: fmt.Errorf("not completed: the completion could not be journalled: %w", err)}
	}
	now := u.rt.clock()
	err = u.update(ctx, func(r *Request) error {
		r.State, r.CompletedAt, r.Journal, r.Lease = RequestCompleted, now, audit.Head{Seq: e.Seq, Hash: e.Hash}, nil
		if r.Right == RightErasure {
			r.Subject = ""
		}
		return nil
	})
	return u.req, err
}

// maxErrorLen bounds the failure text kept in a step.
const maxErrorLen = 300

// scrub returns err's text fit for storing: the subject's ID and what
// looks like an e-mail address, phone number, IP address, card number or
// IBAN masked, and cut to maxErrorLen bytes.
func (rt *Desk) scrub(err error, subject string) string {
	msg := err.Error()
	if subject != "" {
		msg = strings.ReplaceAll(msg, subject, "[subject]")
	}
	msg = rt.redactor.Redact(msg)
	if len(msg) > maxErrorLen {
		msg = strings.ToValidUTF8(msg[:maxErrorLen], "") + "…"
	}
	return msg
}

// errStop leaves an UpdateRequest without a change.
var errStop = errors.New("rights: stop")
