package audit_test

import (
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/retention"
)

// TestHoldCaseReferenceJournalled: a hold for the case reference the docs
// use, "LIT-2025-014", is placed and released through the gdpr Journal,
// which records the reference as given; a reference that is not a code
// (a space, an e-mail address) is refused by the journal, and the hold is
// then not in force.
func TestHoldCaseReferenceJournalled(t *testing.T) {
	ctx := context.Background()
	cl := &clock{now: t0}
	j := newJournal(t, audit.NewMemoryStore(), newTokenizer(t), cl)
	holds, err := retention.NewHolds(retention.HoldsConfig{Store: retention.NewMemoryStore(), Auditor: audit.RetentionAuditor(j), Now: cl.Now})
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

// sweptTable is a retention.RecordSource over an in-memory table.
type sweptTable map[string]*sweptCustomer

type sweptCustomer struct {
	ID        string `pii:"subject"`
	IP        string `pii:"ip"`
	Collected time.Time
}

func (tb sweptTable) Candidates(_ context.Context, after retention.Cursor, limit int) ([]retention.Candidate, retention.Cursor, error) {
	var out []retention.Candidate
	for _, id := range slices.Sorted(maps.Keys(tb)) {
		if id <= string(after) || tb[id].IP == "" {
			continue
		}
		out = append(out, retention.Candidate{Subject: id, Record: id, Categories: []pii.Category{pii.IPAddress}, Collected: tb[id].Collected})
	}
	return out, "", nil
}

func (tb sweptTable) Erase(_ context.Context, items []retention.Item) error {
	for _, it := range items {
		tb[it.Record].IP = ""
	}
	return nil
}

// TestSweepJournalled: a sweep's erasures reach the hash-chained journal
// through RetentionAuditor, as content-free entries about the subject's
// token; a rule name that is not a code is left out rather than failing
// the sweep, and the chain verifies.
func TestSweepJournalled(t *testing.T) {
	ctx := context.Background()
	cl := &clock{now: t0}
	j := newJournal(t, audit.NewMemoryStore(), newTokenizer(t), cl)
	table := sweptTable{
		"cust-1": {ID: "cust-1", IP: "192.0.2.1", Collected: t0.AddDate(0, -2, 0)},
		"cust-2": {ID: "cust-2", IP: "192.0.2.2", Collected: t0},
	}
	policy, err := retention.NewPolicy(retention.Rule{Name: "IP after 30 days", Category: pii.IPAddress, Period: retention.Period{Days: 30}, Action: retention.Erase})
	require.NoError(t, err)
	store := retention.NewMemoryStore()
	sweeper, err := retention.NewSweeper(retention.SweeperConfig{
		Policy: policy, Sources: map[string]retention.RecordSource{"crm": table},
		Holds: store, Checkpoints: store, Auditor: audit.RetentionAuditor(j), Now: cl.Now,
	})
	require.NoError(t, err)
	_, err = sweeper.Sweep(ctx)
	require.NoError(t, err)
	assert.Empty(t, table["cust-1"].IP, "expired")
	assert.NotEmpty(t, table["cust-2"].IP, "kept")

	got := entries(t, j)
	require.Len(t, got, 1)
	e := got[0]
	assert.Equal(t, audit.KindRetentionActed, e.Kind)
	assert.Equal(t, j.Token("cust-1"), e.Subject)
	assert.Equal(t, []string{"erase", "crm", string(pii.IPAddress)}, e.Reasons)
	assert.Empty(t, e.Ref, "the record ID may name the subject")
	require.NoError(t, j.Verify(ctx))
}
