//go:build !race

package gdpr_test

import (
	"context"
	"testing"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAllowedCallDoesNotAllocate holds the Guard to its promise: an allowed
// decision, on every basis, costs no allocation. (The race detector adds
// allocations of its own, hence the build tag.)
func TestAllowedCallDoesNotAllocate(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, false)
	f.consent.set("u1", "newsletter", consent.Granted)
	f.consent.set("u1", "offers", consent.Granted)
	f.contracts.with["u1"] = true
	for _, id := range []string{"newsletter", "offers", "billing", "tax", "census", "fraud", "postal-ads"} {
		d, err := f.guard.Allow(ctx, "u1", id)
		require.NoError(t, err, id)
		require.True(t, d.Allowed, id)
		allocs := testing.AllocsPerRun(100, func() { _, _ = f.guard.Allow(ctx, "u1", id) })
		assert.Zero(t, allocs, "allowed call for %s", id)
	}
}
