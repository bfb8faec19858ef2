package retention

import (
	"context"
	"errors"
	"math"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listSource serves a fixed list of candidates and records the items it is
// asked to act on. Erased categories are no longer offered.
type listSource struct {
	mu     sync.Mutex
	cands  []Candidate
	erased map[string][]pii.Category // by record
	calls  map[Action][]Item
}

func newListSource(cands ...Candidate) *listSource {
	return &listSource{cands: cands, erased: map[string][]pii.Category{}, calls: map[Action][]Item{}}
}

func (s *listSource) Candidates(_ context.Context, after Cursor, limit int) ([]Candidate, Cursor, error) {
	start := 0
	if after != "" {
		start, _ = strconv.Atoi(string(after))
	}
	end := min(start+limit, len(s.cands))
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Candidate
	for _, c := range s.cands[start:end] {
		if _, done := s.erased[c.Record]; done && len(c.Categories) == 0 {
			continue // erased as a whole
		}
		tracked := len(c.Categories) > 0
		c.Categories = slices.DeleteFunc(slices.Clone(c.Categories), func(x pii.Category) bool {
			return slices.Contains(s.erased[c.Record], x)
		})
		if tracked && len(c.Categories) == 0 {
			continue // nothing personal left
		}
		out = append(out, c)
	}
	if end == len(s.cands) {
		return out, "", nil
	}
	return out, Cursor(strconv.Itoa(end)), nil
}

func (s *listSource) record(a Action, items []Item) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, it := range items {
		it.Categories = slices.Clone(it.Categories)
		s.calls[a] = append(s.calls[a], it)
		if a == Erase {
			s.erased[it.Record] = append(s.erased[it.Record], it.Categories...)
		}
	}
}

func (s *listSource) Erase(_ context.Context, items []Item) error {
	s.record(Erase, items)
	return nil
}

// anonSource is a listSource that anonymises and reviews too.
type anonSource struct{ *listSource }

func (s anonSource) Anonymise(_ context.Context, items []Item) error {
	s.record(Anonymise, items)
	return nil
}

func (s anonSource) Review(_ context.Context, items []Item) error {
	s.record(Review, items)
	return nil
}

type testEnv struct {
	store   *MemoryStore
	clock   *clock
	journal *MemoryAuditor
	policy  *Policy
}

func newEnv(t *testing.T, rules ...Rule) *testEnv {
	p, err := NewPolicy(rules...)
	require.NoError(t, err)
	return &testEnv{store: NewMemoryStore(), clock: newClock(t0), journal: NewMemoryAuditor(), policy: p}
}

func (e *testEnv) config(sources map[string]RecordSource) SweeperConfig {
	return SweeperConfig{Policy: e.policy, Sources: sources, Holds: e.store, Checkpoints: e.store, Auditor: e.journal, Now: e.clock.Now}
}

func (e *testEnv) sweeper(t *testing.T, sources map[string]RecordSource) *Sweeper {
	s, err := NewSweeper(e.config(sources))
	require.NoError(t, err)
	return s
}

func TestNewSweeperRejects(t *testing.T) {
	env := newEnv(t, Rule{Name: "r", Period: Period{Days: 1}, Action: Erase})
	src := newListSource()
	for _, tc := range []struct {
		change func(*SweeperConfig)
		want   string
	}{
		{func(c *SweeperConfig) { c.Policy = nil }, "Policy is nil"},
		{func(c *SweeperConfig) { c.Holds = nil }, "Holds is nil"},
		{func(c *SweeperConfig) { c.Checkpoints = nil }, "Checkpoints is nil"},
		{func(c *SweeperConfig) { c.Auditor = nil }, "Auditor is nil"},
		{func(c *SweeperConfig) { c.Sources = nil }, "no Sources"},
		{func(c *SweeperConfig) { c.Sources = map[string]RecordSource{"": src} }, `Sources[""]`},
		{func(c *SweeperConfig) { c.Sources = map[string]RecordSource{"x": nil} }, `Sources["x"]`},
		{func(c *SweeperConfig) { c.Subjects = map[string]SubjectSource{"s": &subjectList{}} }, "Eraser is nil"},
		{func(c *SweeperConfig) {
			c.Subjects, c.Eraser = map[string]SubjectSource{"orders": &subjectList{}}, &eraser{}
		}, `"orders" is both`},
		{func(c *SweeperConfig) { c.BatchSize = -1 }, "BatchSize"},
		{func(c *SweeperConfig) { c.LeaseTTL = -time.Second }, "LeaseTTL"},
	} {
		cfg := env.config(map[string]RecordSource{"orders": src})
		tc.change(&cfg)
		_, err := NewSweeper(cfg)
		assert.ErrorIs(t, err, ErrInvalidConfig, tc.want)
		assert.ErrorContains(t, err, tc.want)
	}
}

func TestSweepActsPerRuleAndCategory(t *testing.T) {
	env := newEnv(t,
		Rule{Name: "email", Category: pii.Email, Period: mustPeriod(t, "P30D"), Action: Erase},
		Rule{Name: "contact", Category: "user.contact", Period: mustPeriod(t, "P90D"), Action: Erase},
		Rule{Name: "ip", Category: pii.IPAddress, Period: mustPeriod(t, "P7D"), Action: Anonymise},
		Rule{Name: "support", Purpose: "support", Period: mustPeriod(t, "P1Y"), From: ContractEnd, Action: Review},
	)
	old := t0.AddDate(0, -4, 0)
	src := anonSource{newListSource(
		Candidate{Subject: "alice", Record: "o1", Categories: []pii.Category{pii.Email, pii.Phone, pii.Address, pii.IPAddress, pii.Health}, Collected: old},
		Candidate{Subject: "bob", Record: "o2", Categories: []pii.Category{pii.Email}, Collected: t0.AddDate(0, 0, -10)},
		Candidate{Subject: "carol", Record: "t1", Purpose: "support", ContractEnd: t0.AddDate(-1, 0, 0)},
		Candidate{Subject: "dave", Record: "t2", Purpose: "support"},
	)}
	s := env.sweeper(t, map[string]RecordSource{"orders": src})
	report, err := s.Sweep(context.Background())
	require.NoError(t, err)

	erased := src.calls[Erase]
	require.Len(t, erased, 2, "one item per rule")
	assert.Equal(t, Item{Subject: "alice", Record: "o1", Categories: []pii.Category{pii.Email}, Rule: "email", Due: old.AddDate(0, 0, 30)}, erased[0])
	assert.Equal(t, []pii.Category{pii.Phone, pii.Address}, erased[1].Categories)
	assert.Equal(t, "contact", erased[1].Rule)
	require.Len(t, src.calls[Anonymise], 1)
	assert.Equal(t, []pii.Category{pii.IPAddress}, src.calls[Anonymise][0].Categories)
	require.Len(t, src.calls[Review], 1)
	assert.Equal(t, "t1", src.calls[Review][0].Record)
	assert.Nil(t, src.calls[Review][0].Categories, "the record as a whole")

	assert.Equal(t, 4, report.Records)
	assert.Equal(t, Counts{Due: 5, Retained: 1, Undetermined: 1, Unruled: 1}, report.Verdicts)
	assert.Equal(t, []Tally{
		{Source: "orders", Rule: "email", Action: Erase, Items: 1},
		{Source: "orders", Rule: "contact", Action: Erase, Items: 1},
		{Source: "orders", Rule: "ip", Action: Anonymise, Items: 1},
		{Source: "orders", Rule: "support", Action: Review, Items: 1},
	}, report.Tallies)
	assert.True(t, report.Started.Equal(t0))

	events := env.journal.Events()
	require.Len(t, events, 4)
	assert.Equal(t, AuditEvent{Kind: Acted, At: t0, Action: Erase, Source: "orders", Rule: "email", Subject: "alice",
		Record: "o1", Categories: []pii.Category{pii.Email}}, events[0])
	assert.Equal(t, Review, events[3].Action)

	cp, err := env.store.Checkpoint(context.Background(), "orders")
	require.NoError(t, err)
	assert.Equal(t, Cursor(""), cp.Cursor, "a completed pass starts over")
	assert.Equal(t, "", cp.Owner, "the lease is released")
}

func TestSweepNeverActsOnHeldData(t *testing.T) {
	env := newEnv(t, Rule{Name: "all", Period: mustPeriod(t, "P30D"), Action: Erase})
	old := t0.AddDate(-1, 0, 0)
	src := newListSource(
		Candidate{Subject: "alice", Record: "1", Categories: []pii.Category{pii.Email, pii.Health}, Collected: old},
		Candidate{Subject: "bob", Record: "2", Categories: []pii.Category{pii.Email}, Collected: old},
		Candidate{Subject: "bob", Record: "3", Collected: old},
	)
	holds, err := NewHolds(HoldsConfig{Store: env.store, Auditor: env.journal, Now: env.clock.Now})
	require.NoError(t, err)
	ctx := context.Background()
	health, err := holds.Place(ctx, Hold{Category: pii.Health, Case: "INQ-1", Reason: "regulator inquiry"})
	require.NoError(t, err)
	bob, err := holds.Place(ctx, Hold{Subject: "bob", Case: "LIT-1", Reason: "litigation"})
	require.NoError(t, err)

	s := env.sweeper(t, map[string]RecordSource{"orders": src})
	report, err := s.Sweep(ctx)
	require.NoError(t, err)
	require.Len(t, src.calls[Erase], 1)
	assert.Equal(t, Item{Subject: "alice", Record: "1", Categories: []pii.Category{pii.Email}, Rule: "all", Due: old.AddDate(0, 0, 30)}, src.calls[Erase][0])
	assert.Equal(t, Counts{Due: 1, Held: 3}, report.Verdicts)
	assert.Equal(t, Tally{Source: "orders", Rule: "all", Action: Erase, Items: 1, Held: 3}, report.Tally("orders", "all"))

	_, err = holds.Release(ctx, bob.ID)
	require.NoError(t, err)
	env.clock.Advance(time.Hour)
	report, err = s.Sweep(ctx)
	require.NoError(t, err)
	require.Len(t, src.calls[Erase], 2, "bob's e-mail, once released")
	assert.Equal(t, "2", src.calls[Erase][1].Record)
	assert.Equal(t, 2, report.Verdicts.Held, "alice's health data, and bob's record that lists no categories")
	assert.NotContains(t, src.erased["1"], pii.Health)

	_, err = holds.Release(ctx, health.ID)
	require.NoError(t, err)
	_, err = s.Sweep(ctx)
	require.NoError(t, err)
	require.Len(t, src.calls[Erase], 4)
	assert.Equal(t, "3", src.calls[Erase][3].Record)
	assert.Nil(t, src.calls[Erase][3].Categories)
	assert.Contains(t, src.erased["1"], pii.Health)
}

func TestSweepRefusesUnsupportedAnonymisation(t *testing.T) {
	env := newEnv(t,
		Rule{Name: "email", Category: pii.Email, Period: mustPeriod(t, "P30D"), Action: Erase},
		Rule{Name: "ip", Category: pii.IPAddress, Period: mustPeriod(t, "P7D"), Action: Anonymise},
	)
	old := t0.AddDate(-1, 0, 0)
	src := newListSource(Candidate{Subject: "a", Record: "1", Categories: []pii.Category{pii.Email, pii.IPAddress}, Collected: old})
	report, err := env.sweeper(t, map[string]RecordSource{"logs": src}).Sweep(context.Background())
	require.ErrorIs(t, err, ErrUnsupportedAction)
	assert.ErrorContains(t, err, `retention: source "logs": anonymise: action not supported by source: rule "ip" wants anonymisation but the source is not an Anonymiser`)
	assert.Empty(t, src.calls[Erase], "nothing in the batch is acted on")
	assert.Zero(t, report.Acted(Erase))
	assert.Len(t, report.Errors, 1)
	assert.Empty(t, env.journal.Events())
}

// stuckSource returns its input cursor forever.
type stuckSource struct{ listSource }

func (s *stuckSource) Candidates(context.Context, Cursor, int) ([]Candidate, Cursor, error) {
	return nil, "same", nil
}

func TestSweepStopsASourceThatDoesNotAdvance(t *testing.T) {
	env := newEnv(t, Rule{Name: "r", Period: Period{Days: 1}, Action: Erase})
	other := newListSource(Candidate{Subject: "a", Record: "1", Collected: t0.AddDate(0, 0, -2)})
	s := env.sweeper(t, map[string]RecordSource{"stuck": &stuckSource{}, "other": other})
	report, err := s.Sweep(context.Background())
	assert.ErrorIs(t, err, ErrNoProgress)
	assert.Len(t, other.calls[Erase], 1, "other sources are still swept")
	assert.Equal(t, 1, report.Acted(Erase))
}

type failingSource struct{ listSource }

func (s *failingSource) Candidates(context.Context, Cursor, int) ([]Candidate, Cursor, error) {
	return nil, "", errors.New("database is down")
}

func TestSweepReportsSourceErrors(t *testing.T) {
	env := newEnv(t, Rule{Name: "r", Period: Period{Days: 1}, Action: Erase})
	report, err := env.sweeper(t, map[string]RecordSource{"orders": &failingSource{}}).Sweep(context.Background())
	require.Error(t, err)
	var se *SweepError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, SweepError{Source: "orders", Op: "candidates", Err: se.Err}, *se)
	assert.EqualError(t, se, `retention: source "orders": candidates: database is down`)
	assert.Equal(t, report.Err().Error(), err.Error())
}

func TestSweepSkipsSourcesLeasedElsewhere(t *testing.T) {
	env := newEnv(t, Rule{Name: "r", Period: Period{Days: 1}, Action: Erase})
	src := newListSource(Candidate{Subject: "a", Record: "1", Collected: t0.AddDate(0, 0, -2)})
	ctx := context.Background()
	_, err := env.store.AcquireLease(ctx, CheckpointLease{Source: "orders", Owner: "elsewhere", Now: t0, Until: t0.Add(time.Minute)})
	require.NoError(t, err)
	s := env.sweeper(t, map[string]RecordSource{"orders": src})
	report, err := s.Sweep(ctx)
	require.NoError(t, err, "a busy source is not an error")
	assert.Equal(t, []string{"orders"}, report.Busy)
	assert.Empty(t, src.calls[Erase])

	env.clock.Advance(time.Minute)
	report, err = s.Sweep(ctx)
	require.NoError(t, err)
	assert.Empty(t, report.Busy, "the other sweeper's lease ran out")
	assert.Len(t, src.calls[Erase], 1)
}

func TestDryRun(t *testing.T) {
	env := newEnv(t, Rule{Name: "r", Period: Period{Days: 1}, Action: Erase})
	var cands []Candidate
	for i := range 10 {
		cands = append(cands, Candidate{Subject: "s", Record: strconv.Itoa(i), Collected: t0.AddDate(0, 0, -i)})
	}
	src := newListSource(cands...)
	cfg := env.config(map[string]RecordSource{"orders": src})
	cfg.BatchSize = 3
	s, err := NewSweeper(cfg)
	require.NoError(t, err)
	ctx := context.Background()
	// An interrupted sweep left the checkpoint at record 6.
	_, err = env.store.AcquireLease(ctx, CheckpointLease{Source: "orders", Owner: "old", Now: t0, Until: t0.Add(time.Minute)})
	require.NoError(t, err)
	require.NoError(t, env.store.AdvanceCursor(ctx, CheckpointLease{Source: "orders", Owner: "old", Now: t0, Until: t0.Add(time.Minute)}, "", "6"))

	report, err := s.DryRun(ctx)
	require.NoError(t, err)
	assert.True(t, report.DryRun)
	assert.Equal(t, 4, report.Records, "from the checkpoint to the end")
	assert.Equal(t, 4, report.Acted(Erase))
	assert.Empty(t, src.calls[Erase])
	assert.Empty(t, env.journal.Events())
	cp, err := env.store.Checkpoint(ctx, "orders")
	require.NoError(t, err)
	assert.Equal(t, Cursor("6"), cp.Cursor, "the checkpoint stays")
	assert.Equal(t, "old", cp.Owner, "a dry run takes no lease")
}

func TestSweepIsPaced(t *testing.T) {
	env := newEnv(t, Rule{Name: "r", Period: Period{Days: 1}, Action: Erase})
	var cands []Candidate
	for i := range 1000 {
		cands = append(cands, Candidate{Subject: "s", Record: strconv.Itoa(i), Collected: t0})
	}
	var slept []time.Duration
	limiter, err := NewLimiter(LimiterConfig{RecordsPerSecond: 1000, BatchesPerSecond: 20, Now: env.clock.Now,
		Sleep: func(_ context.Context, d time.Duration) error {
			slept = append(slept, d)
			env.clock.Advance(d)
			return nil
		}})
	require.NoError(t, err)
	cfg := env.config(map[string]RecordSource{"orders": newListSource(cands...)})
	cfg.BatchSize, cfg.Waiter = 100, limiter
	s, err := NewSweeper(cfg)
	require.NoError(t, err)
	report, err := s.Sweep(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1000, report.Records)
	require.Len(t, slept, 9, "ten batches, the first at once")
	for _, d := range slept {
		assert.Equal(t, 100*time.Millisecond, d, "100 records at 1000 per second")
	}
	assert.Equal(t, 900*time.Millisecond, report.Finished.Sub(report.Started))
}

func TestLimiter(t *testing.T) {
	clk := newClock(t0)
	var slept []time.Duration
	l, err := NewLimiter(LimiterConfig{RecordsPerSecond: 10, BatchesPerSecond: 4, Now: clk.Now,
		Sleep: func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }})
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, l.Wait(ctx, 1))  // at once; the next may start 250ms later (batches)
	require.NoError(t, l.Wait(ctx, 20)) // waits 250ms; the next 2s later (records)
	require.NoError(t, l.Wait(ctx, 1))
	assert.Equal(t, []time.Duration{250 * time.Millisecond, 2250 * time.Millisecond}, slept)
	clk.Advance(time.Hour)
	require.NoError(t, l.Wait(ctx, 1))
	assert.Len(t, slept, 2, "idle time is not saved up")

	canceled, cancel := context.WithCancel(ctx)
	cancel()
	real, err := NewLimiter(LimiterConfig{BatchesPerSecond: 0.001})
	require.NoError(t, err)
	require.NoError(t, real.Wait(ctx, 1))
	assert.ErrorIs(t, real.Wait(canceled, 1), context.Canceled, "a canceled wait returns at once")

	for _, bad := range []LimiterConfig{{RecordsPerSecond: -1}, {BatchesPerSecond: math.NaN()}, {RecordsPerSecond: math.Inf(1)}} {
		_, err := NewLimiter(bad)
		assert.ErrorIs(t, err, ErrInvalidConfig)
	}
}

func TestSweepStopsWhenCanceled(t *testing.T) {
	env := newEnv(t, Rule{Name: "r", Period: Period{Days: 1}, Action: Erase})
	var cands []Candidate
	for i := range 10 {
		cands = append(cands, Candidate{Subject: "s", Record: strconv.Itoa(i), Collected: t0.AddDate(0, 0, -2)})
	}
	src := newListSource(cands...)
	ctx, cancel := context.WithCancel(context.Background())
	cfg := env.config(map[string]RecordSource{"orders": src})
	cfg.BatchSize = 2
	cfg.Waiter = waiterFunc(func(ctx context.Context, _ int) error {
		if len(src.calls[Erase]) >= 4 {
			cancel()
		}
		return ctx.Err()
	})
	s, err := NewSweeper(cfg)
	require.NoError(t, err)
	_, err = s.Sweep(ctx)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Len(t, src.calls[Erase], 4)
	cp, err := env.store.Checkpoint(context.Background(), "orders")
	require.NoError(t, err)
	assert.Equal(t, Cursor("4"), cp.Cursor, "resumes after the last batch acted on")
	assert.Equal(t, "", cp.Owner, "the lease is released even so")
}

type waiterFunc func(context.Context, int) error

func (f waiterFunc) Wait(ctx context.Context, n int) error { return f(ctx, n) }

func TestSweepResolvesAliasesAndReportsUnknownCategories(t *testing.T) {
	env := newEnv(t,
		Rule{Name: "email", Category: pii.Email, Period: Period{Years: 5}, Action: Erase},
		Rule{Name: "all", Period: Period{Days: 30}, Action: Erase},
	)
	old := t0.AddDate(0, 0, -60)
	src := newListSource(
		Candidate{Subject: "alice", Record: "1", Categories: []pii.Category{"email"}, Collected: old},
		Candidate{Subject: "alice", Record: "2", Categories: []pii.Category{"e-mail", "city"}, Collected: old},
		Candidate{Subject: "bob", Record: "3", Categories: []pii.Category{"emial", "city"}, Collected: old},
	)
	ctx := context.Background()
	s := env.sweeper(t, map[string]RecordSource{"orders": src})
	report, err := s.Sweep(ctx)
	require.ErrorIs(t, err, ErrUnknownCategory)
	var se *SweepError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "orders", se.Source)
	assert.Equal(t, "categories", se.Op)
	assert.Contains(t, se.Error(), `"emial"`)
	assert.Equal(t, Counts{Due: 2, Retained: 2, Unknown: 1}, report.Verdicts)
	assert.Equal(t, 3, report.Records, "the sweep went on past the unknown category")

	require.Len(t, src.calls[Erase], 2, "the cities only; the e-mail rule keeps the e-mail addresses")
	for _, it := range src.calls[Erase] {
		assert.Equal(t, []pii.Category{pii.City}, it.Categories, "items name keys")
		assert.Equal(t, "all", it.Rule)
	}
	cp, err := env.store.Checkpoint(ctx, "orders")
	require.NoError(t, err)
	assert.Equal(t, Cursor(""), cp.Cursor, "the pass finished")
}

// gatedSource is a listSource whose first Erase waits for release, after
// telling entered.
type gatedSource struct {
	*listSource
	once             sync.Once
	entered, release chan struct{}
}

func (s *gatedSource) Erase(ctx context.Context, items []Item) error {
	s.once.Do(func() {
		close(s.entered)
		<-s.release
	})
	return s.listSource.Erase(ctx, items)
}

func TestConcurrentSweepsOfOneSweeperActOnce(t *testing.T) {
	env := newEnv(t, Rule{Name: "email", Category: pii.Email, Period: Period{Days: 30}, Action: Erase})
	old := t0.AddDate(-1, 0, 0)
	src := &gatedSource{
		listSource: newListSource(
			Candidate{Subject: "alice", Record: "1", Categories: []pii.Category{pii.Email}, Collected: old},
			Candidate{Subject: "bob", Record: "2", Categories: []pii.Category{pii.Email}, Collected: old},
		),
		entered: make(chan struct{}), release: make(chan struct{}),
	}
	s := env.sweeper(t, map[string]RecordSource{"orders": src})
	ctx := context.Background()

	first := make(chan *Report, 1)
	go func() {
		r, err := s.Sweep(ctx)
		assert.NoError(t, err)
		first <- r
	}()
	<-src.entered // the first sweep holds the lease and is acting
	second, err := s.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"orders"}, second.Busy, "the same sweeper's lease is not re-entrant")
	assert.Zero(t, second.Records)
	close(src.release)
	r := <-first
	assert.Empty(t, r.Busy)
	assert.Equal(t, 2, r.Acted(Erase))

	require.Len(t, src.calls[Erase], 2, "each record is acted on once")
	assert.ElementsMatch(t, []string{"1", "2"}, []string{src.calls[Erase][0].Record, src.calls[Erase][1].Record})
	cp, err := env.store.Checkpoint(ctx, "orders")
	require.NoError(t, err)
	assert.Equal(t, "", cp.Owner, "the lease is released")
}

func TestSweepersWithOneOwnerDoNotShareALease(t *testing.T) {
	env := newEnv(t, Rule{Name: "email", Category: pii.Email, Period: Period{Days: 30}, Action: Erase})
	src := newListSource(Candidate{Subject: "alice", Record: "1", Categories: []pii.Category{pii.Email}, Collected: t0.AddDate(-1, 0, 0)})
	cfg := env.config(map[string]RecordSource{"orders": src})
	cfg.Owner = "pod"
	a, err := NewSweeper(cfg)
	require.NoError(t, err)
	ctx := context.Background()
	// Another instance named "pod" is mid-pass: its lease is held.
	_, err = env.store.AcquireLease(ctx, CheckpointLease{Source: "orders", Owner: "pod", Now: t0, Until: t0.Add(time.Minute)})
	require.NoError(t, err)
	r, err := a.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"orders"}, r.Busy)
	assert.Empty(t, src.calls[Erase])
}
