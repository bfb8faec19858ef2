package gdprkit_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tink-crypto/tink-go/v2/tink"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/breach"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// site is one instance of a processor: its own connections to the
// processor's database and to the tenants' databases.
type site struct {
	p   *gdprkit.Processor
	dbs gdprkit.TenantDatabases
	kek tink.AEAD
}

// processorEnv is a processor deployment: its database, the tenants'
// databases and the erasure log, with a way to start instances on them.
type processorEnv struct {
	t       *testing.T
	clk     *clock
	kek     tink.AEAD
	logDB   *sql.DB
	notices *notifier
	open    func() (*sql.DB, gdprkit.TenantDatabases) // new connections, as a new instance makes
}

// notifier records the breach notices controllers get.
type notifier struct {
	mu   sync.Mutex
	got  []gdprkit.ControllerBreach
	fail bool
}

func (n *notifier) NotifyController(_ context.Context, b gdprkit.ControllerBreach) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.fail {
		return errors.New("mail server down")
	}
	n.got = append(n.got, b)
	return nil
}

func (n *notifier) tenants() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []string
	for _, b := range n.got {
		out = append(out, b.Tenant)
	}
	return out
}

// eachProcessor runs fn on SQLite (a file per tenant) and on PostgreSQL (a
// schema per tenant).
func eachProcessor(t *testing.T, fn func(t *testing.T, env *processorEnv)) {
	t.Run("sqlite", func(t *testing.T) {
		_, path := dbtest.SQLite(t)
		dir := t.TempDir()
		fn(t, newProcessorEnv(t, func() (*sql.DB, gdprkit.TenantDatabases) {
			db, err := sql.Open("sqlite", dbtest.SQLiteDSN(path))
			require.NoError(t, err)
			dbs := gdprkit.SQLiteTenants(filepath.Join(dir, "tenants"))
			t.Cleanup(func() { dbs.Close(); db.Close() })
			return db, dbs
		}))
	})
	t.Run("postgres", func(t *testing.T) {
		_, dsn := dbtest.Postgres(t)
		var rnd [4]byte
		_, _ = rand.Read(rnd[:])
		prefix := "t" + hex.EncodeToString(rnd[:]) + "_" // schemas of this test only
		t.Cleanup(func() {
			dbs := gdprkit.PostgresTenants(dsn)
			dbs.SchemaPrefix = prefix
			for _, id := range []string{"acme", "beta"} {
				_ = dbs.Drop(context.Background(), id)
			}
		})
		fn(t, newProcessorEnv(t, func() (*sql.DB, gdprkit.TenantDatabases) {
			db, err := sql.Open("pgx", dsn)
			require.NoError(t, err)
			dbs := gdprkit.PostgresTenants(dsn)
			dbs.SchemaPrefix = prefix
			t.Cleanup(func() { dbs.Close(); db.Close() })
			return db, dbs
		}))
	})
}

func newProcessorEnv(t *testing.T, open func() (*sql.DB, gdprkit.TenantDatabases)) *processorEnv {
	kek, err := shred.LocalKEK(filepath.Join(t.TempDir(), "processor-kek.json"))
	require.NoError(t, err)
	logDB, _ := dbtest.SQLite(t) // kept apart from the processor's database
	return &processorEnv{t: t, clk: newClock(), kek: kek, logDB: logDB, notices: &notifier{}, open: open}
}

// instance starts a processor instance on new connections.
func (env *processorEnv) instance() *site {
	db, dbs := env.open()
	return env.instanceOn(db, dbs)
}

func (env *processorEnv) instanceOn(db *sql.DB, dbs gdprkit.TenantDatabases, edit ...func(*gdprkit.ProcessorConfig)) *site {
	t := env.t
	cfg := env.config(dbs)
	for _, e := range edit {
		e(&cfg)
	}
	p, err := gdprkit.OpenProcessor(context.Background(), db, cfg)
	require.NoError(t, err)
	return &site{p: p, dbs: dbs, kek: cfg.KEK}
}

// config is the processor's configuration on the tenant databases dbs.
func (env *processorEnv) config(dbs gdprkit.TenantDatabases) gdprkit.ProcessorConfig {
	return gdprkit.ProcessorConfig{
		KEK: env.kek, KEKID: "processor-1", Databases: dbs, ErasureLog: env.logDB,
		Processor: gdpr.Party{Name: "Mailer SaaS GmbH", Contact: "privacy@mailer.example"},
		SubProcessors: []gdpr.Recipient{
			{Name: "Hosting AG", Country: "DE"},
			{Name: "Mail Relay Inc.", Country: "US", Safeguard: gdpr.StandardClauses, Reference: "SCC module 3, 2021-06-04"},
		},
		SecurityMeasures: []string{"per-tenant key-encryption keys", "TLS 1.3"},
		Notifier:         env.notices,
		Now:              env.clk.Now,
	}
}

// tenant opens a tenant's kit on a processor instance: the shop of
// kit_test.go, as each controller's service; beta also phones its
// customers.
func (s *site) tenant(t *testing.T, clk *clock, id string) (*gdprkit.Kit, customers) {
	t.Helper()
	ctx := context.Background()
	db, err := s.dbs.Open(ctx, id)
	require.NoError(t, err)
	shop := newCustomers(t, db)
	cfg := shopConfig(t, shop, filepath.Join(t.TempDir(), "unused-kek.json"), clk.Now)
	cfg.Controller = gdpr.Party{Name: "Controller " + id, Contact: "dpo@" + id + ".example"}
	if id == "beta" {
		cfg.Purposes = append(cfg.Purposes, gdpr.Purpose{ID: "calls", Name: "Phone support", Basis: gdpr.Contract,
			Categories: []pii.Category{pii.Phone}, DataSubjects: []string{"customers"}, Retention: "P1Y"})
	}
	kit, err := s.p.Tenant(ctx, id, cfg)
	require.NoError(t, err)
	return kit, shop
}

func grant(t *testing.T, kit *gdprkit.Kit, subject string) {
	t.Helper()
	_, err := kit.Ledger().Grant(context.Background(), consent.Act{Subject: subject, Purposes: []string{"newsletter"}, Notice: "2026-01",
		Method: consent.MethodCheckbox, Source: "web/signup"})
	require.NoError(t, err)
}

// archiveText returns the text of every file of a ZIP archive, nested
// archives opened, so that a test can look for values in it.
func archiveText(t *testing.T, archive []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	require.NoError(t, err)
	var sb strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		rc.Close()
		require.NoError(t, err)
		if strings.HasSuffix(f.Name, ".zip") {
			sb.WriteString(archiveText(t, b))
			continue
		}
		sb.Write(b)
	}
	return sb.String()
}

func TestProcessorTenantIsolation(t *testing.T) {
	eachProcessor(t, func(t *testing.T, env *processorEnv) {
		ctx := context.Background()
		one, two := env.instance(), env.instance()
		acme, acmeShop := one.tenant(t, env.clk, "acme")
		beta, betaShop := one.tenant(t, env.clk, "beta")
		acme2, _ := two.tenant(t, env.clk, "acme") // the other instance
		beta2, _ := two.tenant(t, env.clk, "beta")

		// The same subject ID in both tenants: two people.
		acmeShop.add(t, "ada", "ada@acme-customer.example", env.clk.t)
		betaShop.add(t, "ada", "ada@beta-customer.example", env.clk.t)
		grant(t, acme, "ada")

		for _, k := range []*gdprkit.Kit{acme, acme2} {
			d, err := k.Guard().Allow(ctx, "ada", "newsletter")
			require.NoError(t, err)
			assert.True(t, d.Allowed)
		}
		for _, k := range []*gdprkit.Kit{beta, beta2} {
			_, err := k.Guard().Allow(ctx, "ada", "newsletter")
			assert.ErrorIs(t, err, gdpr.ErrNoLawfulBasis, "acme's consent does not reach beta")
			history, err := k.Ledger().History(ctx, "ada", "")
			require.NoError(t, err)
			assert.Empty(t, history, "beta's ledger holds none of acme's events")
		}

		// Sealed values: the other tenant's shredder opens none.
		sealed := &customer{ID: "ada", Email: "ada@acme-customer.example"}
		require.NoError(t, acme.Shredder("app").Seal(ctx, sealed))
		own := &customer{ID: "ada", Email: "ada@beta-customer.example"}
		require.NoError(t, beta.Shredder("app").Seal(ctx, own))
		for _, k := range []*gdprkit.Kit{beta, beta2} {
			theirs := *sealed
			assert.Error(t, k.Shredder("app").Open(ctx, &theirs))
			assert.True(t, shred.IsSealed(theirs.Email), "acme's ciphertext stays sealed in beta")
		}
		mine := *sealed
		require.NoError(t, acme2.Shredder("app").Open(ctx, &mine))
		assert.Equal(t, "ada@acme-customer.example", mine.Email)

		// Requests: beta's desk knows none of acme's.
		req, err := acme.Desk().Receive(ctx, rights.Request{Right: rights.RightAccess, Subject: "ada"})
		require.NoError(t, err)
		for _, k := range []*gdprkit.Kit{beta, beta2} {
			_, err = k.Desk().Request(ctx, req.ID)
			assert.ErrorIs(t, err, rights.ErrUnknownRequest)
			_, err = k.Desk().Export(ctx, req.ID, io.Discard)
			assert.Error(t, err)
			open, err := k.Desk().Open(ctx)
			require.NoError(t, err)
			assert.Empty(t, open)
		}
		var archive bytes.Buffer
		_, err = acme2.Desk().Export(ctx, req.ID, &archive)
		require.NoError(t, err)
		assert.NotContains(t, archiveText(t, archive.Bytes()), "ada@beta-customer.example")

		// Journals: tokens differ, and beta's journal holds nothing of acme's.
		assert.NotEqual(t, acme.Journal().Token("ada"), beta.Journal().Token("ada"))
		assert.Equal(t, acme.Journal().Token("ada"), acme2.Journal().Token("ada"))
		assert.Empty(t, journalKinds(t, beta2.Journal(), acme.Journal().Token("ada")))
		assert.Zero(t, journalKinds(t, beta2.Journal(), beta.Journal().Token("ada"))[gdprkit.KindConsentGranted])

		// Erasing ada in acme, on the other instance, leaves beta's ada.
		_, err = acme2.Erase(ctx, "ada")
		require.NoError(t, err)
		assert.False(t, acmeShop.has(t, "ada"))
		assert.True(t, betaShop.has(t, "ada"))
		erased, err := beta2.Shredder("app").Erased(ctx, "ada")
		require.NoError(t, err)
		assert.False(t, erased)
		again := *own
		require.NoError(t, beta2.Shredder("app").Open(ctx, &again))
		assert.Equal(t, "ada@beta-customer.example", again.Email)
		env.clk.t = env.clk.t.Add(2 * shred.DefaultCacheTTL) // the other instance's cached key expires
		gone := *sealed
		assert.ErrorIs(t, acme.Shredder("app").Open(ctx, &gone), shred.ErrErased)

		// A tenant's export holds its data only.
		archive.Reset()
		arc, err := two.p.ExportTenant(ctx, "beta", &archive)
		require.NoError(t, err)
		assert.Equal(t, 1, arc.Subjects)
		assert.True(t, arc.JournalVerified)
		text := archiveText(t, archive.Bytes())
		assert.Contains(t, text, "ada@beta-customer.example")
		assert.NotContains(t, text, "ada@acme-customer.example")
		assert.NotContains(t, text, "Controller acme")
		require.NoError(t, acme.Journal().Verify(ctx))
		require.NoError(t, beta.Journal().Verify(ctx))
	})
}

func TestProcessorTenantIDs(t *testing.T) {
	env := newProcessorEnv(t, nil)
	db, _ := dbtest.SQLite(t)
	s := env.instanceOn(db, gdprkit.SQLiteTenants(t.TempDir()))
	pg := gdprkit.PostgresTenants("postgres://nowhere.invalid/db")
	for _, id := range []string{"", "A", "1a", "a-b", "a;drop schema public", "../x", "a b", "é", strings.Repeat("a", 33)} {
		_, err := s.p.Tenant(context.Background(), id, gdprkit.Config{})
		assert.ErrorIs(t, err, gdprkit.ErrInvalidTenant, "%q", id)
		_, err = s.dbs.Open(context.Background(), id)
		assert.ErrorIs(t, err, gdprkit.ErrInvalidTenant, "%q", id)
		_, err = pg.Schema(id)
		assert.ErrorIs(t, err, gdprkit.ErrInvalidTenant, "%q", id)
		_, err = s.p.EraseTenant(context.Background(), id)
		assert.ErrorIs(t, err, gdprkit.ErrInvalidTenant, "%q", id)
	}
	pg.SchemaPrefix = "x; DROP"
	_, err := pg.Schema("acme")
	assert.ErrorIs(t, err, gdprkit.ErrInvalidConfig)
	for _, id := range []string{"a", "acme", "tenant_42", strings.Repeat("a", 32)} {
		assert.True(t, gdprkit.ValidTenantID(id), id)
	}
	_, err = s.p.EraseTenant(context.Background(), "nobody")
	assert.ErrorIs(t, err, gdprkit.ErrUnknownTenant)
}

func TestProcessorForward(t *testing.T) {
	eachProcessor(t, func(t *testing.T, env *processorEnv) {
		ctx := context.Background()
		s := env.instance()
		acme, acmeShop := s.tenant(t, env.clk, "acme")
		s.tenant(t, env.clk, "beta")
		acmeShop.add(t, "ada", "ada@acme-customer.example", env.clk.t)

		// A subject writes to the processor; the request goes to acme.
		r, err := s.p.Forward(ctx, "acme", rights.Request{Right: rights.RightErasure, Subject: "ada"})
		require.NoError(t, err)
		got, err := acme.Desk().Request(ctx, r.ID)
		require.NoError(t, err)
		assert.Equal(t, acme.Journal().Token("ada"), got.SubjectToken)
		fwd, err := s.p.Forwarded(ctx, "acme")
		require.NoError(t, err)
		require.Len(t, fwd, 1)
		assert.Equal(t, r.ID, fwd[0].Request)
		assert.Equal(t, "erasure", fwd[0].Right)
		none, err := s.p.Forwarded(ctx, "beta")
		require.NoError(t, err)
		assert.Empty(t, none)

		// The controller instructs the erasure; its journal is the evidence.
		if got.State == rights.RequestUnverified {
			_, err = acme.Desk().Verify(ctx, r.ID)
			require.NoError(t, err)
		}
		_, err = acme.Desk().Erase(ctx, r.ID)
		require.NoError(t, err)
		assert.False(t, acmeShop.has(t, "ada"))
		assert.Equal(t, 1, journalKinds(t, acme.Journal(), acme.Journal().Token("ada"))[rights.KindRequestCompleted])

		// The processor's journal names the tenant and the request, not the subject.
		var forwarded []audit.Entry
		for e, err := range s.p.Journal().Entries(ctx, 0) {
			require.NoError(t, err)
			if e.Kind == gdprkit.KindRequestForwarded {
				forwarded = append(forwarded, e)
			}
		}
		require.Len(t, forwarded, 1)
		assert.Equal(t, "acme/"+r.ID, forwarded[0].Ref)
		assert.Empty(t, forwarded[0].Subject)
		require.NoError(t, s.p.Journal().Verify(ctx))
	})
}

func TestProcessorBreachNotifiesOnlyAffectedControllers(t *testing.T) {
	eachProcessor(t, func(t *testing.T, env *processorEnv) {
		ctx := context.Background()
		s := env.instance()
		s.tenant(t, env.clk, "acme")
		s.tenant(t, env.clk, "beta")

		// Phone numbers leaked: only beta's register holds them.
		b, notices, err := s.p.ReportBreach(ctx, breach.Breach{Nature: breach.Confidentiality, Description: "call log bucket public",
			Categories: []pii.Category{pii.Phone}, Risk: breach.RiskHigh}, gdprkit.BreachScope{})
		require.NoError(t, err)
		assert.Equal(t, []string{"beta"}, env.notices.tenants())
		require.Len(t, notices, 1)
		assert.Equal(t, "beta", notices[0].Tenant)
		assert.Equal(t, env.clk.t, notices[0].NotifiedAt, "notified at once")
		assert.Equal(t, "Controller beta", env.notices.got[0].Controller.Name)
		assert.Equal(t, b.ID, env.notices.got[0].Breach.ID)

		// Named by tenant, while the notifier is down: owed, then delivered.
		env.notices.fail = true
		b2, notices, err := s.p.ReportBreach(ctx, breach.Breach{Nature: breach.Availability, Description: "disk lost",
			Risk: breach.RiskLikely}, gdprkit.BreachScope{Tenants: []string{"acme"}})
		assert.Error(t, err)
		require.Len(t, notices, 1)
		assert.True(t, notices[0].NotifiedAt.IsZero())
		env.notices.fail = false
		n, err := s.p.DeliverBreachNotices(ctx)
		require.NoError(t, err)
		assert.Equal(t, 1, n)
		assert.Equal(t, []string{"beta", "acme"}, env.notices.tenants())
		notices, err = s.p.BreachNotices(ctx, b2.ID)
		require.NoError(t, err)
		require.Len(t, notices, 1)
		assert.False(t, notices[0].NotifiedAt.IsZero())

		// An email breach affects both.
		_, notices, err = s.p.ReportBreach(ctx, breach.Breach{Nature: breach.Confidentiality, Description: "export mis-sent",
			Categories: []pii.Category{pii.Email}, Risk: breach.RiskLikely}, gdprkit.BreachScope{})
		require.NoError(t, err)
		assert.Len(t, notices, 2)

		kinds := map[audit.Kind]int{}
		for e, err := range s.p.Journal().Entries(ctx, 0) {
			require.NoError(t, err)
			kinds[e.Kind]++
		}
		assert.Equal(t, 4, kinds[gdprkit.KindControllerNotified])
		assert.Equal(t, 3, kinds[audit.KindBreach])
	})
}

func TestProcessorRecord(t *testing.T) {
	eachProcessor(t, func(t *testing.T, env *processorEnv) {
		ctx := context.Background()
		s := env.instance()
		s.tenant(t, env.clk, "acme")
		s.tenant(t, env.clk, "beta")
		rec, err := s.p.Record(ctx)
		require.NoError(t, err)
		assert.Equal(t, "Mailer SaaS GmbH", rec.Processor.Name)
		require.Len(t, rec.Controllers, 2)
		assert.Equal(t, "acme", rec.Controllers[0].Tenant)
		assert.Equal(t, "Controller acme", rec.Controllers[0].Controller.Name)
		assert.Len(t, rec.Controllers[0].Processing, 2)
		assert.Len(t, rec.Controllers[1].Processing, 3, "beta's phone support too")
		require.Len(t, rec.SubProcessors, 2)
		assert.Equal(t, gdpr.Processor, rec.SubProcessors[0].Role)
		require.Len(t, rec.Transfers, 1)
		assert.Equal(t, "US", rec.Transfers[0].Country)
		assert.Equal(t, gdpr.StandardClauses, rec.Transfers[0].Safeguard)
		assert.NotEmpty(t, rec.SecurityMeasures)

		var buf bytes.Buffer
		require.NoError(t, rec.WriteJSON(&buf))
		var back gdprkit.ProcessorRecord
		require.NoError(t, json.Unmarshal(buf.Bytes(), &back))
		assert.Equal(t, rec.Controllers, back.Controllers)

		// Another instance reaches the tenants through TenantConfig only.
		other := env.instance()
		_, err = other.p.Record(ctx)
		assert.ErrorIs(t, err, gdprkit.ErrUnknownTenant)
	})
}

func TestOpenProcessorRejectsConfig(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	kek, err := shred.LocalKEK(filepath.Join(t.TempDir(), "kek.json"))
	require.NoError(t, err)
	ok := gdprkit.ProcessorConfig{KEK: kek, Databases: gdprkit.SQLiteTenants(t.TempDir()), Processor: gdpr.Party{Name: "P"}}
	for name, edit := range map[string]func(*gdprkit.ProcessorConfig){
		"no KEK":                 func(c *gdprkit.ProcessorConfig) { c.KEK = nil },
		"no databases":           func(c *gdprkit.ProcessorConfig) { c.Databases = nil },
		"no processor":           func(c *gdprkit.ProcessorConfig) { c.Processor = gdpr.Party{} },
		"transfer, no safeguard": func(c *gdprkit.ProcessorConfig) { c.SubProcessors = []gdpr.Recipient{{Name: "X", Country: "US"}} },
		"bad country":            func(c *gdprkit.ProcessorConfig) { c.SubProcessors = []gdpr.Recipient{{Name: "X", Country: "Germany"}} },
		"current KEK as old":     func(c *gdprkit.ProcessorConfig) { c.OldKEKs = map[string]tink.AEAD{"processor": c.KEK} },
	} {
		cfg := ok
		edit(&cfg)
		_, err := gdprkit.OpenProcessor(context.Background(), db, cfg)
		assert.ErrorIs(t, err, gdprkit.ErrInvalidConfig, name)
	}
	_, err = gdprkit.OpenProcessor(context.Background(), db, ok)
	require.NoError(t, err)
}

// vacuumInto writes a consistent copy of a SQLite database to path.
func vacuumInto(t *testing.T, db *sql.DB, path string) {
	t.Helper()
	_, err := db.Exec("VACUUM INTO '" + path + "'")
	require.NoError(t, err)
}

func TestEraseTenantWithBackup(t *testing.T) {
	ctx := context.Background()
	procDB, _ := dbtest.SQLite(t)
	dir := t.TempDir()
	env := newProcessorEnv(t, nil)
	dbs := gdprkit.SQLiteTenants(filepath.Join(dir, "tenants"))
	t.Cleanup(func() { dbs.Close() })
	s := env.instanceOn(procDB, dbs)
	acme, acmeShop := s.tenant(t, env.clk, "acme")
	beta, betaShop := s.tenant(t, env.clk, "beta")
	for _, id := range []string{"ada", "bob"} {
		acmeShop.add(t, id, id+"@acme-customer.example", env.clk.t)
		grant(t, acme, id)
	}
	betaShop.add(t, "ada", "ada@beta-customer.example", env.clk.t)
	sealed := &customer{ID: "ada", Email: "ada@acme-customer.example"}
	require.NoError(t, acme.Shredder("app").Seal(ctx, sealed))

	// Backups taken before the end of service.
	backup := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(backup, "tenants"), 0o700))
	vacuumInto(t, procDB, filepath.Join(backup, "processor.db"))
	acmeDB, err := dbs.Open(ctx, "acme")
	require.NoError(t, err)
	vacuumInto(t, acmeDB, filepath.Join(backup, "tenants", "acme.db"))
	vacuumInto(t, acmeDB, filepath.Join(backup, "acme-keys.db")) // a second copy, kept from the replay

	// Return the data, then erase the tenant.
	var archive bytes.Buffer
	arc, err := s.p.ExportTenant(ctx, "acme", &archive)
	require.NoError(t, err)
	assert.Equal(t, 2, arc.Subjects)
	assert.True(t, arc.JournalVerified)
	zr, err := zip.NewReader(bytes.NewReader(archive.Bytes()), int64(archive.Len()))
	require.NoError(t, err)
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	assert.Subset(t, names, []string{"tenant.json", "record.json", "journal.jsonl", "journal-verification.json", "subjects.json",
		"subjects/" + acme.Journal().Token("ada") + ".zip", "subjects/" + acme.Journal().Token("bob") + ".zip"})
	text := archiveText(t, archive.Bytes())
	assert.Contains(t, text, "bob@acme-customer.example")
	assert.Contains(t, text, `"name": "Controller acme"`)

	cert, err := s.p.EraseTenant(ctx, "acme")
	require.NoError(t, err)
	assert.True(t, cert.KeyDestroyed)
	assert.True(t, cert.Logged)
	assert.True(t, cert.DatabaseDropped)
	assert.NotZero(t, cert.Journal.Seq)
	path, err := dbs.Path("acme")
	require.NoError(t, err)
	assert.NoFileExists(t, path)
	_, err = s.p.Tenant(ctx, "acme", gdprkit.Config{})
	assert.ErrorIs(t, err, gdprkit.ErrTenantErased)
	_, err = s.p.EraseTenant(ctx, "acme")
	assert.ErrorIs(t, err, gdprkit.ErrTenantErased)
	tenants, err := s.p.Tenants(ctx)
	require.NoError(t, err)
	assert.Equal(t, []string{"beta"}, tenants)
	var erasedEntry audit.Entry
	for e, err := range s.p.Journal().Entries(ctx, 0) {
		require.NoError(t, err)
		if e.Kind == gdprkit.KindTenantErased {
			erasedEntry = e
		}
	}
	assert.Equal(t, "acme", erasedEntry.Ref)
	assert.Empty(t, erasedEntry.Subject)
	require.NoError(t, s.p.Journal().Verify(ctx))

	// beta is untouched.
	d, err := beta.Guard().Allow(ctx, "ada", "orders")
	require.NoError(t, err)
	assert.True(t, d.Allowed)
	assert.True(t, betaShop.has(t, "ada"))

	// The processor's database restored from the backup still holds
	// acme's key: the backup opens, until the erasure log is replayed.
	restoredDB, err := sql.Open("sqlite", dbtest.SQLiteDSN(filepath.Join(backup, "processor.db")))
	require.NoError(t, err)
	t.Cleanup(func() { restoredDB.Close() })
	restoredDBs := gdprkit.SQLiteTenants(filepath.Join(backup, "tenants"))
	t.Cleanup(func() { restoredDBs.Close() })
	restored := env.instanceOn(restoredDB, restoredDBs)
	old, _ := restored.tenant(t, env.clk, "acme")
	before := *sealed
	require.NoError(t, old.Shredder("app").Open(ctx, &before), "the backup opens before the replay")
	restored = env.instanceOn(restoredDB, restoredDBs)
	n, err := restored.p.Replay(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	n, err = restored.p.Replay(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "replaying again destroys nothing")
	_, err = restored.p.Tenant(ctx, "acme", gdprkit.Config{})
	assert.ErrorIs(t, err, gdprkit.ErrTenantErased)

	// Even the tenant's old key store rows do not open without its KEK:
	// the processor's KEK, the only one left, unwraps none of them.
	keysDB, err := sql.Open("sqlite", dbtest.SQLiteDSN(filepath.Join(backup, "acme-keys.db")))
	require.NoError(t, err)
	t.Cleanup(func() { keysDB.Close() })
	store, err := shred.NewSQLStore(ctx, keysDB)
	require.NoError(t, err)
	for _, kekID := range []string{"tenant/acme", "processor-1"} {
		sh, err := shred.New(shred.ShredderConfig{Store: store, KEK: env.kek, KEKID: kekID, Namespace: "app"})
		require.NoError(t, err)
		after := *sealed
		assert.Error(t, sh.Open(ctx, &after))
		assert.True(t, shred.IsSealed(after.Email))
	}
	cfg := shopConfig(t, newCustomers(t, keysDB), filepath.Join(t.TempDir(), "k.json"), env.clk.Now)
	cfg.KEK, cfg.KEKID = env.kek, "tenant/acme"
	_, err = gdprkit.Open(ctx, keysDB, cfg)
	assert.Error(t, err, "the tenant's kit does not open under the processor's KEK")
}

func TestEraseTenantOnAnotherInstance(t *testing.T) {
	eachProcessor(t, func(t *testing.T, env *processorEnv) {
		ctx := context.Background()
		one, two := env.instance(), env.instance()
		_, shop := one.tenant(t, env.clk, "acme")
		shop.add(t, "ada", "ada@acme-customer.example", env.clk.t)
		two.tenant(t, env.clk, "acme")
		_, betaShop := two.tenant(t, env.clk, "beta")
		betaShop.add(t, "ada", "ada@beta-customer.example", env.clk.t)

		_, err := one.p.EraseTenant(ctx, "acme")
		require.NoError(t, err)
		_, err = two.p.Tenant(ctx, "acme", gdprkit.Config{})
		assert.ErrorIs(t, err, gdprkit.ErrTenantErased, "the other instance's cached kit is dropped")
		_, err = two.p.ExportTenant(ctx, "acme", io.Discard)
		assert.ErrorIs(t, err, gdprkit.ErrTenantErased)
		_, err = two.p.Forward(ctx, "acme", rights.Request{Right: rights.RightAccess, Subject: "ada"})
		assert.ErrorIs(t, err, gdprkit.ErrTenantErased)
		_, err = two.p.EraseTenant(ctx, "acme")
		assert.ErrorIs(t, err, gdprkit.ErrTenantErased)

		// acme's database is gone; beta's is there.
		db, err := two.dbs.Open(ctx, "acme")
		require.NoError(t, err)
		var n int
		assert.Error(t, db.QueryRow("SELECT COUNT(*) FROM customers").Scan(&n), "a new, empty database")
		require.NoError(t, two.dbs.Drop(ctx, "acme"))
		assert.True(t, betaShop.has(t, "ada"))
		rec, err := two.p.Record(ctx)
		require.NoError(t, err)
		require.Len(t, rec.Controllers, 1)
		assert.Equal(t, "beta", rec.Controllers[0].Tenant)
	})
}
