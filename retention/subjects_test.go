package retention

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// subjectList serves a fixed list of subjects.
type subjectList struct{ subjects []Subject }

func (s *subjectList) Subjects(_ context.Context, after Cursor, limit int) ([]Subject, Cursor, error) {
	start := 0
	if after != "" {
		start, _ = strconv.Atoi(string(after))
	}
	end := min(start+limit, len(s.subjects))
	if end == len(s.subjects) {
		return s.subjects[start:end], "", nil
	}
	return s.subjects[start:end], Cursor(strconv.Itoa(end)), nil
}

// eraser records the subjects it shreds; it fails for those in fail.
type eraser struct {
	mu     sync.Mutex
	erased []string
	fail   map[string]bool
}

func (e *eraser) Erase(_ context.Context, subject string) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.fail[subject] {
		return errors.New("key store unreachable")
	}
	e.erased = append(e.erased, subject)
	return nil
}

func TestSweepShredsInactiveSubjects(t *testing.T) {
	env := newEnv(t,
		Rule{Name: "email", Category: pii.Email, Period: mustPeriod(t, "P30D"), From: LastActivity, Action: Erase},
		Rule{Name: "billing", Category: pii.Billing, Purpose: "accounting", Period: mustPeriod(t, "P10Y"), Action: Erase},
	)
	long := t0.AddDate(-2, 0, 0)
	subjects := &subjectList{subjects: []Subject{
		{ID: "gone", LastActive: long, Categories: []pii.Category{pii.Email}},
		{ID: "paying", LastActive: long, Categories: []pii.Category{pii.Email, pii.Billing}, Purposes: []string{"accounting"}},
		{ID: "recent", LastActive: t0.AddDate(0, 0, -3), Categories: []pii.Category{pii.Email}},
		{ID: "held", LastActive: long, Categories: []pii.Category{pii.Email}},
		{ID: "unknown", Categories: []pii.Category{pii.Email}},
		{ID: "unruled", LastActive: long, Categories: []pii.Category{pii.Health}},
		{ID: "also-gone", LastActive: long, Categories: []pii.Category{pii.Email}, Purposes: []string{"marketing"}},
	}}
	ctx := context.Background()
	require.NoError(t, env.store.PlaceHold(ctx, Hold{ID: "h", Subject: "held", Reason: "litigation", Placed: long}))
	er := &eraser{}
	cfg := env.config(nil)
	cfg.Subjects, cfg.Eraser, cfg.BatchSize = map[string]SubjectSource{"users": subjects}, er, 3
	s, err := NewSweeper(cfg)
	require.NoError(t, err)

	dry, err := s.DryRun(ctx)
	require.NoError(t, err)
	assert.Empty(t, er.erased, "a dry run shreds nothing")

	report, err := s.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"gone", "also-gone"}, er.erased)
	assert.Equal(t, 7, report.Subjects)
	assert.Equal(t, Counts{Due: 2, Held: 1, Retained: 2, Undetermined: 1, Unruled: 1}, report.SubjectVerdicts)
	assert.Equal(t, []Tally{{Source: "users", Rule: "email", Action: Shred, Items: 2, Held: 1}}, report.Tallies)
	assert.Equal(t, report.Tallies, dry.Tallies)
	assert.Equal(t, report.SubjectVerdicts, dry.SubjectVerdicts)

	events := env.journal.Events()
	require.Len(t, events, 2)
	assert.Equal(t, AuditEvent{Kind: Acted, At: t0, Action: Shred, Source: "users", Rule: "email", Subject: "gone",
		Categories: []pii.Category{pii.Email}}, events[0])
}

func TestSweepReportsEraserFailure(t *testing.T) {
	env := newEnv(t, Rule{Name: "all", Period: mustPeriod(t, "P30D"), From: LastActivity, Action: Erase})
	long := t0.AddDate(-1, 0, 0)
	subjects := &subjectList{subjects: []Subject{{ID: "a", LastActive: long}, {ID: "b", LastActive: long}, {ID: "c", LastActive: long}}}
	er := &eraser{fail: map[string]bool{"b": true}}
	cfg := env.config(nil)
	cfg.Subjects, cfg.Eraser, cfg.BatchSize = map[string]SubjectSource{"users": subjects}, er, 2
	s, err := NewSweeper(cfg)
	require.NoError(t, err)
	ctx := context.Background()
	report, err := s.Sweep(ctx)
	assert.ErrorContains(t, err, `source "users": shred: key store unreachable`)
	assert.Equal(t, []string{"a"}, er.erased)
	assert.Equal(t, 1, report.Acted(Shred))

	er.fail = nil
	_, err = s.Sweep(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "a", "b", "c"}, er.erased, "the failed batch is repeated: shredding is idempotent")
}
