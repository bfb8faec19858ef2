package retention

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/pii"
)

// sliceSource serves candidates from memory without copying them.
type sliceSource struct{ cands []Candidate }

func (s *sliceSource) Candidates(_ context.Context, after Cursor, limit int) ([]Candidate, Cursor, error) {
	start := 0
	if after != "" {
		start, _ = strconv.Atoi(string(after))
	}
	end := min(start+limit, len(s.cands))
	if end == len(s.cands) {
		return s.cands[start:end], "", nil
	}
	return s.cands[start:end], Cursor(strconv.Itoa(end)), nil
}

func (s *sliceSource) Erase(context.Context, []Item) error     { return nil }
func (s *sliceSource) Anonymise(context.Context, []Item) error { return nil }

func synthCandidates(n int) []Candidate {
	cands := make([]Candidate, n)
	for i := range cands {
		sub, purpose, mask, collected := synthRecord(i)
		var cats []pii.Category
		for k, c := range synthCats {
			if mask&(1<<k) != 0 {
				cats = append(cats, c)
			}
		}
		cands[i] = Candidate{Subject: "s" + strconv.Itoa(sub), Record: strconv.Itoa(i), Purpose: purpose,
			Categories: cats, Collected: collected}
	}
	return cands
}

// handwritten is the ideal a developer would write for synthRules by hand:
// a switch per category and purpose, and time.AddDate. It counts the
// categories due per rule.
func handwritten(cands []Candidate, now time.Time, due *[10]int) {
	for i := range cands {
		c := &cands[i]
		for _, cat := range c.Categories {
			var until time.Time
			var rule int
			switch {
			case cat == pii.Email && c.Purpose == "marketing":
				until, rule = c.Collected.AddDate(0, 0, 14), 6
			case cat == pii.Email:
				until, rule = c.Collected.AddDate(0, 0, 30), 0
			case cat == pii.IPAddress:
				until, rule = c.Collected.AddDate(0, 0, 7), 1
			case cat == pii.Purchases && c.Purpose == "accounting":
				until, rule = c.Collected.AddDate(6, 0, 0), 2
			case cat == pii.Purchases:
				until, rule = c.Collected.AddDate(2, 0, 0), 3
			case cat == pii.Health:
				until, rule = c.Collected.AddDate(0, 0, 180), 4
			case cat == pii.Name && c.Purpose == "accounting":
				until, rule = c.Collected.AddDate(10, 0, 0), 7
			case cat == pii.DeviceID:
				until, rule = c.Collected.AddDate(0, 13, 0), 8
			case c.Purpose == "marketing":
				until, rule = c.Collected.AddDate(0, 0, 90), 5
			default:
				until, rule = c.Collected.AddDate(1, 0, 0), 9
			}
			if !now.Before(until) {
				due[rule]++
			}
		}
	}
}

// BenchmarkSweep judges 100,000 in-memory candidates against the ten
// synthetic rules: through a dry run of the Sweeper (batches of 1,000,
// checkpoint, holds, tallies), and through the hand-written loop.
func BenchmarkSweep(b *testing.B) {
	const n = 100_000
	cands := synthCandidates(n)
	policy, err := NewPolicy(synthRules(b)...)
	if err != nil {
		b.Fatal(err)
	}
	var want [10]int
	handwritten(cands, synthNow, &want)

	b.Run("sweeper", func(b *testing.B) {
		st := NewMemoryStore()
		s, err := NewSweeper(SweeperConfig{
			Policy: policy, Sources: map[string]RecordSource{"orders": &sliceSource{cands}}, Holds: st, Checkpoints: st,
			Auditor: NewMemoryAuditor(), Now: func() time.Time { return synthNow }, BatchSize: 1000,
		})
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		b.ReportAllocs()
		for b.Loop() {
			r, err := s.DryRun(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if r.Verdicts.Due != sum(want[:]) {
				b.Fatalf("sweeper found %d due, the hand-written loop %d", r.Verdicts.Due, sum(want[:]))
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/candidate")
	})
	b.Run("handwritten", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var due [10]int
			handwritten(cands, synthNow, &due)
			if due != want {
				b.Fatal("unstable")
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/candidate")
	})
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}
