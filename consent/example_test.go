package consent_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/gdprkit/gdprkit/consent"
	"golang.org/x/text/language"
	_ "modernc.org/sqlite" // the SQLite driver, registered as "sqlite"
)

// A subject consents to a newsletter, then withdraws; the ledger answers for
// any instant.
func Example() {
	ctx := context.Background()
	now := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	ledger, err := consent.New(consent.LedgerConfig{Store: consent.NewMemoryStore(), Now: func() time.Time { return now }})
	if err != nil {
		log.Fatal(err)
	}

	_, err = ledger.Grant(ctx, consent.Act{
		Subject:  "user-42",
		Purposes: []string{"newsletter"},
		Notice:   "2025-03",
		Language: language.German,
		Method:   consent.MethodCheckbox,
		Source:   "web/signup",
		Proof:    consent.Proof{IP: "203.0.113.9", UserAgent: "Mozilla/5.0"},
	})
	if err != nil {
		log.Fatal(err)
	}

	now = now.Add(48 * time.Hour)
	_, err = ledger.Withdraw(ctx, consent.Act{Subject: "user-42", Purposes: []string{"newsletter"}})
	if err != nil {
		log.Fatal(err)
	}

	for _, at := range []time.Time{now.Add(-24 * time.Hour), now} {
		st, err := ledger.Status(ctx, "user-42", "newsletter", at)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %s since %s (event %d, notice %q)\n",
			at.Format(time.DateOnly), st.State, st.Since.Format(time.DateOnly), st.Seq, st.Notice)
	}
	// Output:
	// 2025-03-02: granted since 2025-03-01 (event 1, notice "2025-03")
	// 2025-03-03: withdrawn since 2025-03-03 (event 2, notice "")
}

// A material change of the notice makes earlier consent Outdated when it
// takes effect; the subject must be asked again.
func ExampleLedger_Publish() {
	ctx := context.Background()
	now := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	ledger, _ := consent.New(consent.LedgerConfig{Store: consent.NewMemoryStore(), Now: func() time.Time { return now }})

	_ = ledger.Publish(ctx, consent.Notice{Purpose: "analytics", Version: "v1"})
	_, _ = ledger.Grant(ctx, consent.Act{
		Subject: "user-42", Purposes: []string{"analytics"}, Notice: "v1", Method: consent.MethodBanner,
	})
	// A new recipient of the data: a material change, from 1 April.
	april := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	_ = ledger.Publish(ctx, consent.Notice{Purpose: "analytics", Version: "v2", Effective: april, Material: true})

	st, _ := ledger.Status(ctx, "user-42", "analytics", april.Add(time.Hour))
	fmt.Println(st.State, "- ask again under", st.SupersededBy)

	_, err := ledger.Grant(ctx, consent.Act{
		Subject: "user-42", Purposes: []string{"analytics"}, Notice: "v9", Method: consent.MethodBanner,
	})
	fmt.Println(errors.Is(err, consent.ErrUnknownNotice))
	// Output:
	// outdated - ask again under v2
	// true
}

// Consent lapses after the configured validity.
func ExampleLedgerConfig_validity() {
	ctx := context.Background()
	now := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	ledger, _ := consent.New(consent.LedgerConfig{
		Store:           consent.NewMemoryStore(),
		Now:             func() time.Time { return now },
		Validity:        365 * 24 * time.Hour,
		PurposeValidity: map[string]time.Duration{"cookies": 180 * 24 * time.Hour},
	})
	events, _ := ledger.Grant(ctx, consent.Act{
		Subject: "user-42", Purposes: []string{"cookies"}, Notice: "v1", Method: consent.MethodBanner,
	})
	fmt.Println("expires", events[0].Expires.Format(time.DateOnly))

	st, _ := ledger.Status(ctx, "user-42", "cookies", now.AddDate(0, 7, 0))
	fmt.Println(st.State, "since", st.Since.Format(time.DateOnly))
	// Output:
	// expires 2025-08-28
	// expired since 2025-08-28
}

// The ledger in SQLite; PostgreSQL works the same with the pgx driver.
func ExampleNewSQLStore() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "consent-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "app.db")+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	store, err := consent.NewSQLStore(ctx, db)
	if err != nil {
		log.Fatal(err)
	}
	ledger, _ := consent.New(consent.LedgerConfig{Store: store})
	events, err := ledger.Grant(ctx, consent.Act{
		Subject: "user-42", Purposes: []string{"newsletter", "offers"}, Notice: "v1", Method: consent.MethodForm,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(events), "events, numbered", events[0].Seq, "and", events[1].Seq)

	withdrawn, _ := ledger.WithdrawAll(ctx, consent.Act{Subject: "user-42", Method: consent.MethodGPC})
	fmt.Println(len(withdrawn), "withdrawn")
	// Output:
	// 2 events, numbered 1 and 2
	// 2 withdrawn
}

func ExampleAgeOfConsent() {
	for _, country := range []string{"DE", "FR", "AT", "IE", "BE", "US"} {
		if age, ok := consent.AgeOfConsent(country); ok {
			fmt.Println(country, age)
		} else {
			fmt.Println(country, "not under the GDPR's Art. 8")
		}
	}
	// Output:
	// DE 16
	// FR 15
	// AT 14
	// IE 16
	// BE 13
	// US not under the GDPR's Art. 8
}
