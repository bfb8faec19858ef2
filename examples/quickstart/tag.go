package main

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/gdprkit/gdprkit/pii"
)

// tagAndLog shows the tags at work: a checked schema, redacted logs and
// pseudonymous tokens.
func (t *tour) tagAndLog() error {
	heading("Tag a model: its schema is built and checked once")
	if err := pii.Check(Customer{}); err != nil {
		return err
	}
	schema, err := pii.SchemaFor[Customer]()
	if err != nil {
		return err
	}
	for _, f := range schema.Fields() {
		fmt.Printf("   %-6s subject=%-5v category=%s\n", f.Name, f.Subject(), f.Category())
	}

	heading("Log it: personal fields are redacted, free text too")
	noTime := &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}
	log := slog.New(pii.NewHandler(slog.NewJSONHandler(os.Stdout, noTime), nil)) // safe by default
	log.Info("customer signed up", "customer", ada())
	log.Warn("bounce from ada@example.org, retrying via +44 20 7946 0958")
	fmt.Printf("   fmt %%+v: %+v\n", pii.Redact(ada()))

	heading("Pseudonymise: equal e-mail addresses give equal tokens")
	tok := t.kit.Tokenizer() // the journal's key: kept in the key store, the same after a restart
	for _, email := range []string{"Ada@Example.org", "ada@example.org"} {
		fmt.Printf("   token(%q) = %s\n", email, tok.Token(pii.Email, email))
	}
	return nil
}
