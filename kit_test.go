package gdprkit_test

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/shred"
	"github.com/gdprkit/gdprkit/retention"
)

// clock is the tests' clock, moved by hand.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)} }

// customer is a row of the shop's customers table.
type customer struct {
	ID    string `pii:"subject" json:"id"`
	Email string `pii:"email" json:"email"`
}

// customers is the shop's table: a rights.Source for requests and a
// retention.SubjectSource for sweeps.
type customers struct{ db *sql.DB }

func newCustomers(t testing.TB, db *sql.DB) customers {
	_, err := db.Exec("CREATE TABLE IF NOT EXISTS customers (id TEXT PRIMARY KEY, email TEXT NOT NULL, last_active BIGINT NOT NULL)")
	require.NoError(t, err)
	return customers{db}
}

func (c customers) add(t testing.TB, id, email string, active time.Time) {
	_, err := c.db.Exec("INSERT INTO customers (id, email, last_active) VALUES ($1, $2, $3)", id, email, active.Unix())
	require.NoError(t, err)
}

func (c customers) has(t testing.TB, id string) bool {
	var n int
	require.NoError(t, c.db.QueryRow("SELECT COUNT(*) FROM customers WHERE id = $1", id).Scan(&n))
	return n > 0
}

func (c customers) Describe() rights.SourceInfo {
	return rights.SourceInfo{Name: "customers", Description: "provided by you when you signed up", Purposes: []string{"orders", "newsletter"}}
}

func (c customers) Export(ctx context.Context, subject string, emit func(any) error) error {
	var cu customer
	err := c.db.QueryRowContext(ctx, "SELECT id, email FROM customers WHERE id = $1", subject).Scan(&cu.ID, &cu.Email)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return emit(&cu)
}

func (c customers) Erase(ctx context.Context, subject string) error {
	_, err := c.db.ExecContext(ctx, "DELETE FROM customers WHERE id = $1", subject)
	return err
}

func (c customers) Subjects(ctx context.Context, after retention.Cursor, limit int) ([]retention.Subject, retention.Cursor, error) {
	rows, err := c.db.QueryContext(ctx, "SELECT id, last_active FROM customers WHERE id > $1 ORDER BY id LIMIT $2", string(after), limit)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []retention.Subject
	for rows.Next() {
		var s retention.Subject
		var active int64
		if err := rows.Scan(&s.ID, &active); err != nil {
			return nil, "", err
		}
		s.LastActive = time.Unix(active, 0).UTC()
		out = append(out, s)
	}
	next := retention.Cursor("")
	if len(out) == limit {
		next = retention.Cursor(out[len(out)-1].ID)
	}
	return out, next, rows.Err()
}

// openShop is the whole wiring of the shop: from a database to a ready kit
// with two purposes, a notice and one source.
func openShop(t testing.TB, db *sql.DB, kek string, now func() time.Time, edit ...func(*gdprkit.Config)) (*gdprkit.Kit, customers) {
	shop := newCustomers(t, db)
	cfg := shopConfig(t, shop, kek, now)
	for _, e := range edit {
		e(&cfg)
	}
	kit, err := gdprkit.Open(context.Background(), db, cfg)
	require.NoError(t, err)
	return kit, shop
}

// shopConfig is the shop's configuration over its table.
func shopConfig(t testing.TB, shop customers, kek string, now func() time.Time) gdprkit.Config {
	key, err := shred.LocalKEK(kek)
	require.NoError(t, err)
	return gdprkit.Config{
		KEK: key, KEKID: "dev-1",
		Controller: gdpr.Party{Name: "Example Shop GmbH", Contact: "privacy@shop.example"},
		Purposes: []gdpr.Purpose{
			{ID: "newsletter", Name: "Newsletter", Basis: gdpr.Consent, DirectMarketing: true,
				Categories: []pii.Category{pii.Email}, DataSubjects: []string{"customers"}, Retention: "P2Y"},
			{ID: "orders", Name: "Order handling", Basis: gdpr.Contract,
				Categories: []pii.Category{pii.Email}, DataSubjects: []string{"customers"}, Retention: "P6M"},
		},
		Notices:  []consent.Notice{{Purpose: "newsletter", Version: "2026-01"}},
		Sources:  []rights.Source{shop},
		Subjects: map[string]retention.SubjectSource{"customers": shop},
		Contract: func(ctx context.Context, subject, purpose string) (bool, error) { return shop.has(t, subject), nil },
		Verifier: rights.VerifierFunc(func(context.Context, rights.Request) (bool, error) { return true, nil }),
		Now:      now,
	}
}

func TestShop(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		clk := newClock()
		kit, shop := openShop(t, db, filepath.Join(t.TempDir(), "kek.json"), clk.Now)
		guard := kit.Guard()

		// Signup with consent; bob was last active three years ago.
		shop.add(t, "ada", "ada@example.org", clk.t)
		shop.add(t, "bob", "bob@example.org", clk.t.AddDate(-3, 0, 0))
		for _, s := range []string{"ada", "bob"} {
			_, err := kit.Ledger().Grant(ctx, consent.Act{Subject: s, Purposes: []string{"newsletter"}, Notice: "2026-01",
				Method: consent.MethodCheckbox, Source: "web/signup"})
			require.NoError(t, err)
		}
		clk.t = clk.t.Add(time.Hour)

		// The Guard before a campaign; ada unsubscribes.
		d, err := guard.Allow(ctx, "ada", "newsletter")
		require.NoError(t, err)
		assert.True(t, d.Allowed)
		_, err = kit.Ledger().Withdraw(ctx, consent.Act{Subject: "ada", Purposes: []string{"newsletter"}, Method: consent.MethodEmail, Source: "mail/unsubscribe"})
		require.NoError(t, err)
		clk.t = clk.t.Add(time.Hour)
		_, err = guard.Allow(ctx, "ada", "newsletter")
		assert.ErrorIs(t, err, gdpr.ErrNoLawfulBasis)

		// An access export holds the consent history.
		req, err := kit.Desk().Receive(ctx, rights.Request{Right: rights.RightAccess, Subject: "ada"})
		require.NoError(t, err)
		var archive bytes.Buffer
		_, err = kit.Desk().Export(ctx, req.ID, &archive)
		require.NoError(t, err)
		history := zipText(t, archive.Bytes(), gdprkit.SourceConsentHistory)
		assert.Contains(t, history, "grant")
		assert.Contains(t, history, "withdrawal")

		// The sweep erases bob, the inactive one, through the one erasure pipeline.
		report, err := kit.Sweep(ctx)
		require.NoError(t, err)
		assert.Equal(t, 1, report.Acted(retention.Shred))
		_, err = guard.Allow(ctx, "bob", "newsletter")
		assert.ErrorIs(t, err, gdpr.ErrNoLawfulBasis, "consent withdrawn by the erasure")
		events, err := kit.Ledger().History(ctx, "bob", "newsletter")
		require.NoError(t, err)
		require.NotEmpty(t, events)
		last := events[len(events)-1]
		assert.Equal(t, consent.Withdrawal, last.Kind)
		assert.Equal(t, rights.ConsentSource, last.Source)
		assert.False(t, shop.has(t, "bob"), "the source erased the row")
		assert.True(t, shop.has(t, "ada"))

		// Again: nothing left to erase.
		report, err = kit.Sweep(ctx)
		require.NoError(t, err)
		assert.Zero(t, report.Acted(retention.Shred))

		// The journal verifies and holds the sweep's erasure of bob.
		require.NoError(t, kit.Journal().Verify(ctx))
		kinds := journalKinds(t, kit.Journal(), kit.Journal().Token("bob"))
		assert.Equal(t, 1, kinds[audit.KindRetentionActed])
		assert.Equal(t, 1, kinds[rights.KindRequestCompleted])
		assert.Equal(t, 1, kinds[gdprkit.KindConsentGranted])
		assert.Equal(t, 1, kinds[gdprkit.KindConsentWithdrawn], "the erasure's withdrawal is journalled too")
		assert.Equal(t, 1, journalKinds(t, kit.Journal(), kit.Journal().Token("ada"))[gdprkit.KindConsentWithdrawn])
	})
}

// zipText returns the text of the archive's files whose path starts with dir.
func zipText(t *testing.T, archive []byte, dir string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	require.NoError(t, err)
	var sb strings.Builder
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, dir+"/") {
			continue
		}
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		rc.Close()
		require.NoError(t, err)
		sb.Write(b)
	}
	require.NotZero(t, sb.Len(), "no file under %s/", dir)
	return sb.String()
}

// journalKinds counts the journal's entries about a subject token by kind.
func journalKinds(t *testing.T, j *audit.Journal, token string) map[audit.Kind]int {
	t.Helper()
	out := map[audit.Kind]int{}
	for e, err := range j.Entries(context.Background(), 0) {
		require.NoError(t, err)
		if e.Subject == token {
			out[e.Kind]++
		}
	}
	return out
}
