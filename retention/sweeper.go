package retention

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"time"
)

// SweeperConfig configures a Sweeper.
type SweeperConfig struct {
	// Policy holds the rules. Required.
	Policy *Policy
	// Sources are the stores of records to keep within the rules, by name.
	// The name keys the source's checkpoint, so keep it stable.
	Sources map[string]RecordSource
	// Subjects are the sources of data subjects whose keys are shredded
	// once they are inactive beyond every rule, by name. Names must differ
	// from those in Sources. Requires Eraser.
	Subjects map[string]SubjectSource
	// Eraser shreds a subject's keys (a *shred.Shredder).
	Eraser Eraser
	// Holds is where legal holds are kept. Required.
	Holds HoldStore
	// Checkpoints keeps each source's cursor and lease. Required.
	Checkpoints CheckpointStore
	// Auditor records every action. Required.
	Auditor Auditor
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Waiter paces the sweep (see Limiter); no pacing when nil.
	Waiter Waiter
	// BatchSize is the number of candidates asked for at a time; 500 when
	// zero.
	BatchSize int
	// Owner names this sweeper in leases; a random name when empty. Each
	// pass over a source leases it as Owner followed by "/" and a random
	// token, so two passes never share a lease, even with the same Owner.
	Owner string
	// LeaseTTL is how long a source stays leased without progress before
	// another sweeper may take it over; 5 minutes when zero. Keep it well
	// above the time one batch takes.
	LeaseTTL time.Duration
}

// Sweeper applies a Policy to sources: it reads candidates in batches,
// judges each category against the rules, leaves held data alone, has the
// source erase, anonymise or flag what is due, journals each action, and
// moves the source's checkpoint after each batch. It then shreds the keys
// of subjects inactive beyond every rule.
//
// A sweep is a pass over each source from its checkpoint to its end, after
// which the checkpoint returns to the start. Interrupted at any point, the
// next sweep resumes at the first batch whose actions were not checkpointed
// and repeats them; sources' actions are idempotent, so nothing is done
// twice in effect and nothing is skipped. Across instances, each source is
// leased to one sweeper at a time through the CheckpointStore.
//
// Safe for concurrent use.
type Sweeper struct {
	policy      *Policy
	sources     map[string]RecordSource
	subjects    map[string]SubjectSource
	names       []string // record sources, sorted
	subjectList []string // subject sources, sorted
	eraser      Eraser
	holds       HoldStore
	checkpoints CheckpointStore
	journal     Auditor
	now         func() time.Time
	waiter      Waiter
	batch       int
	owner       string
	ttl         time.Duration
}

// NewSweeper checks cfg and returns a Sweeper. Errors match ErrInvalidConfig.
func NewSweeper(cfg SweeperConfig) (*Sweeper, error) {
	invalid := func(format string, args ...any) (*Sweeper, error) {
		return nil, fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, args...)...)
	}
	switch {
	case cfg.Policy == nil:
		return invalid("SweeperConfig.Policy is nil")
	case cfg.Holds == nil:
		return invalid("SweeperConfig.Holds is nil; held data must never be acted on")
	case cfg.Checkpoints == nil:
		return invalid("SweeperConfig.Checkpoints is nil")
	case cfg.Auditor == nil:
		return invalid("SweeperConfig.Auditor is nil; actions must be journalled")
	case len(cfg.Sources) == 0 && len(cfg.Subjects) == 0:
		return invalid("no Sources and no Subjects to sweep")
	case len(cfg.Subjects) > 0 && cfg.Eraser == nil:
		return invalid("SweeperConfig.Subjects is set but SweeperConfig.Eraser is nil")
	case cfg.BatchSize < 0:
		return invalid("SweeperConfig.BatchSize is %d; want > 0 (0: 500)", cfg.BatchSize)
	case cfg.LeaseTTL < 0:
		return invalid("SweeperConfig.LeaseTTL is %v; want > 0 (0: 5m)", cfg.LeaseTTL)
	}
	s := &Sweeper{
		policy: cfg.Policy, eraser: cfg.Eraser, holds: cfg.Holds, checkpoints: cfg.Checkpoints,
		journal: cfg.Auditor, now: cfg.Now, waiter: cfg.Waiter, batch: cfg.BatchSize,
		owner: cfg.Owner, ttl: cfg.LeaseTTL,
		sources: map[string]RecordSource{}, subjects: map[string]SubjectSource{},
	}
	for name, src := range cfg.Sources {
		if name == "" || src == nil {
			return invalid("SweeperConfig.Sources[%q]: want a non-empty name and a non-nil RecordSource", name)
		}
		s.sources[name] = src
		s.names = append(s.names, name)
	}
	for name, src := range cfg.Subjects {
		if name == "" || src == nil {
			return invalid("SweeperConfig.Subjects[%q]: want a non-empty name and a non-nil SubjectSource", name)
		}
		if _, dup := s.sources[name]; dup {
			return invalid("%q is both in SweeperConfig.Sources and SweeperConfig.Subjects; checkpoints need distinct names", name)
		}
		s.subjects[name] = src
		s.subjectList = append(s.subjectList, name)
	}
	slices.Sort(s.names)
	slices.Sort(s.subjectList)
	if s.now == nil {
		s.now = time.Now
	}
	if s.batch == 0 {
		s.batch = 500
	}
	if s.owner == "" {
		s.owner = "sweeper-" + rand.Text()
	}
	if s.ttl == 0 {
		s.ttl = 5 * time.Minute
	}
	return s, nil
}

// Owner returns the name this sweeper leases sources under, before the
// token of each pass.
func (s *Sweeper) Owner() string { return s.owner }

// Sweep runs one pass over every source and subject source, acting on what
// is due. It returns the report and, when a source failed, the report's
// errors joined; sources another sweeper holds are listed in Report.Busy
// and are not errors. When ctx ends, Sweep stops after the current step
// and returns ctx's error too.
func (s *Sweeper) Sweep(ctx context.Context) (*Report, error) { return s.run(ctx, false) }

// DryRun reports what Sweep would do now — from each source's checkpoint
// to its end — without acting, journalling or moving checkpoints. It takes
// no leases, so it may run beside a sweep.
func (s *Sweeper) DryRun(ctx context.Context) (*Report, error) { return s.run(ctx, true) }

func (s *Sweeper) run(ctx context.Context, dry bool) (*Report, error) {
	r := &Report{DryRun: dry, Started: s.now()}
	nrules := len(s.policy.rules)
	for _, name := range s.names {
		if ctx.Err() != nil {
			break
		}
		p := &recordPass{s: s, r: r, name: name, src: s.sources[name], dry: dry, tallies: make([]Tally, nrules)}
		s.pass(ctx, r, name, dry, p.batch)
		p.flush()
	}
	for _, name := range s.subjectList {
		if ctx.Err() != nil {
			break
		}
		p := &subjectPass{s: s, r: r, name: name, src: s.subjects[name], dry: dry, tallies: make([]Tally, nrules)}
		s.pass(ctx, r, name, dry, p.batch)
		p.flush()
	}
	r.Finished = s.now()
	err := r.Err()
	if ctxErr := ctx.Err(); ctxErr != nil {
		err = errors.Join(err, ctxErr)
	}
	return r, err
}

// batchFunc reads, judges and acts on one batch after cursor cur, and
// returns the next cursor. It calls guard right before acting; guard fails
// when the sweeper no longer holds the source's lease.
type batchFunc func(ctx context.Context, cur Cursor, guard func(context.Context) error) (Cursor, error)

// pass walks one source from its checkpoint to its end, one batch at a
// time. Outside a dry run it holds the source's lease throughout, renews it
// before acting on a batch, and moves the checkpoint after each batch.
func (s *Sweeper) pass(ctx context.Context, r *Report, name string, dry bool, batch batchFunc) {
	fail := func(op string, err error) {
		var se *SweepError
		if !errors.As(err, &se) {
			err = &SweepError{Source: name, Op: op, Err: err}
		}
		r.Errors = append(r.Errors, err)
	}
	var cur Cursor
	// Each pass leases under its own token, so that a second pass, of this
	// sweeper or of another configured with the same Owner, finds the
	// source leased rather than sharing the lease.
	lease := CheckpointLease{Source: name, Owner: s.owner + "/" + rand.Text()}
	if dry {
		cp, err := s.checkpoints.Checkpoint(ctx, name)
		if err != nil {
			fail("checkpoint", err)
			return
		}
		cur = cp.Cursor
	} else {
		lease.Now = s.now()
		lease.Until = lease.Now.Add(s.ttl)
		var err error
		cur, err = s.checkpoints.AcquireLease(ctx, lease)
		if errors.Is(err, ErrLeased) {
			r.Busy = append(r.Busy, name)
			return
		}
		if err != nil {
			fail("checkpoint", err)
			return
		}
		// Best effort: a lease not released runs out after the TTL.
		defer s.checkpoints.ReleaseLease(context.WithoutCancel(ctx), lease)
	}
	// guard renews the lease, checking that it is still ours and the cursor
	// still where we left it, so a sweeper that stalled beyond its lease
	// and was taken over stops before acting again.
	guard := func(ctx context.Context) error {
		if dry {
			return nil
		}
		lease.Now = s.now()
		lease.Until = lease.Now.Add(s.ttl)
		return s.checkpoints.AdvanceCursor(ctx, lease, cur, cur)
	}
	for {
		if s.waiter != nil {
			if err := s.waiter.Wait(ctx, s.batch); err != nil && ctx.Err() == nil {
				fail("pace", err)
				return
			}
		}
		if ctx.Err() != nil {
			return // run reports ctx's error
		}
		next, err := batch(ctx, cur, guard)
		if err != nil {
			fail("batch", err)
			return
		}
		if next != "" && next == cur {
			fail("candidates", fmt.Errorf("%w: cursor %q returned again", ErrNoProgress, string(cur)))
			return
		}
		if !dry {
			lease.Now = s.now()
			lease.Until = lease.Now.Add(s.ttl)
			if err := s.checkpoints.AdvanceCursor(ctx, lease, cur, next); err != nil {
				fail("checkpoint", err)
				return
			}
		}
		if next == "" {
			return
		}
		cur = next
	}
}

// activeHolds loads the holds in force now, indexed.
func (s *Sweeper) activeHolds(ctx context.Context, name string, now time.Time) (holdIndex, error) {
	holds, err := s.holds.ActiveHolds(ctx, now)
	if err != nil {
		return holdIndex{}, &SweepError{Source: name, Op: "holds", Err: err}
	}
	return newHoldIndex(holds), nil
}
