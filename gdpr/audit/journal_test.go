package audit_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/audit/audittest"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStore runs the conformance suite on the memory, SQLite and PostgreSQL
// journal stores.
func TestStore(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		audittest.Run(t, func(*testing.T) audit.Store { return audit.NewMemoryStore() })
	})
	dbtest.EachNew(t, func(t *testing.T, open func(testing.TB) *sql.DB) {
		audittest.Run(t, func(t *testing.T) audit.Store {
			db := open(t)
			s, err := audit.NewSQLStore(context.Background(), db)
			require.NoError(t, err)
			_, err = audit.NewSQLStore(context.Background(), db)
			require.NoError(t, err, "opening again migrates nothing")
			return s
		})
	})
}

func newJournal(t testing.TB, s audit.Store, tok *pii.Tokenizer, c *clock) *audit.Journal {
	t.Helper()
	j, err := audit.NewJournal(audit.JournalConfig{Store: s, Tokenizer: tok, Actor: "svc:shop", Now: c.Now})
	require.NoError(t, err)
	return j
}

// fill records n events and returns what it recorded.
func fill(t testing.TB, j *audit.Journal, c *clock, n int) []audit.Entry {
	t.Helper()
	var out []audit.Entry
	for i := range n {
		c.Advance(time.Second)
		e, err := j.Record(context.Background(), audit.Event{
			Kind: audit.KindDecision, Subject: fmt.Sprintf("subject-%d", i%3), Purpose: "newsletter",
			Outcome: audit.OutcomeDenied, Reasons: []string{"consent-withdrawn", "consent"},
		})
		require.NoError(t, err)
		out = append(out, e)
	}
	return out
}

func TestJournalRefusesContent(t *testing.T) {
	ctx := context.Background()
	j := newJournal(t, audit.NewMemoryStore(), newTokenizer(t), &clock{now: t0})
	ok := audit.Event{Kind: "consent.granted", Outcome: audit.OutcomeDone}
	cases := map[string]func(*audit.Event){
		"kind with spaces":         func(e *audit.Event) { e.Kind = "consent granted" },
		"no kind":                  func(e *audit.Event) { e.Kind = "" },
		"no outcome":               func(e *audit.Event) { e.Outcome = "" },
		"e-mail in a reason":       func(e *audit.Event) { e.Reasons = []string{"ok", "bob@example.com"} },
		"sentence in a reason":     func(e *audit.Event) { e.Reasons = []string{"Bob asked by phone"} },
		"phone in the ref":         func(e *audit.Event) { e.Ref = "+49 170 1234567" },
		"name in the actor":        func(e *audit.Event) { e.Actor = "Jane Doe" },
		"purpose not a code":       func(e *audit.Event) { e.Purpose = "News Letter" },
		"upper case in the reason": func(e *audit.Event) { e.Reasons = []string{"Withdrawn"} },
	}
	for name, edit := range cases {
		ev := ok
		edit(&ev)
		_, err := j.Record(ctx, ev)
		assert.ErrorIs(t, err, audit.ErrInvalidEvent, name)
	}
	_, err := j.Record(ctx, ok)
	require.NoError(t, err)
	assert.Len(t, entries(t, j), 1, "refused events leave no entry")

	_, err = audit.NewJournal(audit.JournalConfig{Store: audit.NewMemoryStore()})
	assert.ErrorContains(t, err, "Tokenizer is nil")
	_, err = audit.NewJournal(audit.JournalConfig{Tokenizer: newTokenizer(t)})
	assert.ErrorContains(t, err, "Store is nil")
	_, err = audit.NewJournal(audit.JournalConfig{Store: audit.NewMemoryStore(), Tokenizer: newTokenizer(t), Actor: "Jane Doe"})
	assert.ErrorContains(t, err, "Actor is not a code")
}

// TestJournalVerifyFindsTampering changes the journal table with raw SQL,
// as someone with access to the database could, and expects Verify to name
// the first entry at fault.
func TestJournalVerifyFindsTampering(t *testing.T) {
	cases := []struct {
		name    string
		sql     []string
		seq     uint64
		problem audit.Problem
	}{
		{"edit an outcome", []string{`UPDATE gdprkit_journal SET outcome = 'allowed' WHERE seq = 4`}, 4, audit.Changed},
		{"edit a reason", []string{`UPDATE gdprkit_journal SET reasons = 'consent-given' WHERE seq = 2`}, 2, audit.Changed},
		{"edit a time", []string{`UPDATE gdprkit_journal SET at_us = at_us + 1 WHERE seq = 7`}, 7, audit.Changed},
		{"edit a subject token", []string{`UPDATE gdprkit_journal SET subject = 'x' WHERE seq = 1`}, 1, audit.Changed},
		{"delete one", []string{`DELETE FROM gdprkit_journal WHERE seq = 5`}, 5, audit.Missing},
		{"delete two", []string{`DELETE FROM gdprkit_journal WHERE seq IN (3, 6)`}, 3, audit.Missing},
		{"delete the last", []string{`DELETE FROM gdprkit_journal WHERE seq = 8`}, 8, audit.Missing},
		{"delete one and renumber the rest", []string{
			`DELETE FROM gdprkit_journal WHERE seq = 5`,
			`UPDATE gdprkit_journal SET seq = -seq WHERE seq > 5`,
			`UPDATE gdprkit_journal SET seq = -seq - 1 WHERE seq < 0`,
			`UPDATE gdprkit_journal_head SET seq = seq - 1`,
		}, 5, audit.Unlinked},
		{"swap two entries", []string{
			`UPDATE gdprkit_journal SET seq = -1 WHERE seq = 3`,
			`UPDATE gdprkit_journal SET seq = 3 WHERE seq = 6`,
			`UPDATE gdprkit_journal SET seq = 6 WHERE seq = -1`,
		}, 3, audit.Unlinked},
		{"move the first to the end", []string{
			`UPDATE gdprkit_journal SET seq = 100 WHERE seq = 1`,
		}, 1, audit.Missing},
		{"rewrite the head", []string{`UPDATE gdprkit_journal_head SET hash = (SELECT prev FROM gdprkit_journal WHERE seq = 8)`}, 8, audit.Changed},
		{"empty the table", []string{`DELETE FROM gdprkit_journal`}, 1, audit.Missing},
		// The head moved back: entries after it must still be checked.
		{"edit one and move the head before it", []string{
			`UPDATE gdprkit_journal SET outcome = 'allowed' WHERE seq = 5`,
			`UPDATE gdprkit_journal_head SET seq = 4, hash = (SELECT hash FROM gdprkit_journal WHERE seq = 4)`,
		}, 5, audit.Changed},
		{"delete one and move the head before it", []string{
			`DELETE FROM gdprkit_journal WHERE seq = 5`,
			`UPDATE gdprkit_journal_head SET seq = 4, hash = (SELECT hash FROM gdprkit_journal WHERE seq = 4)`,
		}, 5, audit.Missing},
		{"move the head back", []string{
			`UPDATE gdprkit_journal_head SET seq = 4, hash = (SELECT hash FROM gdprkit_journal WHERE seq = 4)`,
		}, 5, audit.AfterHead},
		{"move the head back with another hash", []string{
			`UPDATE gdprkit_journal_head SET seq = 4, hash = (SELECT hash FROM gdprkit_journal WHERE seq = 3)`,
		}, 4, audit.Changed},
		{"reset the head", []string{
			`UPDATE gdprkit_journal_head SET seq = 0, hash = (SELECT prev FROM gdprkit_journal WHERE seq = 1)`,
		}, 1, audit.AfterHead},
		// rewriteChain first replaces every entry with a consistent chain
		// of other content.
		{"rewrite every entry and reset the head", []string{
			`UPDATE gdprkit_journal_head SET seq = 0, hash = (SELECT prev FROM gdprkit_journal WHERE seq = 1)`,
		}, 1, audit.AfterHead},
	}
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				ctx := context.Background()
				_, err := db.ExecContext(ctx, `DROP TABLE IF EXISTS gdprkit_journal`)
				require.NoError(t, err)
				for _, stmt := range []string{`DROP TABLE IF EXISTS gdprkit_journal_head`, `DELETE FROM gdprkit_migrations WHERE component = 'gdpr.journal'`} {
					_, _ = db.ExecContext(ctx, stmt)
				}
				s, err := audit.NewSQLStore(ctx, db)
				require.NoError(t, err)
				cl := &clock{now: t0}
				j := newJournal(t, s, newTokenizer(t), cl)
				fill(t, j, cl, 8)
				require.NoError(t, j.Verify(ctx))

				if c.name == "rewrite every entry and reset the head" {
					rewriteChain(t, db)
				}
				for _, stmt := range c.sql {
					_, err := db.ExecContext(ctx, stmt)
					require.NoError(t, err, stmt)
				}
				err = j.Verify(ctx)
				require.ErrorIs(t, err, audit.ErrJournalBroken)
				var chain *audit.ChainError
				require.ErrorAs(t, err, &chain)
				assert.Equal(t, c.seq, chain.Seq)
				assert.Equal(t, c.problem, chain.Problem, "%v", err)
				assert.ErrorContains(t, err, fmt.Sprintf("journal entry %d ", c.seq))
			})
		}
	})
}

// rewriteChain replaces every row of the journal table with the entries
// of another journal, a chain consistent in itself, as someone rewriting
// the history wholesale would.
func rewriteChain(t *testing.T, db *sql.DB) {
	t.Helper()
	ctx := context.Background()
	cl := &clock{now: t0}
	forged := newJournal(t, audit.NewMemoryStore(), newTokenizer(t), cl)
	var entries []audit.Entry
	for range 8 {
		cl.Advance(time.Second)
		e, err := forged.Record(ctx, audit.Event{Kind: audit.KindDecision, Purpose: "newsletter", Outcome: audit.OutcomeAllowed})
		require.NoError(t, err)
		entries = append(entries, e)
	}
	_, err := db.ExecContext(ctx, `DELETE FROM gdprkit_journal`)
	require.NoError(t, err)
	insert := `INSERT INTO gdprkit_journal (seq, at_us, kind, subject, purpose, outcome, reasons, actor, ref, prev, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`
	for _, e := range entries {
		_, err := db.ExecContext(ctx, insert, int64(e.Seq), e.At.UnixMicro(), string(e.Kind), e.Subject, e.Purpose,
			string(e.Outcome), strings.Join(e.Reasons, ","), e.Actor, e.Ref, e.Prev[:], e.Hash[:])
		require.NoError(t, err)
	}
}

// TestJournalVerifyHeadCatchesConsistentTruncation: removing the tail and
// moving the head back leaves a consistent chain that only a head kept
// elsewhere can refute.
func TestJournalVerifyHeadCatchesConsistentTruncation(t *testing.T) {
	ctx := context.Background()
	db, _ := dbtest.SQLite(t)
	s, err := audit.NewSQLStore(ctx, db)
	require.NoError(t, err)
	cl := &clock{now: t0}
	j := newJournal(t, s, newTokenizer(t), cl)
	fill(t, j, cl, 6)
	trusted, err := j.Head(ctx)
	require.NoError(t, err)

	_, err = db.ExecContext(ctx, `DELETE FROM gdprkit_journal WHERE seq > 4`)
	require.NoError(t, err)
	_, err = db.ExecContext(ctx, `UPDATE gdprkit_journal_head SET seq = 4, hash = (SELECT hash FROM gdprkit_journal WHERE seq = 4)`)
	require.NoError(t, err)

	assert.NoError(t, j.Verify(ctx), "consistent with itself")
	assert.Equal(t, &audit.ChainError{Seq: 5, Problem: audit.Missing}, j.VerifyHead(ctx, trusted))
}

// TestJournalTwoInstancesOneChain appends from two instances on one
// database at once and expects one unbroken chain.
func TestJournalTwoInstancesOneChain(t *testing.T) {
	run := func(t *testing.T, a, b *sql.DB) {
		ctx := context.Background()
		tok := newTokenizer(t)
		cl := &clock{now: t0}
		var journals []*audit.Journal
		for _, db := range []*sql.DB{a, b} {
			s, err := audit.NewSQLStore(ctx, db)
			require.NoError(t, err)
			journals = append(journals, newJournal(t, s, tok, cl))
		}
		const perWorker, workers = 25, 4
		var wg sync.WaitGroup
		errs := make(chan error, workers*perWorker)
		for w := range workers {
			j := journals[w%2]
			wg.Go(func() {
				for i := range perWorker {
					_, err := j.Record(ctx, audit.Event{Kind: "test.append", Subject: fmt.Sprintf("w%d-%d", w, i), Outcome: audit.OutcomeDone})
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		require.NoError(t, journals[0].Verify(ctx))
		require.NoError(t, journals[1].Verify(ctx))
		head, err := journals[1].Head(ctx)
		require.NoError(t, err)
		assert.Equal(t, uint64(workers*perWorker), head.Seq)
	}
	t.Run("postgres", func(t *testing.T) {
		a, dsn := dbtest.Postgres(t)
		b, err := sql.Open("pgx", dsn)
		require.NoError(t, err)
		t.Cleanup(func() { b.Close() })
		run(t, a, b)
	})
	t.Run("sqlite", func(t *testing.T) {
		a, path := dbtest.SQLite(t)
		b, err := sql.Open("sqlite", dbtest.SQLiteDSN(path))
		require.NoError(t, err)
		t.Cleanup(func() { b.Close() })
		run(t, a, b)
	})
}
