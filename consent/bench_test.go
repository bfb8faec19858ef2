package consent_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fill records, for each of n subjects, a grant, a withdrawal and a grant
// again for "newsletter", and a grant for "ads", a minute apart, with one
// published notice per purpose. It returns the subjects.
func fill(tb testing.TB, l *consent.Ledger, c *clock, n int) []string {
	tb.Helper()
	ctx := context.Background()
	for _, p := range []string{"newsletter", "ads"} {
		require.NoError(tb, l.Publish(ctx, consent.Notice{Purpose: p, Version: "v1", Effective: t0.Add(-time.Hour)}))
	}
	subjects := make([]string, n)
	for i := range subjects {
		subjects[i] = fmt.Sprintf("user-%07d", i)
	}
	steps := []func(s string) error{
		func(s string) error { _, err := l.Grant(ctx, grantRecord(s, "newsletter", "ads")); return err },
		func(s string) error { _, err := l.Withdraw(ctx, withdrawRecord(s, "newsletter")); return err },
		func(s string) error { _, err := l.Grant(ctx, grantRecord(s, "newsletter")); return err },
	}
	for _, step := range steps {
		c.Advance(time.Minute)
		for _, s := range subjects {
			require.NoError(tb, step(s))
		}
	}
	return subjects
}

// The hand-written ideals for the benchmark. idealCurrent keeps only the
// current state of each subject and purpose in a map under a read lock: no
// history, no instants. idealAtInstant keeps, per subject and purpose, the
// states ordered by time and finds the one at an instant by binary search:
// what Status does, without expiry, notices or evidence.
type idealCurrent struct {
	mu    sync.RWMutex
	state map[[2]string]consent.State
}

func (s *idealCurrent) Status(subject, purpose string) consent.State {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.state[[2]string{subject, purpose}]
}

type idealChange struct {
	at    time.Time
	state consent.State
}

type idealAtInstant struct {
	mu      sync.RWMutex
	changes map[[2]string][]idealChange
}

func (s *idealAtInstant) Status(subject, purpose string, at time.Time) consent.State {
	s.mu.RLock()
	defer s.mu.RUnlock()
	changes := s.changes[[2]string{subject, purpose}]
	i, _ := slices.BinarySearchFunc(changes, at, func(c idealChange, at time.Time) int {
		if c.at.After(at) {
			return 1
		}
		return -1
	})
	if i == 0 {
		return consent.None
	}
	return changes[i-1].state
}

// BenchmarkStatus compares the in-memory Ledger's Status with the ideals
// above, over 10,000 subjects with four events each. None may allocate.
func BenchmarkStatus(b *testing.B) {
	ctx := context.Background()
	c := newClock()
	l := newLedger(b, consent.LedgerConfig{Now: c.Now, Validity: 365 * 24 * time.Hour})
	subjects := fill(b, l, c, 10_000)
	current := &idealCurrent{state: map[[2]string]consent.State{}}
	atInstant := &idealAtInstant{changes: map[[2]string][]idealChange{}}
	for _, s := range subjects {
		current.state[[2]string{s, "newsletter"}] = consent.Granted
		atInstant.changes[[2]string{s, "newsletter"}] = []idealChange{
			{t0.Add(time.Minute), consent.Granted},
			{t0.Add(2 * time.Minute), consent.Withdrawn},
			{t0.Add(3 * time.Minute), consent.Granted},
		}
	}
	instants := []time.Time{t0.Add(90 * time.Second), t0.Add(150 * time.Second), t0.Add(time.Hour)}

	b.Run("ledger", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			st, err := l.Status(ctx, subjects[i%len(subjects)], "newsletter", instants[i%len(instants)])
			if err != nil || st.State == consent.None {
				b.Fatal(st, err)
			}
			i++
		}
	})
	b.Run("ideal-at-instant", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if atInstant.Status(subjects[i%len(subjects)], "newsletter", instants[i%len(instants)]) == consent.None {
				b.Fatal("no state")
			}
			i++
		}
	})
	b.Run("ideal-current", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if current.Status(subjects[i%len(subjects)], "newsletter") != consent.Granted {
				b.Fatal("not granted")
			}
			i++
		}
	})
	b.Run("ledger-parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if _, err := l.Status(ctx, subjects[i%len(subjects)], "newsletter", instants[i%len(instants)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	})
	b.Run("ideal-at-instant-parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				atInstant.Status(subjects[i%len(subjects)], "newsletter", instants[i%len(instants)])
				i++
			}
		})
	})
}

// BenchmarkStatusSQLite measures Status on the SQLite store, two queries
// per call, for comparison with the in-memory store.
func BenchmarkStatusSQLite(b *testing.B) {
	ctx := context.Background()
	c := newClock()
	db, _ := dbtest.SQLite(b)
	l := newLedger(b, consent.LedgerConfig{Store: newSQLStore(b, db), Now: c.Now})
	subjects := fill(b, l, c, 200)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := l.Status(ctx, subjects[i%len(subjects)], "newsletter", t0.Add(time.Hour)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func TestStatusDoesNotAllocate(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	l := newLedger(t, consent.LedgerConfig{Now: c.Now, Validity: time.Hour})
	subjects := fill(t, l, c, 10)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := l.Status(ctx, subjects[3], "newsletter", t0.Add(150*time.Second)); err != nil {
			t.Fatal(err)
		}
	})
	assert.Zero(t, allocs, "Status on the memory store")
}

// TestManySubjects checks Status against the recorded history for many
// subjects: 20,000 always, a million with GDPRKIT_LONG=1.
func TestManySubjects(t *testing.T) {
	n := 20_000
	if os.Getenv("GDPRKIT_LONG") == "1" {
		n = 1_000_000
	} else if testing.Short() {
		n = 2_000
	}
	ctx := context.Background()
	c := newClock()
	l := newLedger(t, consent.LedgerConfig{Now: c.Now})
	subjects := fill(t, l, c, n)
	// t0+1m: all granted; t0+2m: newsletter withdrawn; t0+3m: granted again.
	want := []struct {
		at    time.Time
		state consent.State
		seq   int64
	}{
		{t0.Add(30 * time.Second), consent.None, 0},
		{t0.Add(90 * time.Second), consent.Granted, 1},
		{t0.Add(150 * time.Second), consent.Withdrawn, 3},
		{t0.Add(time.Hour), consent.Granted, 4},
	}
	for i := 0; i < len(subjects); i += 1 + len(subjects)/5_000 {
		for _, w := range want {
			st, err := l.Status(ctx, subjects[i], "newsletter", w.at)
			require.NoError(t, err)
			if st.State != w.state || st.Seq != w.seq {
				t.Fatalf("%s at %v: %v (event %d), want %v (event %d)", subjects[i], w.at, st.State, st.Seq, w.state, w.seq)
			}
		}
		ads, err := l.Status(ctx, subjects[i], "ads", t0.Add(time.Hour))
		require.NoError(t, err)
		require.Equal(t, int64(2), ads.Seq)
	}
	purposes, err := l.Purposes(ctx, subjects[len(subjects)-1])
	require.NoError(t, err)
	assert.True(t, sort.StringsAreSorted(purposes))
	assert.Equal(t, []string{"ads", "newsletter"}, purposes)
}
