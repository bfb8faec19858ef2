// Command quickstart is the tour of gdprkit a newcomer runs first:
//
//	go run ./examples/quickstart
//
// It tags a model, logs it redacted and pseudonymises an e-mail address.
package main

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/gdprkit/gdprkit/pii"
)

// Customer is an application model marked with pii tags.
type Customer struct {
	ID      string `pii:"subject" json:"id"`
	Name    string `pii:"name,replace=Former customer" json:"name"`
	Email   string `pii:"email,redact=mask" json:"email"`
	Phone   string `pii:"phone,redact=last4" json:"phone"`
	Country string `json:"country"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run() error {
	step("1. Tag a model; its schema is checked once")
	if err := pii.Check(Customer{}); err != nil {
		return err
	}
	ada := Customer{ID: "cus_1815", Name: "Ada Lovelace", Email: "ada@example.org", Phone: "+44 20 7946 0958", Country: "GB"}
	schema, err := pii.SchemaFor[Customer]()
	if err != nil {
		return err
	}
	for _, f := range schema.Fields() {
		fmt.Printf("   %-6s subject=%-5v category=%s\n", f.Name, f.Subject(), f.Category())
	}

	step("2. Log it: the slog handler redacts personal fields")
	log := slog.New(pii.NewHandler(slog.NewJSONHandler(os.Stdout, nil), nil))
	log.Info("customer signed up", "customer", ada)
	fmt.Printf("   fmt: %+v\n", pii.Redact(ada))

	step("3. Pseudonymise: equal e-mail addresses give equal tokens")
	key, err := pii.NewTokenKey()
	if err != nil {
		return err
	}
	tok, err := pii.NewTokenizer(key)
	if err != nil {
		return err
	}
	fmt.Printf("   token(%q) = %s\n", "Ada@Example.org", tok.Token(pii.Email, "Ada@Example.org"))
	fmt.Printf("   token(%q) = %s\n", "ada@example.org", tok.Token(pii.Email, "ada@example.org"))
	return nil
}

func step(title string) { fmt.Printf("\n%s\n", title) }
