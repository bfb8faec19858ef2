// Command gdprkit lets the people who run a gdprkit service — a data
// protection officer, an on-call engineer, a support lead — act on its state
// without writing Go: verify the audit journal, list the data-subject
// requests and breaches that are due, export the record of processing
// activities (Art. 30), replay key erasures after restoring a key-store
// backup, rotate the key-encryption key, run or preview the retention sweep,
// and write an access export.
//
// Install it with
//
//	go install github.com/gdprkit/gdprkit/cmd/gdprkit@latest
//
// and run `gdprkit --help`, or `gdprkit COMMAND --help`, for the commands.
//
// # Configuration
//
// The database is named by --dsn or GDPRKIT_DSN: a postgres:// or
// postgresql:// URL for PostgreSQL, anything else the path of a SQLite file
// (a "sqlite:" prefix is allowed). The database must already hold a gdprkit
// journal: the command never creates a new one. --key-dsn or
// GDPRKIT_KEY_DSN names the key store's database when it is kept apart; a
// key store without the journal's key is refused, so that a forgotten
// --key-dsn makes no new keys beside the data.
//
// The key-encryption key is the file named by --kek-file or
// GDPRKIT_KEK_FILE (a shred.LocalKEK keyset file), with its ID from
// --kek-id or GDPRKIT_KEK_ID (the service's Config.KEKID; empty by default).
//
// The service's purposes live in its Go code, not in the database, so the
// commands that need them read a JSON file named by --config or
// GDPRKIT_CONFIG: the controller, the purposes (as gdpr.Purpose encodes
// them), the crypto-shredding namespaces, and the tables that hold data
// subjects, which the sweep and the export reach:
//
//	{
//	  "controller": {"name": "Example Shop GmbH", "contact": "privacy@shop.example"},
//	  "purposes": [{"id": "orders", "name": "Order handling", "basis": "contract",
//	    "categories": ["user.contact.email"], "data_subjects": ["customers"], "retention": "P6M"}],
//	  "namespaces": ["app"],
//	  "tables": [{"name": "customers", "table": "customers", "subject_column": "id",
//	    "last_active_column": "last_active", "purposes": ["orders"]}]
//	}
//
// Without --config, ropa export, sweep and export refuse to run; the other
// commands need only the database and the KEK.
//
// --now takes another instant as now, for deadlines and dry runs ("what is
// due on Monday"); a command that changes data refuses one in the future.
// --json writes JSON for scripts instead of text for humans.
//
// Nothing the command prints names a data subject: requests and exports show
// the subject's journal token only.
//
// # Exit codes
//
//	0  success
//	1  a check failed: the journal is broken, or a sweep or key operation
//	   finished with failures
//	2  usage: an unknown command or flag, or a bad argument
//	3  configuration: the database, the KEK or the --config file cannot be
//	   used (missing, unreadable, wrong)
//	4  not found: the request or subject named does not exist
//	5  the operation failed (a database error, say)
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// Exit codes; see the package documentation.
const (
	exitOK       = 0
	exitCheck    = 1
	exitUsage    = 2
	exitConfig   = 3
	exitNotFound = 4
	exitFailed   = 5
)

// exitError carries the exit code of an error.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// fail wraps err with an exit code, keeping a code it already has.
func fail(code int, err error) error {
	var ee *exitError
	if err == nil || errors.As(err, &ee) {
		return err
	}
	return &exitError{code: code, err: err}
}

// failf is fail with a formatted error.
func failf(code int, format string, args ...any) error {
	return &exitError{code: code, err: fmt.Errorf(format, args...)}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the command with args and returns the exit code; an error is
// written to stderr as one line, and a panic is one too, never a stack.
func run(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(stderr, "gdprkit: internal error: %s\n", oneLine(fmt.Sprint(p)))
			code = exitFailed
		}
	}()
	// An interrupted sweep stops after its batch, checkpointed; a request
	// stays where it stood, for the next run.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "gdprkit: %s\n", oneLine(strings.TrimPrefix(err.Error(), "gdprkit: ")))
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return exitUsage // cobra's own errors: unknown commands, flags, arguments
}

// oneLine keeps a message on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
