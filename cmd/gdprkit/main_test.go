package main

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/breach"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// bin is the command, built once for every test.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gdprkit-cmd")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "gdprkit")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// t0 is the clock of the prepared service; --now takes it too.
var t0 = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

const shopConfig = `{
  "controller": {"name": "Example Shop GmbH", "contact": "privacy@shop.example"},
  "purposes": [
    {"id": "newsletter", "name": "Newsletter", "basis": "consent", "direct_marketing": true,
     "categories": ["user.contact.email"], "data_subjects": ["customers"], "retention": "P2Y"},
    {"id": "orders", "name": "Order handling", "basis": "contract",
     "categories": ["user.contact.email"], "data_subjects": ["customers"], "retention": "P6M"}
  ],
  "tables": [{"name": "customers", "table": "customers", "subject_column": "id",
    "last_active_column": "last_active", "purposes": ["newsletter", "orders"], "categories": ["user.contact.email"]}]
}`

// shop is a service's database prepared by the kit, and what the command
// needs to reach it.
type shop struct {
	db   *sql.DB
	dsn  string
	pg   bool
	dir  string
	kek  string // the KEK file
	conf string // the --config file
	kit  *gdprkit.Kit
}

// each runs fn on a SQLite and a PostgreSQL shop.
func each(t *testing.T, fn func(t *testing.T, s *shop)) {
	t.Run("sqlite", func(t *testing.T) {
		db, path := dbtest.SQLite(t)
		fn(t, newShop(t, db, path, false))
	})
	t.Run("postgres", func(t *testing.T) {
		db, dsn := dbtest.Postgres(t)
		fn(t, newShop(t, db, dsn, true))
	})
}

// newShop prepares a service on db: customers ada (active at t0) and bob
// (last active three years before), both subscribed to the newsletter.
func newShop(t *testing.T, db *sql.DB, dsn string, pg bool) *shop {
	t.Helper()
	dir := t.TempDir()
	s := &shop{db: db, dsn: dsn, pg: pg, dir: dir, kek: filepath.Join(dir, "kek.json"), conf: filepath.Join(dir, "config.json")}
	require.NoError(t, os.WriteFile(s.conf, []byte(shopConfig), 0o600))
	_, err := db.Exec(`CREATE TABLE customers (id TEXT NOT NULL, email TEXT NOT NULL, last_active BIGINT)`)
	require.NoError(t, err)
	s.addCustomer(t, "ada", "ada@example.org", t0)
	s.addCustomer(t, "bob", "bob@example.org", t0.AddDate(-3, 0, 0))
	s.kit = s.open(t)
	for _, subject := range []string{"ada", "bob"} {
		_, err := s.kit.Ledger().Grant(context.Background(), consent.Act{Subject: subject, Purposes: []string{"newsletter"}, Notice: "2026-01",
			Method: consent.MethodCheckbox, Source: "web/signup"})
		require.NoError(t, err)
	}
	return s
}

func (s *shop) addCustomer(t *testing.T, id, email string, active time.Time) {
	t.Helper()
	q := `INSERT INTO customers (id, email, last_active) VALUES (?, ?, ?)`
	if s.pg {
		q = `INSERT INTO customers (id, email, last_active) VALUES ($1, $2, $3)`
	}
	_, err := s.db.Exec(q, id, email, active.Unix())
	require.NoError(t, err)
}

// open opens the service's kit, as the service does, at t0.
func (s *shop) open(t *testing.T) *gdprkit.Kit {
	t.Helper()
	fc, err := readConfig(s.conf)
	require.NoError(t, err)
	kek, err := shred.LocalKEK(s.kek)
	require.NoError(t, err)
	cfg := gdprkit.Config{
		KEK: kek, KEKID: "dev-1", Now: func() time.Time { return t0 },
		Notices:  []consent.Notice{{Purpose: "newsletter", Version: "2026-01"}},
		Verifier: rights.VerifierFunc(func(context.Context, rights.Request) (bool, error) { return true, nil }),
		Contract: func(context.Context, string, string) (bool, error) { return true, nil },
	}
	fc.apply(&cfg, s.db, s.pg)
	kit, err := gdprkit.Open(context.Background(), s.db, cfg)
	require.NoError(t, err)
	return kit
}

// result is one run of the command.
type result struct {
	code           int
	stdout, stderr string
}

// run runs the command on the shop at t0, with env entries (KEY=value)
// replacing the shop's.
func (s *shop) run(t *testing.T, env []string, args ...string) result {
	t.Helper()
	base := []string{"GDPRKIT_DSN=" + s.dsn, "GDPRKIT_KEK_FILE=" + s.kek, "GDPRKIT_KEK_ID=dev-1", "GDPRKIT_CONFIG=" + s.conf}
	return runBin(t, append(base, env...), append([]string{"--now", t0.Format(time.RFC3339)}, args...)...)
}

// runBin runs the command with exactly env.
func runBin(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return r
}

// ok asserts a run succeeded and returns its output.
func ok(t *testing.T, r result) string {
	t.Helper()
	require.Equal(t, 0, r.code, "stderr: %s", r.stderr)
	return r.stdout
}

// assertOneLineError asserts a run failed with code and one line on stderr,
// and no stack trace.
func assertOneLineError(t *testing.T, r result, code int) {
	t.Helper()
	assert.Equal(t, code, r.code, "exit code; stderr: %s", r.stderr)
	assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line: %q", r.stderr)
	assert.True(t, strings.HasPrefix(r.stderr, "gdprkit: "), "%q", r.stderr)
	assert.NotContains(t, r.stderr, "goroutine")
	assert.NotContains(t, r.stderr, "panic")
}

// assertNoPersonalData asserts that output names neither customer nor
// their e-mail addresses.
func assertNoPersonalData(t *testing.T, out string) {
	t.Helper()
	for _, s := range []string{"ada", "bob", "example.org"} {
		assert.NotContains(t, out, s)
	}
}

func decode[T any](t *testing.T, out string) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal([]byte(out), &v), "not JSON")
	return v
}

func TestJournalVerify(t *testing.T) {
	each(t, func(t *testing.T, s *shop) {
		head, err := s.kit.Journal().Head(context.Background())
		require.NoError(t, err)
		require.GreaterOrEqual(t, head.Seq, uint64(2))

		out := ok(t, s.run(t, nil, "journal", "verify"))
		assert.Contains(t, out, fmt.Sprintf("journal intact: %d entries", head.Seq))
		v := decode[verifyResult](t, ok(t, s.run(t, nil, "journal", "verify", "--json")))
		assert.True(t, v.Intact)

		_, err = s.db.Exec(`UPDATE gdprkit_journal SET purpose = 'orders' WHERE seq = 2`)
		require.NoError(t, err)
		r := s.run(t, nil, "journal", "verify")
		assertOneLineError(t, r, exitCheck)
		assert.Contains(t, r.stderr, "entry 2 ")
		r = s.run(t, nil, "journal", "verify", "--json")
		assert.Equal(t, exitCheck, r.code)
		v = decode[verifyResult](t, r.stdout)
		assert.False(t, v.Intact)
		assert.Equal(t, uint64(2), v.FirstBad)
	})
}

func TestJournalVerifyRemovedEntry(t *testing.T) {
	each(t, func(t *testing.T, s *shop) {
		_, err := s.db.Exec(`DELETE FROM gdprkit_journal WHERE seq = 1`)
		require.NoError(t, err)
		r := s.run(t, nil, "journal", "verify")
		assertOneLineError(t, r, exitCheck)
		assert.Contains(t, r.stderr, "entry 1 ")
	})
}

func TestRequests(t *testing.T) {
	each(t, func(t *testing.T, s *shop) {
		ctx := context.Background()
		desk := s.kit.Desk()
		access, err := desk.Receive(ctx, rights.Request{Right: rights.RightAccess, Subject: "ada"})
		require.NoError(t, err)
		early, err := desk.Receive(ctx, rights.Request{Right: rights.RightAccess, Subject: "bob", ReceivedAt: t0.AddDate(0, 0, -20)})
		require.NoError(t, err)
		_, err = desk.Extend(ctx, early.ID, 2, "many records across systems")
		require.NoError(t, err)
		late, err := desk.Receive(ctx, rights.Request{Right: rights.RightAccess, Subject: "bob", ReceivedAt: t0.AddDate(0, -1, -5)})
		require.NoError(t, err)
		require.True(t, late.Overdue(t0))

		// The listing matches the store, in its order, with tokens only.
		open, err := desk.Open(ctx)
		require.NoError(t, err)
		list := decode[[]requestView](t, ok(t, s.run(t, nil, "requests", "list", "--json")))
		require.Len(t, list, len(open))
		for i, r := range open {
			assert.Equal(t, r.ID, list[i].ID)
			assert.Equal(t, r.SubjectToken, list[i].SubjectToken)
			assert.True(t, r.Due.Equal(list[i].Due), "due of %s", r.ID)
			assert.Equal(t, r.State.String(), list[i].State)
		}
		text := ok(t, s.run(t, nil, "requests", "list"))
		assert.Contains(t, text, access.ID)
		assert.Contains(t, text, "OVERDUE")
		assert.Contains(t, text, "+2m")
		assertNoPersonalData(t, text)

		ids := func(args ...string) []string {
			var out []string
			for _, v := range decode[[]requestView](t, ok(t, s.run(t, nil, append([]string{"requests", "list", "--json"}, args...)...))) {
				out = append(out, v.ID)
			}
			return out
		}
		assert.Equal(t, []string{late.ID}, ids("--overdue"))
		assert.Equal(t, []string{late.ID}, ids("--due-within", "7d"))
		assert.ElementsMatch(t, []string{late.ID, access.ID}, ids("--due-within", "32d"))

		show := ok(t, s.run(t, nil, "requests", "show", early.ID))
		assert.Contains(t, show, early.SubjectToken)
		assert.Contains(t, show, "+2 month(s)")
		assertNoPersonalData(t, show)
		v := decode[requestView](t, ok(t, s.run(t, nil, "requests", "show", early.ID, "--json")))
		assert.Equal(t, early.ID, v.ID)
		require.NotNil(t, v.Extension)
		assert.Equal(t, 2, v.Extension.Months)

		assertOneLineError(t, s.run(t, nil, "requests", "show", "no-such-request"), exitNotFound)
		assertOneLineError(t, s.run(t, nil, "requests", "list", "--due-within", "soon"), exitUsage)
	})
}

func TestBreaches(t *testing.T) {
	each(t, func(t *testing.T, s *shop) {
		ctx := context.Background()
		log := s.kit.Breaches()
		late, err := log.Report(ctx, breach.Breach{ID: "br-late", DetectedAt: t0.Add(-80 * time.Hour), AwareAt: t0.Add(-80 * time.Hour), Nature: breach.Confidentiality,
			Description: "a laptop was stolen", Risk: breach.RiskLikely, Subjects: 40, Records: 120})
		require.NoError(t, err)
		running, err := log.Report(ctx, breach.Breach{ID: "br-running", DetectedAt: t0.Add(-10 * time.Hour), AwareAt: t0.Add(-10 * time.Hour), Nature: breach.Availability,
			Description: "a backup was lost", Risk: breach.RiskHigh, Subjects: 3, Records: 3})
		require.NoError(t, err)
		_, err = log.Report(ctx, breach.Breach{ID: "br-told", DetectedAt: t0.Add(-100 * time.Hour), AwareAt: t0.Add(-100 * time.Hour), Nature: breach.Integrity,
			Description: "records were altered", Risk: breach.RiskLikely, Subjects: 1, Records: 1})
		require.NoError(t, err)
		_, err = log.Notify(ctx, "br-told", breach.Notification{To: breach.Authority, At: t0.Add(-90 * time.Hour), Reference: "case-1"})
		require.NoError(t, err)

		all, err := log.Breaches(ctx)
		require.NoError(t, err)
		list := decode[[]breachView](t, ok(t, s.run(t, nil, "breaches", "list", "--json")))
		require.Len(t, list, len(all))
		assert.Equal(t, []string{"br-told", "br-late", "br-running"}, []string{list[0].ID, list[1].ID, list[2].ID}, "earliest deadline first")
		assert.True(t, list[1].Overdue)
		assert.True(t, late.Deadline.Equal(list[1].Deadline))
		assert.True(t, running.Deadline.Equal(list[2].Deadline))
		assert.Equal(t, "62h0m0s", list[2].Remaining)
		assert.False(t, list[0].AuthorityNotifiedAt.IsZero())

		overdue := decode[[]breachView](t, ok(t, s.run(t, nil, "breaches", "list", "--overdue", "--json")))
		require.Len(t, overdue, 1)
		assert.Equal(t, "br-late", overdue[0].ID)
		text := ok(t, s.run(t, nil, "breaches", "list"))
		assert.Contains(t, text, "OVERDUE")
		assert.Contains(t, text, "(in 62h0m0s)")
		assert.NotContains(t, text, "laptop", "descriptions stay in the log")
	})
}

func TestRopaExport(t *testing.T) {
	each(t, func(t *testing.T, s *shop) {
		want := s.kit.Register().Record()
		var js, csv bytes.Buffer
		require.NoError(t, want.WriteJSON(&js))
		require.NoError(t, want.WriteCSV(&csv))
		assert.Equal(t, js.String(), ok(t, s.run(t, nil, "ropa", "export", "--format", "json")), "the record of the purposes in --config")

		out := filepath.Join(s.dir, "ropa.csv")
		ok(t, s.run(t, nil, "ropa", "export", "--format", "csv", "--out", out))
		got, err := os.ReadFile(out)
		require.NoError(t, err)
		assert.Equal(t, csv.String(), string(got))

		assertOneLineError(t, s.run(t, nil, "ropa", "export", "--format", "xml"), exitUsage)
		assertOneLineError(t, s.run(t, []string{"GDPRKIT_CONFIG="}, "ropa", "export"), exitConfig)
	})
}

func TestKeysReplay(t *testing.T) {
	each(t, func(t *testing.T, s *shop) {
		ctx := context.Background()
		// A key in the application's namespace, and a backup of the key store.
		_, err := s.kit.Shredder("app").BlindIndex(ctx, pii.Email, "x")
		require.NoError(t, err)
		require.NoError(t, s.kit.Shredder("app").Renew(ctx, "bob"))
		_, err = s.db.Exec(`CREATE TABLE keys_backup AS SELECT * FROM gdprkit_shred_keys`)
		require.NoError(t, err)

		_, err = s.kit.Erase(ctx, "bob")
		require.NoError(t, err)
		// The backup is restored: bob's keys are back.
		_, err = s.db.Exec(`DELETE FROM gdprkit_shred_keys`)
		require.NoError(t, err)
		_, err = s.db.Exec(`INSERT INTO gdprkit_shred_keys SELECT * FROM keys_backup`)
		require.NoError(t, err)
		restored := s.open(t)
		erased, err := restored.Shredder("app").Erased(ctx, "bob")
		require.NoError(t, err)
		require.False(t, erased, "the backup holds bob's key")

		assertOneLineError(t, s.run(t, nil, "keys", "replay"), exitUsage)
		out := ok(t, s.run(t, nil, "keys", "replay", "--from-journal"))
		assert.Contains(t, out, "destroyed 2 key(s) again", "in the namespaces app and consent")
		erased, err = s.open(t).Shredder("app").Erased(ctx, "bob")
		require.NoError(t, err)
		assert.True(t, erased, "bob's key is destroyed again")
		erased, err = s.open(t).Shredder("app").Erased(ctx, "ada")
		require.NoError(t, err)
		assert.False(t, erased)
		again := decode[map[string]int](t, ok(t, s.run(t, nil, "keys", "replay", "--from-journal", "--json")))
		assert.Equal(t, 0, again["destroyed"])
	})
}

func TestKeysRotateKEK(t *testing.T) {
	each(t, func(t *testing.T, s *shop) {
		_, err := s.kit.Shredder("app").BlindIndex(context.Background(), pii.Email, "x")
		require.NoError(t, err)
		newKEK := filepath.Join(s.dir, "kek-2.json")
		_, err = shred.LocalKEK(newKEK)
		require.NoError(t, err)
		assertOneLineError(t, s.run(t, nil, "keys", "rotate-kek", "--new-kek-file", newKEK), exitUsage)

		res := decode[map[string]any](t, ok(t, s.run(t, nil, "keys", "rotate-kek", "--new-kek-file", newKEK, "--new-kek-id", "dev-2", "--json")))
		assert.Equal(t, true, res["done"])
		assert.Equal(t, float64(3), res["rewrapped"], "the reference keys the kit creates: app, consent and journal namespaces")

		// Every key is under the new KEK: the old one no longer opens the service.
		newEnv := []string{"GDPRKIT_KEK_FILE=" + newKEK, "GDPRKIT_KEK_ID=dev-2"}
		ok(t, s.run(t, newEnv, "journal", "verify"))
		var n int
		require.NoError(t, s.db.QueryRow(`SELECT COUNT(*) FROM gdprkit_shred_keys WHERE kek <> 'dev-2' AND kek <> ''`).Scan(&n))
		assert.Zero(t, n, "keys left under the old KEK")
		assertOneLineError(t, s.run(t, nil, "journal", "verify"), exitConfig)

		// Again, from the new KEK to itself: nothing is left to re-wrap.
		res = decode[map[string]any](t, ok(t, s.run(t, []string{"GDPRKIT_KEK_ID=dev-1"}, "keys", "rotate-kek", "--new-kek-file", newKEK, "--new-kek-id", "dev-2", "--json")))
		assert.Equal(t, float64(0), res["rewrapped"])
	})
}

func TestSweep(t *testing.T) {
	each(t, func(t *testing.T, s *shop) {
		ctx := context.Background()
		headBefore, err := s.kit.Journal().Head(ctx)
		require.NoError(t, err)

		dry := s.run(t, nil, "sweep", "--dry-run", "--json")
		planned := decode[reportView](t, ok(t, dry))
		assert.True(t, planned.DryRun)
		assert.Equal(t, 2, planned.Subjects)
		assert.Equal(t, 1, planned.SubjectVerdicts.Due)
		assert.Contains(t, dry.stderr, "dry run: subjects: 2/2 (100%)", "plain progress lines when not a terminal")

		// The dry run changed nothing.
		headAfter, err := s.kit.Journal().Head(ctx)
		require.NoError(t, err)
		assert.Equal(t, headBefore, headAfter)
		assert.Equal(t, 2, s.customers(t))
		erased, err := s.kit.Shredder(gdprkit.NamespaceConsent).Erased(ctx, "bob")
		require.NoError(t, err)
		assert.False(t, erased)

		text := ok(t, s.run(t, nil, "sweep", "--dry-run"))
		assert.Contains(t, text, "dry run: nothing was changed")
		assertNoPersonalData(t, text)

		// The sweep does what the dry run said.
		done := decode[reportView](t, ok(t, s.run(t, nil, "sweep", "--json")))
		assert.False(t, done.DryRun)
		assert.Equal(t, planned.Tallies, done.Tallies)
		assert.Equal(t, planned.SubjectVerdicts, done.SubjectVerdicts)
		assert.Equal(t, 1, s.customers(t), "bob's row is deleted")
		erased, err = s.open(t).Shredder(gdprkit.NamespaceConsent).Erased(ctx, "bob")
		require.NoError(t, err)
		assert.True(t, erased)

		// Nothing is left to do.
		again := decode[reportView](t, ok(t, s.run(t, nil, "sweep", "--dry-run", "--json")))
		assert.Zero(t, again.SubjectVerdicts.Due)
		ok(t, s.run(t, nil, "journal", "verify"))
	})
}

func (s *shop) customers(t *testing.T) int {
	t.Helper()
	var n int
	require.NoError(t, s.db.QueryRow(`SELECT COUNT(*) FROM customers`).Scan(&n))
	return n
}

func TestExport(t *testing.T) {
	each(t, func(t *testing.T, s *shop) {
		ctx := context.Background()
		req, err := s.kit.Desk().Receive(ctx, rights.Request{Right: rights.RightAccess, Subject: "ada"})
		require.NoError(t, err)
		out := filepath.Join(s.dir, "subject-1.zip")
		r := s.run(t, nil, "export", "--subject", "ada", "--out", out)
		text := ok(t, r)
		assert.Contains(t, text, req.ID)
		assert.Contains(t, text, req.SubjectToken)
		assertNoPersonalData(t, text+r.stderr)

		archive, err := os.ReadFile(out)
		require.NoError(t, err)
		zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
		require.NoError(t, err)
		var names []string
		var rows string
		for _, f := range zr.File {
			names = append(names, f.Name)
			if strings.HasPrefix(f.Name, "customers/") && strings.HasSuffix(f.Name, ".json") {
				rc, err := f.Open()
				require.NoError(t, err)
				b, err := io.ReadAll(rc)
				rc.Close()
				require.NoError(t, err)
				rows += string(b)
			}
		}
		assert.Contains(t, names, "manifest.json")
		assert.Contains(t, rows, "ada@example.org", "the customer's row")
		done, err := s.kit.Desk().Request(ctx, req.ID)
		require.NoError(t, err)
		assert.Equal(t, rights.RequestCompleted, done.State)

		// Bob has no verified access request: the operator must attest one.
		missing := filepath.Join(s.dir, "subject-2.zip")
		assertOneLineError(t, s.run(t, nil, "export", "--subject", "bob", "--out", missing), exitNotFound)
		assert.NoFileExists(t, missing)
		res := decode[map[string]any](t, ok(t, s.run(t, nil, "export", "--subject", "bob", "--out", missing, "--verified", "--json")))
		assert.Equal(t, s.kit.Journal().Token("bob"), res["subject_token"])
		assert.FileExists(t, missing)
	})
}

func TestBadInput(t *testing.T) {
	each(t, func(t *testing.T, s *shop) {
		other := filepath.Join(s.dir, "other-kek.json")
		_, err := shred.LocalKEK(other)
		require.NoError(t, err)
		notSQLite := filepath.Join(s.dir, "notes.txt")
		require.NoError(t, os.WriteFile(notSQLite, []byte("not a database, just text that is long enough to be read as a header"), 0o600))
		emptyDB, _ := dbtest.SQLite(t)
		_, err = emptyDB.Exec(`CREATE TABLE unrelated (x INTEGER)`)
		require.NoError(t, err)
		var emptyPath string
		require.NoError(t, emptyDB.QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&emptyPath))
		missingKEK := filepath.Join(s.dir, "no-such-kek.json")
		badConfig := filepath.Join(s.dir, "bad.json")
		require.NoError(t, os.WriteFile(badConfig, []byte(`{"controller": {"name": "x"}, "tables": [{"table": "customers; DROP TABLE customers", "subject_column": "id"}]}`), 0o600))

		for name, tc := range map[string]struct {
			env  []string
			args []string
			code int
			// any is set for a case that does not depend on the database,
			// run on SQLite only.
			any bool
			// says is what the error says, if checked.
			says string
		}{
			"no DSN":                   {[]string{"GDPRKIT_DSN="}, []string{"journal", "verify"}, exitConfig, true, ""},
			"missing SQLite file":      {[]string{"GDPRKIT_DSN=" + filepath.Join(s.dir, "missing.db")}, []string{"journal", "verify"}, exitConfig, true, ""},
			"not a SQLite file":        {[]string{"GDPRKIT_DSN=" + notSQLite}, []string{"requests", "list"}, exitConfig, true, ""},
			"a database without a kit": {[]string{"GDPRKIT_DSN=" + emptyPath}, []string{"journal", "verify"}, exitConfig, false, ""},
			"unreachable PostgreSQL":   {[]string{"GDPRKIT_DSN=postgres://gdprkit@127.0.0.1:1/none?sslmode=disable&connect_timeout=5"}, []string{"journal", "verify"}, exitConfig, true, ""},
			"no KEK":                   {[]string{"GDPRKIT_KEK_FILE="}, []string{"journal", "verify"}, exitConfig, true, ""},
			"missing KEK file":         {[]string{"GDPRKIT_KEK_FILE=" + missingKEK}, []string{"requests", "list"}, exitConfig, true, ""},
			"wrong KEK":                {[]string{"GDPRKIT_KEK_FILE=" + other}, []string{"journal", "verify"}, exitConfig, false, "the KEK is not the one"},
			"wrong KEK ID":             {[]string{"GDPRKIT_KEK_ID=dev-9"}, []string{"breaches", "list"}, exitConfig, false, "KEK of another ID"},
			"bad config":               {[]string{"GDPRKIT_CONFIG=" + badConfig}, []string{"sweep", "--dry-run"}, exitConfig, true, ""},
			"missing config":           {[]string{"GDPRKIT_CONFIG=" + filepath.Join(s.dir, "none.json")}, []string{"ropa", "export"}, exitConfig, true, ""},
			"unknown request":          {nil, []string{"requests", "show", "req-0000"}, exitNotFound, false, ""},
			"unknown command":          {nil, []string{"journal", "repair"}, exitUsage, true, ""},
			"no command":               {nil, []string{"keys"}, exitUsage, true, "gdprkit: keys: name a command: replay, rotate-kek"},
			"unknown flag":             {nil, []string{"sweep", "--force"}, exitUsage, true, ""},
			"extra argument":           {nil, []string{"journal", "verify", "now"}, exitUsage, true, ""},
			"bad --now":                {nil, []string{"--now", "yesterday", "requests", "list"}, exitUsage, true, ""},
			"a sweep in the future":    {nil, []string{"--now", "2999-01-01T00:00:00Z", "sweep"}, exitUsage, true, "in the future"},
			"export without subject":   {nil, []string{"export", "--out", filepath.Join(s.dir, "x.zip")}, exitUsage, true, ""},
		} {
			if tc.any && s.pg {
				continue
			}
			t.Run(name, func(t *testing.T) {
				r := s.run(t, tc.env, tc.args...)
				assertOneLineError(t, r, tc.code)
				assert.Contains(t, r.stderr, tc.says)
				assert.Empty(t, r.stdout)
			})
		}
		assert.NoFileExists(t, missingKEK, "a missing KEK is not created")
		assert.NoFileExists(t, filepath.Join(s.dir, "missing.db"), "a missing database is not created")
		assert.Equal(t, 2, s.customers(t))
	})
}

func TestDamagedJournal(t *testing.T) {
	each(t, func(t *testing.T, s *shop) {
		_, err := s.db.Exec(`UPDATE gdprkit_journal SET prev = hash WHERE seq = 2`)
		require.NoError(t, err)
		r := s.run(t, nil, "journal", "verify")
		assertOneLineError(t, r, exitCheck)
		assert.Contains(t, r.stderr, "entry 2 ")

		_, err = s.db.Exec(`UPDATE gdprkit_journal SET reasons = '{', prev = hash WHERE seq = 1`)
		require.NoError(t, err)
		r = s.run(t, nil, "journal", "verify")
		assertOneLineError(t, r, exitCheck)

		_, err = s.db.Exec(`DELETE FROM gdprkit_journal_head`)
		require.NoError(t, err)
		assertOneLineError(t, s.run(t, nil, "journal", "verify"), exitConfig)
	})
}

func TestHelp(t *testing.T) {
	var walk func(c *cobra.Command)
	var paths [][]string
	walk = func(c *cobra.Command) {
		paths = append(paths, strings.Fields(c.CommandPath())[1:])
		for _, sub := range c.Commands() {
			if sub.Name() != "help" {
				walk(sub)
			}
		}
	}
	walk(newRoot(io.Discard, io.Discard))
	require.Greater(t, len(paths), 10)
	for _, p := range paths { // in this process: the binary runs the same run
		var stdout, stderr bytes.Buffer
		require.Equal(t, 0, run(append(p, "--help"), &stdout, &stderr), "%v --help", p)
		assert.Contains(t, stdout.String(), "Usage:", "%v", p)
		assert.Contains(t, stdout.String(), "Exit codes:\n  0  success", "%v", p)
		assert.Contains(t, stdout.String(), "GDPRKIT_DSN", "%v", p)
		assert.Empty(t, stderr.String())
	}
	r := runBin(t, nil, "sweep", "--help")
	assert.Equal(t, 0, r.code)
	assert.Contains(t, r.stdout, "--dry-run")
}

func TestJournalVerifyHead(t *testing.T) {
	each(t, func(t *testing.T, s *shop) {
		v := decode[verifyResult](t, ok(t, s.run(t, nil, "journal", "verify", "--json")))
		require.True(t, v.Intact)
		seq := v.Entries
		require.GreaterOrEqual(t, seq, uint64(2))

		// The last entry is removed and the head moved back over it: the
		// chain alone cannot tell.
		_, err := s.db.Exec(fmt.Sprintf(`DELETE FROM gdprkit_journal WHERE seq = %d`, seq))
		require.NoError(t, err)
		_, err = s.db.Exec(fmt.Sprintf(`UPDATE gdprkit_journal_head SET seq = %d, hash = (SELECT hash FROM gdprkit_journal WHERE seq = %d)`, seq-1, seq-1))
		require.NoError(t, err)
		ok(t, s.run(t, nil, "journal", "verify"))

		r := s.run(t, nil, "journal", "verify", "--head", v.Head)
		assertOneLineError(t, r, exitCheck)
		assert.Contains(t, r.stderr, fmt.Sprintf("entry %d ", seq))
		assertOneLineError(t, s.run(t, nil, "journal", "verify", "--head", "12:zz"), exitUsage)
	})
}

func TestKeyStoreApart(t *testing.T) {
	ctx := context.Background()
	db, path := dbtest.SQLite(t)
	keyDB, keyPath := dbtest.SQLite(t)
	dir := t.TempDir()
	kekPath := filepath.Join(dir, "kek.json")
	kek, err := shred.LocalKEK(kekPath)
	require.NoError(t, err)
	kit, err := gdprkit.Open(ctx, db, gdprkit.Config{KEK: kek, KeyDB: keyDB,
		Controller: gdpr.Party{Name: "Example Shop GmbH"}, Now: func() time.Time { return t0 },
		Verifier: rights.VerifierFunc(func(context.Context, rights.Request) (bool, error) { return true, nil })})
	require.NoError(t, err)
	_, err = kit.Desk().Receive(ctx, rights.Request{Right: rights.RightAccess, Subject: "ada"})
	require.NoError(t, err)

	env := []string{"GDPRKIT_DSN=" + path, "GDPRKIT_KEK_FILE=" + kekPath}
	ok(t, runBin(t, append(env, "GDPRKIT_KEY_DSN="+keyPath), "journal", "verify"))
	// Without the key store's database, no new key store is made beside
	// the data.
	r := runBin(t, env, "journal", "verify")
	assertOneLineError(t, r, exitConfig)
	assert.Contains(t, r.stderr, "--key-dsn")
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM gdprkit_shred_keys`).Scan(&n); err == nil {
		assert.Zero(t, n, "keys made beside the data")
	}
}
