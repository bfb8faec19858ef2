package retention

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestErrorMessages pins messages that nest errors: each names what is at
// fault once, with one package prefix.
func TestErrorMessages(t *testing.T) {
	_, err := NewPolicy(Rule{Name: "r", Period: Period{Days: -3}, Action: Erase})
	assert.EqualError(t, err, `retention: rule "r": Period: period "P-3D" at offset 0: component -3 outside 0..999999`)

	_, err = NewSweeper(SweeperConfig{})
	assert.EqualError(t, err, "retention: invalid config: SweeperConfig.Policy is nil")

	st := NewMemoryStore()
	ctx := context.Background()
	err = st.AdvanceCursor(ctx, CheckpointLease{Source: "orders", Owner: "a", Now: t0, Until: t0.Add(time.Minute)}, "7", "8")
	assert.EqualError(t, err, `retention: checkpoint of "orders": checkpoint lease lost: "a" does not hold it at cursor "7"`)
	wrapped := &SweepError{Source: "orders", Op: "checkpoint", Err: err}
	assert.EqualError(t, wrapped, `retention: source "orders": checkpoint: checkpoint of "orders": checkpoint lease lost: "a" does not hold it at cursor "7"`)
	assert.ErrorIs(t, wrapped, ErrLeaseLost)

	_, err = st.AcquireLease(ctx, CheckpointLease{Source: "orders", Owner: "a", Now: t0, Until: t0.Add(time.Minute)})
	require.NoError(t, err)
	_, err = st.AcquireLease(ctx, CheckpointLease{Source: "orders", Owner: "b", Now: t0, Until: t0.Add(time.Minute)})
	assert.EqualError(t, err, `retention: source "orders" is being swept by "a" until 2025-03-01T12:01:00Z`)

	_, err = st.ReleaseHold(ctx, "h9", t0)
	assert.EqualError(t, err, `retention: hold "h9": no such hold`)
}

// TestSentinelsArePrefixed checks that every sentinel names the package, as
// database/sql's do, and that errors nesting one name the package once.
func TestSentinelsArePrefixed(t *testing.T) {
	for _, err := range []error{ErrInvalidPeriod, ErrInvalidRule, ErrRuleConflict, ErrInvalidHold,
		ErrHoldExists, ErrHoldNotFound, ErrHoldReleased, ErrLeased, ErrLeaseLost,
		ErrUnsupportedAction, ErrNoProgress, ErrUnknownCategory, ErrInvalidConfig} {
		assert.True(t, strings.HasPrefix(err.Error(), "retention: "), err.Error())
	}
	ctx := context.Background()
	st := NewMemoryStore()
	_, errHolds := NewHolds(HoldsConfig{})
	_, errLimiter := NewLimiter(LimiterConfig{RecordsPerSecond: -1})
	_, errSweeper := NewSweeper(SweeperConfig{})
	errCursor := st.AdvanceCursor(ctx, CheckpointLease{Source: "s", Owner: "a", Now: t0, Until: t0.Add(time.Minute)}, "7", "8")
	holds, err := NewHolds(HoldsConfig{Store: st, Auditor: NewMemoryAuditor()})
	require.NoError(t, err)
	_, errRelease := holds.ReleaseCase(ctx, "")
	_, _, errCheck := holds.Check(ctx, "alice", "no.such.category")
	_, errSQL := NewSQLStore(ctx, nil)
	assert.ErrorIs(t, errSQL, ErrInvalidConfig)
	for _, err := range []error{errHolds, errLimiter, errSweeper, errCursor, errRelease, errCheck, errSQL} {
		require.Error(t, err)
		assert.Equal(t, 1, strings.Count(err.Error(), "retention:"), err.Error())
	}
	assert.ErrorIs(t, errHolds, ErrInvalidConfig)
	assert.ErrorIs(t, errLimiter, ErrInvalidConfig)
	assert.ErrorIs(t, errSweeper, ErrInvalidConfig)
	assert.ErrorIs(t, errCursor, ErrLeaseLost)
	assert.ErrorIs(t, errRelease, ErrInvalidHold)
	assert.ErrorIs(t, errCheck, ErrUnknownCategory)
}
