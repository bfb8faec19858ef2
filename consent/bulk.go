package consent

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"
)

// BatchStore is an EventStore that answers for many subjects in one read,
// for campaigns: MemoryStore and SQLStore implement it. The events it
// returns carry the columns that decide a state (Subject, Seq, Purpose,
// Kind, At, Expires, Notice), not the proof: read History for the
// evidence.
type BatchStore interface {
	// LastEach returns, for each of subjects that has events for purpose,
	// its event for purpose with the highest Seq (as Last does), in any
	// order. Subjects without events are left out.
	LastEach(ctx context.Context, purpose string, subjects []string) ([]Event, error)
	// LastGrants returns up to limit subjects whose event for purpose with
	// the highest Seq is a grant, each with that event, in the store's
	// order of subjects, starting after the subject after ("" to start):
	// pass the last one returned to read on. Fewer than limit events mean
	// the end.
	LastGrants(ctx context.Context, purpose, after string, limit int) ([]Event, error)
}

// ErrNoBatchStore is matched by the error Ledger.Granted yields when its
// Store does not implement BatchStore.
var ErrNoBatchStore = errors.New("consent: the store does not implement BatchStore")

// DefaultBatch is the number of subjects a batch read asks for when the
// caller names no size.
const DefaultBatch = 1000

// MaxBatch bounds a batch read: beyond it a query would exceed the
// databases' limits on parameters.
const MaxBatch = 10000

// StatusEach answers Status for now (a zero instant, decided as Status
// does: by each subject's last event in sequence order) for each of
// subjects and purpose, in the order given, with one read of the store for
// the whole slice when the Store implements BatchStore, one per subject
// otherwise. A withdrawal that returned before StatusEach was called is
// honoured, on every Ledger sharing the store.
func (l *Ledger) StatusEach(ctx context.Context, purpose string, subjects []string) ([]Status, error) {
	if err := checkName("purpose", purpose); err != nil {
		return nil, err
	}
	for _, s := range subjects {
		if err := checkName("subject", s); err != nil {
			return nil, err
		}
	}
	if len(subjects) > MaxBatch {
		return nil, invalid("subjects", "%d subjects, more than MaxBatch (%d): split them", len(subjects), MaxBatch)
	}
	at := l.clock()
	out := make([]Status, len(subjects))
	bs, ok := l.store.(BatchStore)
	if !ok {
		for i, s := range subjects {
			e, found, err := l.store.Last(ctx, s, purpose)
			if err != nil {
				return nil, fmt.Errorf("consent: status each: %w", err)
			}
			if out[i], err = l.judgeNow(ctx, purpose, s, at, e, found, nil); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	events, err := bs.LastEach(ctx, purpose, subjects)
	if err != nil {
		return nil, fmt.Errorf("consent: status each: %w", err)
	}
	last := make(map[string]Event, len(events))
	for _, e := range events {
		last[e.Subject] = e
	}
	cache := map[string]supersession{}
	for i, s := range subjects {
		e, found := last[s]
		if out[i], err = l.judgeNow(ctx, purpose, s, at, e, found, cache); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// supersession caches Superseding for one notice version during a batch.
type supersession struct {
	n  Notice
	ok bool
}

// judgeNow judges the deciding event e of subject for now (at), reading
// each notice version's supersession once per batch through cache (nil:
// no cache).
func (l *Ledger) judgeNow(ctx context.Context, purpose, subject string, at time.Time, e Event, found bool,
	cache map[string]supersession) (Status, error) {
	st := Status{Subject: subject, Purpose: purpose, At: at}
	return l.judge(ctx, st, e, found, func(ctx context.Context, notice string) (Notice, bool, error) {
		if c, ok := cache[notice]; ok {
			return c.n, c.ok, nil
		}
		n, ok, err := l.store.Superseding(ctx, purpose, notice, at)
		if err == nil && cache != nil {
			cache[notice] = supersession{n, ok}
		}
		return n, ok, err
	})
}

// Granted streams, in batches of up to size subjects (DefaultBatch when
// size is 0 or less, at most MaxBatch), the Status of every subject whose
// consent to purpose holds now: whose last event for purpose in sequence
// order is a grant that has not expired and was not given under a notice
// superseded by a material change. Each batch is one read of the store,
// and only one batch is held at a time, so memory stays flat however large
// the population. The Store must implement BatchStore (ErrNoBatchStore).
//
// The iteration stops at the first error, which it yields with a nil
// batch. A withdrawal that returned before a batch was read is honoured by
// that batch, on every Ledger sharing the store.
func (l *Ledger) Granted(ctx context.Context, purpose string, size int) iter.Seq2[[]Status, error] {
	return func(yield func([]Status, error) bool) {
		if err := checkName("purpose", purpose); err != nil {
			yield(nil, err)
			return
		}
		bs, ok := l.store.(BatchStore)
		if !ok {
			yield(nil, fmt.Errorf("consent: granted: %T: %w", l.store, ErrNoBatchStore))
			return
		}
		size = batchSize(size)
		cache := map[string]supersession{}
		after := ""
		for {
			events, err := bs.LastGrants(ctx, purpose, after, size)
			if err != nil {
				yield(nil, fmt.Errorf("consent: granted: %w", err))
				return
			}
			at := l.clock()
			batch := make([]Status, 0, len(events))
			for _, e := range events {
				st, err := l.judgeNow(ctx, purpose, e.Subject, at, e, true, cache)
				if err != nil {
					yield(nil, fmt.Errorf("consent: granted: %w", err))
					return
				}
				if st.Given() {
					batch = append(batch, st)
				}
			}
			if len(batch) > 0 && !yield(batch, nil) {
				return
			}
			if len(events) < size {
				return
			}
			after = events[len(events)-1].Subject
		}
	}
}

// batchSize returns size within 1 to MaxBatch, DefaultBatch for 0 or less.
func batchSize(size int) int {
	switch {
	case size <= 0:
		return DefaultBatch
	case size > MaxBatch:
		return MaxBatch
	}
	return size
}
