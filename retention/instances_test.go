package retention

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTwoSweepersActOnce runs two sweepers, each with its own store
// instance on one database, at the same time, again and again: every
// expired category is acted on once — asked for once, not merely changed
// once — and held data never.
func TestTwoSweepersActOnce(t *testing.T) {
	eachStore(t, func(t *testing.T, open func() store) {
		const n = 3_000
		ctx := context.Background()
		src := newSynthSource(n)
		synthHolds(t, open(), n/4)
		clk := newClock(synthNow)
		journal := newCountingJournal()
		policy, err := NewPolicy(synthRules(t)...)
		require.NoError(t, err)

		var wg sync.WaitGroup
		reports := make([][]*Report, 2)
		for i := range 2 {
			st := open()
			s, err := NewSweeper(SweeperConfig{
				Policy: policy, Sources: map[string]RecordSource{"orders": src.view()}, Holds: st, Checkpoints: st,
				Auditor: journal, Now: clk.Now, BatchSize: 100, Owner: "instance-" + strconv.Itoa(i),
			})
			require.NoError(t, err)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 4 {
					r, err := s.Sweep(ctx)
					assert.NoError(t, err)
					reports[i] = append(reports[i], r)
				}
			}()
		}
		wg.Wait()

		checkSynthState(t, src)
		asked := 0
		for i := 0; i < n; i++ {
			for k := range synthCats {
				idx := i*len(synthCats) + k
				if (src.erased[i]|src.anonymised[i])&(1<<k) != 0 {
					asked++
					assert.EqualValues(t, 1, src.calls[idx], "record %d category %d asked for %d times", i, k, src.calls[idx])
				}
			}
		}
		require.NotZero(t, asked)
		acted := 0
		for _, rs := range reports {
			for _, r := range rs {
				acted += r.Acted(Erase) + r.Acted(Anonymise)
			}
		}
		assert.Equal(t, journal.actions[Erase]+journal.actions[Anonymise], acted)
	})
}

// TestTakenOverSweeperStops stalls one sweeper beyond its lease between
// reading a batch and acting on it; another takes the source over and
// finishes the pass. When the first wakes up it must stop before acting on
// the batch it read, which the other has acted on.
func TestTakenOverSweeperStops(t *testing.T) {
	eachStore(t, func(t *testing.T, open func() store) {
		const n = 2_000
		ctx := context.Background()
		src := newSynthSource(n)
		synthHolds(t, open(), n/4)
		clk := newClock(synthNow)
		policy, err := NewPolicy(synthRules(t)...)
		require.NoError(t, err)
		newSweeper := func(owner string, wrap func(HoldStore) HoldStore) *Sweeper {
			st := open()
			s, err := NewSweeper(SweeperConfig{
				Policy: policy, Sources: map[string]RecordSource{"orders": src.view()}, Holds: wrap(st), Checkpoints: st,
				Auditor: newCountingJournal(), Now: clk.Now, BatchSize: 100, Owner: owner, LeaseTTL: time.Minute,
			})
			require.NoError(t, err)
			return s
		}
		b := newSweeper("b", func(h HoldStore) HoldStore { return h })
		batches := 0
		var bReport *Report
		// a reads its fourth batch, then stalls (while it reads the holds)
		// beyond its lease; b sweeps the source meanwhile.
		a := newSweeper("a", func(h HoldStore) HoldStore {
			return stallingHolds{h, func() {
				if batches++; batches == 4 {
					clk.Advance(2 * time.Minute)
					var err error
					bReport, err = b.Sweep(ctx)
					require.NoError(t, err)
				}
			}}
		})
		aReport, err := a.Sweep(ctx)
		require.ErrorIs(t, err, ErrLeaseLost)
		var se *SweepError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "checkpoint", se.Op)
		require.NotNil(t, bReport)
		assert.Empty(t, bReport.Busy, "b took the source over")
		assert.Equal(t, n-3*100, bReport.Records, "b resumed at a's checkpoint")
		assert.Equal(t, 4*100, aReport.Records, "a read a fourth batch, and stopped before acting on it")

		checkSynthState(t, src)
		for i, c := range src.calls {
			if (src.erased[i/len(synthCats)]|src.anonymised[i/len(synthCats)])&(1<<(i%len(synthCats))) != 0 {
				require.EqualValues(t, 1, c, "record %d asked for twice", i/len(synthCats))
			}
		}
	})
}

// stallingHolds calls stall before each ActiveHolds.
type stallingHolds struct {
	HoldStore
	stall func()
}

func (s stallingHolds) ActiveHolds(ctx context.Context, at time.Time) ([]Hold, error) {
	s.stall()
	return s.HoldStore.ActiveHolds(ctx, at)
}
