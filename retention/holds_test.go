package retention

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHolds(t *testing.T) {
	eachStore(t, func(t *testing.T, open func() store) {
		ctx := context.Background()
		clk := newClock(t0)
		journal := NewMemoryAuditor()
		holds, err := NewHolds(HoldsConfig{Store: open(), Auditor: journal, Now: clk.Now})
		require.NoError(t, err)

		h, err := holds.Place(ctx, Hold{Case: "LIT-7", Subject: "alice", Reason: "litigation"})
		require.NoError(t, err)
		assert.NotEmpty(t, h.ID, "an ID is assigned")
		assert.True(t, h.Placed.Equal(t0))
		_, err = holds.Place(ctx, Hold{ID: "audit", Case: "AUDIT-2025", Category: "billing", Reason: "tax audit", Expires: t0.Add(24 * time.Hour)})
		require.NoError(t, err)
		_, err = holds.Place(ctx, Hold{ID: "contact", Case: "LIT-7", Category: "user.contact", Subject: "bob", Reason: "litigation"})
		require.NoError(t, err)

		check := func(subject string, c pii.Category) string {
			h, held, err := holds.Check(ctx, subject, c)
			require.NoError(t, err)
			if !held {
				return ""
			}
			return h.Case
		}
		assert.Equal(t, "LIT-7", check("alice", pii.Health), "a subject hold covers every category")
		assert.Equal(t, "AUDIT-2025", check("carol", pii.Billing), "a category hold covers every subject")
		assert.Equal(t, "LIT-7", check("bob", pii.Email), "user.contact covers e-mail")
		assert.Equal(t, "", check("bob", pii.Health))
		assert.Equal(t, "AUDIT-2025", check("dave", ""), "a category hold may cover a record listing no categories")
		assert.Equal(t, "", check("carol", pii.Email))
		assert.Equal(t, "", check("carol", "user.contact"), "bob's hold is not carol's")

		clk.Advance(24 * time.Hour)
		assert.Equal(t, "", check("carol", pii.Billing), "the audit hold expired")
		assert.Equal(t, "LIT-7", check("bob", ""), "bob as a whole is held")
		assert.Equal(t, "LIT-7", check("bob", "user"), "acting on all of bob's data would act on his held contact data")
		assert.Equal(t, "", check("carol", "user"))
		assert.Equal(t, "", check("dave", ""))

		released, err := holds.ReleaseCase(ctx, "LIT-7")
		require.NoError(t, err)
		assert.Len(t, released, 2)
		assert.Equal(t, "", check("alice", pii.Health))
		active, err := holds.Active(ctx)
		require.NoError(t, err)
		assert.Empty(t, active)

		_, err = holds.Release(ctx, "contact")
		assert.ErrorIs(t, err, ErrHoldReleased)

		events := journal.Events()
		require.Len(t, events, 5, "three placed, two released")
		kinds := map[AuditKind]int{}
		for _, e := range events {
			kinds[e.Kind]++
			require.NotNil(t, e.Hold)
		}
		assert.Equal(t, map[AuditKind]int{HoldPlaced: 3, HoldReleased: 2}, kinds)
		assert.Equal(t, "alice", events[0].Hold.Subject)
		assert.Equal(t, pii.Billing, events[1].Hold.Category, "alias resolved")
		assert.True(t, events[4].At.Equal(t0.Add(24*time.Hour)))
	})
}

func TestHoldsRejects(t *testing.T) {
	ctx := context.Background()
	_, err := NewHolds(HoldsConfig{Auditor: NewMemoryAuditor()})
	assert.ErrorIs(t, err, ErrInvalidConfig)
	_, err = NewHolds(HoldsConfig{Store: NewMemoryStore()})
	assert.ErrorIs(t, err, ErrInvalidConfig)

	holds, err := NewHolds(HoldsConfig{Store: NewMemoryStore(), Auditor: NewMemoryAuditor(), Now: newClock(t0).Now})
	require.NoError(t, err)
	for _, tc := range []struct {
		hold Hold
		want string
	}{
		{Hold{ID: "x"}, "no reason"},
		{Hold{ID: "x", Reason: "r", Category: "user.nope"}, `unknown category "user.nope"`},
		{Hold{ID: "x", Reason: "r", Expires: t0}, "not after now"},
		{Hold{ID: "x", Reason: "r", Released: t0}, "Released is set"},
	} {
		_, err := holds.Place(ctx, tc.hold)
		assert.ErrorIs(t, err, ErrInvalidHold, tc.want)
		assert.ErrorContains(t, err, tc.want)
		var he *HoldError
		assert.ErrorAs(t, err, &he)
	}
	_, err = holds.Release(ctx, "missing")
	assert.ErrorIs(t, err, ErrHoldNotFound)
	_, err = holds.ReleaseCase(ctx, "")
	assert.ErrorIs(t, err, ErrInvalidHold)
}

// codeJournal refuses, as a journal taking lower-case codes only might,
// events whose hold's case reference holds an upper-case letter; reject
// refuses everything while set.
type codeJournal struct {
	mu     sync.Mutex
	reject bool
	MemoryAuditor
}

var errNotACode = errors.New("case reference is not a lower-case code")

func (j *codeJournal) Record(ctx context.Context, e AuditEvent) error {
	j.mu.Lock()
	reject := j.reject
	j.mu.Unlock()
	if reject || strings.ToLower(e.Hold.Case) != e.Hold.Case {
		return errNotACode
	}
	return j.MemoryAuditor.Record(ctx, e)
}

func (j *codeJournal) set(reject bool) {
	j.mu.Lock()
	j.reject = reject
	j.mu.Unlock()
}

// TestHoldsAllOrNothing: a placement or release the Auditor refuses does
// not take effect: Place returns the Auditor's error and the hold is not
// in force (and may be placed again under its ID); Release returns it and
// the hold stays in force. Nothing is journalled for either.
func TestHoldsAllOrNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, open func() store) {
		ctx := context.Background()
		journal := &codeJournal{}
		holds, err := NewHolds(HoldsConfig{Store: open(), Auditor: journal, Now: newClock(t0).Now})
		require.NoError(t, err)
		held := func() bool {
			t.Helper()
			_, ok, err := holds.Check(ctx, "alice", pii.Email)
			require.NoError(t, err)
			return ok
		}

		h, err := holds.Place(ctx, Hold{ID: "h1", Case: "LIT-2025-014", Subject: "alice", Reason: "litigation"})
		require.ErrorIs(t, err, errNotACode)
		assert.ErrorContains(t, err, "not placed")
		assert.Equal(t, Hold{}, h)
		assert.False(t, held(), "a hold the Auditor refused is not in force")
		active, err := holds.Active(ctx)
		require.NoError(t, err)
		assert.Empty(t, active)

		h, err = holds.Place(ctx, Hold{ID: "h1", Case: "lit-2025-014", Subject: "alice", Reason: "litigation"})
		require.NoError(t, err, "the ID is free again")
		assert.True(t, held())

		journal.set(true)
		_, err = holds.Release(ctx, h.ID)
		require.ErrorIs(t, err, errNotACode)
		assert.ErrorContains(t, err, "not released")
		assert.True(t, held(), "a release the Auditor refused leaves the hold in force")
		journal.set(false)
		released, err := holds.Release(ctx, h.ID)
		require.NoError(t, err)
		assert.True(t, released.Released.Equal(t0))
		assert.False(t, held())

		var kinds []AuditKind
		for _, e := range journal.Events() {
			kinds = append(kinds, e.Kind)
		}
		assert.Equal(t, []AuditKind{HoldPlaced, HoldReleased}, kinds)
	})
}

func TestHoldScope(t *testing.T) {
	h := Hold{Subject: "alice", Category: "user.contact", Placed: t0, Expires: t0.Add(time.Hour)}
	assert.True(t, h.Covers("alice", pii.Email))
	assert.False(t, h.Covers("alice", pii.Health))
	assert.False(t, h.Covers("bob", pii.Email))
	assert.True(t, h.Covers("alice", ""), "a record listing no categories may hold contact data")
	assert.False(t, h.Covers("alice", "user"), "a field of the broader category is not held")

	city := Hold{Subject: "alice", Category: pii.City}
	assert.True(t, city.Touches("alice", pii.Address), "erasing every address erases the held city")
	assert.True(t, city.Touches("alice", pii.City))
	assert.True(t, city.Touches("alice", ""))
	assert.False(t, city.Touches("alice", pii.Email))
	assert.False(t, city.Touches("bob", pii.Address))
	assert.True(t, h.Touches("alice", pii.Email), "a hold touches what it covers")
	everyone := Hold{Category: pii.City}
	assert.True(t, everyone.Touches("bob", pii.Address))
	assert.False(t, h.Active(t0.Add(-time.Nanosecond)))
	assert.True(t, h.Active(t0))
	assert.False(t, h.Active(t0.Add(time.Hour)))
	h.Released = t0.Add(time.Minute)
	assert.False(t, h.Active(t0.Add(time.Minute)))
}

func TestHoldsResolveAliases(t *testing.T) {
	eachStore(t, func(t *testing.T, open func() store) {
		ctx := context.Background()
		holds, err := NewHolds(HoldsConfig{Store: open(), Auditor: NewMemoryAuditor(), Now: newClock(t0).Now})
		require.NoError(t, err)
		h, err := holds.Place(ctx, Hold{Case: "LIT-9", Subject: "alice", Category: "email", Reason: "litigation"})
		require.NoError(t, err)
		require.Equal(t, pii.Email, h.Category, "Place stores the key")

		for _, c := range []pii.Category{"email", "e-mail", pii.Email, "user.contact", "user", ""} {
			got, held, err := holds.Check(ctx, "alice", c)
			require.NoError(t, err, "%q", c)
			assert.True(t, held, "%q touches the hold on alice's e-mail", c)
			assert.Equal(t, h.ID, got.ID)
		}
		_, held, err := holds.Check(ctx, "alice", "city")
		require.NoError(t, err)
		assert.False(t, held, "an alias of another category")
		_, held, err = holds.Check(ctx, "bob", "e-mail")
		require.NoError(t, err)
		assert.False(t, held, "another subject")
	})
}

func TestHoldsCheckRejectsUnknownCategory(t *testing.T) {
	ctx := context.Background()
	holds, err := NewHolds(HoldsConfig{Store: NewMemoryStore(), Auditor: NewMemoryAuditor(), Now: newClock(t0).Now})
	require.NoError(t, err)
	_, held, err := holds.Check(ctx, "alice", "emial")
	require.ErrorIs(t, err, ErrUnknownCategory)
	assert.Contains(t, err.Error(), `"emial"`)
	assert.False(t, held)
}

func TestHoldScopeResolvesAliases(t *testing.T) {
	key := Hold{Subject: "alice", Category: pii.Email}
	alias := Hold{Subject: "alice", Category: "e-mail"} // stored without Place
	for _, h := range []Hold{key, alias} {
		assert.True(t, h.Covers("alice", "email"), "%q covers the alias", h.Category)
		assert.True(t, h.Covers("alice", "e-mail"))
		assert.True(t, h.Covers("alice", pii.Email))
		assert.False(t, h.Covers("alice", "user.contact"), "the narrow check: a parent is not covered")
		assert.False(t, h.Covers("alice", "city"))
		assert.True(t, h.Touches("alice", "user.contact"), "the wide check: a parent is touched")
		assert.True(t, h.Touches("alice", "email"))
		assert.False(t, h.Touches("alice", "address"))
		assert.False(t, h.Covers("bob", "email"))
	}
	city := Hold{Subject: "alice", Category: "city"}
	assert.True(t, city.Touches("alice", "address"), "an alias of the parent")
	assert.False(t, city.Covers("alice", "address"))

	assert.True(t, key.Covers("alice", "emial"), "an unknown category is never free of a hold")
	assert.True(t, key.Touches("alice", "emial"))
}

func TestSweepHonoursHoldsByAlias(t *testing.T) {
	env := newEnv(t, Rule{Name: "all", Period: mustPeriod(t, "P30D"), Action: Erase})
	old := t0.AddDate(-1, 0, 0)
	src := newListSource(
		Candidate{Subject: "alice", Record: "1", Categories: []pii.Category{"e-mail"}, Collected: old},
		Candidate{Subject: "alice", Record: "2", Categories: []pii.Category{pii.Email}, Collected: old},
		Candidate{Subject: "bob", Record: "3", Categories: []pii.Category{"email"}, Collected: old},
		Candidate{Subject: "bob", Record: "4", Categories: []pii.Category{"city"}, Collected: old},
	)
	ctx := context.Background()
	holds, err := NewHolds(HoldsConfig{Store: env.store, Auditor: env.journal, Now: env.clock.Now})
	require.NoError(t, err)
	_, err = holds.Place(ctx, Hold{Subject: "alice", Category: "email", Case: "LIT-1", Reason: "litigation"})
	require.NoError(t, err)
	// A hold put in the store directly keeps its alias.
	require.NoError(t, env.store.PlaceHold(ctx, Hold{ID: "raw", Subject: "bob", Category: "e-mail", Reason: "litigation", Placed: t0}))

	report, err := env.sweeper(t, map[string]RecordSource{"orders": src}).Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, Counts{Due: 1, Held: 3}, report.Verdicts)
	require.Len(t, src.calls[Erase], 1)
	assert.Equal(t, "4", src.calls[Erase][0].Record, "only bob's city is free of a hold")
}
