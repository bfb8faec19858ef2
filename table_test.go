package gdprkit_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// member has every kind of column a table maps: the subject, sealed
// strings and bytes (one behind a pointer), a unique and a lookup blind
// index, a plain personal field, a renamed column and an ordinary one.
type member struct {
	ID      string  `pii:"subject" db:"member_id"`
	Email   string  `pii:"email,replace=erased" db:"email,unique"`
	Name    *string `pii:"name,replace=Former member" db:",lookup"`
	Phone   []byte  `pii:"phone"`
	Country string  `pii:"country,plain"`
	Plan    string
	Notes   string `db:"-"`
}

const membersDDL = `CREATE TABLE members (
	member_id TEXT PRIMARY KEY, email TEXT, email_bidx TEXT UNIQUE, name TEXT, name_bidx TEXT,
	phone {{blob}}, country TEXT, plan TEXT)`

func newMembers(t *testing.T, db *sql.DB, keys *shred.Shredder, edit ...func(*gdprkit.TableConfig)) *gdprkit.Table[member] {
	t.Helper()
	blob := "BYTEA"
	if isSQLite(db) {
		blob = "BLOB"
	}
	_, err := db.Exec(strings.ReplaceAll(membersDDL, "{{blob}}", blob))
	require.NoError(t, err)
	cfg := gdprkit.TableConfig{Name: "members", Description: "given by you when you joined", Purposes: []string{"orders"}, Keys: keys}
	for _, e := range edit {
		e(&cfg)
	}
	table, err := gdprkit.NewTable[member](context.Background(), db, cfg)
	require.NoError(t, err)
	return table
}

func isSQLite(db *sql.DB) bool {
	var v string
	return db.QueryRow("SELECT sqlite_version()").Scan(&v) == nil
}

// newKeys returns a Shredder on db, for a table without a kit.
func newKeys(t testing.TB, db *sql.DB) *shred.Shredder {
	t.Helper()
	store, err := shred.NewSQLStore(context.Background(), db)
	require.NoError(t, err)
	kek, err := shred.LocalKEK(filepath.Join(t.TempDir(), "kek.json"))
	require.NoError(t, err)
	keys, err := shred.New(shred.ShredderConfig{Store: store, KEK: kek, KEKID: "dev-1", Namespace: "app"})
	require.NoError(t, err)
	return keys
}

func ptr[T any](v T) *T { return &v }

func TestTableSealsEveryWriteAndOpensEveryRead(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		members := newMembers(t, db, newKeys(t, db))
		ada := member{ID: "ada", Email: "Ada@Example.org", Name: ptr("Ada Lovelace"), Phone: []byte("+44 20 7946 0000"),
			Country: "GB", Plan: "gold", Notes: "not stored"}
		given := ada
		require.NoError(t, members.Insert(ctx, &ada))
		assert.Equal(t, given.Email, ada.Email, "the caller's value is left in clear")
		assert.Equal(t, "Ada Lovelace", *ada.Name, "a pointer's target is not sealed in place")
		assert.Equal(t, given.Phone, ada.Phone)

		// At rest: personal columns sealed, plain and ordinary ones as given.
		var email, name, country, plan string
		var phone []byte
		require.NoError(t, db.QueryRow("SELECT email, name, phone, country, plan FROM members").Scan(&email, &name, &phone, &country, &plan))
		assert.True(t, shred.IsSealed(email), "email sealed")
		assert.True(t, shred.IsSealed(name), "name sealed")
		assert.True(t, shred.IsSealed(string(phone)), "phone sealed")
		assert.Equal(t, "GB", country, "plain fields are stored as given")
		assert.Equal(t, "gold", plan)

		got, err := members.Get(ctx, "ada")
		require.NoError(t, err)
		given.Notes = ""
		assert.Equal(t, given, got)

		// Lookups by blind index, normalised as e-mail addresses are.
		found, err := members.Lookup(ctx, "Email", "ada@example.ORG")
		require.NoError(t, err)
		require.Len(t, found, 1)
		assert.Equal(t, "ada", found[0].ID)
		found, err = members.Lookup(ctx, "Name", "Ada Lovelace")
		require.NoError(t, err)
		assert.Len(t, found, 1)
		_, err = members.Lookup(ctx, "Country", "GB")
		assert.ErrorIs(t, err, gdprkit.ErrInvalidTable, "no blind index for the field")

		// The unique blind index is the database's constraint; in the
		// caller's transaction a duplicate insert does not abort it.
		tx, err := db.BeginTx(ctx, nil)
		require.NoError(t, err)
		txctx, err := gdprkit.WithTx(ctx, db, tx)
		require.NoError(t, err)
		err = members.Insert(txctx, &member{ID: "eve", Email: "ada@example.org"})
		assert.ErrorIs(t, err, gdprkit.ErrDuplicate)
		require.NoError(t, members.Insert(txctx, &member{ID: "bob", Email: "bob@example.org"}), "the transaction goes on")
		err = members.Update(txctx, &member{ID: "bob", Email: "ada@example.org"}, "Email")
		assert.ErrorIs(t, err, gdprkit.ErrDuplicate)
		require.NoError(t, members.Update(txctx, &member{ID: "bob", Email: "bob@example.net"}, "Email"), "the transaction goes on")
		require.NoError(t, tx.Commit())
		found, err = members.Lookup(ctx, "Email", "bob@example.net")
		require.NoError(t, err)
		require.Len(t, found, 1)
		err = members.Insert(ctx, &member{ID: "ada", Email: "other@example.org"})
		assert.ErrorIs(t, err, gdprkit.ErrDuplicate, "same key")

		// Update writes the named fields, sealed, with their blind index.
		got.Email, got.Plan = "ada@lovelace.example", "silver"
		require.NoError(t, members.Update(ctx, &got, "Email"))
		found, err = members.Lookup(ctx, "Email", "ada@lovelace.example")
		require.NoError(t, err)
		require.Len(t, found, 1)
		assert.Equal(t, "gold", found[0].Plan, "only the named fields")
		found, err = members.Lookup(ctx, "Email", "ada@example.org")
		require.NoError(t, err)
		assert.Empty(t, found, "the old blind index is gone")
		err = members.Update(ctx, &member{ID: "nobody", Email: "x@example.org"})
		assert.ErrorIs(t, err, gdprkit.ErrNotFound)
		err = members.Update(ctx, &member{ID: "bob", Email: "ada@lovelace.example"}, "Email")
		assert.ErrorIs(t, err, gdprkit.ErrDuplicate)

		// Queries of one's own.
		rows, err := members.Select(ctx, "plan = ?", "gold")
		require.NoError(t, err)
		require.Len(t, rows, 1)
		assert.Equal(t, "ada@lovelace.example", rows[0].Email)
		q, err := db.QueryContext(ctx, "SELECT "+members.Columns()+" FROM members ORDER BY member_id")
		require.NoError(t, err)
		defer q.Close()
		require.True(t, q.Next())
		first, err := members.Scan(ctx, q)
		require.NoError(t, err)
		assert.Equal(t, "Ada Lovelace", *first.Name)

		_, err = members.Get(ctx, "nobody")
		assert.ErrorIs(t, err, gdprkit.ErrNotFound)
		assert.ErrorIs(t, err, sql.ErrNoRows)
	})
}

func TestTableIsARequestSource(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		keys := newKeys(t, db)
		for _, keep := range []bool{false, true} {
			name := map[bool]string{false: "delete", true: "keep"}[keep]
			t.Run(name, func(t *testing.T) {
				_, err := db.Exec("DROP TABLE IF EXISTS members")
				require.NoError(t, err)
				members := newMembers(t, db, keys, func(c *gdprkit.TableConfig) { c.KeepRows = keep })
				ada := member{ID: "ada-" + name, Email: "ada@example.org", Name: ptr("Ada"), Phone: []byte("+44 1"), Country: "GB", Plan: "gold"}
				require.NoError(t, members.Insert(ctx, &ada))

				// Rectification (Art. 16) corrects the fields of a category.
				require.NoError(t, members.Rectify(ctx, ada.ID, []rights.Correction{{Category: pii.Name, Value: "Ada King"}, {Category: pii.Email, Value: "ada@king.example"}}))
				found, err := members.Lookup(ctx, "Email", "ada@king.example")
				require.NoError(t, err)
				require.Len(t, found, 1)
				assert.Equal(t, "Ada King", *found[0].Name)
				assert.Equal(t, []byte("+44 1"), found[0].Phone, "other categories are left alone")
				assert.Equal(t, rights.SourceInfo{Name: "members", Description: "given by you when you joined", Purposes: []string{"orders"}, Namespace: "app"}, members.Describe())

				var before, after int
				require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM gdprkit_shred_keys").Scan(&before))
				require.NoError(t, members.Rectify(ctx, "nobody", []rights.Correction{{Category: pii.Email, Value: "x@example.org"}}))
				require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM gdprkit_shred_keys").Scan(&after))
				assert.Equal(t, before, after, "no key for a subject without rows")
				var exported []member
				require.NoError(t, members.Export(ctx, ada.ID, func(r any) error { exported = append(exported, *r.(*member)); return nil }))
				require.Len(t, exported, 1)
				assert.Equal(t, "ada@king.example", exported[0].Email)

				require.NoError(t, keys.Erase(ctx, ada.ID))
				require.NoError(t, members.Erase(ctx, ada.ID))
				require.NoError(t, members.Erase(ctx, ada.ID), "idempotent")
				var n int
				require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM members WHERE email_bidx IS NOT NULL OR name_bidx IS NOT NULL").Scan(&n))
				assert.Zero(t, n, "no blind index is left")
				if !keep {
					_, err := members.Get(ctx, ada.ID)
					assert.ErrorIs(t, err, gdprkit.ErrNotFound)
					return
				}
				got, err := members.Get(ctx, ada.ID)
				require.NoError(t, err, "the kept row holds no sealed text")
				assert.Equal(t, "erased", got.Email)
				assert.Equal(t, "Former member", *got.Name)
				assert.Empty(t, got.Phone)
				assert.Empty(t, got.Country, "plain personal fields are overwritten too")
				assert.Equal(t, "gold", got.Plan, "other columns are kept")
			})
		}
	})
}

func TestNewTableNamesTheTypeAndField(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	ctx := context.Background()
	_, err := db.Exec("CREATE TABLE t (id TEXT, email TEXT, email_bidx TEXT, age INTEGER)")
	require.NoError(t, err)
	type noSubject struct {
		Email string `pii:"email"`
	}
	type badTag struct {
		ID    string `pii:"subject"`
		Email string `pii:"emial"`
	}
	type missing struct {
		ID   string `pii:"subject"`
		Name string `pii:"name"`
	}
	type missingIndex struct {
		ID  string `pii:"subject"`
		Age string `pii:"age_range" db:"age,lookup"`
	}
	type badOption struct {
		ID    string `pii:"subject"`
		Email string `pii:"email" db:"email,uniq"`
	}
	type lookupPlainField struct {
		ID  string `pii:"subject"`
		Age int    `db:"age,lookup"`
	}
	type unsealable struct {
		ID  string `pii:"subject"`
		Age int    `pii:"age_range" db:"age"`
	}
	type twoSubjects struct {
		ID    string `pii:"subject"`
		Other string `pii:"subject,group=other" db:"email"`
	}
	type nested struct {
		ID    string             `pii:"subject"`
		Inner struct{ A string } `db:"email"`
	}
	check := func(err error, want ...string) {
		t.Helper()
		require.Error(t, err)
		assert.ErrorIs(t, err, gdprkit.ErrInvalidTable)
		for _, w := range want {
			assert.Contains(t, err.Error(), w)
		}
	}
	_, err = gdprkit.NewTable[noSubject](ctx, db, gdprkit.TableConfig{Name: "t"})
	check(err, "noSubject", "subject")
	_, err = gdprkit.NewTable[badTag](ctx, db, gdprkit.TableConfig{Name: "t"})
	check(err, "badTag", "Email", "emial")
	assert.ErrorIs(t, err, pii.ErrInvalidTag)
	_, err = gdprkit.NewTable[missing](ctx, db, gdprkit.TableConfig{Name: "t"})
	check(err, "missing", "field Name", "no column name")
	_, err = gdprkit.NewTable[missingIndex](ctx, db, gdprkit.TableConfig{Name: "t"})
	check(err, "missingIndex", "field Age", "age_bidx")
	_, err = gdprkit.NewTable[badOption](ctx, db, gdprkit.TableConfig{Name: "t"})
	check(err, "badOption", "field Email", "uniq")
	_, err = gdprkit.NewTable[lookupPlainField](ctx, db, gdprkit.TableConfig{Name: "t"})
	check(err, "lookupPlainField", "field Age", "personal")
	_, err = gdprkit.NewTable[unsealable](ctx, db, gdprkit.TableConfig{Name: "t"})
	check(err, "unsealable", "field Age", "sealed")
	_, err = gdprkit.NewTable[twoSubjects](ctx, db, gdprkit.TableConfig{Name: "t"})
	check(err, "twoSubjects", "field Other", "group=other")
	_, err = gdprkit.NewTable[nested](ctx, db, gdprkit.TableConfig{Name: "t"})
	check(err, "nested", "field Inner")
	_, err = gdprkit.NewTable[missing](ctx, db, gdprkit.TableConfig{Name: "t; DROP TABLE t"})
	check(err, "Name")
	_, err = gdprkit.NewTable[missing](ctx, db, gdprkit.TableConfig{Name: "t", Key: "Nope"})
	check(err, "Key", "Nope")
	_, err = gdprkit.NewTable[missing](ctx, db, gdprkit.TableConfig{Name: "nowhere"})
	check(err, "nowhere")

	type unbound struct {
		ID string `pii:"subject"`
	}
	table, err := gdprkit.NewTable[unbound](ctx, db, gdprkit.TableConfig{Name: "t"})
	require.NoError(t, err)
	assert.ErrorIs(t, table.Insert(ctx, &unbound{ID: "a"}), gdprkit.ErrUnbound, "no keys, no writes")
}

// TestRolledBackSignupLeavesNothing: a signup written in the caller's
// transaction — the customer's row with its blind index, the key created
// for the new subject, the consent grant with its sealed proof and the
// journal entry — is gone entirely when the transaction rolls back, and
// all there when it commits.
func TestRolledBackSignupLeavesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		clk := newClock()
		kek := filepath.Join(t.TempDir(), "kek.json")
		kit, shop := openShop(t, db, kek, clk.Now)
		count := func(q interface {
			QueryRowContext(context.Context, string, ...any) *sql.Row
		}, query string) int {
			t.Helper()
			var n int
			require.NoError(t, q.QueryRowContext(ctx, query).Scan(&n))
			return n
		}
		tables := []string{
			"SELECT COUNT(*) FROM customers",
			"SELECT COUNT(*) FROM customers WHERE email_bidx IS NOT NULL",
			"SELECT COUNT(*) FROM gdprkit_shred_keys",
			"SELECT COUNT(*) FROM gdprkit_consent_events",
			"SELECT COUNT(*) FROM gdprkit_journal",
		}
		before := make([]int, len(tables))
		for i, q := range tables {
			before[i] = count(db, q)
		}

		signup := func(commit bool) {
			tx, err := db.BeginTx(ctx, nil)
			require.NoError(t, err)
			defer tx.Rollback()
			txctx, err := kit.WithTx(ctx, tx)
			require.NoError(t, err)
			require.NoError(t, shop.Insert(txctx, &customer{ID: "ada", Email: "ada@example.org", LastActive: clk.t.Unix()}))
			_, err = kit.Ledger().Grant(txctx, consent.Act{Subject: "ada", Purposes: []string{"newsletter"}, Notice: "2026-01",
				Method: consent.MethodCheckbox, Source: "web/signup", Proof: consent.Proof{IP: "192.0.2.1"}})
			require.NoError(t, err)
			for i, q := range tables {
				assert.Greater(t, count(tx, q), before[i], "written in the transaction: %s", q)
			}
			found, err := shop.Lookup(txctx, "Email", "ada@example.org")
			require.NoError(t, err)
			assert.Len(t, found, 1, "read in the transaction")
			if commit {
				require.NoError(t, tx.Commit())
			} else {
				require.NoError(t, tx.Rollback())
			}
		}

		signup(false)
		for i, q := range tables {
			assert.Equal(t, before[i], count(db, q), "rolled back: %s", q)
		}
		assert.False(t, shop.has(t, "ada"))
		history, err := kit.Ledger().History(ctx, "ada", "")
		require.NoError(t, err)
		assert.Empty(t, history)
		assert.Empty(t, journalKinds(t, kit.Journal(), kit.Journal().Token("ada")))
		require.NoError(t, kit.Journal().Verify(ctx))

		// The same signup, committed, is all there and reads back on
		// another instance: it was sealed under the stored key, not one of
		// the rolled-back attempt lingering in a cache.
		signup(true)
		other, otherShop := openShop(t, db, kek, clk.Now)
		got, err := otherShop.Get(ctx, "ada")
		require.NoError(t, err)
		assert.Equal(t, "ada@example.org", got.Email)
		status, err := other.Ledger().Status(ctx, "ada", "newsletter", clk.t)
		require.NoError(t, err)
		assert.True(t, status.Given())
		events, err := other.Ledger().History(ctx, "ada", "newsletter")
		require.NoError(t, err)
		require.Len(t, events, 1)
		assert.Equal(t, "192.0.2.1", events[0].Proof.IP, "the proof sealed in the transaction opens")
		assert.Equal(t, 1, journalKinds(t, kit.Journal(), kit.Journal().Token("ada"))[gdprkit.KindConsentGranted])
		require.NoError(t, kit.Journal().Verify(ctx))

		// A withdrawal rolled back with its transaction leaves the grant.
		tx, err := db.BeginTx(ctx, nil)
		require.NoError(t, err)
		txctx, err := kit.WithTx(ctx, tx)
		require.NoError(t, err)
		_, err = kit.Ledger().Withdraw(txctx, consent.Act{Subject: "ada", Purposes: []string{"newsletter"}, Method: consent.MethodEmail, Source: "mail/unsubscribe"})
		require.NoError(t, err)
		require.NoError(t, tx.Rollback())
		status, err = kit.Ledger().Status(ctx, "ada", "newsletter", clk.t)
		require.NoError(t, err)
		assert.True(t, status.Given(), "the withdrawal rolled back")
		assert.Zero(t, journalKinds(t, kit.Journal(), kit.Journal().Token("ada"))[gdprkit.KindConsentWithdrawn])
		require.NoError(t, kit.Journal().Verify(ctx))
	})
}

func TestWithTxRefusesAnotherDatabasesTransaction(t *testing.T) {
	a, _ := dbtest.SQLite(t)
	b, _ := dbtest.SQLite(t)
	tx, err := b.Begin()
	require.NoError(t, err)
	defer tx.Rollback()
	_, err = gdprkit.WithTx(context.Background(), a, tx)
	assert.ErrorIs(t, err, gdprkit.ErrForeignTx)
	_, err = gdprkit.WithTx(context.Background(), b, tx)
	assert.NoError(t, err)
}

// TestShopBackupShowsOnlySealedText: a copy of the shop's SQLite file taken
// before an erasure holds the customers' e-mail addresses only sealed, and
// reads as erased once the erasure has shredded the key.
func TestShopBackupShowsOnlySealedText(t *testing.T) {
	ctx := context.Background()
	db, path := dbtest.SQLite(t)
	clk := newClock()
	kit, shop := openShop(t, db, filepath.Join(t.TempDir(), "kek.json"), clk.Now)
	shop.add(t, "ada", "ada@example.org", clk.t)
	shop.add(t, "bob", "bob@example.org", clk.t)

	var busy, logged, moved int
	require.NoError(t, db.QueryRow("PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logged, &moved))
	require.Zero(t, busy, "checkpoint")
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	backup := filepath.Join(t.TempDir(), "backup.db")
	require.NoError(t, os.WriteFile(backup, raw, 0o600))
	for _, text := range []string{"ada@example.org", "bob@example.org", "frequent-buyer"} {
		assert.NotContains(t, string(raw), text, "the file holds personal data in clear")
	}

	_, err = kit.Erase(ctx, "bob")
	require.NoError(t, err)
	assert.False(t, shop.has(t, "bob"))

	old, err := sql.Open("sqlite", dbtest.SQLiteDSN(backup))
	require.NoError(t, err)
	defer old.Close()
	restored, err := gdprkit.NewTable[customer](ctx, old, gdprkit.TableConfig{Name: "customers", Keys: kit.Shredder("app")})
	require.NoError(t, err)
	var sealed string
	require.NoError(t, old.QueryRow("SELECT email FROM customers WHERE id = 'bob'").Scan(&sealed))
	assert.True(t, shred.IsSealed(sealed))
	got, err := restored.Get(ctx, "bob")
	assert.ErrorIs(t, err, shred.ErrErased, "the backup's copy reads as erased")
	assert.Equal(t, "erased", got.Email)
	got, err = restored.Get(ctx, "ada")
	require.NoError(t, err)
	assert.Equal(t, "ada@example.org", got.Email, "others still read")
}

// TestTableUniqueAcrossInstances: two instances signing up customers with
// one e-mail address at the same moment end with one row: the blind
// index's uniqueness is the database's.
func TestTableUniqueAcrossInstances(t *testing.T) {
	eachPair(t, func(t *testing.T, a, b *sql.DB) {
		ctx := context.Background()
		kek := filepath.Join(t.TempDir(), "kek.json")
		clk := newClock()
		_, one := openShop(t, a, kek, clk.Now)
		_, two := openShop(t, b, kek, clk.Now)
		const n = 8
		errs := make([]error, 2*n)
		var wg sync.WaitGroup
		for i := range 2 * n {
			shop := []customers{one, two}[i%2]
			wg.Go(func() {
				errs[i] = shop.Insert(ctx, &customer{ID: "c" + strconv.Itoa(i), Email: "Same@Example.org", LastActive: clk.t.Unix()})
			})
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			if err == nil {
				won++
			} else {
				assert.ErrorIs(t, err, gdprkit.ErrDuplicate)
			}
		}
		assert.Equal(t, 1, won)
		found, err := two.Lookup(ctx, "Email", "same@example.org")
		require.NoError(t, err)
		assert.Len(t, found, 1)
	})
}

// TestSignupWithASeparateKeyDatabase: with Config.KeyDB, the key of a new
// subject commits in the key database at once (it cannot join a
// transaction on another database); the rest of a rolled-back signup is
// gone, and the key seals nothing.
func TestSignupWithASeparateKeyDatabase(t *testing.T) {
	ctx := context.Background()
	db, _ := dbtest.SQLite(t)
	keyDB, _ := dbtest.SQLite(t)
	clk := newClock()
	kit, shop := openShop(t, db, filepath.Join(t.TempDir(), "kek.json"), clk.Now, func(c *gdprkit.Config) { c.KeyDB = keyDB })
	var keysBefore int
	require.NoError(t, keyDB.QueryRow("SELECT COUNT(*) FROM gdprkit_shred_keys").Scan(&keysBefore))

	tx, err := db.BeginTx(ctx, nil)
	require.NoError(t, err)
	txctx, err := kit.WithTx(ctx, tx)
	require.NoError(t, err)
	require.NoError(t, shop.Insert(txctx, &customer{ID: "ada", Email: "ada@example.org"}))
	require.NoError(t, tx.Rollback())

	assert.False(t, shop.has(t, "ada"))
	var keysAfter int
	require.NoError(t, keyDB.QueryRow("SELECT COUNT(*) FROM gdprkit_shred_keys").Scan(&keysAfter))
	assert.Equal(t, keysBefore+1, keysAfter, "the key committed in the key database")
	shop.add(t, "ada", "ada@example.org", clk.t)
	got, err := shop.Get(ctx, "ada")
	require.NoError(t, err)
	assert.Equal(t, "ada@example.org", got.Email, "a later signup uses that key")
}

func TestOpenBindsTables(t *testing.T) {
	ctx := context.Background()
	db, _ := dbtest.SQLite(t)
	clk := newClock()
	kek := filepath.Join(t.TempDir(), "kek.json")
	shop := newCustomers(t, db)
	assert.ErrorIs(t, shop.Insert(ctx, &customer{ID: "ada", Email: "ada@example.org"}), gdprkit.ErrUnbound, "no kit yet")
	_, err := gdprkit.Open(ctx, db, shopConfig(t, shop, kek, clk.Now))
	require.NoError(t, err)
	shop.add(t, "ada", "ada@example.org", clk.t)
	_, err = gdprkit.Open(ctx, db, shopConfig(t, shop, kek, clk.Now))
	require.NoError(t, err, "a kit opened again binds the table again")
	assert.True(t, shop.has(t, "ada"))

	other, _ := dbtest.SQLite(t)
	_, err = gdprkit.Open(ctx, other, shopConfig(t, shop, kek, clk.Now))
	assert.ErrorIs(t, err, gdprkit.ErrInvalidConfig, "a table on another database")

	billing, err := gdprkit.NewTable[customer](ctx, db, gdprkit.TableConfig{Name: "customers", Source: "billing",
		Description: "d", Purposes: []string{"orders"}, Namespace: "billing"})
	require.NoError(t, err)
	cfg := shopConfig(t, shop, kek, clk.Now)
	cfg.Sources = append(cfg.Sources, billing)
	_, err = gdprkit.Open(ctx, db, cfg)
	assert.ErrorIs(t, err, gdprkit.ErrInvalidConfig, "a namespace the kit has not")
	assert.ErrorContains(t, err, "billing")
}
