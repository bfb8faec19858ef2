// Command quickstart is the tour of gdprkit a newcomer runs first:
//
//	go run ./examples/quickstart
//
// On the embedded default (SQLite in a temporary directory) it tags a model
// and logs it redacted, records and withdraws consent, asks the Guard before
// processing, seals a customer under their own key, answers an access request
// with a portable export, erases the customer, and shows that every copy is
// unreadable and that the audit journal verifies.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/shred"
	_ "modernc.org/sqlite" // the embedded default database
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// tour holds what the steps share: the database and a clock that the tour
// moves forward by hand, so that its output reads the same every run.
type tour struct {
	ctx context.Context
	dir string
	db  *sql.DB
	now time.Time

	tokens   *pii.Tokenizer  // subject tokens for the audit journal
	ledger   *consent.Ledger // from step 4 on
	register *gdpr.Register  // from step 3 on
	journal  *audit.Journal  // from step 3 on
	guard    *gdpr.Guard     // from step 3 on
	shredder *shred.Shredder
	closers  []func() error // databases the steps opened // from the sealing step on
}

func (t *tour) clock() time.Time { return t.now }

func run() error {
	dir, err := os.MkdirTemp("", "gdprkit-quickstart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", sqliteDSN(filepath.Join(dir, "app.db")))
	if err != nil {
		return err
	}
	defer db.Close()

	key, err := pii.NewTokenKey()
	if err != nil {
		return err
	}
	tokens, err := pii.NewTokenizer(key)
	if err != nil {
		return err
	}
	t := &tour{ctx: context.Background(), dir: dir, db: db, now: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC), tokens: tokens}
	defer func() {
		for _, c := range t.closers {
			c()
		}
	}()
	for _, step := range []func(*tour) error{
		(*tour).tagAndLog,
		(*tour).recordConsent,
		(*tour).askFirst,
		(*tour).retain,
		(*tour).seal,
		(*tour).answerRequests,
	} {
		if err := step(t); err != nil {
			return err
		}
	}
	return nil
}

// sqliteDSN opens a SQLite file in WAL mode with a busy timeout.
func sqliteDSN(path string) string {
	return "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)"
}

var steps int

// heading prints the title of the next step of the tour.
func heading(title string) {
	steps++
	fmt.Printf("\n== %d. %s\n", steps, title)
}
