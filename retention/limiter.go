package retention

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"
)

// Waiter paces a sweep so it does not starve the application: the sweeper
// calls Wait before each batch with the batch's size, and Wait blocks until
// that many records may be processed, or returns ctx's error.
type Waiter interface {
	Wait(ctx context.Context, records int) error
}

// LimiterConfig configures a Limiter. A zero rate is no limit.
type LimiterConfig struct {
	// RecordsPerSecond bounds the records read and acted on per second.
	RecordsPerSecond float64
	// BatchesPerSecond bounds the batches per second.
	BatchesPerSecond float64
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Sleep waits for d or until ctx is done; a timer when nil. Tests inject
	// one that advances their clock instead of sleeping.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Limiter is a Waiter that spaces batches evenly so that neither rate is
// exceeded: a batch of n records may start 1/BatchesPerSecond and
// n/RecordsPerSecond after the previous one started, whichever is later.
// The first batch starts at once. Safe for concurrent use.
type Limiter struct {
	cfg  LimiterConfig
	mu   sync.Mutex // guards next; not held while Wait sleeps
	next time.Time  // earliest start of the next batch
}

// NewLimiter returns a Limiter, or an error for a negative or non-finite rate.
func NewLimiter(cfg LimiterConfig) (*Limiter, error) {
	for _, rate := range [...]struct {
		name  string
		value float64
	}{{"RecordsPerSecond", cfg.RecordsPerSecond}, {"BatchesPerSecond", cfg.BatchesPerSecond}} {
		if r := rate.value; r < 0 || math.IsNaN(r) || math.IsInf(r, 0) {
			return nil, fmt.Errorf("%w: LimiterConfig.%s is %v; want a finite rate >= 0 (0: no limit)", ErrInvalidConfig, rate.name, r)
		}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleep
	}
	return &Limiter{cfg: cfg}, nil
}

// Wait implements Waiter.
func (l *Limiter) Wait(ctx context.Context, records int) error {
	var cost time.Duration
	if r := l.cfg.RecordsPerSecond; r > 0 && records > 0 {
		cost = time.Duration(float64(records) / r * float64(time.Second))
	}
	if r := l.cfg.BatchesPerSecond; r > 0 {
		cost = max(cost, time.Duration(float64(time.Second)/r))
	}
	now := l.cfg.Now()
	l.mu.Lock()
	start := l.next
	if start.Before(now) {
		start = now
	}
	l.next = start.Add(cost)
	l.mu.Unlock()
	if d := start.Sub(now); d > 0 {
		return l.cfg.Sleep(ctx, d)
	}
	return ctx.Err()
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
