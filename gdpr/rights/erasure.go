package rights

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/gdprkit/gdprkit/gdpr/internal/safe"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/retention"
)

// HoldChecker tells whether a legal hold in force now touches category c
// of the subject's data (an empty c: any of it), and returns the hold. A
// hold touches c when it holds c, a category c lies within, or a category
// within c: erasing a source whose purposes declare user.contact.address
// erases the cities a hold on user.contact.address.city keeps
// (retention.Hold.Touches). *retention.Holds implements it.
type HoldChecker interface {
	Check(ctx context.Context, subject string, c pii.Category) (retention.Hold, bool, error)
}

// Exception is an exception of Art. 17(3) to the right to erasure: data
// that is kept because its processing is necessary for it.
type Exception uint8

// The exceptions of Art. 17(3).
const (
	// ExceptionExpression, Art. 17(3)(a): exercising the right of freedom
	// of expression and information.
	ExceptionExpression Exception = iota + 1
	// ExceptionLegalObligation, Art. 17(3)(b): compliance with a legal
	// obligation, or a task in the public interest or official authority,
	// such as invoices kept under tax law.
	ExceptionLegalObligation
	// ExceptionPublicHealth, Art. 17(3)(c): public interest in public
	// health.
	ExceptionPublicHealth
	// ExceptionArchiving, Art. 17(3)(d): archiving in the public interest,
	// research or statistics, where erasure would seriously impair it.
	ExceptionArchiving
	// ExceptionLegalClaims, Art. 17(3)(e): the establishment, exercise or
	// defence of legal claims.
	ExceptionLegalClaims
	// ExceptionLegalHold, Art. 17(3)(e): a legal hold placed with package
	// retention covers the data (HoldChecker).
	ExceptionLegalHold
)

var exceptionInfo = [...]struct{ code, letter string }{
	ExceptionExpression:      {"expression", "a"},
	ExceptionLegalObligation: {"legal-obligation", "b"},
	ExceptionPublicHealth:    {"public-health", "c"},
	ExceptionArchiving:       {"archiving", "d"},
	ExceptionLegalClaims:     {"legal-claims", "e"},
	ExceptionLegalHold:       {"legal-hold", "e"},
}

// Valid reports whether e is one of the exceptions.
func (e Exception) Valid() bool { return e >= ExceptionExpression && e <= ExceptionLegalHold }

// String returns the exception's code, such as "legal-obligation".
func (e Exception) String() string {
	if e.Valid() {
		return exceptionInfo[e].code
	}
	return fmt.Sprintf("Exception(%d)", uint8(e))
}

// Article returns the legal reference, such as "Art. 17(3)(b)".
func (e Exception) Article() string {
	if e.Valid() {
		return "Art. 17(3)(" + exceptionInfo[e].letter + ")"
	}
	return e.String()
}

// MarshalText encodes the exception as its code.
func (e Exception) MarshalText() ([]byte, error) {
	if !e.Valid() {
		return nil, fmt.Errorf("rights: cannot encode %v: not an Art. 17(3) exception", e)
	}
	return []byte(e.String()), nil
}

// UnmarshalText decodes an exception's code.
func (e *Exception) UnmarshalText(text []byte) error {
	for v := ExceptionExpression; v <= ExceptionLegalHold; v++ {
		if exceptionInfo[v].code == string(text) {
			*e = v
			return nil
		}
	}
	return fmt.Errorf("rights: unknown Art. 17(3) exception %q", text)
}

// Exemption is why a source's data (or a namespace's key) is kept despite
// an erasure request.
type Exemption struct {
	Exception Exception `json:"exception"` // the exception of Art. 17(3)
	// Ref refers to what establishes the exception: the legal hold's ID,
	// the provision or the case. A code (letters, digits and ". _ - : /"),
	// so that certificates stay content-free.
	Ref string `json:"ref,omitempty"`
}

// Erase fulfils an erasure request (Art. 17), resuming where an earlier run
// stopped. In order:
//
//  1. For each source, it decides whether an exception of Art. 17(3) keeps
//     the data: a legal hold touching one of the categories of the
//     source's purposes, broader or narrower than it (DeskConfig.Holds),
//     or the source's own Retainer. An
//     exempt source is not asked to erase.
//  2. It withdraws every consent the subject has given in the consent
//     ledger (DeskConfig.Consents, when set), by consent.MethodSystem
//     from ConsentSource, so that the Guard denies consent-based processing
//     from then on (Art. 17(1)(b)); the step counts the purposes withdrawn
//     (Step.Withdrawn). It does so whatever the exemptions: an exception
//     of Art. 17(3) keeps data for its own purpose, not consent-based
//     processing of a subject who asked for erasure.
//  3. It destroys the subject's key in every namespace of
//     DeskConfig.Namespaces (the consent ledger's among them, which
//     shreds the consent proofs' personal details). A namespace whose key
//     seals an exempt source's data is kept; so is one that no source
//     names, while a legal hold covers any of the subject's data.
//  4. It asks every other source to erase, trying each up to
//     DeskConfig.Attempts times with the backoff in between.
//
// Every try is journalled and stored. When every step is settled
// (done or exempt) the request completes: the subject's ID is forgotten and
// the content-free Certificate returned. Otherwise Erase returns an
// *IncompleteError naming what is pending, and the request stays in
// progress: call Erase again, or Resume, to go on. Calling Erase on a
// completed erasure returns its certificate.
func (rt *Desk) Erase(ctx context.Context, id string) (Certificate, error) {
	if r, err := rt.store.Request(ctx, id); err == nil && r.Right == RightErasure && r.State == RequestCompleted {
		return certificateOf(r), nil
	}
	u, err := rt.begin(ctx, id, "Erase", RightErasure)
	if err != nil {
		return Certificate{}, err
	}
	defer u.release(ctx)
	subject := u.req.Subject

	undecided := map[string]bool{}
	for _, s := range rt.sources {
		if u.current(KindRequestSource, s.info.Name).settled() {
			continue
		}
		ex, ok, err := rt.exemption(ctx, s, subject)
		switch {
		case err != nil:
			undecided[s.info.Name] = true
			err = u.fail(ctx, KindRequestSource, s.info.Name, "exemption-check", err)
		case ok:
			err = u.settle(ctx, KindRequestSource, s.info.Name, StepExempt, &ex)
		}
		if err != nil {
			return Certificate{}, err
		}
	}

	if err := u.withdrawConsents(ctx); err != nil {
		return Certificate{}, err
	}

	for _, ns := range rt.namespaces {
		if u.current(KindRequestKey, ns.Name).settled() {
			continue
		}
		ex, kept, wait, err := u.keyKept(ctx, ns.Name, undecided)
		switch {
		case err != nil:
			err = u.fail(ctx, KindRequestKey, ns.Name, "hold-check", err)
		case wait:
		case kept:
			err = u.settle(ctx, KindRequestKey, ns.Name, StepExempt, &ex)
		default:
			_, err = u.try(ctx, KindRequestKey, ns.Name, func(ctx context.Context) error { return ns.Keys.Erase(ctx, subject) })
		}
		if err != nil {
			return Certificate{}, err
		}
	}

	for _, s := range rt.sources {
		if undecided[s.info.Name] || u.current(KindRequestSource, s.info.Name).settled() {
			continue
		}
		if _, err := u.try(ctx, KindRequestSource, s.info.Name, func(ctx context.Context) error {
			if err := s.Erase(ctx, subject); err != nil {
				return &SourceError{Source: s.info.Name, Op: "erase", Err: err}
			}
			return nil
		}); err != nil {
			return Certificate{}, err
		}
	}

	r, err := u.finish(ctx)
	if err != nil {
		return Certificate{}, err
	}
	return certificateOf(r), nil
}

// exemption decides whether an exception of Art. 17(3) keeps the source's
// data of the subject: a legal hold touching a category of its purposes
// first, then the source's own Retainer.
func (rt *Desk) exemption(ctx context.Context, s *source, subject string) (Exemption, bool, error) {
	if rt.holds != nil {
		cats := s.categories(rt.reg)
		if len(cats) == 0 {
			cats = []pii.Category{""}
		}
		for _, c := range cats {
			h, held, err := rt.holds.Check(ctx, subject, c)
			if err != nil {
				return Exemption{}, false, fmt.Errorf("legal holds: %w", err)
			}
			if held {
				return holdExemption(h), true, nil
			}
		}
	}
	r, ok := s.Source.(Retainer)
	if !ok {
		return Exemption{}, false, nil
	}
	ex, keep, err := r.Retain(ctx, subject)
	switch {
	case err != nil:
		return Exemption{}, false, &SourceError{Source: s.info.Name, Op: "retain", Err: err}
	case !keep:
		return Exemption{}, false, nil
	case !ex.Exception.Valid():
		return Exemption{}, false, &SourceError{Source: s.info.Name, Op: "retain", Err: fmt.Errorf("exception %d is not one of Art. 17(3): %w", ex.Exception, ErrInvalidSource)}
	case ex.Ref != "" && !safe.Code(ex.Ref, true):
		return Exemption{}, false, &SourceError{Source: s.info.Name, Op: "retain", Err: fmt.Errorf("Ref %q is not a code (letters, digits and . _ - : /): %w", ex.Ref, ErrInvalidSource)}
	}
	return ex, true, nil
}

// holdExemption refers to a hold by its ID, or by its case when the ID is
// not a code.
func holdExemption(h retention.Hold) Exemption {
	ex := Exemption{Exception: ExceptionLegalHold}
	switch {
	case safe.Code(h.ID, true):
		ex.Ref = h.ID
	case safe.Code(h.Case, true):
		ex.Ref = h.Case
	}
	return ex
}

// keyKept decides whether the namespace's key is kept: an exempt source's
// data is sealed under it (kept), a source whose exemption is undecided is
// (wait), or no source is and a legal hold covers the subject (kept).
func (u *run) keyKept(ctx context.Context, ns string, undecided map[string]bool) (ex Exemption, kept, wait bool, err error) {
	used := false
	for _, s := range u.rt.sources {
		if s.info.Namespace != ns {
			continue
		}
		used = true
		if undecided[s.info.Name] {
			wait = true
			continue
		}
		if st := u.current(KindRequestSource, s.info.Name); st.State == StepExempt && st.Exemption != nil {
			return *st.Exemption, true, false, nil
		}
	}
	if used || wait || u.rt.holds == nil {
		return Exemption{}, false, wait, nil
	}
	h, held, err := u.rt.holds.Check(ctx, u.req.Subject, "")
	if err != nil {
		return Exemption{}, false, false, fmt.Errorf("legal holds: %w", err)
	}
	if held {
		return holdExemption(h), true, false, nil
	}
	return Exemption{}, false, false, nil
}

// Resume goes on with every request in progress that needs no input from
// the caller: erasures, restrictions and objections that a call started
// and left incomplete, and that no other instance is working on. Run it
// from a periodic job, so that a source that was down is asked again.
// Requests not started yet are left to the caller, who may want to check
// them first. It returns the requests as they ended, and the errors of
// those that did not complete, joined.
func (rt *Desk) Resume(ctx context.Context) ([]Request, error) {
	open, err := rt.Open(ctx)
	if err != nil {
		return nil, err
	}
	var (
		out  []Request
		errs []error
	)
	for _, r := range open {
		if r.State != RequestInProgress || !slices.Contains([]Right{RightErasure, RightRestriction, RightObjection}, r.Right) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return out, err
		}
		var err error
		switch r.Right {
		case RightErasure:
			_, err = rt.Erase(ctx, r.ID)
		case RightRestriction:
			_, err = rt.Restrict(ctx, r.ID)
		case RightObjection:
			_, err = rt.Object(ctx, r.ID)
		}
		if errors.Is(err, ErrRequestBusy) {
			continue
		}
		if err != nil {
			errs = append(errs, err)
		}
		if now, err := rt.store.Request(ctx, r.ID); err == nil {
			out = append(out, now)
		}
	}
	return out, errors.Join(errs...)
}
