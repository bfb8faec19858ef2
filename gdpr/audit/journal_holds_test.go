package audit_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/retention"
)

// holdJournal adapts the gdpr Journal to retention.Auditor, as an
// application would: a hold event becomes an entry of kind
// "retention.hold_placed" or "retention.hold_released" about the held
// subject, referring to the hold's case (or, without one, its ID).
type holdJournal struct{ j *audit.Journal }

func (a holdJournal) Record(ctx context.Context, e retention.AuditEvent) error {
	ev := audit.Event{Kind: audit.Kind("retention." + e.Kind.String()), Outcome: audit.OutcomeDone}
	if e.Hold != nil {
		ev.Subject, ev.Ref = e.Hold.Subject, e.Hold.Case
		if ev.Ref == "" {
			ev.Ref = e.Hold.ID
		}
	}
	_, err := a.j.Record(ctx, ev)
	return err
}

// TestHoldCaseReferenceJournalled: a hold for the case reference the docs
// use, "LIT-2025-014", is placed and released through the gdpr Journal,
// which records the reference as given; a reference that is not a code
// (a space, an e-mail address) is refused by the journal, and the hold is
// then not in force.
func TestHoldCaseReferenceJournalled(t *testing.T) {
	ctx := context.Background()
	cl := &clock{now: t0}
	j := newJournal(t, audit.NewMemoryStore(), newTokenizer(t), cl)
	holds, err := retention.NewHolds(retention.HoldsConfig{Store: retention.NewMemoryStore(), Auditor: holdJournal{j}, Now: cl.Now})
	require.NoError(t, err)

	h, err := holds.Place(ctx, retention.Hold{ID: "HOLD-1", Case: "LIT-2025-014", Subject: "cust-1", Category: pii.Address, Reason: "lawsuit"})
	require.NoError(t, err)
	_, held, err := holds.Check(ctx, "cust-1", pii.Address)
	require.NoError(t, err)
	assert.True(t, held)
	cl.Advance(time.Hour)
	_, err = holds.Release(ctx, h.ID)
	require.NoError(t, err)

	got := entries(t, j)
	require.Len(t, got, 2)
	assert.Equal(t, audit.Kind("retention.hold_placed"), got[0].Kind)
	assert.Equal(t, audit.Kind("retention.hold_released"), got[1].Kind)
	for _, e := range got {
		assert.Equal(t, "LIT-2025-014", e.Ref)
		assert.Equal(t, j.Token("cust-1"), e.Subject)
	}
	require.NoError(t, j.Verify(ctx))

	for _, ref := range []string{"LIT 2025 014", "jane@example.com", "+49 170 1234567"} {
		_, err := holds.Place(ctx, retention.Hold{Case: ref, Subject: "cust-2", Reason: "lawsuit"})
		assert.ErrorIs(t, err, audit.ErrInvalidEvent, ref)
		_, held, err := holds.Check(ctx, "cust-2", "")
		require.NoError(t, err)
		assert.False(t, held, "a hold the journal refused is not in force: %s", ref)
	}
	assert.Len(t, entries(t, j), 2)
}
