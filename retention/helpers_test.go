package retention

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/require"
)

// clock is an injectable clock that tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// The synthetic data set: record i belongs to subject i/4, serves purpose
// i%3 (marketing, accounting, none), holds a subset of synthCats chosen by
// i, and was collected i%400 days before synthNow.
var (
	synthCats = []pii.Category{pii.Email, pii.IPAddress, pii.Purchases, pii.Name, pii.Health}
	synthNow  = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
)

const heldEvery = 50 // every 50th subject is under a legal hold

func synthRecord(i int) (subject int, purpose string, mask uint8, collected time.Time) {
	subject = i / 4
	purpose = [...]string{"marketing", "accounting", ""}[i%3]
	mask = uint8(1 + (i*7+i/5)%31) // a non-empty subset of the five categories
	collected = synthNow.AddDate(0, 0, -(i % 400))
	return
}

// synthRules are the ten rules of the synthetic data set.
func synthRules(t testing.TB) []Rule {
	return []Rule{
		{Name: "email", Category: pii.Email, Period: mustPeriod(t, "P30D"), Action: Erase},
		{Name: "ip", Category: pii.IPAddress, Period: mustPeriod(t, "P7D"), Action: Anonymise},
		{Name: "purchases-accounting", Category: pii.Purchases, Purpose: "accounting", Period: mustPeriod(t, "P6Y"), Action: Erase},
		{Name: "purchases", Category: pii.Purchases, Period: mustPeriod(t, "P2Y"), Action: Erase},
		{Name: "health", Category: pii.Health, Period: mustPeriod(t, "P180D"), Action: Erase},
		{Name: "marketing", Purpose: "marketing", Period: mustPeriod(t, "P90D"), Action: Erase},
		{Name: "email-marketing", Category: pii.Email, Purpose: "marketing", Period: mustPeriod(t, "P14D"), Action: Erase},
		{Name: "name-accounting", Category: pii.Name, Purpose: "accounting", Period: mustPeriod(t, "P10Y"), Action: Review},
		{Name: "device", Category: pii.DeviceID, Period: mustPeriod(t, "P13M"), Action: Erase},
		{Name: "catch-all", Period: mustPeriod(t, "P1Y"), Action: Review},
	}
}

// synthExpect is the hand-written ideal of synthRules: the action due for
// category c of a record kept for purpose, collected age days ago, at
// synthNow (ok false when nothing is due).
func synthExpect(c pii.Category, purpose string, age int) (Action, bool) {
	switch {
	case c == pii.Email && purpose == "marketing":
		return Erase, age >= 14
	case c == pii.Email:
		return Erase, age >= 30
	case c == pii.IPAddress:
		return Anonymise, age >= 7
	case c == pii.Purchases && purpose == "accounting":
		return Erase, false
	case c == pii.Purchases:
		return Erase, false // two years: older than the data set
	case c == pii.Health:
		return Erase, age >= 180
	case c == pii.Name && purpose == "accounting":
		return Review, false
	case purpose == "marketing":
		return Erase, age >= 90
	}
	return Review, age >= 365
}

// synthHeld says whether the hand-written holds (see synthHolds) cover
// category c of subject's data.
func synthHeld(subject int, c pii.Category) bool {
	return subject%heldEvery == 0 || c == pii.Health
}

func synthHolds(t testing.TB, s HoldStore, subjects int) {
	ctx := context.Background()
	require.NoError(t, s.PlaceHold(ctx, Hold{ID: "health", Category: pii.Health, Reason: "regulator inquiry", Placed: synthNow.AddDate(-5, 0, 0)}))
	for sub := 0; sub < subjects; sub += heldEvery {
		require.NoError(t, s.PlaceHold(ctx, Hold{ID: "subject-" + strconv.Itoa(sub), Case: "LIT-7",
			Subject: "s" + strconv.Itoa(sub), Reason: "litigation", Placed: synthNow.AddDate(-1, 0, 0)}))
	}
}

// synthSource serves n synthetic records and records what was done to
// each category of each record. Instances made with view share the
// records, as two processes share a database.
type synthSource struct {
	*synthState
	buf     []Candidate
	catsBuf []pii.Category
}

type synthState struct {
	n  int
	mu sync.Mutex
	// bit k of erased[i] (anonymised, reviewed) is set once category k of
	// record i was erased (anonymised, flagged).
	erased, anonymised, reviewed []uint8
	// changes counts state changes per record and category: at most one.
	changes []uint8
	// calls counts how often an action was asked for, per record and category.
	calls []uint8
	// fault, when set, is called after each action and may fail it.
	fault func(op string) error
}

func newSynthSource(n int) *synthSource {
	return &synthSource{synthState: &synthState{n: n, erased: make([]uint8, n), anonymised: make([]uint8, n),
		reviewed: make([]uint8, n), changes: make([]uint8, n*len(synthCats)), calls: make([]uint8, n*len(synthCats))}}
}

// view returns another instance on the same records.
func (s *synthSource) view() *synthSource { return &synthSource{synthState: s.synthState} }

func (s *synthSource) Candidates(ctx context.Context, after Cursor, limit int) ([]Candidate, Cursor, error) {
	start := 0
	if after != "" {
		var err error
		if start, err = strconv.Atoi(string(after)); err != nil {
			return nil, "", err
		}
	}
	end := min(start+limit, s.n)
	s.buf, s.catsBuf = s.buf[:0], s.catsBuf[:0]
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := start; i < end; i++ {
		sub, purpose, mask, collected := synthRecord(i)
		mask &^= s.erased[i] | s.anonymised[i]
		if mask == 0 {
			continue // nothing personal left
		}
		from := len(s.catsBuf)
		for k, c := range synthCats {
			if mask&(1<<k) != 0 {
				s.catsBuf = append(s.catsBuf, c)
			}
		}
		s.buf = append(s.buf, Candidate{Subject: "s" + strconv.Itoa(sub), Record: strconv.Itoa(i), Purpose: purpose,
			Categories: s.catsBuf[from:len(s.catsBuf):len(s.catsBuf)], Collected: collected})
	}
	if end == s.n {
		return s.buf, "", nil
	}
	return s.buf, Cursor(strconv.Itoa(end)), nil
}

func (s *synthSource) apply(op string, items []Item, state []uint8) error {
	s.mu.Lock()
	for _, it := range items {
		i, err := strconv.Atoi(it.Record)
		if err != nil {
			s.mu.Unlock()
			return err
		}
		for _, c := range it.Categories {
			k := catIndex(c)
			s.calls[i*len(synthCats)+k]++
			if state[i]&(1<<k) == 0 {
				state[i] |= 1 << k
				s.changes[i*len(synthCats)+k]++
			}
		}
	}
	s.mu.Unlock()
	if s.fault != nil {
		return s.fault(op)
	}
	return nil
}

func (s *synthSource) Erase(_ context.Context, items []Item) error {
	return s.apply("erase", items, s.erased)
}

func (s *synthSource) Anonymise(_ context.Context, items []Item) error {
	return s.apply("anonymise", items, s.anonymised)
}

func (s *synthSource) Review(_ context.Context, items []Item) error {
	return s.apply("review", items, s.reviewed)
}

func catIndex(c pii.Category) int {
	for k, x := range synthCats {
		if x == c {
			return k
		}
	}
	panic("unknown synthetic category " + string(c))
}

// state returns the end state of every record, for comparing runs.
func (s *synthSource) state() [][3]uint8 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([][3]uint8, s.n)
	for i := range out {
		out[i] = [3]uint8{s.erased[i], s.anonymised[i], s.reviewed[i]}
	}
	return out
}

// countingJournal counts actions per record, without keeping events, so a
// million-record sweep fits in memory.
type countingJournal struct {
	mu      sync.Mutex
	actions map[Action]int
	fail    func() error
}

func newCountingJournal() *countingJournal { return &countingJournal{actions: map[Action]int{}} }

func (j *countingJournal) Record(_ context.Context, e AuditEvent) error {
	if j.fail != nil {
		if err := j.fail(); err != nil {
			return err
		}
	}
	j.mu.Lock()
	j.actions[e.Action]++
	j.mu.Unlock()
	return nil
}

// faultyCheckpoints wraps a CheckpointStore to fail or drop steps.
type faultyCheckpoints struct {
	CheckpointStore
	// advance, when set, runs around each cursor move: before reports
	// whether to fail before writing, after whether to fail after writing.
	advance      func() (before, after bool)
	dropReleases bool   // a crashed sweeper never releases its lease
	advanced     func() // called after each cursor move that succeeded
}

var errInjected = errors.New("injected fault")

func (f *faultyCheckpoints) AdvanceCursor(ctx context.Context, l CheckpointLease, from, to Cursor) error {
	if from == to { // the lease renewal before acting
		return f.CheckpointStore.AdvanceCursor(ctx, l, from, to)
	}
	var before, after bool
	if f.advance != nil {
		before, after = f.advance()
	}
	if before {
		return errInjected
	}
	if err := f.CheckpointStore.AdvanceCursor(ctx, l, from, to); err != nil {
		return err
	}
	if after {
		return errInjected
	}
	if f.advanced != nil {
		f.advanced()
	}
	return nil
}

func (f *faultyCheckpoints) ReleaseLease(ctx context.Context, l CheckpointLease) error {
	if f.dropReleases {
		return nil
	}
	return f.CheckpointStore.ReleaseLease(ctx, l)
}
