package gdprkit_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // the embedded default database

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// A service opens the kit once at start-up, records a consent, asks the
// Guard, and erases a subject through the one erasure pipeline.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "gdprkit-example-")
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "app.db")+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	kek, err := shred.LocalKEK(filepath.Join(dir, "kek.json")) // a KMS AEAD in production
	if err != nil {
		panic(err)
	}

	kit, err := gdprkit.Open(ctx, db, gdprkit.Config{
		KEK: kek, KEKID: "dev-1",
		Controller: gdpr.Party{Name: "Example Shop GmbH", Contact: "privacy@shop.example"},
		Purposes: []gdpr.Purpose{{ID: "newsletter", Name: "Newsletter", Basis: gdpr.Consent, DirectMarketing: true,
			Categories: []pii.Category{pii.Email}, DataSubjects: []string{"customers"}, Retention: "P2Y"}},
		Notices: []consent.Notice{{Purpose: "newsletter", Version: "2026-01"}},
		Verifier: rights.VerifierFunc(func(ctx context.Context, r rights.Request) (bool, error) {
			return true, nil // the customer asked from a logged-in session
		}),
	})
	if err != nil {
		panic(err)
	}

	if _, err := kit.Ledger().Grant(ctx, consent.Act{Subject: "cus_1815", Purposes: []string{"newsletter"},
		Notice: "2026-01", Method: consent.MethodCheckbox, Source: "web/signup"}); err != nil {
		panic(err)
	}
	d, _ := kit.Guard().Allow(ctx, "cus_1815", "newsletter")
	fmt.Println("newsletter allowed:", d.Allowed)

	cert, err := kit.Erase(ctx, "cus_1815")
	if err != nil {
		panic(err)
	}
	_, err = kit.Guard().Allow(ctx, "cus_1815", "newsletter")
	fmt.Println("consents withdrawn by the erasure:", cert.Withdrawn())
	fmt.Println("newsletter denied after the erasure:", err != nil)
	fmt.Println("journal verifies:", kit.Journal().Verify(ctx) == nil)
	// Output:
	// newsletter allowed: true
	// consents withdrawn by the erasure: 1
	// newsletter denied after the erasure: true
	// journal verifies: true
}
