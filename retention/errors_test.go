package retention

import (
	"context"
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

	_, err = NewSweeper(Config{})
	assert.EqualError(t, err, "retention: invalid config: Config.Policy is nil")

	st := NewMemoryStore()
	ctx := context.Background()
	err = st.AdvanceCursor(ctx, Lease{Source: "orders", Owner: "a", Now: t0, Until: t0.Add(time.Minute)}, "7", "8")
	assert.EqualError(t, err, `retention: checkpoint of "orders": checkpoint lease lost: "a" does not hold it at cursor "7"`)
	wrapped := &SourceError{Source: "orders", Op: "checkpoint", Err: err}
	assert.EqualError(t, wrapped, `retention: source "orders": checkpoint: checkpoint of "orders": checkpoint lease lost: "a" does not hold it at cursor "7"`)
	assert.ErrorIs(t, wrapped, ErrLeaseLost)

	_, err = st.AcquireLease(ctx, Lease{Source: "orders", Owner: "a", Now: t0, Until: t0.Add(time.Minute)})
	require.NoError(t, err)
	_, err = st.AcquireLease(ctx, Lease{Source: "orders", Owner: "b", Now: t0, Until: t0.Add(time.Minute)})
	assert.EqualError(t, err, `retention: source "orders" is being swept by "a" until 2025-03-01T12:01:00Z`)

	_, err = st.ReleaseHold(ctx, "h9", t0)
	assert.EqualError(t, err, `retention: hold "h9": no such hold`)
}
