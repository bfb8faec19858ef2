package gdprhttp

import (
	"math"
	"sync"
	"time"
)

// maxBuckets bounds the buckets a limiter keeps; the oldest full ones go
// first, then the table is cleared rather than grown.
const maxBuckets = 100_000

// limiter keeps one token bucket per key.
type limiter struct {
	rate Rate
	now  func() time.Time
	mu   sync.Mutex
	b    map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newLimiter(rate Rate, now func() time.Time) *limiter {
	return &limiter{rate: rate, now: now, b: map[string]*bucket{}}
}

// allow takes a token from key's bucket; when there is none it returns
// false and the seconds until there is one.
func (l *limiter) allow(key string) (bool, int) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.b[key]
	if b == nil {
		if len(l.b) >= maxBuckets {
			l.prune(now)
		}
		b = &bucket{tokens: float64(l.rate.Burst), at: now}
		l.b[key] = b
	}
	if elapsed := now.Sub(b.at); elapsed > 0 {
		b.tokens = math.Min(float64(l.rate.Burst), b.tokens+float64(elapsed)/float64(l.rate.Every))
		b.at = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) * float64(l.rate.Every))
	return false, int(math.Ceil(wait.Seconds()))
}

// prune drops the buckets that are full again; when none is, all of them.
func (l *limiter) prune(now time.Time) {
	full := time.Duration(l.rate.Burst) * l.rate.Every
	for k, b := range l.b {
		if now.Sub(b.at) >= full {
			delete(l.b, k)
		}
	}
	if len(l.b) >= maxBuckets {
		clear(l.b)
	}
}
