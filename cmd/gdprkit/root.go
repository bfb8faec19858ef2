package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	"github.com/spf13/cobra"
	_ "modernc.org/sqlite" // SQLite driver "sqlite"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/pii/shred"
	"github.com/gdprkit/gdprkit/retention"
)

// exitCodes is the man-style description of the exit codes, shown by every
// command's --help.
const exitCodes = `
Exit codes:
  0  success
  1  a check failed: the journal is broken, or a sweep or key operation
     finished with failures
  2  usage: an unknown command or flag, or a bad argument
  3  configuration: the database, the KEK or the --config file cannot be used
  4  not found: the request or subject named does not exist
  5  the operation failed (a database error, say)
`

const environment = `
Environment:
  GDPRKIT_DSN       the database: a postgres:// URL, or a SQLite file path
  GDPRKIT_KEY_DSN   the key store's database, when kept apart
  GDPRKIT_KEK_FILE  the key-encryption key file (a shred.LocalKEK keyset)
  GDPRKIT_KEK_ID    the KEK's ID (the service's Config.KEKID)
  GDPRKIT_CONFIG    the JSON file of the controller, purposes and tables
`

// options are the flags every command shares.
type options struct {
	dsn, keyDSN, kekFile, kekID, config, now string
	json                                     bool
	stdout, stderr                           io.Writer
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	o := &options{stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "gdprkit",
		Short: "Operate a gdprkit service: journal, requests, breaches, records, keys, sweeps, exports",
		Long: `gdprkit acts on the state of a gdprkit service, in its database: it verifies
the audit journal, lists the requests and breaches that are due, exports the
record of processing activities, replays key erasures after a restore,
rotates the key-encryption key, runs or previews the retention sweep and
writes access exports. It prints no personal data: subjects appear as their
journal tokens.

The service's purposes live in its code; ropa export, sweep and export read
them, with the tables that hold subjects, from the JSON file --config names
(its format: go doc github.com/gdprkit/gdprkit/cmd/gdprkit).`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return failf(exitUsage, "%s", err) })
	pf := root.PersistentFlags()
	pf.StringVar(&o.dsn, "dsn", "", "database: postgres:// URL or SQLite file path (default $GDPRKIT_DSN)")
	pf.StringVar(&o.keyDSN, "key-dsn", "", "key store database when kept apart (default $GDPRKIT_KEY_DSN)")
	pf.StringVar(&o.kekFile, "kek-file", "", "key-encryption key file (default $GDPRKIT_KEK_FILE)")
	pf.StringVar(&o.kekID, "kek-id", "", "the KEK's ID, the service's Config.KEKID (default $GDPRKIT_KEK_ID)")
	pf.StringVar(&o.config, "config", "", "JSON file of the controller, purposes and tables (default $GDPRKIT_CONFIG)")
	pf.StringVar(&o.now, "now", "", "take this RFC 3339 instant as now, for deadlines and dry runs; never in the future for a command that changes data (default: the clock)")
	pf.BoolVar(&o.json, "json", false, "write JSON for scripts instead of text for humans")

	// The environment fills what the flags leave empty; read after
	// parsing, so that --help never shows a DSN.
	root.PersistentPreRun = func(*cobra.Command, []string) {
		for p, env := range map[*string]string{&o.dsn: "GDPRKIT_DSN", &o.keyDSN: "GDPRKIT_KEY_DSN", &o.kekFile: "GDPRKIT_KEK_FILE",
			&o.kekID: "GDPRKIT_KEK_ID", &o.config: "GDPRKIT_CONFIG"} {
			if *p == "" {
				*p = os.Getenv(env)
			}
		}
	}
	root.AddCommand(journalCmd(o), requestsCmd(o), breachesCmd(o), ropaCmd(o), keysCmd(o), sweepCmd(o), exportCmd(o))
	setHelp(root)
	return root
}

// setHelp appends the environment and exit codes to every command's help,
// and makes argument errors usage errors.
func setHelp(c *cobra.Command) {
	c.Long = strings.TrimSpace(c.Long) + "\n" + environment + exitCodes
	if c.Args != nil {
		args := c.Args
		c.Args = func(c *cobra.Command, a []string) error {
			if err := args(c, a); err != nil {
				return failf(exitUsage, "%s", err)
			}
			return nil
		}
	}
	if c.HasSubCommands() && c.HasParent() {
		c.Args = func(c *cobra.Command, a []string) error {
			if len(a) > 0 {
				return failf(exitUsage, "unknown command %q for %q", a[0], c.CommandPath())
			}
			return nil
		}
		c.RunE = func(c *cobra.Command, _ []string) error {
			var names []string
			for _, sub := range c.Commands() {
				names = append(names, sub.Name())
			}
			return failf(exitUsage, "%s: name a command: %s", strings.TrimPrefix(c.CommandPath(), c.Root().Name()+" "), strings.Join(names, ", "))
		}
	}
	for _, sub := range c.Commands() {
		setHelp(sub)
	}
}

// clock returns the command's clock: --now, or time.Now. A command that
// changes data takes no --now in the future: a sweep would erase early.
func (o *options) clock(changes bool) (func() time.Time, error) {
	if o.now == "" {
		return time.Now, nil
	}
	t, err := time.Parse(time.RFC3339, o.now)
	if err != nil {
		return nil, failf(exitUsage, "--now: not an RFC 3339 time")
	}
	if changes && t.After(time.Now()) {
		return nil, failf(exitUsage, "--now: a command that changes data takes no time in the future")
	}
	return func() time.Time { return t }, nil
}

// env is an opened service: its database, its kit and its configuration.
type env struct {
	o      *options
	db     *sql.DB
	keyDB  *sql.DB
	kit    *gdprkit.Kit
	cfg    *fileConfig // nil without --config
	tables []*table
	now    func() time.Time
}

// Close closes the databases.
func (e *env) Close() {
	e.db.Close()
	if e.keyDB != nil {
		e.keyDB.Close()
	}
}

// openOpts tune open.
type openOpts struct {
	needConfig bool
	// changes is set for a command that changes data.
	changes bool
	// newKEKFile and newKEKID, when set, open the kit with the new KEK as
	// its KEK and the configured one as an old KEK (keys rotate-kek).
	newKEKFile, newKEKID string
}

// open opens the database, reads the configuration and opens the kit.
func (o *options) open(ctx context.Context, oo openOpts) (*env, error) {
	now, err := o.clock(oo.changes)
	if err != nil {
		return nil, err
	}
	e := &env{o: o, now: now}
	if o.config != "" {
		if e.cfg, err = readConfig(o.config); err != nil {
			return nil, err
		}
	} else if oo.needConfig {
		return nil, failf(exitConfig, "this command needs --config (or GDPRKIT_CONFIG): the controller, purposes and tables")
	}
	kek, err := readKEK(o.kekFile, "--kek-file (or GDPRKIT_KEK_FILE)")
	if err != nil {
		return nil, err
	}
	if e.db, err = openDB(ctx, o.dsn, "--dsn (or GDPRKIT_DSN)", true); err != nil {
		return nil, err
	}
	if o.keyDSN != "" {
		if e.keyDB, err = openDB(ctx, o.keyDSN, "--key-dsn (or GDPRKIT_KEY_DSN)", false); err != nil {
			e.db.Close()
			return nil, err
		}
	}
	if err := checkKeyStore(ctx, e.db, e.keyDB, postgres(o.keyDSN) || o.keyDSN == "" && postgres(o.dsn)); err != nil {
		e.Close()
		return nil, err
	}
	cfg := gdprkit.Config{
		KEK: kek, KEKID: o.kekID, KeyDB: e.keyDB, Now: now, Actor: "op:gdprkit-cli",
		Controller: gdpr.Party{Name: "unnamed controller (no --config)"},
		// The operator runs this command and answers for the identity of
		// the subjects it exports for (see export --verified); requests
		// received by the service were verified there.
		Verifier: rights.VerifierFunc(func(context.Context, rights.Request) (bool, error) { return true, nil }),
		// Contracts are the service's to confirm; the commands ask the
		// Guard nothing.
		Contract: func(context.Context, string, string) (bool, error) { return false, errNoContracts },
	}
	if oo.newKEKFile != "" {
		newKEK, err := readKEK(oo.newKEKFile, "--new-kek-file")
		if err != nil {
			e.Close()
			return nil, err
		}
		cfg.KEK, cfg.KEKID, cfg.OldKEKs = newKEK, oo.newKEKID, map[string]tinkAEAD{o.kekID: kek}
	}
	if e.cfg != nil {
		e.tables = e.cfg.apply(&cfg, e.db, postgres(o.dsn))
	}
	if e.kit, err = gdprkit.Open(ctx, e.db, cfg); err != nil {
		e.Close()
		return nil, failf(exitConfig, "cannot open the service's stores: %s", openError(err))
	}
	return e, nil
}

// checkKeyStore makes sure the key store holds the journal's key when the
// journal has entries, so that a forgotten --key-dsn ends in an error
// rather than in a new, empty key store beside the data.
func checkKeyStore(ctx context.Context, db, keyDB *sql.DB, pg bool) error {
	var seq int64
	if err := db.QueryRowContext(ctx, "SELECT seq FROM gdprkit_journal_head").Scan(&seq); err != nil {
		return failf(exitConfig, "database --dsn (or GDPRKIT_DSN): no gdprkit service's journal there")
	}
	if seq == 0 {
		return nil // a service that has recorded nothing yet
	}
	name := "the database"
	if keyDB == nil {
		keyDB = db
	} else {
		name = "--key-dsn (or GDPRKIT_KEY_DSN)"
	}
	q := "SELECT COUNT(*) FROM gdprkit_shred_keys WHERE namespace = ?"
	if pg {
		q = "SELECT COUNT(*) FROM gdprkit_shred_keys WHERE namespace = $1"
	}
	var n int
	if err := keyDB.QueryRowContext(ctx, q, gdprkit.NamespaceJournal).Scan(&n); err != nil || n == 0 {
		return failf(exitConfig, "%s holds no key store of this service (is the key store kept apart? see --key-dsn)", name)
	}
	return nil
}

var errNoContracts = errors.New("gdprkit: contracts are confirmed by the service, not by the operator's command")

// openError words an error of gdprkit.Open for the operator.
func openError(err error) string {
	switch {
	case errors.Is(err, shred.ErrUnknownKEK):
		return "the keys were wrapped by a KEK of another ID (see --kek-id): " + err.Error()
	case errors.Is(err, shred.ErrUnwrap):
		return "the KEK is not the one that wrapped the keys (see --kek-file): " + err.Error()
	}
	return err.Error()
}

// readKEK reads a KEK file, which must exist: shred.LocalKEK would create
// a new one.
func readKEK(path, name string) (tinkAEAD, error) {
	if path == "" {
		return nil, failf(exitConfig, "no key-encryption key: set %s", name)
	}
	if _, err := os.Stat(path); err != nil {
		return nil, failf(exitConfig, "key-encryption key %s: %s", name, statError(err))
	}
	kek, err := shred.LocalKEK(path)
	if err != nil {
		return nil, failf(exitConfig, "key-encryption key %s: %s", name, err)
	}
	return kek, nil
}

func statError(err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "no such file"
	case errors.Is(err, os.ErrPermission):
		return "permission denied"
	}
	return err.Error()
}

// postgres reports whether a DSN names a PostgreSQL database.
func postgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// openDB opens a DSN: a postgres:// URL, or the path of an existing SQLite
// file. With journal, the database must hold a gdprkit journal.
func openDB(ctx context.Context, dsn, name string, journal bool) (*sql.DB, error) {
	if dsn == "" {
		return nil, failf(exitConfig, "no database: set %s", name)
	}
	driver, source := "pgx", dsn
	if !postgres(dsn) {
		path := strings.TrimPrefix(dsn, "sqlite:")
		if _, err := os.Stat(path); err != nil {
			return nil, failf(exitConfig, "database %s: %s", name, statError(err))
		}
		driver = "sqlite"
		source = "file:" + path + "?mode=rw&_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_txlock=immediate"
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		return nil, failf(exitConfig, "database %s: %s", name, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, failf(exitConfig, "database %s: cannot connect: %s", name, dbError(err))
	}
	if journal {
		var n int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM gdprkit_journal_head").Scan(&n); err != nil || n != 1 {
			db.Close()
			return nil, failf(exitConfig, "database %s: no gdprkit service's journal there", name)
		}
	}
	return db, nil
}

// dbError words a connection error.
func dbError(err error) string { return err.Error() }

// printJSON writes v as indented JSON.
func (o *options) printJSON(v any) error {
	enc := json.NewEncoder(o.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fail(exitFailed, err)
	}
	return nil
}

// stamp writes a time for humans, in UTC; "-" when zero.
func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04Z")
}

// sweeper returns the kit's sweeper, or a configuration error.
func (e *env) sweeper() (*retention.Sweeper, error) {
	s := e.kit.Sweeper()
	if s == nil {
		return nil, failf(exitConfig, "sweep: --config names no table with a last_active_column: nothing to sweep")
	}
	return s, nil
}

// failed wraps an operation's error.
func failed(what string, err error) error {
	return fail(exitFailed, fmt.Errorf("%s: %w", what, err))
}
