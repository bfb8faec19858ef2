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

// customer is a row of the shop's customers table: the e-mail address is
// sealed at rest and unique, found by its blind index; the marketing
// segment is derived by the shop, so not portable (Art. 20).
type customer struct {
	ID         string `pii:"subject" json:"id"`
	Email      string `pii:"email,replace=erased" json:"email" db:"email,unique"`
	Segment    string `pii:"browsing,origin=derived" json:"segment"`
	LastActive int64  `json:"-"`
}

// customersDDL creates the shop's table: the blind index column is the
// database's unique constraint on e-mail addresses.
const customersDDL = `CREATE TABLE IF NOT EXISTS customers (
	id TEXT PRIMARY KEY, email TEXT NOT NULL, email_bidx TEXT UNIQUE, segment TEXT, last_active BIGINT NOT NULL)`

// customers is the shop's table, and a retention.SubjectSource for sweeps.
type customers struct {
	*gdprkit.Table[customer]
	db *sql.DB
}

func newCustomers(t testing.TB, db *sql.DB) customers {
	_, err := db.Exec(customersDDL)
	require.NoError(t, err)
	table, err := gdprkit.NewTable[customer](context.Background(), db, gdprkit.TableConfig{
		Name: "customers", Description: "provided by you when you signed up", Purposes: []string{"orders", "newsletter"},
	})
	require.NoError(t, err)
	return customers{table, db}
}

func (c customers) add(t testing.TB, id, email string, active time.Time) {
	require.NoError(t, c.Insert(context.Background(), &customer{ID: id, Email: email, Segment: "frequent-buyer", LastActive: active.Unix()}))
}

func (c customers) has(t testing.TB, id string) bool {
	_, err := c.Get(context.Background(), id)
	if errors.Is(err, gdprkit.ErrNotFound) {
		return false
	}
	require.NoError(t, err)
	return true
}

func (c customers) Subjects(ctx context.Context, after retention.Cursor, limit int) ([]retention.Subject, retention.Cursor, error) {
	rows, err := c.Select(ctx, "id > ? ORDER BY id LIMIT ?", string(after), limit)
	if err != nil && !errors.Is(err, shred.ErrErased) {
		return nil, "", err
	}
	out := make([]retention.Subject, len(rows))
	for i, r := range rows {
		out[i] = retention.Subject{ID: r.ID, LastActive: time.Unix(r.LastActive, 0).UTC()}
	}
	next := retention.Cursor("")
	if len(out) == limit {
		next = retention.Cursor(out[len(out)-1].ID)
	}
	return out, next, nil
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
		Sources:  []rights.Source{shop.Table},
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
		row := zipText(t, archive.Bytes(), "customers")
		assert.Contains(t, row, "ada@example.org", "the table's row, opened")
		assert.Contains(t, row, "frequent-buyer")

		// A portability export leaves the derived segment out (Art. 20).
		req, err = kit.Desk().Receive(ctx, rights.Request{Right: rights.RightPortability, Subject: "ada"})
		require.NoError(t, err)
		archive.Reset()
		_, err = kit.Desk().Export(ctx, req.ID, &archive)
		require.NoError(t, err)
		row = zipText(t, archive.Bytes(), "customers")
		assert.Contains(t, row, "ada@example.org")
		assert.NotContains(t, row, "frequent-buyer")

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
