package consent

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
)

// LedgerConfig configures a Ledger. Only Store is required; the other
// fields left zero mean no sealing, the system clock and grants that do
// not expire.
type LedgerConfig struct {
	// Store keeps the events and notices. Required: use an SQLStore in
	// production, and ask for a MemoryStore (NewMemoryStore), whose
	// contents are lost with the process, by name in tests.
	Store Store
	// Sealer, when set, seals the personal details of each proof before it
	// is stored and opens them when History reads them back. Use the
	// pii/shred Shredder, so that erasing the subject's key erases them.
	// Nil stores proofs as given.
	Sealer Sealer
	// Now is the clock that stamps events; nil means time.Now.
	Now func() time.Time
	// Validity is how long a grant holds before it expires (Expired). Zero
	// means grants do not expire unless their Act says when.
	Validity time.Duration
	// PurposeValidity sets the validity of single purposes, over Validity.
	// A zero duration means that purpose's grants do not expire.
	PurposeValidity map[string]time.Duration
	// Observe, when set, is told of the events every Grant, Withdraw,
	// WithdrawAll and Expire stored, after they are stored, with their
	// proofs as stored (sealed with a Sealer). An error it returns is
	// returned with the events, which stay recorded. Use it to journal
	// consent changes beside other processing events.
	Observe func(ctx context.Context, events []Event) error
}

// Ledger records consent events and answers whether consent holds. It is
// safe for concurrent use; several Ledgers, in one process or many, may
// share one Store.
//
// The Ledger keeps no state of its own: every answer comes from the store,
// so a withdrawal recorded by one instance holds at once for every other
// (see Status for what that means when their clocks disagree).
type Ledger struct {
	store     Store
	sealer    Sealer
	now       func() time.Time
	validity  time.Duration
	byPurpose map[string]time.Duration
	observe   func(context.Context, []Event) error
}

// New returns a Ledger configured by cfg. An incomplete or inconsistent
// cfg is an error matching ErrInvalidConfig.
func New(cfg LedgerConfig) (*Ledger, error) {
	if cfg.Store == nil {
		return nil, invalidConfig("LedgerConfig.Store is nil; use an SQLStore, or NewMemoryStore in tests")
	}
	if cfg.Validity < 0 {
		return nil, invalidConfig("LedgerConfig.Validity: negative duration %v", cfg.Validity)
	}
	for p, d := range cfg.PurposeValidity {
		if d < 0 {
			return nil, invalidConfig("LedgerConfig.PurposeValidity[%q]: negative duration %v", p, d)
		}
	}
	l := &Ledger{
		store:     cfg.Store,
		sealer:    cfg.Sealer,
		now:       cfg.Now,
		validity:  cfg.Validity,
		byPurpose: maps.Clone(cfg.PurposeValidity),
		observe:   cfg.Observe,
	}
	if l.now == nil {
		l.now = time.Now
	}
	return l, nil
}

// clock returns the current time in UTC without a monotonic reading, as
// stores keep it.
func (l *Ledger) clock() time.Time { return l.now().UTC().Round(0).Truncate(time.Microsecond) }

// Grant records that r.Subject consented to each of r.Purposes, under
// notice r.Notice, given by r.Method. It returns the stored events, with
// the proof as given.
//
// When purposes have published notices, r.Notice must be one of them
// (ErrUnknownNotice), and not one that a material change has superseded
// by now (ErrSupersededNotice), as from a page cached before the change. With a Sealer, a proof that cannot be sealed fails the
// grant (*ProofError); so does a subject whose key was erased.
func (l *Ledger) Grant(ctx context.Context, r Act) ([]Event, error) {
	return l.record(ctx, Grant, r, false)
}

// Withdraw records that r.Subject withdrew consent to each of r.Purposes.
// It takes effect at once: from when Withdraw returns, Status for now (a
// zero instant) says Withdrawn on every Ledger on the store, whatever their
// clocks, until a later grant; so does Status for any instant not before
// the withdrawal's Event.At.
// Only the subject and the purposes are required.
//
// A withdrawal is never refused for its proof: if the Sealer cannot seal
// it, the withdrawal is recorded with the proof's personal details left out
// (Proof.Erased) and Withdraw returns the events together with a
// *ProofError. If the subject's key was erased, that is no error.
func (l *Ledger) Withdraw(ctx context.Context, r Act) ([]Event, error) {
	return l.record(ctx, Withdrawal, r, false)
}

// WithdrawAll records a withdrawal for every purpose the subject has events
// for, unless the purpose's last event in Seq order is already a
// withdrawal: the subject's "withdraw everything". It decides by sequence,
// not by time, so a grant stamped by an instance whose clock runs ahead of
// this one's is withdrawn too, as are expired and outdated grants.
// r.Purposes must be empty. It returns the events recorded, none when
// every purpose was already withdrawn.
func (l *Ledger) WithdrawAll(ctx context.Context, r Act) ([]Event, error) {
	return l.record(ctx, Withdrawal, r, true)
}

// Expire records that consent to each of r.Purposes lapsed, for example
// because the consent string it came with expired. Grants that carry their
// own end (LedgerConfig.Validity, Act.Expires) need no Expiry event.
func (l *Ledger) Expire(ctx context.Context, r Act) ([]Event, error) {
	return l.record(ctx, Expiry, r, false)
}

func (l *Ledger) record(ctx context.Context, k EventKind, r Act, all bool) ([]Event, error) {
	now := l.clock()
	if err := r.check(k, now, all); err != nil {
		return nil, err
	}
	age, err := r.Age.normalize(now)
	if err != nil {
		return nil, err
	}
	purposes := r.Purposes
	if all {
		var err error
		if purposes, err = l.unwithdrawn(ctx, r.Subject); err != nil || len(purposes) == 0 {
			return nil, err
		}
	}
	if k == Grant {
		for _, p := range purposes {
			if err := l.checkPublished(ctx, p, r.Notice, now); err != nil {
				return nil, err
			}
		}
	}
	given := r.Proof
	given.Subject, given.Erased = r.Subject, false
	stored, proofErr := l.seal(ctx, k, given)
	if proofErr != nil && k == Grant {
		return nil, proofErr
	}
	events := make([]Event, len(purposes))
	for i, p := range purposes {
		events[i] = Event{
			Subject:  r.Subject,
			Purpose:  p,
			Kind:     k,
			At:       now,
			Notice:   r.Notice,
			Language: r.Language,
			Method:   r.Method,
			Source:   r.Source,
			Proof:    stored,
			Age:      age,
		}
		if k == Grant {
			events[i].Expires = l.expires(p, now, r.Expires)
		}
	}
	if err := l.store.Append(ctx, events); err != nil {
		return nil, err
	}
	if l.observe != nil {
		if err := l.observe(ctx, slices.Clone(events)); err != nil {
			proofErr = errors.Join(proofErr, fmt.Errorf("consent: events recorded, but observing them failed: %w", err))
		}
	}
	if !stored.Erased {
		for i := range events {
			events[i].Proof = given
		}
	}
	return events, proofErr
}

// seal returns the proof as it is to be stored. A proof that cannot be
// sealed is returned erased, with the error unless the subject's key was
// erased and the event is not a grant.
func (l *Ledger) seal(ctx context.Context, k EventKind, p Proof) (Proof, error) {
	if l.sealer == nil || p.empty() {
		return p, nil
	}
	sealed := p
	err := l.sealer.Seal(ctx, &sealed)
	if err == nil {
		return sealed, nil
	}
	p.erase()
	if erased(err) && k != Grant {
		return p, nil
	}
	return p, &ProofError{Op: "seal", Err: err}
}

// expires returns when a grant recorded at now lapses: the purpose's
// validity, or the record's own end when that comes first.
func (l *Ledger) expires(purpose string, now, requested time.Time) time.Time {
	validity, ok := l.byPurpose[purpose]
	if !ok {
		validity = l.validity
	}
	var end time.Time
	if validity > 0 {
		end = now.Add(validity)
	}
	if !requested.IsZero() && (end.IsZero() || requested.Before(end)) {
		end = requested.UTC().Round(0).Truncate(time.Microsecond)
	}
	return end
}

// checkPublished checks that version is a published notice of purpose, if
// the purpose has any, and that no material change superseded it by now.
func (l *Ledger) checkPublished(ctx context.Context, purpose, version string, now time.Time) error {
	notices, err := l.store.Notices(ctx, purpose)
	if err != nil || len(notices) == 0 {
		return err
	}
	if !slices.ContainsFunc(notices, func(n Notice) bool { return n.Version == version }) {
		return &NoticeError{Purpose: purpose, Version: version, Err: ErrUnknownNotice}
	}
	if _, superseded, err := l.store.Superseding(ctx, purpose, version, now); err != nil || superseded {
		if err != nil {
			return err
		}
		return &NoticeError{Purpose: purpose, Version: version, Err: ErrSupersededNotice}
	}
	return nil
}

// unwithdrawn returns the subject's purposes whose last event in Seq order,
// whatever its time, is not a withdrawal.
func (l *Ledger) unwithdrawn(ctx context.Context, subject string) ([]string, error) {
	purposes, err := l.store.Purposes(ctx, subject)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range purposes {
		e, ok, err := l.store.Last(ctx, subject, p)
		if err != nil {
			return nil, err
		}
		if ok && e.Kind != Withdrawal {
			out = append(out, p)
		}
	}
	return out, nil
}

// Status answers whether subject's consent to purpose holds at instant at,
// from the history. A grant holds unless it expired by at, or a notice
// version published as a material change took effect after the grant's
// version and by at (Outdated). Status reads the store every time; it keeps
// no cache.
//
// A zero at means now, and then the deciding event is the last the subject
// recorded for the purpose in Seq order, whatever the clock of the instance
// that stamped it: a withdrawal holds on every Ledger from the moment
// Withdraw returns, even where the clocks disagree. Expiry and notice
// changes are judged by this Ledger's clock.
//
// For an explicit instant, the deciding event is the last in Seq order of
// those stamped not after at. As stores stamp a subject's events in
// sequence order (an event is never stamped before the subject's previous
// one), the answer for an instant is that of a prefix of the history, the
// same on every instance; an event stamped by an instance whose clock runs
// ahead counts only from its stamp, so asking for an explicit instant taken
// from a slower clock may not yet see it.
func (l *Ledger) Status(ctx context.Context, subject, purpose string, at time.Time) (Status, error) {
	if err := checkName("subject", subject); err != nil {
		return Status{}, err
	}
	if err := checkName("purpose", purpose); err != nil {
		return Status{}, err
	}
	return l.status(ctx, subject, purpose, at)
}

func (l *Ledger) status(ctx context.Context, subject, purpose string, at time.Time) (Status, error) {
	var (
		e   Event
		ok  bool
		err error
	)
	if at.IsZero() {
		at = l.clock()
		e, ok, err = l.store.Last(ctx, subject, purpose)
	} else {
		e, ok, err = l.store.Latest(ctx, subject, purpose, at)
	}
	st := Status{Subject: subject, Purpose: purpose, At: at}
	if err != nil {
		return st, err
	}
	return l.judge(ctx, st, e, ok, func(ctx context.Context, notice string) (Notice, bool, error) {
		return l.store.Superseding(ctx, purpose, notice, at)
	})
}

// judge completes st, asked for st.At, from the deciding event e (none
// when ok is false): the one rule by which Status and StatusEach answer.
// superseding returns the material notice change that makes consent given
// under a notice version Outdated at st.At.
func (l *Ledger) judge(ctx context.Context, st Status, e Event, ok bool,
	superseding func(ctx context.Context, notice string) (Notice, bool, error)) (Status, error) {
	if !ok {
		return st, nil
	}
	at := st.At
	st.Seq, st.Notice, st.Since = e.Seq, e.Notice, e.At
	switch e.Kind {
	case Withdrawal:
		st.State = Withdrawn
		return st, nil
	case Expiry:
		st.State = Expired
		return st, nil
	}
	st.State, st.Expires, st.Age = Granted, e.Expires, e.Age
	if !e.Expires.IsZero() && !at.Before(e.Expires) {
		st.State, st.Since = Expired, e.Expires
	}
	n, ok, err := superseding(ctx, e.Notice)
	if err != nil {
		return st, err
	}
	if ok {
		since := n.Effective
		if since.Before(e.At) {
			since = e.At // given under a notice already superseded
		}
		if st.State == Granted || since.Before(st.Since) {
			st.State, st.Since, st.SupersededBy = Outdated, since, n.Version
		}
	}
	if st.State != Granted {
		st.Expires = time.Time{}
	}
	return st, nil
}

// Statuses answers Status at instant at (zero: now, decided as Status
// does) for every purpose the subject has events for, sorted by purpose.
func (l *Ledger) Statuses(ctx context.Context, subject string, at time.Time) ([]Status, error) {
	purposes, err := l.Purposes(ctx, subject)
	if err != nil {
		return nil, err
	}
	out := make([]Status, 0, len(purposes))
	for _, p := range purposes {
		st, err := l.status(ctx, subject, p, at)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// Purposes returns the purposes the subject has events for, sorted.
func (l *Ledger) Purposes(ctx context.Context, subject string) ([]string, error) {
	if err := checkName("subject", subject); err != nil {
		return nil, err
	}
	return l.store.Purposes(ctx, subject)
}

// History returns the evidence: the subject's events for purpose, or for
// every purpose when purpose is empty, in Seq order, with their proofs
// opened. The proof of a subject whose key was erased comes back with its
// personal details zeroed and Erased set; the events themselves remain.
func (l *Ledger) History(ctx context.Context, subject, purpose string) ([]Event, error) {
	if err := checkName("subject", subject); err != nil {
		return nil, err
	}
	if err := checkOptional("purpose", purpose); err != nil {
		return nil, err
	}
	events, err := l.store.Events(ctx, subject, purpose)
	if err != nil || l.sealer == nil {
		return events, err
	}
	for i := range events {
		p := &events[i].Proof
		if p.Erased || p.empty() {
			continue
		}
		p.Subject = events[i].Subject
		if err := l.sealer.Open(ctx, p); err != nil {
			if !erased(err) {
				return nil, &ProofError{Op: "open", Purpose: events[i].Purpose, Seq: events[i].Seq, Err: err}
			}
			p.erase()
		}
	}
	return events, nil
}

// Publish records a notice version for its purpose. A zero Effective means
// now; a Material version cannot take effect in the past (ErrRetroactive),
// since that would change what Status answered for past instants.
//
// Publishing is idempotent, so a service may publish its notices at every
// start-up: a version already published with the same content (Material,
// and Effective unless n leaves it zero) is a no-op, even once a Material
// version is in effect. Versions are never changed or removed: the same
// version with different content is an error matching ErrNoticeExists that
// says what differs.
func (l *Ledger) Publish(ctx context.Context, n Notice) error {
	now := l.clock()
	given := n.Effective
	if n.Effective.IsZero() {
		n.Effective = now
	}
	n.Effective = n.Effective.UTC().Round(0).Truncate(time.Microsecond)
	if err := checkNotice(n); err != nil {
		return err
	}
	if err := l.republished(ctx, n, given.IsZero()); err != errNotPublished {
		return err
	}
	if n.Material && n.Effective.Before(now) {
		return &NoticeError{Purpose: n.Purpose, Version: n.Version, Err: ErrRetroactive}
	}
	err := l.store.AddNotice(ctx, n)
	if errors.Is(err, ErrNoticeExists) {
		// Another instance published the version since: compare with it.
		if err := l.republished(ctx, n, given.IsZero()); err != errNotPublished {
			return err
		}
	}
	return err
}

// errNotPublished tells Publish that a version is not stored yet.
var errNotPublished = errors.New("consent: notice version not published")

// republished compares n with the stored notice of the same version: nil
// when they agree (Effective only when anyEffective is false), an error
// matching ErrNoticeExists when they differ, errNotPublished when there is
// none.
func (l *Ledger) republished(ctx context.Context, n Notice, anyEffective bool) error {
	notices, err := l.store.Notices(ctx, n.Purpose)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(notices, func(m Notice) bool { return m.Version == n.Version })
	if i < 0 {
		return errNotPublished
	}
	old := notices[i]
	if old.Material == n.Material && (anyEffective || old.Effective.Equal(n.Effective)) {
		return nil
	}
	return &NoticeError{Purpose: n.Purpose, Version: n.Version, Err: fmt.Errorf(
		"%w with different content: published as %s, given as %s", ErrNoticeExists, describe(old), describe(n))}
}

// describe states a notice's content for an error message.
func describe(n Notice) string {
	kind := "not material"
	if n.Material {
		kind = "material"
	}
	return kind + ", effective " + n.Effective.UTC().Format(time.RFC3339Nano)
}

// Notices returns the published versions of purpose's notice, ordered by
// Effective.
func (l *Ledger) Notices(ctx context.Context, purpose string) ([]Notice, error) {
	if err := checkName("purpose", purpose); err != nil {
		return nil, err
	}
	return l.store.Notices(ctx, purpose)
}
