package pii_test

import (
	"fmt"
	"log/slog"
	"os"

	"github.com/gdprkit/gdprkit/pii"
)

type Member struct {
	ID    string `pii:"subject" json:"id"`
	Name  string `pii:"name" json:"name"`
	Email string `pii:"email,redact=mask" json:"email"`
	Card  string `pii:"card,redact=last4" json:"card"`
	Plan  string `json:"plan"`
}

func ExampleRedact() {
	m := Member{ID: "m-7", Name: "Ada Lovelace", Email: "ada@example.org", Card: "4242424242424242", Plan: "gold"}
	fmt.Printf("%+v\n", pii.Redact(m))
	// Output: {ID:m-7 Name:[redacted:name] Email:***@example.org Card:****4242 Plan:gold}
}

func ExampleNewHandler() {
	opts := &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey {
			return slog.Attr{} // keep the example's output stable
		}
		return a
	}}
	log := slog.New(pii.NewHandler(slog.NewJSONHandler(os.Stdout, opts), nil))
	log.Info("signed up", "member", Member{ID: "m-7", Name: "Ada Lovelace", Email: "ada@example.org", Plan: "gold"})
	// Output: {"level":"INFO","msg":"signed up","member":{"id":"m-7","name":"[redacted:name]","email":"***@example.org","card":"","plan":"gold"}}
}

func ExampleMinimize() {
	m := Member{ID: "m-7", Name: "Ada Lovelace", Email: "ada@example.org", Card: "4242424242424242", Plan: "gold"}
	forNewsletter, _ := pii.Minimize(m, pii.Email)
	fmt.Printf("%+v\n", forNewsletter) //piicheck:ignore the example shows what Minimize keeps
	// Output: {ID:m-7 Name: Email:ada@example.org Card: Plan:gold}
}

func ExampleTokenizer() {
	key, _ := pii.NewTokenKey()
	tok, _ := pii.NewTokenizer(key)
	a := tok.Token(pii.Email, "Ada@Example.org")
	b := tok.Token(pii.Email, "ada@example.org")
	fmt.Println(a == b, len(a))
	// Output: true 22
}

func ExampleCheck() {
	type Bad struct {
		Mail string `pii:"emial"`
	}
	fmt.Println(pii.Check(Bad{}))
	// Output: pii: pii_test.Bad.Mail: tag "emial": unknown category "emial"
}
