package main

import (
	"context"
	"database/sql"
	"path/filepath"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/shred"
	"github.com/gdprkit/gdprkit/retention"
)

// openKit is the whole wiring of the shop: one call to gdprkit.Open.
func (t *tour) openKit() error {
	kek, err := shred.LocalKEK(filepath.Join(t.dir, "kek.json")) // development only; a KMS AEAD in production
	if err != nil {
		return err
	}
	// The keys live in a database of their own, apart from the data, so
	// that a backup of the data carries no keys. Back the key store up on
	// its own and replay the kit's erasure log after restoring it.
	keyDB, err := sql.Open("sqlite", sqliteDSN(filepath.Join(t.dir, "keys.db")))
	if err != nil {
		return err
	}
	t.closers = append(t.closers, keyDB.Close)
	// The customers table seals every personal field under the customer's
	// own key in namespace "shop"; passed in Sources, it answers access and
	// erasure requests by itself.
	if _, err := t.db.ExecContext(t.ctx, `CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT, email TEXT,
			email_bidx TEXT UNIQUE, phone TEXT, country TEXT, joined TIMESTAMP);
		CREATE TABLE events (id INTEGER PRIMARY KEY, payload TEXT)`); err != nil {
		return err
	}
	t.customers, err = gdprkit.NewTable[Customer](t.ctx, t.db, gdprkit.TableConfig{
		Name: "customers", Description: "provided by you when you signed up",
		Purposes: []string{"orders", "newsletter"}, Namespace: "shop",
	})
	if err != nil {
		return err
	}
	people := []string{"customers"}
	t.kit, err = gdprkit.Open(t.ctx, t.db, gdprkit.Config{
		KEK: kek, KEKID: "dev-1", KeyDB: keyDB,
		Controller: gdpr.Party{Name: "Example Shop GmbH", Contact: "privacy@shop.example"},
		Purposes: []gdpr.Purpose{
			{ID: "newsletter", Name: "Newsletter", Basis: gdpr.Consent, DirectMarketing: true,
				Categories: []pii.Category{pii.Email, pii.Name}, DataSubjects: people, Retention: "P2Y"},
			{ID: "orders", Name: "Order handling", Basis: gdpr.Contract,
				Categories: []pii.Category{pii.Name, pii.Email, pii.Address}, DataSubjects: people, Retention: "P6M"},
			{ID: "invoices", Name: "Bookkeeping", Basis: gdpr.LegalObligation, Storage: true,
				Categories: []pii.Category{pii.Name, pii.Billing}, DataSubjects: people, Retention: "P10Y"},
			{ID: "recall", Name: "Safety recalls", Basis: gdpr.VitalInterests,
				Categories: []pii.Category{pii.Email, pii.Phone}, DataSubjects: people, Retention: "P5Y"},
			{ID: "tax-audit", Name: "Answers to the tax office", Basis: gdpr.PublicTask,
				Categories: []pii.Category{pii.Name, pii.Billing}, DataSubjects: people, Retention: "P1Y"},
			{ID: "fraud", Name: "Fraud prevention", Basis: gdpr.LegitimateInterests, BalancingTest: "LIA-2026-01",
				Categories: []pii.Category{pii.IPAddress}, DataSubjects: people, Retention: "P90D"},
		},
		Notices: []consent.Notice{{Purpose: "newsletter", Version: "2026-01"}, {Purpose: "newsletter", Version: "2026-02"}},
		// Beside the purposes' own retention: log-in IP addresses go after 30 days.
		Rules:      []retention.Rule{{Name: "ip-30-days", Category: pii.IPAddress, Period: retention.Period{Days: 30}, Action: retention.Erase}},
		Records:    map[string]retention.RecordSource{"visits": t.visits},
		Sources:    []rights.Source{t.customers},
		Namespaces: []string{"shop"},
		Contract:   func(ctx context.Context, subject, purpose string) (bool, error) { return subject == "cus_1815", nil },
		Verifier: rights.VerifierFunc(func(ctx context.Context, r rights.Request) (bool, error) {
			return true, nil // the customer asked from a logged-in session
		}),
		Actor: "svc:shop", TempDir: t.dir, Now: t.clock,
	})
	return err
}
