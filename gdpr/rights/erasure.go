package rights

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/gdprkit/gdprkit/gdpr"
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
// an erasure request, and, since Art. 17(3) spares data only "to the
// extent that processing is necessary" for the exception, which data and
// what for.
type Exemption struct {
	Exception Exception `json:"exception"` // the exception of Art. 17(3)
	// Ref refers to what establishes the exception: the legal hold's ID,
	// the provision or the case. A code (letters, digits and ". _ - : /"),
	// so that certificates stay content-free.
	Ref string `json:"ref,omitempty"`
	// Categories are the categories of the source's data the exception
	// needs; empty: all of it. The rest of the source's data is erased
	// when the source is a PartEraser (see Desk.Erase).
	Categories []pii.Category `json:"categories,omitempty"`
	// Purposes are the IDs of the registered purposes the kept data may
	// still be processed for. Empty: those the exception implies (see
	// Desk.Erase).
	Purposes []string `json:"purposes,omitempty"`
}

// PartEraser is implemented by a source that can erase part of a
// subject's data, so that an exception of Art. 17(3) keeps no more than it
// needs. EraseExcept deletes every value of the subject's data except
// those whose category overlaps one of keep (lies within it, or holds it:
// a field tagged user.contact.address is kept for a hold on
// user.contact.address.city), and returns nil only once the rest is gone.
// It must be idempotent.
type PartEraser interface {
	EraseExcept(ctx context.Context, subject string, keep []pii.Category) error
}

// Erase fulfils an erasure request (Art. 17), resuming where an earlier run
// stopped. In order:
//
//  1. For each source, it decides whether an exception of Art. 17(3) keeps
//     data, and which (Art. 17(3) spares data only "to the extent that
//     processing is necessary" for it): a legal hold touching one of the
//     categories of the source's purposes (DeskConfig.Holds) keeps that
//     category, or the held one within it; the source's own Retainer
//     keeps the categories its Exemption names, or all. A source that is
//     a PartEraser is asked to erase everything else (Step.Kept lists
//     what it keeps, and why); a source that is not, or whose data is
//     kept whole, is exempt and not asked to erase, since erasing all of
//     it would destroy what the exception needs.
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
// (done or exempt) and something was kept, the Guard (DeskConfig.Guard)
// limits the subject's data to the purposes the exceptions serve
// (gdpr.Guard.Keep): those an Exemption names or, when it names none,
// the registered purposes marked Storage and those of the exception:
// legal claims (Purpose.LegalClaims or the condition of Art. 9(2)(f)) for
// Art. 17(3)(e) and legal holds, legal obligation or public task for (b),
// public health (Art. 9(2)(i)) for (c), archiving (Art. 9(2)(j)) for (d).
// Every other purpose of the subject is denied from then on; an erasure
// that keeps nothing ends such a limit. Then the request completes: the
// subject's ID is forgotten and the content-free Certificate returned,
// listing what was kept and why (Certificate.Kept). Otherwise Erase
// returns an *IncompleteError naming what is pending, and the request
// stays in progress: call Erase again, or Resume, to go on. Calling Erase on a
// completed erasure returns its certificate.
func (rt *Desk) Erase(ctx context.Context, id string) (Certificate, error) {
	if c, ok := rt.completedErasure(ctx, id); ok {
		return c, nil
	}
	u, err := rt.begin(ctx, id, "Erase", RightErasure)
	if errors.Is(err, ErrRequestClosed) {
		// Another instance completed it since the look above.
		if c, ok := rt.completedErasure(ctx, id); ok {
			return c, nil
		}
	}
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
		kept, whole, err := rt.exemptions(ctx, s, subject)
		switch {
		case err != nil:
			undecided[s.info.Name] = true
			err = u.fail(ctx, KindRequestSource, s.info.Name, "exemption-check", err)
		case whole:
			err = u.settleKept(ctx, s.info.Name, StepExempt, kept)
		default:
			err = u.settleKept(ctx, s.info.Name, 0, kept)
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
		keep := keptCategories(u.current(KindRequestSource, s.info.Name).Kept)
		if _, err := u.try(ctx, KindRequestSource, s.info.Name, func(ctx context.Context) error {
			if len(keep) > 0 {
				if err := s.Source.(PartEraser).EraseExcept(ctx, subject, keep); err != nil {
					return &SourceError{Source: s.info.Name, Op: "erase except", Err: err}
				}
				return nil
			}
			if err := s.Erase(ctx, subject); err != nil {
				return &SourceError{Source: s.info.Name, Op: "erase", Err: err}
			}
			return nil
		}); err != nil {
			return Certificate{}, err
		}
	}

	if err := u.limitKept(ctx); err != nil {
		return Certificate{}, err
	}
	r, err := u.finish(ctx)
	if err != nil {
		return Certificate{}, err
	}
	return certificateOf(r), nil
}

// exemptions decides which of the source's data of the subject exceptions
// of Art. 17(3) keep: legal holds touching a category of its purposes
// first, then the source's own Retainer. whole reports that the source
// is kept whole: an exemption names no categories, or the source cannot
// erase part of its data (it is no PartEraser). A PartEraser whose kept
// categories are all it declares is still asked to erase the rest, which
// removes whatever it holds beyond its declaration.
func (rt *Desk) exemptions(ctx context.Context, s *source, subject string) (kept []Exemption, whole bool, err error) {
	add := func(ex Exemption, c pii.Category) {
		for i := range kept {
			if kept[i].Exception == ex.Exception && kept[i].Ref == ex.Ref {
				if c == "" {
					kept[i].Categories = nil
				} else if len(kept[i].Categories) > 0 && !containsCategory(kept[i].Categories, c) {
					kept[i].Categories = append(kept[i].Categories, c)
				}
				return
			}
		}
		if c != "" {
			ex.Categories = []pii.Category{c}
		}
		kept = append(kept, ex)
	}
	cats := s.categories(rt.reg)
	if rt.holds != nil {
		if err := rt.heldCategories(ctx, subject, cats, add); err != nil {
			return nil, false, fmt.Errorf("legal holds: %w", err)
		}
	}
	if r, ok := s.Source.(Retainer); ok {
		ex, keep, err := r.Retain(ctx, subject)
		switch {
		case err != nil:
			return nil, false, &SourceError{Source: s.info.Name, Op: "retain", Err: err}
		case !keep:
		case !ex.Exception.Valid():
			return nil, false, &SourceError{Source: s.info.Name, Op: "retain", Err: fmt.Errorf("exception %d is not one of Art. 17(3): %w", ex.Exception, ErrInvalidSource)}
		case ex.Ref != "" && !safe.Code(ex.Ref, true):
			return nil, false, &SourceError{Source: s.info.Name, Op: "retain", Err: fmt.Errorf("Ref %q is not a code (letters, digits and . _ - : /): %w", ex.Ref, ErrInvalidSource)}
		default:
			if err := rt.checkExemption(&ex); err != nil {
				return nil, false, &SourceError{Source: s.info.Name, Op: "retain", Err: err}
			}
			kept = append(kept, ex)
		}
	}
	if len(kept) == 0 {
		return nil, false, nil
	}
	_, partial := s.Source.(PartEraser)
	whole = !partial || len(keptCategories(kept)) == 0
	return kept, whole, nil
}

// checkExemption checks the categories and purposes a Retainer names.
func (rt *Desk) checkExemption(ex *Exemption) error {
	for i, c := range ex.Categories {
		key, ok := pii.LookupCategory(string(c))
		if !ok {
			return fmt.Errorf("Categories[%d] %q is not a registered category: %w", i, c, ErrInvalidSource)
		}
		ex.Categories[i] = key
	}
	for _, id := range ex.Purposes {
		if _, ok := rt.reg.Purpose(id); !ok {
			return fmt.Errorf("purpose %q is not registered: %w", id, ErrInvalidSource)
		}
	}
	return nil
}

// activeHolds is implemented by a HoldChecker that lists the holds in
// force, as *retention.Holds does: every hold within a broad category is
// then found, and only the held categories are kept.
type activeHolds interface {
	Active(ctx context.Context) ([]retention.Hold, error)
}

// heldCategories calls add with each hold touching one of cats of the
// subject's data and the category it keeps: c itself when the hold covers
// c, the held category when it lies within c. A checker that cannot list
// its holds may hide further holds within c behind the first: c is kept
// then. No cats asks about the subject's data as a whole.
func (rt *Desk) heldCategories(ctx context.Context, subject string, cats []pii.Category, add func(Exemption, pii.Category)) error {
	if len(cats) == 0 {
		h, held, err := rt.holds.Check(ctx, subject, "")
		if err == nil && held {
			add(holdExemption(h), "")
		}
		return err
	}
	lister, canList := rt.holds.(activeHolds)
	var active []retention.Hold
	for _, c := range cats {
		h, held, err := rt.holds.Check(ctx, subject, c) // also refuses an unknown category
		if err != nil || !held {
			if err != nil {
				return err
			}
			continue
		}
		if !canList {
			add(holdExemption(h), c)
			continue
		}
		if active == nil {
			if active, err = lister.Active(ctx); err != nil {
				return err
			}
		}
		for _, h := range active {
			switch {
			case !h.Touches(subject, c):
			case h.Covers(subject, c) || h.Category == "":
				add(holdExemption(h), c)
			default:
				held, ok := pii.LookupCategory(string(h.Category))
				if !ok {
					held = c
				}
				add(holdExemption(h), held)
			}
		}
	}
	return nil
}

// keptCategories returns the categories the exemptions keep, each once;
// none when one of them keeps all.
func keptCategories(kept []Exemption) []pii.Category {
	var out []pii.Category
	for _, ex := range kept {
		if len(ex.Categories) == 0 {
			return nil
		}
		for _, c := range ex.Categories {
			if !containsCategory(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

// settleKept stores what the exceptions keep of a source's data: all of
// it (state StepExempt, settled), or a part (state 0: the rest is erased
// next). It journals the decision; a source that nothing keeps any more
// (a hold released since the last run) only forgets the earlier one.
func (u *run) settleKept(ctx context.Context, name string, state StepState, kept []Exemption) error {
	if len(kept) == 0 {
		if len(u.current(KindRequestSource, name).Kept) == 0 {
			return nil
		}
		return u.update(ctx, func(r *Request) error {
			step(&r.Sources, name).Kept = nil
			return nil
		})
	}
	reasons := []string{u.req.Right.String(), name}
	for _, ex := range kept {
		reasons = append(reasons, ex.Exception.String())
	}
	if state != StepExempt {
		reasons = append(reasons, "part")
	}
	if err := u.rt.record(ctx, &u.req, KindRequestSource, OutcomeExempt, reasons...); err != nil {
		return err
	}
	now := u.rt.clock()
	return u.update(ctx, func(r *Request) error {
		s := step(&r.Sources, name)
		s.Kept = cloneExemptions(kept)
		if state == StepExempt {
			first := kept[0]
			s.State, s.Exemption, s.Error, s.At = StepExempt, &first, "", now
		}
		return nil
	})
}

// completedErasure returns the certificate of request id when it is a
// completed erasure.
func (rt *Desk) completedErasure(ctx context.Context, id string) (Certificate, bool) {
	r, err := rt.store.Request(ctx, id)
	if err != nil || r.Right != RightErasure || r.State != RequestCompleted {
		return Certificate{}, false
	}
	return certificateOf(r), true
}

// limitKept tells the Guard, once every step is settled, that what the
// exceptions kept serves only their purposes (gdpr.Guard.Keep), or, when
// nothing was kept, ends an earlier erasure's limit (ReleaseKept).
func (u *run) limitKept(ctx context.Context) error {
	var kept []Exemption
	for _, s := range slices.Concat(u.req.Sources, u.req.Keys, u.req.Consents) {
		if !s.settled() {
			return nil
		}
		kept = append(kept, s.Kept...)
		if s.Exemption != nil && len(s.Kept) == 0 {
			kept = append(kept, *s.Exemption)
		}
	}
	if u.rt.guard == nil {
		return nil
	}
	if len(kept) == 0 {
		// Nothing is kept any more (an erasure after the exception ended):
		// an earlier limit has nothing left to limit.
		if err := u.rt.guard.ReleaseKept(ctx, u.req.Subject); err != nil && !errors.Is(err, gdpr.ErrNotConfigured) {
			return &RequestError{ID: u.req.ID, Op: u.op, Err: err}
		}
		return nil
	}
	k := gdpr.Kept{Subject: u.req.Subject}
	for _, ex := range kept {
		if code := ex.Exception.String(); !slices.Contains(k.Exceptions, code) {
			k.Exceptions = append(k.Exceptions, code)
		}
		purposes := ex.Purposes
		if len(purposes) == 0 {
			purposes = exceptionPurposes(u.rt.reg, ex.Exception)
		}
		for _, p := range purposes {
			if !slices.Contains(k.Purposes, p) {
				k.Purposes = append(k.Purposes, p)
			}
		}
	}
	if err := u.rt.guard.Keep(ctx, k); err != nil {
		return &RequestError{ID: u.req.ID, Op: u.op, Err: fmt.Errorf("the kept data could not be limited to its exceptions' purposes: %w", err)}
	}
	return nil
}

// exceptionPurposes returns the registered purposes data kept under the
// exception may serve: storage, and the exception's own.
func exceptionPurposes(reg *gdpr.Register, e Exception) []string {
	var out []string
	for _, p := range reg.Purposes() {
		var serves bool
		switch e {
		case ExceptionLegalHold, ExceptionLegalClaims: // Art. 17(3)(e)
			serves = p.LegalClaims || p.Condition == gdpr.LegalClaims
		case ExceptionLegalObligation: // Art. 17(3)(b)
			serves = p.Basis == gdpr.LegalObligation || p.Basis == gdpr.PublicTask
		case ExceptionPublicHealth: // Art. 17(3)(c)
			serves = p.Condition == gdpr.PublicHealth
		case ExceptionArchiving: // Art. 17(3)(d)
			serves = p.Condition == gdpr.Archiving
		}
		if serves || p.Storage {
			out = append(out, p.ID)
		}
	}
	return out
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
		} else if len(st.Kept) > 0 {
			return st.Kept[0], true, false, nil // the kept part is sealed under it
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
