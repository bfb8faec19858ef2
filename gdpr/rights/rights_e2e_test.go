package rights_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tink-crypto/tink-go/v2/aead"
	"github.com/tink-crypto/tink-go/v2/keyset"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// sqlSource keeps sealed records of one type as JSON documents in a table
// of its own, the way an application stores them.
type sqlSource struct {
	info  rights.SourceInfo
	db    *sql.DB
	table string
	blank func() any // a new, empty record

	mu        sync.Mutex
	failErase int
}

func newSQLSource(t *testing.T, db *sql.DB, info rights.SourceInfo, blank func() any) *sqlSource {
	s := &sqlSource{info: info, db: db, table: "app_" + info.Name, blank: blank}
	_, err := db.Exec(`CREATE TABLE ` + s.table + ` (seq INTEGER NOT NULL, subject TEXT NOT NULL, doc TEXT NOT NULL)`)
	require.NoError(t, err)
	return s
}

// rebind writes $n placeholders for PostgreSQL.
func rebind(db *sql.DB, query string) string {
	if fmt.Sprintf("%T", db.Driver()) == "*sqlite.Driver" {
		return query
	}
	out, n := []byte{}, 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			out = append(out, fmt.Sprintf("$%d", n)...)
			continue
		}
		out = append(out, query[i])
	}
	return string(out)
}

// put stores a record, already sealed.
func (s *sqlSource) put(t *testing.T, seq int, subject string, rec any) {
	doc, err := json.Marshal(rec)
	require.NoError(t, err)
	_, err = s.db.Exec(rebind(s.db, `INSERT INTO `+s.table+` (seq, subject, doc) VALUES (?, ?, ?)`), seq, subject, string(doc))
	require.NoError(t, err)
}

// docs returns the subject's stored documents.
func docs(t *testing.T, db *sql.DB, table, subject string) []string {
	rows, err := db.Query(rebind(db, `SELECT doc FROM `+table+` WHERE subject = ? ORDER BY seq`), subject)
	require.NoError(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		require.NoError(t, rows.Scan(&d))
		out = append(out, d)
	}
	require.NoError(t, rows.Err())
	return out
}

func (s *sqlSource) Describe() rights.SourceInfo { return s.info }

func (s *sqlSource) Export(ctx context.Context, subject string, emit func(any) error) error {
	rows, err := s.db.QueryContext(ctx, rebind(s.db, `SELECT doc FROM `+s.table+` WHERE subject = ? ORDER BY seq`), subject)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return err
		}
		rec := s.blank()
		if err := json.Unmarshal([]byte(doc), rec); err != nil {
			return err
		}
		if err := emit(rec); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s *sqlSource) Erase(ctx context.Context, subject string) error {
	s.mu.Lock()
	if s.failErase > 0 {
		s.failErase--
		s.mu.Unlock()
		return errors.New("lock wait timeout")
	}
	s.mu.Unlock()
	_, err := s.db.ExecContext(ctx, rebind(s.db, `DELETE FROM `+s.table+` WHERE subject = ?`), subject)
	return err
}

func newTestKEK(t *testing.T) *keyset.Handle {
	h, err := keyset.NewHandle(aead.AES256GCMKeyTemplate())
	require.NoError(t, err)
	return h
}

// e2e is the whole stack on one database: two sources whose records are
// sealed by a real Shredder, a consent ledger whose proofs are sealed in a
// namespace of their own, the journal, the request store.
type e2e struct {
	data, keys     *sql.DB
	app, consentNS *shred.Shredder
	crm, shop      *sqlSource
	ledger         *consent.Ledger
	journal        *audit.Journal
	guard          *gdpr.Guard
	rights         *rights.Desk
	clock          *clock
	tries          []int
}

func newE2E(t *testing.T, data, keys *sql.DB) *e2e {
	ctx := context.Background()
	x := &e2e{data: data, keys: keys, clock: &clock{now: t0}}
	keyStore, err := shred.NewSQLStore(ctx, keys)
	require.NoError(t, err)
	kek, err := aead.New(newTestKEK(t))
	require.NoError(t, err)
	for _, s := range []struct {
		ns  string
		out **shred.Shredder
	}{{"app", &x.app}, {"consent", &x.consentNS}} {
		*s.out, err = shred.New(shred.ShredderConfig{Store: keyStore, KEK: kek, KEKID: "test", Namespace: s.ns, Now: x.clock.Now})
		require.NoError(t, err)
	}
	consentStore, err := consent.NewSQLStore(ctx, data)
	require.NoError(t, err)
	x.ledger, err = consent.New(consent.LedgerConfig{Store: consentStore, Sealer: x.consentNS, Now: x.clock.Now})
	require.NoError(t, err)

	x.crm = newSQLSource(t, data, rights.SourceInfo{Name: "crm", Description: "provided by you when you signed up",
		Purposes: []string{"account"}, Namespace: "app"}, func() any { return new(Customer) })
	x.shop = newSQLSource(t, data, rights.SourceInfo{Name: "shop", Description: "collected when you ordered",
		Purposes: []string{"orders", "fraud"}, Namespace: "app"}, func() any { return new(Order) })

	store, err := gdpr.NewSQLStore(ctx, data)
	require.NoError(t, err)
	requests, err := rights.NewSQLStore(ctx, data)
	require.NoError(t, err)
	journalStore, err := audit.NewSQLStore(ctx, data)
	require.NoError(t, err)
	x.journal, err = audit.NewJournal(audit.JournalConfig{Store: journalStore, Tokenizer: newTokenizer(t), Actor: "svc:shop", Now: x.clock.Now})
	require.NoError(t, err)
	reg, err := gdpr.NewRegister(gdpr.RegisterConfig{Controller: gdpr.Party{Name: "Example Shop GmbH", Contact: "privacy@shop.example"}}, shopPurposes()...)
	require.NoError(t, err)
	x.guard, err = gdpr.NewGuard(gdpr.GuardConfig{Register: reg, Consent: x.ledger, Objections: store, Restrictions: store,
		Contract: func(context.Context, string, string) (bool, error) { return true, nil }, Journal: x.journal, Now: x.clock.Now})
	require.NoError(t, err)
	x.rights, err = rights.NewDesk(rights.DeskConfig{
		Register: reg, Store: requests, Journal: x.journal, Guard: x.guard,
		Verifier:   rights.VerifierFunc(func(context.Context, rights.Request) (bool, error) { return true, nil }),
		Sources:    []rights.Source{x.crm, x.shop},
		Namespaces: []gdpr.Namespace{{Name: "app", Keys: x.app}, {Name: "consent", Keys: x.consentNS}},
		Consents:   x.ledger,
		Backoff:    func(_ context.Context, attempt int) error { x.tries = append(x.tries, attempt); return nil },
		TempDir:    t.TempDir(),
		Now:        x.clock.Now,
	})
	require.NoError(t, err)
	return x
}

// *shred.Shredder is the Keys of a namespace.
var _ gdpr.Keys = (*shred.Shredder)(nil)

// plaintexts are the personal values of cust-1 as the application knew
// them, with their categories.
var plaintexts = []labelled{
	{"Ada Lovelace", string(pii.Name)}, {"ada@example.org", string(pii.Email)}, {"+44 20 7946 0018", string(pii.Phone)},
	{"12 St James's Square", string(pii.Address)}, {"London", string(pii.City)}, {scoreAtRest, string(pii.Observational)},
	{"Ockham Park, Surrey", string(pii.Address)}, {"198.51.100.23", string(pii.IPAddress)},
	{"Horsley Towers, Surrey", string(pii.Address)}, {"2001:db8::1838", string(pii.IPAddress)},
}

// scoreAtRest is cust-1's score in the end-to-end test: long enough
// (piitest.MinValueLen) that its absence from a database file means
// something.
const scoreAtRest = "A+ (band 7 of 9)"

// seed seals and stores cust-1's and cust-2's records, and a consent
// grant with proof.
func (x *e2e) seed(t *testing.T) {
	ctx := context.Background()
	c := ada()
	c.Score = scoreAtRest
	require.NoError(t, x.app.Seal(ctx, c))
	require.True(t, shred.IsSealed(c.Email), "stored sealed")
	x.crm.put(t, 1, "cust-1", c)
	for i, o := range []*Order{
		{Number: "o-1", Customer: "cust-1", Shipping: "Ockham Park, Surrey", IP: "198.51.100.23", Items: []string{"tea"}, Total: 4200},
		{Number: "o-2", Customer: "cust-1", Shipping: "Horsley Towers, Surrey", IP: "2001:db8::1838", Total: 990},
	} {
		require.NoError(t, x.app.Seal(ctx, o))
		x.shop.put(t, i+1, "cust-1", o)
	}
	bob := &Customer{ID: "cust-2", Name: "Bob Babbage", Email: "bob@example.org"}
	require.NoError(t, x.app.Seal(ctx, bob))
	x.crm.put(t, 2, "cust-2", bob)

	_, err := x.ledger.Grant(ctx, consent.Act{Subject: "cust-1", Purposes: []string{"newsletter"}, Notice: "v1",
		Method: consent.MethodCheckbox, Proof: consent.Proof{IP: "198.51.100.23", UserAgent: "Mozilla/5.0 (Ada)"}})
	require.NoError(t, err)
}

// export answers an access request of subject and reads the archive back.
func (x *e2e) export(t *testing.T, subject string) archive {
	ctx := context.Background()
	r, err := x.rights.Receive(ctx, rights.Request{Right: rights.RightAccess, Subject: subject, Language: "en-GB"})
	require.NoError(t, err)
	var buf bytes.Buffer
	_, err = x.rights.Export(ctx, r.ID, &buf)
	require.NoError(t, err)
	return readArchive(t, buf.Bytes())
}

// TestRightsEndToEnd: two sources on a real database whose sealed fields
// are shred ciphertexts. The export holds every personal value exactly
// once, labelled with its category, with matching hashes and agreeing CSV
// and JSON; after the erasure nothing of the subject can be read from the
// sources, nor from a copy of the database taken before it.
func TestRightsEndToEnd(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		data, dataPath := dbtest.SQLite(t)
		keys, _ := dbtest.SQLite(t) // the key store lives apart from the data, as in production
		runEndToEnd(t, newE2E(t, data, keys), func(t *testing.T) func(t *testing.T, table string) []string {
			// A backup of the data file, taken before the erasure.
			_, err := data.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
			require.NoError(t, err)
			backup := filepath.Join(t.TempDir(), "backup.db")
			copyFile(t, dataPath, backup)
			raw, err := os.ReadFile(backup)
			require.NoError(t, err)
			for _, p := range plaintexts {
				assertNotIn(t, raw, p.value, "personal values are sealed at rest")
			}
			copyDB, err := sql.Open("sqlite", dbtest.SQLiteDSN(backup))
			require.NoError(t, err)
			t.Cleanup(func() { copyDB.Close() })
			return func(t *testing.T, table string) []string { return docs(t, copyDB, table, "cust-1") }
		})
	})
	t.Run("postgres", func(t *testing.T) {
		data, _ := dbtest.Postgres(t)
		runEndToEnd(t, newE2E(t, data, data), func(t *testing.T) func(t *testing.T, table string) []string {
			// What a backup would hold: the rows as stored before the erasure.
			saved := map[string][]string{}
			for _, table := range []string{"app_crm", "app_shop"} {
				saved[table] = docs(t, data, table, "cust-1")
			}
			return func(_ *testing.T, table string) []string { return saved[table] }
		})
	})
}

func runEndToEnd(t *testing.T, x *e2e, backup func(t *testing.T) func(t *testing.T, table string) []string) {
	ctx := context.Background()
	x.seed(t)

	// Access: every personal value once, with its category.
	a := x.export(t, "cust-1")
	var got []labelled
	for _, p := range []string{"crm/customer.json", "shop/order.json"} {
		for _, rec := range a.json(t, p).Records {
			labels(rec, &got)
		}
	}
	var personal []labelled
	for _, l := range got {
		if l.category != string(pii.UniqueID) {
			personal = append(personal, l)
		}
	}
	assert.ElementsMatch(t, plaintexts, personal, "every personal value exactly once, opened, with its category")
	for _, f := range a.manifest.Files {
		sum := sha256.Sum256(a.files[f.Path])
		assert.Equal(t, hex.EncodeToString(sum[:]), f.SHA256, "%s: the manifest's hash matches", f.Path)
		assert.EqualValues(t, len(a.files[f.Path]), f.Size)
		assertNotIn(t, a.files[f.Path], "gk1.", "%s: no ciphertext left sealed", f.Path)
		assertNotIn(t, a.files[f.Path], "bob@example.org", "%s: no other subject's data", f.Path)
	}
	assertAgree(t, a, "crm/customer")
	assertAgree(t, a, "shop/order")

	readBackup := backup(t)

	// Erasure, with a source that fails twice first.
	d, err := x.guard.Allow(ctx, "cust-1", "newsletter")
	require.NoError(t, err)
	require.True(t, d.Allowed, "consent holds before the erasure")
	x.shop.failErase = 2
	r, err := x.rights.Receive(ctx, rights.Request{Right: rights.RightErasure, Subject: "cust-1"})
	require.NoError(t, err)
	x.clock.Advance(time.Hour)
	cert, err := x.rights.Erase(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"app", "consent"}, cert.Shredded())
	assert.Equal(t, 1, cert.Withdrawn(), "the newsletter consent")
	assert.Equal(t, []string{"failed attempt-1", "failed attempt-2", "done attempt-3"}, sourceTries(t, x.journal, "shop"), "the journal shows the retries")
	assert.Equal(t, []int{2, 3}, x.tries)
	require.NoError(t, x.journal.Verify(ctx))
	require.NoError(t, x.journal.VerifyHead(ctx, cert.Journal))

	// Nothing left in the sources.
	for _, table := range []string{"app_crm", "app_shop"} {
		assert.Empty(t, docs(t, x.data, table, "cust-1"), "%s holds nothing of the subject", table)
	}
	after := x.export(t, "cust-1")
	for _, f := range after.manifest.Files {
		assert.Empty(t, f.Source, "an export after the erasure has no data files: %s", f.Path)
	}
	assert.Contains(t, string(after.files[rights.ReadmeName]), "No personal data about you was found.")

	// Nothing readable from the copy taken before.
	for _, tc := range []struct {
		table string
		blank func() any
	}{{"app_crm", func() any { return new(Customer) }}, {"app_shop", func() any { return new(Order) }}} {
		stored := readBackup(t, tc.table)
		require.NotEmpty(t, stored, "the backup still holds %s's rows", tc.table)
		for _, doc := range stored {
			rec := tc.blank()
			require.NoError(t, json.Unmarshal([]byte(doc), rec))
			err := x.app.Open(ctx, rec)
			assert.ErrorIs(t, err, shred.ErrErased, "%s: the sealed values cannot be opened", tc.table)
			opened, _ := json.Marshal(rec)
			for _, p := range plaintexts {
				assertNotIn(t, opened, p.value, "%s: nothing readable after the erasure", tc.table)
			}
		}
	}
	var c Customer
	require.NoError(t, json.Unmarshal([]byte(readBackup(t, "app_crm")[0]), &c))
	_ = x.app.Open(ctx, &c)
	assert.Equal(t, "Former customer", c.Name, "an erased field shows its replace= text")

	// The consent proof's details are shredded; the fact of consent stays,
	// withdrawn by the erasure, and the Guard denies the purpose.
	history, err := x.ledger.History(ctx, "cust-1", "newsletter")
	require.NoError(t, err)
	require.Len(t, history, 2)
	assert.Equal(t, consent.Grant, history[0].Kind)
	assert.True(t, history[0].Proof.Erased)
	assert.Empty(t, history[0].Proof.IP)
	assert.Empty(t, history[0].Proof.UserAgent)
	assert.Equal(t, consent.Withdrawal, history[1].Kind)
	assert.Equal(t, consent.MethodSystem, history[1].Method)
	assert.Equal(t, rights.ConsentSource, history[1].Source)
	_, err = x.guard.Allow(ctx, "cust-1", "newsletter")
	assert.ErrorIs(t, err, gdpr.ErrNoConsent)

	// Another subject is untouched.
	bob := x.export(t, "cust-2")
	var bobs []labelled
	for _, rec := range bob.json(t, "crm/customer.json").Records {
		labels(rec, &bobs)
	}
	assert.Contains(t, bobs, labelled{"bob@example.org", string(pii.Email)})

	stored, err := x.rights.Request(ctx, r.ID)
	require.NoError(t, err)
	assert.Empty(t, stored.Subject, "the request store forgets the subject")
}

func copyFile(t *testing.T, from, to string) {
	in, err := os.Open(from)
	require.NoError(t, err)
	defer in.Close()
	out, err := os.Create(to)
	require.NoError(t, err)
	_, err = io.Copy(out, in)
	require.NoError(t, err)
	require.NoError(t, out.Close())
}
