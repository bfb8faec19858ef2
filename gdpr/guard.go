package gdpr

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/internal/safe"
)

// ConsentReader answers whether consent holds for a subject and purpose.
// *consent.Ledger implements it.
//
// The Guard always asks for now by passing a zero instant, and Status must
// then decide by the subject's last event for the purpose in sequence
// order, whatever the clock of the instance that stamped it, as
// *consent.Ledger does: so a withdrawal holds on every instance from the
// moment it returns, even where their clocks disagree. Asking for an
// explicit instant from this instance's clock would miss events a faster
// clock stamped after it.
type ConsentReader interface {
	Status(ctx context.Context, subject, purpose string, at time.Time) (consent.Status, error)
}

// ContractFunc reports whether processing for purpose is necessary for a
// contract with subject, or for steps the subject asked for before entering
// into one (Art. 6(1)(b)): typically whether the subject has an active
// account or order.
type ContractFunc func(ctx context.Context, subject, purpose string) (bool, error)

// GuardConfig configures a Guard.
type GuardConfig struct {
	// Register holds the purposes. Required.
	Register *Register
	// Consent reads consent; required when a purpose rests on consent or on
	// the explicit consent of Art. 9(2)(a).
	Consent ConsentReader
	// Contract confirms contracts; required when a purpose rests on one.
	Contract ContractFunc
	// Contracts, when set, confirms contracts for many subjects at once in
	// bulk runs (AllowEach, Audience); Contract is asked one subject at a
	// time otherwise. It must answer as Contract does.
	Contracts BatchContractFunc
	// Objections and Restrictions are the stores the Guard reads on every
	// call and writes through Object and Restrict. Required; a MemoryStore
	// or SQLStore serves as both.
	Objections   ObjectionStore
	Restrictions RestrictionStore
	// Kept keeps what an erasure kept under Art. 17(3) (Guard.Keep); the
	// Restrictions store when nil and it is a KeptStore, as MemoryStore
	// and SQLStore are.
	Kept KeptStore
	// Journal, when set, records every denial, objection and restriction,
	// and each batch of a bulk run as one entry (AllowEach, Audience).
	Journal *audit.Journal
	// JournalAllowed also records allowed decisions. Off by default: it
	// costs a journal append per call.
	JournalAllowed bool
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Guard decides, before processing, whether a lawful basis holds for a data
// subject and a purpose, and says why. It reads the register, the consent
// ledger, the objection and restriction stores at every call, so a
// withdrawal, objection or restriction takes effect at once. Safe for
// concurrent use.
type Guard struct {
	reg            *Register
	consent        ConsentReader
	contract       ContractFunc
	contracts      BatchContractFunc
	objections     ObjectionStore
	restrictions   RestrictionStore
	kept           KeptStore
	journal        *audit.Journal
	journalAllowed bool
	now            func() time.Time
}

// NewGuard returns a Guard. It fails when a required collaborator is
// missing, naming it, including the consent reader or contract hook that a
// registered purpose needs.
func NewGuard(cfg GuardConfig) (*Guard, error) {
	switch {
	case cfg.Register == nil:
		return nil, configError("NewGuard", "GuardConfig.Register is nil")
	case cfg.Objections == nil:
		return nil, configError("NewGuard", "GuardConfig.Objections is nil: objections must be honoured (Art. 21); use NewMemoryStore or NewSQLStore")
	case cfg.Restrictions == nil:
		return nil, configError("NewGuard", "GuardConfig.Restrictions is nil: restrictions must be honoured (Art. 18); use NewMemoryStore or NewSQLStore")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	g := &Guard{
		reg: cfg.Register, consent: cfg.Consent, contract: cfg.Contract, contracts: cfg.Contracts,
		objections: cfg.Objections, restrictions: cfg.Restrictions, kept: keptStoreOf(&cfg),
		journal: cfg.Journal, journalAllowed: cfg.JournalAllowed, now: cfg.Now,
	}
	for _, p := range cfg.Register.Purposes() {
		if err := g.configured(&p); err != nil {
			return nil, fmt.Errorf("gdpr: NewGuard: purpose %q %w", p.ID, err)
		}
	}
	return g, nil
}

// configured reports a collaborator that purpose p needs and the Guard lacks.
func (g *Guard) configured(p *Purpose) error {
	if (p.Basis == Consent || p.Condition == ExplicitConsent) && g.consent == nil {
		return fmt.Errorf("rests on consent but GuardConfig.Consent is nil: %w", ErrNotConfigured)
	}
	if p.Basis == Contract && g.contract == nil {
		return fmt.Errorf("rests on a contract but GuardConfig.Contract is nil: %w", ErrNotConfigured)
	}
	return nil
}

// Allow decides whether subject's data may be processed for purpose now.
// It returns the Decision and, when processing may not go ahead, an error:
// a *DenialError matching ErrNoLawfulBasis and a specific sentinel
// (ErrUnknownPurpose, ErrRestricted, ErrObjected, ErrNoConsent,
// ErrNoContract) when no lawful basis holds, or another error when the Guard
// could not decide (a store failed, a collaborator is missing): treat every
// non-nil error as "do not process".
//
// The checks, in order: the purpose is registered; the subject's data is
// not erased but for what an Art. 17(3) exception keeps for other
// purposes (Keep); processing is not
// restricted (Art. 18), unless Art. 18(2) allows the purpose (storage,
// legal claims, protection of others, important public interest, or
// consent given after the restriction took effect); the subject has not
// objected (Art. 21) to a purpose resting on public task or legitimate
// interests, unless it serves legal claims (Art. 21(1)), nor to direct
// marketing, to this purpose or to all of it; consent holds now, by the
// subject's last consent event in sequence order (see ConsentReader), when
// the purpose rests on it or on explicit consent (Art. 9(2)(a), 22(2)(c)),
// and, for children's data, the consent record shows the subject of the
// age of digital consent of their country or a holder of parental
// responsibility's consent (Art. 8(1), ErrUnderAge); the contract hook
// confirms a contract when the purpose rests on one. Legal obligation,
// vital interests and public task hold as declared.
//
// An allowed call does not allocate unless allowed decisions are journalled.
func (g *Guard) Allow(ctx context.Context, subject, purpose string) (Decision, error) {
	d := Decision{Purpose: purpose, At: g.now()}
	if subject == "" {
		return d, fmt.Errorf("gdpr: Allow purpose %q: %w", purpose, ErrNoSubject)
	}
	p := g.reg.lookup(purpose)
	if p == nil {
		return g.deny(ctx, subject, d, ReasonUnknownPurpose, ErrUnknownPurpose)
	}
	d.Basis, d.Condition = p.Basis, p.Condition
	reason, err := decide(ctx, g, p, &d, storeFacts{g, subject})
	if err != nil {
		return d, fmt.Errorf("gdpr: Allow purpose %q: %w", purpose, err)
	}
	if reason.Denial() {
		return g.deny(ctx, subject, d, reason, denialSentinel(reason))
	}
	d.Allowed, d.Reason = true, reason
	if g.journalAllowed && g.journal != nil {
		if err := g.record(ctx, subject, &d); err != nil {
			d.Allowed = false
			return d, fmt.Errorf("gdpr: Allow purpose %q: allowed, but the decision could not be journalled: %w", purpose, err)
		}
	}
	return d, nil
}

// facts are what a decision reads about one subject besides the register:
// Allow reads them from the stores as the rules ask for them (storeFacts),
// a bulk run from what it read for its whole batch. Both decide through
// decide, so they agree.
type facts interface {
	// keptOnly reports whether the subject's data is kept only for
	// purposes other than p (Art. 17(3), Guard.Keep).
	keptOnly(ctx context.Context, p *Purpose) (bool, error)
	restriction(ctx context.Context) (Restriction, bool, error)
	objected(ctx context.Context, p *Purpose) (bool, error)
	consent(ctx context.Context, p *Purpose) (consent.Status, error)
	contract(ctx context.Context, p *Purpose) (bool, error)
}

// decide runs the checks on a registered purpose and returns the reason for
// allowing or denying; an error means it could not decide. It is generic
// so that each kind of facts is called directly, without allocating.
func decide[F facts](ctx context.Context, g *Guard, p *Purpose, d *Decision, f F) (Reason, error) {
	// Art. 17(3): erased data an exception keeps serves its purposes only.
	if other, err := f.keptOnly(ctx, p); err != nil || other {
		return ReasonKeptForException, err
	}
	r, restricted, err := f.restriction(ctx)
	if err != nil {
		return 0, fmt.Errorf("read restriction: %w", err)
	}
	consentBased := p.Basis == Consent || p.Condition == ExplicitConsent
	// Art. 18(2): restricted data may, apart from storage, be processed
	// only with the subject's consent, for legal claims, for the
	// protection of another person's rights or for important public
	// interest. The consent must be given after the restriction took
	// effect: consent given before it is what the restriction suspends.
	if restricted && !p.RestrictionExempt() {
		if !consentBased {
			return ReasonRestricted, nil
		}
		if err := g.configured(p); err != nil {
			return 0, fmt.Errorf("the purpose %w", err)
		}
		st, err := f.consent(ctx, p)
		if err != nil {
			return 0, fmt.Errorf("read consent: %w", err)
		}
		if !st.Given() || !st.Since.After(r.At) {
			return ReasonRestricted, nil
		}
	}
	overridden := false
	if p.Objectable() {
		objected, err := f.objected(ctx, p)
		switch {
		case err != nil:
			return 0, fmt.Errorf("read objection: %w", err)
		case objected && p.DirectMarketing:
			return ReasonObjectedMarketing, nil
		case objected && p.LegalClaims:
			// Art. 21(1): processing for the establishment, exercise or
			// defence of legal claims goes on after an objection.
			overridden = true
		case objected:
			return ReasonObjected, nil
		}
	}
	if err := g.configured(p); err != nil {
		return 0, fmt.Errorf("the purpose %w", err)
	}
	if consentBased {
		st, err := f.consent(ctx, p)
		if err != nil {
			return 0, fmt.Errorf("read consent: %w", err)
		}
		if !st.Given() {
			return consentReason(st.State), nil
		}
		// Art. 8(1): a child's consent holds from the age of digital
		// consent of the child's country, below it only when given or
		// authorised by the holder of parental responsibility.
		if p.children() && !st.Age.Meets(p.ageOfConsent(st.Age)) {
			return ReasonUnderAge, nil
		}
		d.Notice, d.Since = st.Notice, st.Since
	}
	var reason Reason
	switch p.Basis {
	case Consent:
		reason = ReasonConsent
	case Contract:
		ok, err := f.contract(ctx, p)
		if err != nil {
			return 0, fmt.Errorf("contract hook: %w", err)
		}
		if !ok {
			return ReasonNoContract, nil
		}
		reason = ReasonContract
	case LegitimateInterests:
		reason = ReasonLegitimateInterests
	default:
		reason = ReasonDeclared
	}
	switch {
	case restricted && p.RestrictionExempt():
		reason = ReasonRestrictionExempt
	case restricted:
		reason = ReasonRestrictionConsent
	case overridden:
		reason = ReasonLegalClaimsOverObjection
	}
	return reason, nil
}

// storeFacts reads one subject's facts from the Guard's stores, each when
// the rules first ask for it.
type storeFacts struct {
	g       *Guard
	subject string
}

func (f storeFacts) keptOnly(ctx context.Context, p *Purpose) (bool, error) {
	return f.g.keptOnly(ctx, f.subject, p)
}

func (f storeFacts) restriction(ctx context.Context) (Restriction, bool, error) {
	return f.g.restrictions.Restriction(ctx, f.subject)
}

// objected reports whether the subject objected to p: to the purpose itself
// or, for direct marketing, to all of it.
func (f storeFacts) objected(ctx context.Context, p *Purpose) (bool, error) {
	if p.DirectMarketing {
		_, ok, err := f.g.objections.Objection(ctx, f.subject, AllDirectMarketing)
		if err != nil || ok {
			return ok, err
		}
	}
	_, ok, err := f.g.objections.Objection(ctx, f.subject, p.ID)
	return ok, err
}

// consent reads consent now, in sequence order (a zero instant), not at
// the decision's instant: a withdrawal another instance stamped ahead of
// this clock holds.
func (f storeFacts) consent(ctx context.Context, p *Purpose) (consent.Status, error) {
	return f.g.consent.Status(ctx, f.subject, p.ID, time.Time{})
}

func (f storeFacts) contract(ctx context.Context, p *Purpose) (bool, error) {
	return f.g.contract(ctx, f.subject, p.ID)
}

func consentReason(s consent.State) Reason {
	switch s {
	case consent.Withdrawn:
		return ReasonConsentWithdrawn
	case consent.Expired:
		return ReasonConsentExpired
	case consent.Outdated:
		return ReasonConsentOutdated
	}
	return ReasonConsentMissing
}

func denialSentinel(r Reason) error {
	switch r {
	case ReasonUnknownPurpose:
		return ErrUnknownPurpose
	case ReasonRestricted:
		return ErrRestricted
	case ReasonObjected, ReasonObjectedMarketing:
		return ErrObjected
	case ReasonNoContract:
		return ErrNoContract
	case ReasonUnderAge:
		return ErrUnderAge
	case ReasonKeptForException:
		return ErrKeptForException
	}
	return ErrNoConsent
}

// deny completes a denied decision: the DenialError, journalled when the
// Guard has a journal.
func (g *Guard) deny(ctx context.Context, subject string, d Decision, r Reason, sentinel error) (Decision, error) {
	d.Allowed, d.Reason = false, r
	denial := &DenialError{Purpose: d.Purpose, Basis: d.Basis, Reason: r, Err: sentinel}
	if g.journal == nil {
		return d, denial
	}
	if err := g.record(ctx, subject, &d); err != nil {
		return d, errors.Join(denial, fmt.Errorf("gdpr: the denial could not be journalled: %w", err))
	}
	return d, denial
}

// record journals a decision.
func (g *Guard) record(ctx context.Context, subject string, d *Decision) error {
	ev := audit.Event{Kind: audit.KindDecision, Subject: subject, Outcome: audit.OutcomeDenied, Reasons: []string{d.Reason.String()}}
	if d.Allowed {
		ev.Outcome = audit.OutcomeAllowed
	}
	if d.Basis.Valid() {
		ev.Reasons = append(ev.Reasons, d.Basis.String())
	}
	// An unknown purpose is journalled by name only when the name is a
	// code: a caller's mistake must not put free text in the journal.
	if safe.Code(d.Purpose, false) {
		ev.Purpose = d.Purpose
	}
	_, err := g.journal.Record(ctx, ev)
	return err
}

// ErrNotObjectable is returned by Object, and by Rights.Receive for an
// objection request, for a purpose the subject has no right to object to
// under Art. 21.
var ErrNotObjectable = errors.New("no right to object")

// Object records the subject's objection (Art. 21) to o.Purpose, or to all
// direct marketing with AllDirectMarketing. It takes effect at once: the
// next Allow for the purpose, on any instance sharing the store, is denied.
// The right to object applies to purposes resting on public task or
// legitimate interests, and to direct marketing; for consent, withdraw it in
// the consent ledger instead.
func (g *Guard) Object(ctx context.Context, o Objection) error {
	if o.Subject == "" {
		return fmt.Errorf("gdpr: Object: %w", ErrNoSubject)
	}
	if o.Purpose != AllDirectMarketing {
		p := g.reg.lookup(o.Purpose)
		switch {
		case p == nil:
			return fmt.Errorf("gdpr: Object: purpose %q is not registered: %w", o.Purpose, ErrNotObjectable)
		case !p.Objectable() && p.Basis == Consent:
			return fmt.Errorf("gdpr: Object: purpose %q rests on consent and is not direct marketing: withdraw the consent in the consent ledger instead: %w", o.Purpose, ErrNotObjectable)
		case !p.Objectable():
			return fmt.Errorf("gdpr: Object: purpose %q rests on %s and is not direct marketing, so Art. 21 gives no right to object to it: %w", o.Purpose, p.Basis.Article(), ErrNotObjectable)
		}
	}
	if o.At.IsZero() {
		o.At = g.now()
	}
	if err := g.objections.AddObjection(ctx, o); err != nil {
		return fmt.Errorf("gdpr: Object purpose %q: %w", o.Purpose, err)
	}
	return g.event(ctx, audit.Event{Kind: audit.KindObjection, Subject: o.Subject, Purpose: o.Purpose, Outcome: audit.OutcomeDone})
}

// LiftObjection removes the subject's objection to purpose (or to
// AllDirectMarketing): when the subject withdraws it, or, for Art. 21(1),
// when the controller has demonstrated compelling legitimate grounds. Lift
// an objection to direct marketing only at the subject's request. The
// purpose need not be registered any more, but must be a purpose ID (a
// code) or AllDirectMarketing (ErrInvalidArgument). Lifting an objection
// that does not exist does nothing and is not journalled.
func (g *Guard) LiftObjection(ctx context.Context, subject, purpose string) error {
	if subject == "" {
		return fmt.Errorf("gdpr: LiftObjection: %w", ErrNoSubject)
	}
	if purpose != AllDirectMarketing && !safe.Code(purpose, false) {
		return fmt.Errorf("gdpr: LiftObjection: purpose %q is neither a purpose ID (1 to 64 of a-z 0-9 . _ -) nor AllDirectMarketing: %w", purpose, ErrInvalidArgument)
	}
	ok, err := g.objections.RemoveObjection(ctx, subject, purpose)
	if err != nil {
		return fmt.Errorf("gdpr: LiftObjection purpose %q: %w", purpose, err)
	}
	if !ok {
		return nil
	}
	return g.event(ctx, audit.Event{Kind: audit.KindObjectionLifted, Subject: subject, Purpose: purpose, Outcome: audit.OutcomeDone})
}

// Restrict restricts processing of the subject's data (Art. 18). It takes
// effect at once: from the next Allow, only the purposes Art. 18(2) allows
// are: those marked Storage, LegalClaims, ProtectsOthers or
// PublicInterest, and those resting on consent the subject gives after the
// restriction.
func (g *Guard) Restrict(ctx context.Context, r Restriction) error {
	if r.Subject == "" {
		return fmt.Errorf("gdpr: Restrict: %w", ErrNoSubject)
	}
	if !r.Ground.Valid() {
		return fmt.Errorf("gdpr: Restrict: Ground %d is not one of Art. 18(1)(a)-(d): %w", r.Ground, ErrInvalidArgument)
	}
	if r.At.IsZero() {
		r.At = g.now()
	}
	if err := g.restrictions.AddRestriction(ctx, r); err != nil {
		return fmt.Errorf("gdpr: Restrict: %w", err)
	}
	return g.event(ctx, audit.Event{Kind: audit.KindRestriction, Subject: r.Subject, Outcome: audit.OutcomeDone, Reasons: []string{r.Ground.String()}})
}

// LiftRestriction ends the restriction of the subject's data; inform the
// subject before (Art. 18(3)). Lifting a restriction that does not exist
// does nothing and is not journalled.
func (g *Guard) LiftRestriction(ctx context.Context, subject string) error {
	if subject == "" {
		return fmt.Errorf("gdpr: LiftRestriction: %w", ErrNoSubject)
	}
	ok, err := g.restrictions.RemoveRestriction(ctx, subject)
	if err != nil {
		return fmt.Errorf("gdpr: LiftRestriction: %w", err)
	}
	if !ok {
		return nil
	}
	return g.event(ctx, audit.Event{Kind: audit.KindRestrictionLifted, Subject: subject, Outcome: audit.OutcomeDone})
}

// event journals ev when the Guard has a journal.
func (g *Guard) event(ctx context.Context, ev audit.Event) error {
	if g.journal == nil {
		return nil
	}
	if _, err := g.journal.Record(ctx, ev); err != nil {
		return fmt.Errorf("gdpr: %s took effect but could not be journalled: %w", ev.Kind, err)
	}
	return nil
}

// Register returns the purpose register the Guard decides by.
func (g *Guard) Register() *Register { return g.reg }
