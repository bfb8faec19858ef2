package audit_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/pii"
)

// ExampleJournal records a content-free event and verifies the chain.
func ExampleJournal() {
	ctx := context.Background()
	key, _ := pii.NewTokenKey()
	tokens, _ := pii.NewTokenizer(key)
	journal, _ := audit.NewJournal(audit.JournalConfig{Store: audit.NewMemoryStore(), Tokenizer: tokens, Actor: "svc:shop"})

	e, err := journal.Record(ctx, audit.Event{
		Kind: "consent.withdrawn", Subject: "alice", Purpose: "newsletter", Outcome: audit.OutcomeDone,
	})
	fmt.Println(e.Seq, err, e.Subject == journal.Token("alice"), e.Subject != "alice")

	_, err = journal.Record(ctx, audit.Event{Kind: "note", Outcome: audit.OutcomeDone, Reasons: []string{"alice@example.com"}})
	fmt.Println(errors.Is(err, audit.ErrInvalidEvent))
	fmt.Println(journal.Verify(ctx))
	// Output:
	// 1 <nil> true true
	// true
	// <nil>
}
