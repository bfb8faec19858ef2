// Command quickstart is the tour of gdprkit a newcomer runs first:
//
//	go run ./examples/quickstart
//
// On the embedded default (SQLite in a temporary directory) it wires the
// library with one call to gdprkit.Open (kit.go), tags a model and logs it
// redacted, records and withdraws consent, asks the Guard before processing,
// sends a campaign through the Guard in batches, expires data under a
// retention rule, stores a customer through a table that seals the fields
// under the customer's own key, answers an access request with a portable
// export, erases the customer, and shows that every copy is unreadable and
// that the audit journal verifies.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gdprkit/gdprkit"
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

	kit       *gdprkit.Kit             // every part, wired on db
	customers *gdprkit.Table[Customer] // sealed rows, a request source
	visits    visits                   // log-in records, swept by the kit
	closers   []func() error           // databases the tour opened
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

	t := &tour{ctx: context.Background(), dir: dir, db: db, now: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC), visits: visits{}}
	defer func() {
		for _, c := range t.closers {
			c()
		}
	}()
	if err := t.openKit(); err != nil {
		return err
	}
	for _, step := range []func(*tour) error{
		(*tour).tagAndLog,
		(*tour).recordConsent,
		(*tour).askFirst,
		(*tour).sendCampaign,
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
