package gdpr

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/internal/safe"
)

// DefaultBatch is the number of subjects a bulk run decides together when
// BulkOptions.Batch is zero.
const DefaultBatch = consent.DefaultBatch

// MaxBatch bounds BulkOptions.Batch.
const MaxBatch = consent.MaxBatch

// BatchConsentReader is a ConsentReader that answers for many subjects at
// once, for now in sequence order as Status does for a zero instant.
// *consent.Ledger implements it; a bulk run asks Status one subject at a
// time when the reader does not.
type BatchConsentReader interface {
	StatusEach(ctx context.Context, purpose string, subjects []string) ([]consent.Status, error)
}

// ConsentAudience lists, in batches, the subjects whose consent to a
// purpose holds now. *consent.Ledger implements it. Guard.Audience needs
// it.
type ConsentAudience interface {
	Granted(ctx context.Context, purpose string, size int) iter.Seq2[[]consent.Status, error]
}

// BatchContractFunc is ContractFunc for many subjects: it returns, for
// each of subjects in order, whether processing for purpose is necessary
// for a contract with that subject.
type BatchContractFunc func(ctx context.Context, subjects []string, purpose string) ([]bool, error)

// BulkOptions tunes a bulk run.
type BulkOptions struct {
	// Batch is the number of subjects decided together: one read of each
	// store and one journal entry per batch. DefaultBatch when 0; at most
	// MaxBatch.
	Batch int
	// OnBatch, when set, is called with each batch's receipt once the batch
	// is decided and journalled, before its decisions are yielded. Keep the
	// receipt's tree leaves to prove a subject's decision to an auditor
	// later. An error it returns ends the run with that error.
	OnBatch func(ctx context.Context, r BatchReceipt) error
}

// BatchReceipt is what a bulk run did with one batch.
type BatchReceipt struct {
	// Entry is the journal entry of the batch (kind
	// audit.KindDecisionBatch); zero when the Guard has no journal.
	Entry audit.Entry
	// Tree holds the batch's decisions by subject token and proves each
	// one's inclusion in Entry (audit.VerifyInclusion); nil without a
	// journal.
	Tree *audit.BatchTree
	// Allowed and Denied count the batch's decisions.
	Allowed, Denied int
}

// Verdict is one subject's decision in a bulk run.
type Verdict struct {
	Subject string
	Decision
}

// AllowEach decides, as Allow does, for every subject subjects yields,
// streaming: it reads subjects in batches of opts.Batch, reads each
// store once per batch (one query per batch on the SQL stores), decides
// every subject of the batch by the same rules as Allow, journals the
// batch as one entry (when the Guard has a journal: denials and allowed
// decisions alike, whatever JournalAllowed, see audit.Journal.RecordBatch)
// and then yields each subject's Verdict in the order given. A few batches
// are held at a time, however long subjects runs: the next batch is
// listed and read while one is decided, so subjects is consumed on
// another goroutine than the caller's.
//
// A denial is a Verdict with Allowed false and its Reason, not an error.
// The iteration stops at the first error — a store failed, a subject is
// empty (ErrNoSubject), a collaborator is missing, the batch could not be
// journalled — which it yields; no decision of a batch that failed is
// yielded.
//
// A withdrawal, objection or restriction that returned before a batch is
// read is honoured by that batch, on every instance sharing the stores:
// consent is read in sequence order, as Allow reads it.
func (g *Guard) AllowEach(ctx context.Context, purpose string, subjects iter.Seq[string], opts BulkOptions) iter.Seq2[Verdict, error] {
	return func(yield func(Verdict, error) bool) {
		size, err := bulkSize("AllowEach", opts.Batch)
		if err != nil {
			yield(Verdict{}, err)
			return
		}
		src := func(ctx context.Context, yield func([]string, []consent.Status) bool) error {
			buf := make([]string, 0, size)
			for s := range subjects {
				if s == "" {
					return ErrNoSubject
				}
				if buf = append(buf, s); len(buf) == size {
					if !yield(buf, nil) {
						return nil
					}
					buf = make([]string, 0, size)
				}
			}
			if len(buf) > 0 {
				yield(buf, nil)
			}
			return nil
		}
		var stopped bool
		err = g.run(ctx, purpose, src, opts, func(v Verdict) bool {
			stopped = !yield(v, nil)
			return !stopped
		})
		if err != nil && !stopped {
			yield(Verdict{}, fmt.Errorf("gdpr: AllowEach purpose %q: %w", purpose, err))
		}
	}
}

// Allowed yields, of the subjects subjects yields, those for whom Allow
// would allow processing for purpose, decided and journalled in batches
// as AllowEach does. It stops at the first error, which it yields.
func (g *Guard) Allowed(ctx context.Context, purpose string, subjects iter.Seq[string], opts BulkOptions) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		for v, err := range g.AllowEach(ctx, purpose, subjects, opts) {
			if err != nil {
				yield(v.Subject, err)
				return
			}
			if v.Allowed && !yield(v.Subject, nil) {
				return
			}
		}
	}
}

// Audience yields every subject whom Allow would allow processing for
// purpose, a purpose resting on consent or explicit consent: it walks the
// consent ledger's subjects whose consent to purpose holds now, in
// batches of opts.Batch (one query per batch, see consent.Ledger.Granted),
// reads the other stores once per batch, decides each subject by the same
// rules as Allow and journals each batch as one entry before yielding its
// allowed subjects. Memory stays flat however large the population. The
// Guard's ConsentReader must implement ConsentAudience.
//
// The iteration stops at the first error, which it yields; a purpose that
// is not registered yields an error matching ErrUnknownPurpose, one that
// does not rest on consent ErrInvalidArgument.
func (g *Guard) Audience(ctx context.Context, purpose string, opts BulkOptions) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		fail := func(err error) { yield("", fmt.Errorf("gdpr: Audience purpose %q: %w", purpose, err)) }
		size, err := bulkSize("Audience", opts.Batch)
		if err != nil {
			yield("", err)
			return
		}
		p := g.reg.lookup(purpose)
		switch {
		case p == nil:
			fail(ErrUnknownPurpose)
			return
		case p.Basis != Consent && p.Condition != ExplicitConsent:
			fail(fmt.Errorf("the purpose rests on %s, not consent: ask AllowEach over your subjects: %w", p.Basis.Article(), ErrInvalidArgument))
			return
		}
		if err := g.configured(p); err != nil {
			fail(err)
			return
		}
		aud, ok := g.consent.(ConsentAudience)
		if !ok {
			fail(fmt.Errorf("GuardConfig.Consent (%T) cannot list the subjects whose consent holds (ConsentAudience): %w", g.consent, ErrNotConfigured))
			return
		}
		src := func(ctx context.Context, yield func([]string, []consent.Status) bool) error {
			for statuses, err := range aud.Granted(ctx, purpose, size) {
				if err != nil {
					return err
				}
				subjects := make([]string, len(statuses))
				for i, st := range statuses {
					subjects[i] = st.Subject
				}
				if !yield(subjects, statuses) {
					return nil
				}
			}
			return nil
		}
		var stopped bool
		err = g.run(ctx, purpose, src, opts, func(v Verdict) bool {
			if v.Allowed {
				stopped = !yield(v.Subject, nil)
			}
			return !stopped
		})
		if err != nil && !stopped {
			fail(err)
		}
	}
}

func bulkSize(op string, n int) (int, error) {
	switch {
	case n == 0:
		return DefaultBatch, nil
	case n < 0 || n > MaxBatch:
		return 0, fmt.Errorf("gdpr: %s: BulkOptions.Batch %d is not within 1 to %d: %w", op, n, MaxBatch, ErrInvalidArgument)
	}
	return n, nil
}

// source yields a bulk run's batches of subjects, each with the subjects'
// consent when it was read already (nil otherwise), until yield returns
// false; an error it returns ends the run after the batches yielded.
type source func(ctx context.Context, yield func(subjects []string, statuses []consent.Status) bool) error

// run decides for the batches src yields and emits each subject's Verdict,
// in order, until emit returns false. It is a pipeline of two stages: a
// goroutine lists each batch and reads its facts while the batch before
// is decided, journalled and emitted, so that the stores' reads and the
// journal's writes overlap. A batch's facts are still read in full before
// any of its decisions is made, and a batch is journalled only when it is
// decided. Each stage reads or writes one statement at a time, so a run
// holds at most two database connections: as many as database/sql keeps
// idle by default, so that none is opened and closed per batch.
func (g *Guard) run(ctx context.Context, purpose string, src source, opts BulkOptions, emit func(Verdict) bool) error {
	p := g.reg.lookup(purpose)
	ctx, cancel := context.WithCancel(ctx)
	type item struct {
		b   *batch
		err error
	}
	read, done := make(chan item, 1), make(chan struct{})
	send := func(it item) bool {
		select {
		case read <- it:
			return true
		case <-done:
			return false
		}
	}
	go func() {
		defer close(read)
		err := src(ctx, func(subjects []string, statuses []consent.Status) bool {
			it := item{b: &batch{subjects: subjects, statuses: statuses}}
			if p != nil {
				it.err = g.readBatch(ctx, p, it.b)
			}
			return send(it) && it.err == nil
		})
		if err != nil {
			send(item{err: err})
		}
	}()
	defer func() {
		close(done)
		cancel()
		for range read { // wait for the reader to stop
		}
	}()
	for it := range read {
		if it.err != nil {
			return it.err
		}
		verdicts, err := g.decideBatch(ctx, purpose, p, it.b, opts)
		if err != nil {
			return err
		}
		for _, v := range verdicts {
			if !emit(v) {
				return nil
			}
		}
	}
	return nil
}

// decideBatch decides for the batch's subjects by the rules of Allow, over
// the facts read for the whole batch, journals the batch and calls
// OnBatch. p is nil for a purpose that is not registered.
func (g *Guard) decideBatch(ctx context.Context, purpose string, p *Purpose, b *batch, opts BulkOptions) ([]Verdict, error) {
	subjects := b.subjects
	verdicts := make([]Verdict, len(subjects))
	at := g.now()
	receipt := BatchReceipt{}
	for i, s := range subjects {
		d := Decision{Purpose: purpose, At: at, Reason: ReasonUnknownPurpose}
		if p != nil {
			d.Basis, d.Condition = p.Basis, p.Condition
			reason, err := decide(ctx, g, p, &d, batchFacts{b, i})
			if err != nil {
				return nil, err
			}
			d.Reason, d.Allowed = reason, !reason.Denial()
		}
		verdicts[i] = Verdict{Subject: s, Decision: d}
		if d.Allowed {
			receipt.Allowed++
		} else {
			receipt.Denied++
		}
	}
	if g.journal != nil {
		jb := audit.Batch{Decisions: make([]audit.BatchDecision, len(verdicts))}
		if safe.Code(purpose, false) {
			jb.Purpose = purpose
		}
		for i, v := range verdicts {
			jb.Decisions[i] = audit.BatchDecision{Subject: v.Subject, Outcome: audit.OutcomeDenied, Reason: v.Reason.String()}
			if v.Allowed {
				jb.Decisions[i].Outcome = audit.OutcomeAllowed
			}
		}
		var err error
		if receipt.Entry, receipt.Tree, err = g.journal.RecordBatch(ctx, jb); err != nil {
			return nil, fmt.Errorf("the batch could not be journalled: %w", err)
		}
	}
	if opts.OnBatch != nil {
		if err := opts.OnBatch(ctx, receipt); err != nil {
			return nil, err
		}
	}
	return verdicts, nil
}

// batch holds the facts of a batch of subjects, read once.
type batch struct {
	subjects     []string
	kept         map[string]Kept
	restrictions map[string]Restriction
	objected     map[string]bool
	statuses     []consent.Status // by position
	contracts    []bool           // by position
}

// readBatch reads the facts the rules may ask about for p, each with one
// read per batch where the store allows.
func (g *Guard) readBatch(ctx context.Context, p *Purpose, b *batch) error {
	var err error
	if b.kept, err = keptAmong(ctx, g.kept, b.subjects); err != nil {
		return fmt.Errorf("read kept data: %w", err)
	}
	if b.restrictions, err = restrictionsAmong(ctx, g.restrictions, b.subjects); err != nil {
		return fmt.Errorf("read restrictions: %w", err)
	}
	if p.Objectable() {
		purposes := []string{p.ID}
		if p.DirectMarketing {
			purposes = append(purposes, AllDirectMarketing)
		}
		if b.objected, err = objectedAmong(ctx, g.objections, b.subjects, purposes); err != nil {
			return fmt.Errorf("read objections: %w", err)
		}
	}
	if (p.Basis == Consent || p.Condition == ExplicitConsent) && g.consent != nil && b.statuses == nil {
		if b.statuses, err = g.statusEach(ctx, p.ID, b.subjects); err != nil {
			return fmt.Errorf("read consent: %w", err)
		}
	}
	if p.Basis == Contract && g.contract != nil {
		if b.contracts, err = g.contractEach(ctx, p.ID, b.subjects); err != nil {
			return fmt.Errorf("contract hook: %w", err)
		}
	}
	return nil
}

func (g *Guard) statusEach(ctx context.Context, purpose string, subjects []string) ([]consent.Status, error) {
	if r, ok := g.consent.(BatchConsentReader); ok {
		out, err := r.StatusEach(ctx, purpose, subjects)
		if err == nil && len(out) != len(subjects) {
			err = fmt.Errorf("StatusEach returned %d statuses for %d subjects", len(out), len(subjects))
		}
		return out, err
	}
	out := make([]consent.Status, len(subjects))
	for i, s := range subjects {
		var err error
		if out[i], err = g.consent.Status(ctx, s, purpose, time.Time{}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (g *Guard) contractEach(ctx context.Context, purpose string, subjects []string) ([]bool, error) {
	if g.contracts != nil {
		out, err := g.contracts(ctx, subjects, purpose)
		if err == nil && len(out) != len(subjects) {
			err = fmt.Errorf("GuardConfig.Contracts returned %d answers for %d subjects", len(out), len(subjects))
		}
		return out, err
	}
	out := make([]bool, len(subjects))
	for i, s := range subjects {
		var err error
		if out[i], err = g.contract(ctx, s, purpose); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// batchFacts are one subject's facts, read for its batch.
type batchFacts struct {
	b *batch
	i int
}

func (f batchFacts) keptOnly(_ context.Context, p *Purpose) (bool, error) {
	k, ok := f.b.kept[f.b.subjects[f.i]]
	return keptOnlyFor(k, ok, p), nil
}

func (f batchFacts) restriction(context.Context) (Restriction, bool, error) {
	r, ok := f.b.restrictions[f.b.subjects[f.i]]
	return r, ok, nil
}

func (f batchFacts) objected(context.Context, *Purpose) (bool, error) {
	return f.b.objected[f.b.subjects[f.i]], nil
}

func (f batchFacts) consent(context.Context, *Purpose) (consent.Status, error) {
	if f.b.statuses == nil {
		return consent.Status{}, errNotRead
	}
	return f.b.statuses[f.i], nil
}

func (f batchFacts) contract(context.Context, *Purpose) (bool, error) {
	if f.b.contracts == nil {
		return false, errNotRead
	}
	return f.b.contracts[f.i], nil
}

// errNotRead would mean a rule asked for a fact the batch did not read.
var errNotRead = errors.New("gdpr: bulk decision: fact not read for the batch")
