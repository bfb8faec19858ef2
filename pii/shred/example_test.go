package shred_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tink-crypto/tink-go/v2/tink"
	_ "modernc.org/sqlite" // the SQLite driver, in the program, not the library

	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// Customer is a record with personal fields, tagged once.
type Customer struct {
	ID    string `pii:"subject" json:"id"`
	Name  string `pii:"name,replace=Former customer" json:"name"`
	Email string `pii:"email" json:"email"`
	Plan  string `json:"plan"`
}

// devKEK returns a development key-encryption key in a temporary file; in
// production it is a KMS AEAD (see LocalKEK).
func devKEK() (tink.AEAD, func()) {
	dir, err := os.MkdirTemp("", "shred-example")
	if err != nil {
		panic(err)
	}
	kek, err := shred.LocalKEK(filepath.Join(dir, "kek.bin"))
	if err != nil {
		panic(err)
	}
	return kek, func() { os.RemoveAll(dir) }
}

func Example() {
	ctx := context.Background()
	kek, cleanup := devKEK()
	defer cleanup()
	s, err := shred.New(shred.ShredderConfig{Store: shred.NewMemoryStore(), KEK: kek, Namespace: "shop"})
	if err != nil {
		fmt.Println(err)
		return
	}

	c := &Customer{ID: "c-42", Name: "Ada Lovelace", Email: "ada@example.org", Plan: "gold"}
	if err := s.Seal(ctx, c); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("sealed:", shred.IsSealed(c.Name), shred.IsSealed(c.Email), c.Plan)

	if err := s.Open(ctx, c); err != nil {
		fmt.Println(err)
		return
	}
	//piicheck:ignore the example shows the value opened again
	fmt.Println("opened:", c.Name, c.Email)

	// The right to erasure: destroy the key, and every stored copy is
	// unreadable.
	_ = s.Seal(ctx, c)
	stored := *c
	if err := s.Erase(ctx, "c-42"); err != nil {
		fmt.Println(err)
		return
	}
	err = s.Open(ctx, &stored)
	//piicheck:ignore the example shows what erasure leaves
	fmt.Println("erased:", errors.Is(err, shred.ErrErased), stored.Name, stored.Email == "")
	// Output:
	// sealed: true true gold
	// opened: Ada Lovelace ada@example.org
	// erased: true Former customer true
}

// Event payloads are sealed with Marshal, whatever their fields' types, and
// replays of erased subjects go on.
func ExampleShredder_Marshal() {
	ctx := context.Background()
	kek, cleanup := devKEK()
	defer cleanup()
	s, _ := shred.New(shred.ShredderConfig{Store: shred.NewMemoryStore(), KEK: kek})

	type Moved struct {
		Customer string  `pii:"subject" json:"customer"`
		To       Address `pii:"address" json:"to"`
		Floor    int     `pii:"address" json:"floor"`
	}
	data, err := s.Marshal(ctx, Moved{Customer: "c-7", To: Address{Street: "1 Main St", City: "Springfield"}, Floor: 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Contains(string(data), `"customer":"c-7"`), strings.Contains(string(data), "Main St"))

	var back Moved
	_ = s.Unmarshal(ctx, data, &back)
	//piicheck:ignore the example shows the value opened again
	fmt.Println(back.To.City, back.Floor)

	_ = s.Erase(ctx, "c-7")
	var replayed Moved
	err = s.Unmarshal(ctx, data, &replayed)
	//piicheck:ignore the example shows what an erased subject's event reads as
	fmt.Println(errors.Is(err, shred.ErrErased), replayed.Customer, replayed.Floor)
	// Output:
	// true false
	// Springfield 3
	// true c-7 0
}

// Keys kept in SQLite (PostgreSQL alike): the program opens the database
// with the driver of its choice.
func ExampleNewSQLStore() {
	ctx := context.Background()
	kek, cleanup := devKEK()
	defer cleanup()
	dir, _ := os.MkdirTemp("", "shred-sqlite")
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "keys.db")+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()

	store, err := shred.NewSQLStore(ctx, db)
	if err != nil {
		fmt.Println(err)
		return
	}
	s, _ := shred.New(shred.ShredderConfig{Store: store, KEK: kek, KEKID: "dev-1"})
	c := &Customer{ID: "c-1", Email: "grace@example.org"}
	_ = s.Seal(ctx, c)
	_ = s.Open(ctx, c)
	//piicheck:ignore the example shows the value opened again
	fmt.Println(c.Email)
	// Output: grace@example.org
}

// A blind index finds a record by a sealed value.
func ExampleShredder_BlindIndex() {
	ctx := context.Background()
	kek, cleanup := devKEK()
	defer cleanup()
	s, _ := shred.New(shred.ShredderConfig{Store: shred.NewMemoryStore(), KEK: kek})

	stored, _ := s.BlindIndex(ctx, pii.Email, "Ada@Example.org")
	sought, _ := s.BlindIndex(ctx, pii.Email, " ada@example.org")
	fmt.Println(stored == sought, len(stored))
	// Output: true 22
}

// Log the erasures apart from the key store; after restoring the key
// store from a backup, replay the journal.
func ExampleShredder_Replay() {
	ctx := context.Background()
	kek, cleanup := devKEK()
	defer cleanup()
	journal := shred.NewMemoryErasureLog() // in production: NewSQLErasureLog on another database
	live := shred.NewMemoryStore()
	s, _ := shred.New(shred.ShredderConfig{Store: live, KEK: kek, ErasureLog: journal})
	c := &Customer{ID: "c-9", Email: "c9@example.org"}
	_ = s.Seal(ctx, c)

	backup, _ := live.List(ctx, "", "", 100) // last night's backup
	_ = s.Erase(ctx, "c-9")                  // today's erasure request

	restored := shred.NewMemoryStore() // the disaster, and the restore
	for _, r := range backup {
		_ = restored.Create(ctx, r)
	}
	s2, _ := shred.New(shred.ShredderConfig{Store: restored, KEK: kek, ErasureLog: journal})
	n, _ := s2.Replay(ctx, journal)
	erased, _ := s2.Erased(ctx, "c-9")
	fmt.Println(n, erased)
	// Output: 1 true
}
