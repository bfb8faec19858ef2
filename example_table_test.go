package gdprkit_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// Account is a row of the accounts table: the e-mail address is sealed at
// rest, unique, and found by its blind index.
type Account struct {
	ID    string `pii:"subject"`
	Email string `pii:"email,replace=erased" db:"email,unique"`
	Plan  string
}

// A signup writes the account and its consent in the service's own
// transaction; a table is a request source once passed in Config.Sources.
func ExampleTable() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "gdprkit-example-")
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "app.db")+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE accounts (id TEXT PRIMARY KEY, email TEXT, email_bidx TEXT UNIQUE, plan TEXT)`); err != nil {
		panic(err)
	}
	accounts, err := gdprkit.NewTable[Account](ctx, db, gdprkit.TableConfig{
		Name: "accounts", Description: "provided by you when you signed up", Purposes: []string{"newsletter"},
	})
	if err != nil {
		panic(err)
	}
	kek, err := shred.LocalKEK(filepath.Join(dir, "kek.json"))
	if err != nil {
		panic(err)
	}
	kit, err := gdprkit.Open(ctx, db, gdprkit.Config{
		KEK: kek, KEKID: "dev-1",
		Controller: gdpr.Party{Name: "Example Shop GmbH", Contact: "privacy@shop.example"},
		Purposes: []gdpr.Purpose{{ID: "newsletter", Name: "Newsletter", Basis: gdpr.Consent, DirectMarketing: true,
			Categories: []pii.Category{pii.Email}, DataSubjects: []string{"customers"}, Retention: "P2Y"}},
		Notices:  []consent.Notice{{Purpose: "newsletter", Version: "2026-01"}},
		Sources:  []rights.Source{accounts},
		Verifier: rights.VerifierFunc(func(context.Context, rights.Request) (bool, error) { return true, nil }),
	})
	if err != nil {
		panic(err)
	}

	signup := func(id, email string) error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		txctx, err := kit.WithTx(ctx, tx)
		if err != nil {
			return err
		}
		if err := accounts.Insert(txctx, &Account{ID: id, Email: email, Plan: "free"}); err != nil {
			return err
		}
		if _, err := kit.Ledger().Grant(txctx, consent.Act{Subject: id, Purposes: []string{"newsletter"},
			Notice: "2026-01", Method: consent.MethodCheckbox, Source: "web/signup"}); err != nil {
			return err
		}
		return tx.Commit()
	}
	fmt.Println("signup:", signup("acc_1", "ada@example.org"))
	fmt.Println("same address taken:", errors.Is(signup("acc_2", "ADA@example.org"), gdprkit.ErrDuplicate))

	var stored string
	_ = db.QueryRow("SELECT email FROM accounts WHERE id = 'acc_1'").Scan(&stored)
	fmt.Println("sealed at rest:", shred.IsSealed(stored))
	found, _ := accounts.Lookup(ctx, "Email", "ada@example.org")
	fmt.Println("found by address:", found[0].ID, found[0].Email == "ada@example.org")

	if _, err := kit.Erase(ctx, "acc_1"); err != nil {
		panic(err)
	}
	_, err = accounts.Get(ctx, "acc_1")
	fmt.Println("erased:", errors.Is(err, gdprkit.ErrNotFound))
	// Output:
	// signup: <nil>
	// same address taken: true
	// sealed at rest: true
	// found by address: acc_1 true
	// erased: true
}
