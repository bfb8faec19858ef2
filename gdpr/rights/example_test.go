package rights_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/tink-crypto/tink-go/v2/aead"
	"github.com/tink-crypto/tink-go/v2/keyset"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// Member is the example's record: its personal fields are sealed at rest.
type Member struct {
	ID    string `json:"id" pii:"subject"`
	Name  string `json:"name" pii:"name,replace=Former member"`
	Email string `json:"email" pii:"email"`
	Plan  string `json:"plan"`
}

// members is an example Source: a table of sealed Member records.
type members struct {
	mu   sync.Mutex
	rows []Member
}

func (m *members) Describe() rights.SourceInfo {
	return rights.SourceInfo{Name: "members", Description: "provided by you when you joined",
		Purposes: []string{"membership"}, Namespace: "app"}
}

func (m *members) Export(_ context.Context, subject string, emit func(any) error) error {
	m.mu.Lock()
	rows := slices.Clone(m.rows)
	m.mu.Unlock()
	for _, r := range rows {
		if r.ID == subject {
			if err := emit(&r); err != nil {
				return err
			}
		}
	}
	return nil
}

func (m *members) Erase(_ context.Context, subject string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.rows = slices.DeleteFunc(m.rows, func(r Member) bool { return r.ID == subject })
	return nil
}

// Example_dataSubjectRequests answers an access request with an export,
// erases the subject, shows that a copy of the data taken before can no
// longer be read, and verifies the journal.
func Example_dataSubjectRequests() {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC) }

	// Keys: a Shredder seals the records under a key per member.
	kekHandle, _ := keyset.NewHandle(aead.AES256GCMKeyTemplate())
	kek, _ := aead.New(kekHandle) // a KMS key in production
	app, _ := shred.New(shred.ShredderConfig{Store: shred.NewMemoryStore(), KEK: kek, KEKID: "dev", Namespace: "app"})

	table := &members{}
	ada := Member{ID: "m-1", Name: "Ada Lovelace", Email: "ada@example.org", Plan: "gold"}
	_ = app.Seal(ctx, &ada)
	table.rows = append(table.rows, ada)
	backup := slices.Clone(table.rows) // a backup taken before the erasure

	register, _ := gdpr.NewRegister(gdpr.RegisterConfig{Controller: gdpr.Party{Name: "Example Club e.V.", Contact: "privacy@club.example"}},
		gdpr.Purpose{ID: "membership", Name: "Membership", Basis: gdpr.Contract,
			Categories: []pii.Category{pii.Name, pii.Email}, DataSubjects: []string{"members"}, Retention: "P3Y"})
	tokenKey, _ := pii.NewTokenKey()
	tokens, _ := pii.NewTokenizer(tokenKey)
	journal, _ := audit.NewJournal(audit.JournalConfig{Store: audit.NewMemoryStore(), Tokenizer: tokens, Now: now})
	desk, err := rights.NewDesk(rights.DeskConfig{
		Register: register,
		Store:    rights.NewMemoryStore(),
		Journal:  journal,
		Verifier: rights.VerifierFunc(func(ctx context.Context, r rights.Request) (bool, error) {
			return true, nil // the member asked from a logged-in session
		}),
		Sources:    []rights.Source{table},
		Namespaces: []gdpr.Namespace{{Name: "app", Keys: app}},
		Now:        now,
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	// Access (Art. 15): a ZIP archive, due one month after receipt.
	access, _ := desk.Receive(ctx, rights.Request{ID: "req-1", Right: rights.RightAccess, Subject: "m-1", Language: "de"})
	fmt.Println("due", access.Due.Format(time.DateOnly))
	var archive bytes.Buffer
	if _, err := desk.Export(ctx, access.ID, &archive); err != nil {
		fmt.Println(err)
		return
	}
	zr, _ := zip.NewReader(bytes.NewReader(archive.Bytes()), int64(archive.Len()))
	for _, f := range zr.File {
		fmt.Println(" ", f.Name)
	}

	// Erasure (Art. 17): keys shredded, sources asked, a certificate.
	erasure, _ := desk.Receive(ctx, rights.Request{ID: "req-2", Right: rights.RightErasure, Subject: "m-1"})
	cert, err := desk.Erase(ctx, erasure.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("shredded:", cert.Shredded(), "sources:", cert.Sources[0].Name, cert.Sources[0].State)
	fmt.Println("rows left:", len(table.rows))

	old := backup[0]
	err = app.Open(ctx, &old)
	fmt.Println("backup opens:", err == nil, "erased:", errors.Is(err, shred.ErrErased), "shows the replacement:", old.Name == "Former member")

	fmt.Println("journal intact:", journal.Verify(ctx) == nil, journal.VerifyHead(ctx, cert.Journal) == nil)
	// Output:
	// due 2025-04-10
	//   members/member.json
	//   members/member.csv
	//   README.txt
	//   manifest.json
	// shredded: [app] sources: members done
	// rows left: 0
	// backup opens: false erased: true shows the replacement: true
	// journal intact: true true
}

// ExampleDeadline_Due shows how months are counted: the same day number a
// month later, or that month's last day when it has none.
func ExampleDeadline_Due() {
	var d rights.Deadline // UTC; set Location to the controller's time zone
	for _, received := range []string{"2024-01-31", "2025-01-31", "2025-03-31", "2025-01-15"} {
		start, _ := time.Parse(time.DateOnly, received)
		fmt.Println(received, "->", d.Due(start, 0).Format(time.DateOnly), "extended by two months:", d.Due(start, 2).Format(time.DateOnly))
	}
	// Output:
	// 2024-01-31 -> 2024-02-29 extended by two months: 2024-04-29
	// 2025-01-31 -> 2025-02-28 extended by two months: 2025-04-28
	// 2025-03-31 -> 2025-04-30 extended by two months: 2025-06-30
	// 2025-01-15 -> 2025-02-15 extended by two months: 2025-04-15
}

// ExampleDesk_Verify shows a request waiting for the requester's
// identity: it is due one month after receipt all the same (Art. 12(3)),
// and identifying the requester does not move the limit.
func ExampleDesk_Verify() {
	ctx := context.Background()
	now := time.Date(2025, 1, 10, 9, 0, 0, 0, time.UTC)
	identified := false
	register, _ := gdpr.NewRegister(gdpr.RegisterConfig{Controller: gdpr.Party{Name: "Example Club e.V."}},
		gdpr.Purpose{ID: "membership", Name: "Membership", Basis: gdpr.Contract,
			Categories: []pii.Category{pii.Name}, DataSubjects: []string{"members"}, Retention: "P3Y"})
	tokenKey, _ := pii.NewTokenKey()
	tokens, _ := pii.NewTokenizer(tokenKey)
	journal, _ := audit.NewJournal(audit.JournalConfig{Store: audit.NewMemoryStore(), Tokenizer: tokens})
	desk, _ := rights.NewDesk(rights.DeskConfig{
		Register: register, Store: rights.NewMemoryStore(), Journal: journal,
		Verifier: rights.VerifierFunc(func(context.Context, rights.Request) (bool, error) { return identified, nil }),
		Now:      func() time.Time { return now },
	})

	r, _ := desk.Receive(ctx, rights.Request{ID: "req-1", Right: rights.RightAccess, Subject: "m-1"})
	fmt.Println(r.State, "due:", r.Due.Format(time.DateOnly))

	now = time.Date(2025, 1, 20, 14, 0, 0, 0, time.UTC) // the ID document arrives
	identified = true
	r, _ = desk.Verify(ctx, "req-1")
	fmt.Println(r.State, "due:", r.Due.Format(time.DateOnly))

	_, err := desk.Extend(ctx, "req-1", 3, "complex")
	fmt.Println(errors.Is(err, rights.ErrExtensionTooLong))
	r, _ = desk.Extend(ctx, "req-1", 2, "the request covers twelve systems")
	fmt.Println("extended to", r.Due.Format(time.DateOnly))
	// Output:
	// unverified due: 2025-02-10
	// open due: 2025-02-10
	// true
	// extended to 2025-04-10
}
