package retention

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// synthSweeper builds a sweeper over src with the synthetic rules and holds.
func synthSweeper(t testing.TB, src *synthSource, st store, clk *clock, journal Auditor, batch int) *Sweeper {
	t.Helper()
	policy, err := NewPolicy(synthRules(t)...)
	require.NoError(t, err)
	s, err := NewSweeper(SweeperConfig{
		Policy: policy, Sources: map[string]RecordSource{"orders": src},
		Holds: st, Checkpoints: st, Auditor: journal, Now: clk.Now, BatchSize: batch,
	})
	require.NoError(t, err)
	return s
}

// checkSynthState checks every category of every record against the
// hand-written expectation: expired and not held means changed exactly
// once, anything else never touched. It returns the expected tallies.
func checkSynthState(t *testing.T, src *synthSource) map[Action]int {
	t.Helper()
	want := map[Action]int{}
	bad := 0
	for i := 0; i < src.n; i++ {
		sub, purpose, mask, collected := synthRecord(i)
		age := int(synthNow.Sub(collected).Hours() / 24)
		for k, c := range synthCats {
			idx := i*len(synthCats) + k
			if mask&(1<<k) == 0 {
				if src.changes[idx] != 0 {
					bad++
				}
				continue
			}
			action, due := synthExpect(c, purpose, age)
			if synthHeld(sub, c) {
				due = false
			}
			var state []uint8
			switch action {
			case Erase:
				state = src.erased
			case Anonymise:
				state = src.anonymised
			case Review:
				state = src.reviewed
			}
			done := state[i]&(1<<k) != 0
			changes := src.changes[idx]
			if due {
				want[action]++
			}
			if due != done || (due && changes != 1) || (!due && changes != 0) {
				if bad < 5 {
					t.Errorf("record %d (subject %d, %q, %d days) category %s: due %v, done %v, changed %d times",
						i, sub, purpose, age, c, due, done, changes)
				}
				bad++
			}
		}
	}
	assert.Zero(t, bad, "records in the wrong state")
	return want
}

// TestSweepSynthetic sweeps 20,000 synthetic records (a million with
// GDPRKIT_LONG=1): expired ones are acted on exactly once, held ones never.
func TestSweepSynthetic(t *testing.T) {
	n := 20_000
	if os.Getenv("GDPRKIT_LONG") == "1" {
		n = 1_000_000
	}
	ctx := context.Background()
	src := newSynthSource(n)
	st := NewMemoryStore()
	synthHolds(t, st, n/4)
	clk := newClock(synthNow)
	journal := newCountingJournal()
	s := synthSweeper(t, src, st, clk, journal, 1000)

	dry, err := s.DryRun(ctx)
	require.NoError(t, err)
	assert.Equal(t, make([][3]uint8, n), src.state(), "a dry run changes nothing")
	assert.Empty(t, journal.actions, "a dry run journals nothing")

	report, err := s.Sweep(ctx)
	require.NoError(t, err)
	want := checkSynthState(t, src)
	require.NotZero(t, want[Erase])
	require.NotZero(t, want[Anonymise])
	require.NotZero(t, want[Review])

	assert.Equal(t, n, report.Records)
	assert.Equal(t, want[Erase], categoriesActed(report, Erase, src), "erased categories")
	assert.Equal(t, journal.actions[Erase], report.Acted(Erase), "one journal entry per item")
	assert.Equal(t, journal.actions[Anonymise], report.Acted(Anonymise))
	assert.Equal(t, journal.actions[Review], report.Acted(Review))
	assert.NotZero(t, report.Verdicts.Held)
	assert.Equal(t, report.Verdicts.Held, sumHeld(report))
	assert.NotZero(t, report.Tally("orders", "health").Held, "health data is all held")
	assert.Zero(t, report.Tally("orders", "health").Items)

	// The dry run predicted exactly this.
	assert.True(t, dry.DryRun)
	assert.Equal(t, report.Tallies, dry.Tallies)
	assert.Equal(t, report.Verdicts, dry.Verdicts)

	// A second pass acts on nothing again but the reviews, which repeat.
	before := src.state()
	again, err := s.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, before, src.state())
	assert.Zero(t, again.Acted(Erase))
	assert.Zero(t, again.Acted(Anonymise))
	assert.Equal(t, report.Acted(Review), again.Acted(Review))
	checkSynthState(t, src)
}

// categoriesActed counts the categories changed by action in src.
func categoriesActed(_ *Report, a Action, src *synthSource) int {
	state := map[Action][]uint8{Erase: src.erased, Anonymise: src.anonymised, Review: src.reviewed}[a]
	n := 0
	for _, m := range state {
		for ; m != 0; m &= m - 1 {
			n++
		}
	}
	return n
}

func sumHeld(r *Report) int {
	n := 0
	for _, t := range r.Tallies {
		n += t.Held
	}
	return n
}

// TestSweepResumesAfterFaults injects a fault after each batch — at every
// point between acting and checkpointing — and resumes until done: the end
// state equals that of an uninterrupted sweep, and nothing changed twice.
func TestSweepResumesAfterFaults(t *testing.T) {
	const n, batch = 6_000, 250
	ctx := context.Background()

	clean := newSynthSource(n)
	cleanStore := NewMemoryStore()
	synthHolds(t, cleanStore, n/4)
	_, err := synthSweeper(t, clean, cleanStore, newClock(synthNow), newCountingJournal(), batch).Sweep(ctx)
	require.NoError(t, err)
	checkSynthState(t, clean)

	faults := []string{"erase", "anonymise", "review", "journal", "before-checkpoint", "after-checkpoint", "crash"}
	for _, fault := range faults {
		t.Run(fault, func(t *testing.T) {
			src := newSynthSource(n)
			st := NewMemoryStore()
			synthHolds(t, st, n/4)
			clk := newClock(synthNow)
			journal := newCountingJournal()
			armed := true // fail once per batch, then let the retry through
			cps := &faultyCheckpoints{CheckpointStore: st, advanced: func() { armed = true }}
			trip := func() bool {
				if armed {
					armed = false
					return true
				}
				return false
			}
			switch fault {
			case "erase", "anonymise", "review":
				src.fault = func(op string) error {
					if op == fault && trip() {
						return errInjected
					}
					return nil
				}
			case "journal":
				journal.fail = func() error {
					if trip() {
						return errInjected
					}
					return nil
				}
			case "before-checkpoint":
				cps.advance = func() (bool, bool) { return trip(), false }
			case "after-checkpoint":
				cps.advance = func() (bool, bool) { return false, trip() }
			case "crash": // the sweeper dies after acting: no checkpoint, no release
				cps.advance = func() (bool, bool) { return trip(), false }
				cps.dropReleases = true
			}
			policy, err := NewPolicy(synthRules(t)...)
			require.NoError(t, err)
			runs, failures := 0, 0
			for ; runs < 10*n/batch; runs++ {
				s, err := NewSweeper(SweeperConfig{
					Policy: policy, Sources: map[string]RecordSource{"orders": src}, Holds: st, Checkpoints: cps,
					Auditor: journal, Now: clk.Now, BatchSize: batch, Owner: "sweeper-" + strconv.Itoa(runs),
				})
				require.NoError(t, err)
				report, err := s.Sweep(ctx)
				if err == nil {
					cp, cerr := st.Checkpoint(ctx, "orders")
					require.NoError(t, cerr)
					if cp.Cursor == "" && len(report.Busy) == 0 {
						break
					}
					continue
				}
				failures++
				require.ErrorIs(t, err, errInjected)
				var se *SweepError
				require.ErrorAs(t, err, &se)
				assert.Equal(t, "orders", se.Source)
				if fault == "crash" {
					clk.Advance(6 * 60e9) // the dead sweeper's lease runs out
				}
			}
			t.Logf("%d sweeps, %d interrupted", runs+1, failures)
			assert.Greater(t, failures, 3, "faults were injected")
			assert.Equal(t, clean.state(), src.state(), "same end state as an uninterrupted sweep")
			checkSynthState(t, src)
		})
	}
}
