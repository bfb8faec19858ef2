package consent_test

import (
	"sync"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/stretchr/testify/require"
)

// t0 has a microsecond part, so that every store must keep times to the
// microsecond.
var t0 = time.Date(2025, 3, 1, 9, 30, 0, 987654000, time.UTC)

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: t0} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func (c *clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return c.now
}

func newLedger(t testing.TB, cfg consent.LedgerConfig) *consent.Ledger {
	t.Helper()
	if cfg.Store == nil {
		cfg.Store = consent.NewMemoryStore()
	}
	l, err := consent.New(cfg)
	require.NoError(t, err)
	return l
}

// grantRecord is a valid grant of purposes by subject.
func grantRecord(subject string, purposes ...string) consent.Act {
	return consent.Act{
		Subject:  subject,
		Purposes: purposes,
		Notice:   "v1",
		Method:   consent.MethodCheckbox,
		Source:   "web/signup",
		Proof:    consent.Proof{IP: "203.0.113.9", UserAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"},
	}
}

func withdrawRecord(subject string, purposes ...string) consent.Act {
	return consent.Act{Subject: subject, Purposes: purposes, Method: consent.MethodForm}
}
