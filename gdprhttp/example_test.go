package gdprhttp_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdprhttp"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// A service mounts the privacy center under /privacy/ and wraps its routes
// with the middleware. The kit verifies the requests whose code was
// entered (gdprhttp.Verifier).
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "gdprhttp-example-")
	defer os.RemoveAll(dir)
	db, _ := sql.Open("sqlite", filepath.Join(dir, "app.db"))
	defer db.Close()
	kek, _ := shred.LocalKEK(filepath.Join(dir, "kek.json"))

	kit, err := gdprkit.Open(ctx, db, gdprkit.Config{
		KEK: kek, Controller: gdpr.Party{Name: "Example Shop", Contact: "privacy@shop.example"},
		Purposes: []gdpr.Purpose{{ID: "newsletter", Name: "Newsletter", Basis: gdpr.Consent, DirectMarketing: true,
			Categories: []pii.Category{pii.Email}, DataSubjects: []string{"customers"}, Retention: "P2Y"}},
		Notices:  []consent.Notice{{Purpose: "newsletter", Version: "1"}},
		Verifier: gdprhttp.Verifier(nil),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	privacy, err := gdprhttp.New(ctx, gdprhttp.Config{
		Kit:    kit,
		DB:     db,
		Sender: &gdprhttp.MemorySender{}, // production: a Sender that mails the code
		Lookup: func(ctx context.Context, address string) (string, error) {
			return "", nil // production: the customer with this address
		},
		Subject: func(r *http.Request) (string, error) {
			return "", nil // production: the customer of the session
		},
		GPCPurposes: []string{"newsletter"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer privacy.Close()

	mux := http.NewServeMux()
	mux.Handle("/privacy/", http.StripPrefix("/privacy", privacy))
	srv := privacy.Middleware(mux)

	r := httptest.NewRequest(http.MethodGet, "/privacy/", nil)
	r.Header.Set("Accept-Language", "fr-CH, de;q=0.5")
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, r)
	fmt.Println(w.Code, w.Header().Get("Content-Language"))
	// Output: 200 fr
}
