package consent_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// population records a seeded random history for n subjects on two
// purposes through two ledgers on one store, the second with a clock an
// hour behind: grants (some with their own end), withdrawals, expiries,
// withdraw-alls, a material notice change, and time passing so that some
// grants expire. It returns the subjects.
func population(t *testing.T, ctx context.Context, a, b *consent.Ledger, clk *clock, n int, seed uint64) []string {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 0))
	subjects := make([]string, n)
	for i := range subjects {
		subjects[i] = fmt.Sprintf("sub-%04d", i)
	}
	purposes := []string{"news", "ads"}
	for range 4 * n {
		s, p := subjects[r.IntN(n)], purposes[r.IntN(2)]
		l := a
		if r.IntN(4) == 0 {
			l = b // behind: its events are stamped after the subject's last anyway
		}
		var err error
		switch k := r.IntN(10); {
		case k < 5:
			act := grantRecord(s, p)
			if r.IntN(3) == 0 {
				act.Expires = clk.Now().Add(time.Duration(1+r.IntN(48)) * time.Hour)
			}
			if r.IntN(5) == 0 {
				act.Notice = "v0"
			}
			_, err = l.Grant(ctx, act)
		case k < 8:
			_, err = l.Withdraw(ctx, withdrawRecord(s, p))
		case k < 9:
			_, err = l.Expire(ctx, withdrawRecord(s, p))
		default:
			_, err = l.WithdrawAll(ctx, consent.Act{Subject: s, Method: consent.MethodForm})
		}
		require.NoError(t, err)
		clk.Advance(time.Duration(r.IntN(90)) * time.Minute)
	}
	return subjects
}

// TestStatusEachAndGrantedAgreeWithStatus: on every store, StatusEach
// answers for each subject exactly what Status answers for now, and
// Granted yields exactly the subjects whose consent holds, whatever the
// batch size; withdrawals recorded by an instance whose clock runs behind
// count by sequence order.
func TestStatusEachAndGrantedAgreeWithStatus(t *testing.T) {
	eachStore(t, func(t *testing.T, store consent.Store) {
		ctx := context.Background()
		clk := newClock()
		a := newLedger(t, consent.LedgerConfig{Store: store, Now: clk.Now, PurposeValidity: map[string]time.Duration{"ads": 72 * time.Hour}})
		b := newLedger(t, consent.LedgerConfig{Store: store, Now: func() time.Time { return clk.Now().Add(-time.Hour) }})
		for _, v := range []string{"v0", "v1"} {
			require.NoError(t, a.Publish(ctx, consent.Notice{Purpose: "news", Version: v, Effective: t0.Add(-time.Hour)}))
		}
		subjects := population(t, ctx, a, b, clk, 150, 17)
		require.NoError(t, a.Publish(ctx, consent.Notice{Purpose: "news", Version: "v2", Material: true, Effective: clk.Now().Add(time.Hour)}))
		half := subjects[:75]
		// v0 grants are outdated from here on, half-way through the walk.
		for _, p := range []string{"news", "ads"} {
			before, err := a.StatusEach(ctx, p, half)
			require.NoError(t, err)
			for i, s := range half {
				want, err := a.Status(ctx, s, p, time.Time{})
				require.NoError(t, err)
				assert.Equal(t, want, before[i], "%s %s", s, p)
			}
		}
		clk.Advance(2 * time.Hour)
		states := map[consent.State]int{}
		for _, p := range []string{"news", "ads", "unused"} {
			got, err := a.StatusEach(ctx, p, append(slices.Clone(subjects), "sub-none"))
			require.NoError(t, err)
			var granted []string
			for i, s := range append(slices.Clone(subjects), "sub-none") {
				want, err := a.Status(ctx, s, p, time.Time{})
				require.NoError(t, err)
				assert.Equal(t, want, got[i], "%s %s", s, p)
				states[want.State]++
				if want.Given() {
					granted = append(granted, s)
				}
			}
			for _, size := range []int{1, 7, 1000} {
				var listed []string
				for batch, err := range a.Granted(ctx, p, size) {
					require.NoError(t, err)
					assert.LessOrEqual(t, len(batch), size)
					for _, st := range batch {
						assert.True(t, st.Given())
						listed = append(listed, st.Subject)
					}
				}
				slices.Sort(listed)
				assert.Equal(t, granted, listed, "%s, batches of %d", p, size)
			}
		}
		for _, s := range []consent.State{consent.None, consent.Granted, consent.Withdrawn, consent.Expired, consent.Outdated} {
			assert.Positive(t, states[s], "the population has no %s consent", s)
		}
	})
}

// plainStore hides the batch methods of the store it wraps.
type plainStore struct{ consent.Store }

func TestStatusEachWithoutBatchStore(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t, consent.LedgerConfig{Store: plainStore{consent.NewMemoryStore()}, Now: newClock().Now})
	_, err := l.Grant(ctx, grantRecord("a", "news"))
	require.NoError(t, err)
	got, err := l.StatusEach(ctx, "news", []string{"a", "b"})
	require.NoError(t, err)
	assert.Equal(t, []consent.State{consent.Granted, consent.None}, []consent.State{got[0].State, got[1].State})
	for _, err := range l.Granted(ctx, "news", 0) {
		assert.ErrorIs(t, err, consent.ErrNoBatchStore)
	}
}

func TestStatusEachRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t, consent.LedgerConfig{})
	for _, c := range []struct {
		purpose  string
		subjects []string
	}{{"", []string{"a"}}, {"news", []string{"a", ""}}, {"news", make([]string, consent.MaxBatch+1)}} {
		if len(c.subjects) > 2 {
			for i := range c.subjects {
				c.subjects[i] = "s"
			}
		}
		_, err := l.StatusEach(ctx, c.purpose, c.subjects)
		assert.ErrorIs(t, err, consent.ErrInvalidInput)
	}
	for _, err := range l.Granted(ctx, "", 0) {
		assert.ErrorIs(t, err, consent.ErrInvalidInput)
	}
}
