package rights_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/pii"
)

func ada() *Customer {
	return &Customer{ID: "cust-1", Name: "Ada Lovelace", Email: "ada@example.org", Phone: "+44 20 7946 0018",
		Address: &Address{Street: "12 St James's Square", City: "London"}, Score: "A+", Plan: "gold",
		Since: time.Date(2024, 5, 1, 8, 30, 0, 0, time.UTC)}
}

func exportFixture(t *testing.T) (*rightsFixture, *memSource, *memSource) {
	crm := newMemSource("crm", "account", "scoring")
	shop := newMemSource("shop", "orders", "fraud")
	crm.add("cust-1", ada())
	crm.add("cust-2", &Customer{ID: "cust-2", Name: "Bob", Email: "bob@example.org"})
	shop.add("cust-1",
		Order{Number: "o-1", Customer: "cust-1", Shipping: "12 St James's Square, London", IP: "192.0.2.7", Items: []string{"tea", "cups"}, Total: 4200},
		&Order{Number: "o-2", Customer: "cust-1", Shipping: "Ockham Park", IP: "2001:db8::7", Total: 990},
	)
	shop.info.Description = "collected when you order"
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{crm, shop} })
	return f, crm, shop
}

func TestExportAccess(t *testing.T) {
	ctx := context.Background()
	f, _, _ := exportFixture(t)
	r := f.receive(t, rights.Request{Right: rights.RightAccess, Subject: "cust-1", Language: "de-AT"})
	var buf bytes.Buffer
	m, err := f.rights.Export(ctx, r.ID, &buf)
	require.NoError(t, err)
	a := readArchive(t, buf.Bytes())
	assert.Equal(t, m.Files, a.manifest.Files, "the returned manifest is the archive's")

	paths := make([]string, 0, len(a.manifest.Files))
	for _, file := range a.manifest.Files {
		paths = append(paths, file.Path)
		content, ok := a.files[file.Path]
		require.True(t, ok, "%s listed but missing", file.Path)
		sum := sha256.Sum256(content)
		assert.Equal(t, hex.EncodeToString(sum[:]), file.SHA256, "%s: SHA-256", file.Path)
		assert.EqualValues(t, len(content), file.Size, "%s: size", file.Path)
	}
	assert.Equal(t, []string{"crm/customer.json", "crm/customer.csv", "shop/order.json", "shop/order.csv", rights.ReadmeName}, paths)
	assert.Equal(t, append(paths, rights.ManifestName), a.order, "the manifest comes last")

	var got []labelled
	for _, p := range []string{"crm/customer.json", "shop/order.json"} {
		d := a.json(t, p)
		for _, rec := range d.Records {
			labels(rec, &got)
		}
	}
	want := []labelled{
		{"cust-1", string(pii.UniqueID)}, {"Ada Lovelace", string(pii.Name)}, {"ada@example.org", string(pii.Email)},
		{"+44 20 7946 0018", string(pii.Phone)}, {"12 St James's Square", string(pii.Address)}, {"London", string(pii.City)},
		{"A+", string(pii.Observational)},
		{"cust-1", string(pii.UniqueID)}, {"12 St James's Square, London", string(pii.Address)}, {"192.0.2.7", string(pii.IPAddress)},
		{"cust-1", string(pii.UniqueID)}, {"Ockham Park", string(pii.Address)}, {"2001:db8::7", string(pii.IPAddress)},
	}
	assert.ElementsMatch(t, want, got)
	assertAgree(t, a, "crm/customer")
	assertAgree(t, a, "shop/order")
	assert.NotContains(t, string(a.files["crm/customer.json"]), "bob", "another customer's record stays out")

	readme := string(a.files[rights.ReadmeName])
	assert.Contains(t, readme, "Kopie Ihrer personenbezogenen Daten")
	assert.Contains(t, readme, "shop/order.json: 2 Datensätze aus shop (collected when you order)")
	assert.Equal(t, "de", a.manifest.Language)

	p := a.manifest.Processing
	var ids []string
	for _, pu := range p.Purposes {
		ids = append(ids, pu.ID)
	}
	assert.Equal(t, []string{"account", "scoring", "orders", "fraud"}, ids)
	assert.Equal(t, []string{"scoring"}, p.AutomatedDecisions)
	require.Len(t, p.Recipients, 1)
	assert.Equal(t, gdpr.StandardClauses, p.Recipients[0].Safeguard)
	assert.Equal(t, "P10Y", p.Purposes[2].Retention)
	assert.Equal(t, "Art. 6(1)(f) legitimate interests", p.Purposes[3].BasisArticle)
	assert.Equal(t, "provided by you at sign-up", a.manifest.Sources[0].Description)
	assert.Equal(t, "DPO Office", a.manifest.DPO.Name)

	done, err := f.rights.Request(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, rights.RequestCompleted, done.State)
	st, ok := done.Source("shop")
	require.True(t, ok)
	assert.Equal(t, 2, st.Records)
	assert.Equal(t, rights.StepDone, st.State)
}

func TestExportCSVHoldsTheJSON(t *testing.T) {
	f, _, _ := exportFixture(t)
	r := f.receive(t, rights.Request{Right: rights.RightAccess, Subject: "cust-1"})
	var buf bytes.Buffer
	_, err := f.rights.Export(context.Background(), r.ID, &buf)
	require.NoError(t, err)
	a := readArchive(t, buf.Bytes())
	rows := a.csv(t, "crm/customer.csv")
	assert.Equal(t, []string{"id", "name", "email", "phone", "address.street", "address.city", "score", "plan", "Since"}, rows[0])
	assert.Equal(t, []string{"cust-1", "Ada Lovelace", "ada@example.org", "'+44 20 7946 0018", "12 St James's Square", "London", "A+", "gold", "2024-05-01T08:30:00Z"}, rows[1],
		"a phone number that starts like a formula is defused in the CSV")
	orders := a.csv(t, "shop/order.csv")
	assert.Equal(t, `["tea","cups"]`, orders[1][4])
	assert.Equal(t, "", orders[2][4], "a nil slice is null, an empty cell")
	assert.True(t, strings.HasPrefix(string(a.files["shop/order.json"]), `{"source":"shop","type":"order","records":[`))
}

func TestExportPortability(t *testing.T) {
	ctx := context.Background()
	crm := newMemSource("crm", "account")
	crm.add("cust-1", ada())
	fraud := newMemSource("risk", "fraud") // legitimate interests: not portable
	fraud.add("cust-1", &Order{Number: "o-9", Customer: "cust-1", IP: "192.0.2.99"})
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{crm, fraud} })
	r := f.receive(t, rights.Request{Right: rights.RightPortability, Subject: "cust-1", Language: "fr"})
	var buf bytes.Buffer
	m, err := f.rights.Export(ctx, r.ID, &buf)
	require.NoError(t, err)
	a := readArchive(t, buf.Bytes())

	rows := a.csv(t, "crm/customer.csv")
	assert.Equal(t, []string{"id", "name", "email", "phone", "address.street", "address.city"}, rows[0],
		"provided and observed personal data only: no derived score, no untagged plan or date")
	assertNotIn(t, a.files["crm/customer.json"], `"score"`, "a derived field is not portable")
	assert.NotContains(t, a.files, "risk/order.json", "a source on legitimate interests is not portable (Art. 20(1)(a))")
	require.Len(t, m.Sources, 2)
	assert.Equal(t, "not-portable", m.Sources[1].Skipped)
	assert.Contains(t, string(a.files[rights.ReadmeName]), "Vos données à caractère personnel dans un format portable")
	assert.Contains(t, string(a.files[rights.ReadmeName]), "(art. 20 du RGPD)")

	done, err := f.rights.Request(ctx, r.ID)
	require.NoError(t, err)
	st, _ := done.Source("risk")
	assert.Equal(t, rights.StepSkipped, st.State)
}

// TestExportWithholdsOtherPeoplesData: in a message between two people,
// the other party's name and ID stay out of the export (Art. 15(4)).
func TestExportWithholdsOtherPeoplesData(t *testing.T) {
	inbox := newMemSource("inbox", "account")
	inbox.add("ada", &Message{From: "charles", To: "ada", FromName: "Charles Babbage", ToName: "Ada Lovelace", Body: "Dear Ada"})
	inbox.add("ada", &Message{From: "ada", To: "charles", FromName: "Ada Lovelace", ToName: "Charles Babbage", Body: "Dear Charles"})
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{inbox} })
	r := f.receive(t, rights.Request{Right: rights.RightAccess, Subject: "ada"})
	var buf bytes.Buffer
	m, err := f.rights.Export(context.Background(), r.ID, &buf)
	require.NoError(t, err)
	a := readArchive(t, buf.Bytes())
	js := string(a.files["inbox/message.json"])
	assert.NotContains(t, js, "Charles Babbage")
	assert.NotContains(t, js, `"charles"`)
	assert.Contains(t, js, "Dear Charles", "the body belongs to the default group: the sender, here Ada")
	assert.NotContains(t, js, "Dear Ada", "Charles's message body is his")
	assert.Equal(t, 5, m.Files[0].Withheld, "Charles's ID, name and body in his message; his ID and name in Ada's")
	assert.Contains(t, string(a.files[rights.ReadmeName]), "5 values were left out because they concern other people")
	assertAgree(t, a, "inbox/message")
}

// TestExportRefusesAnotherSubjectsRecord: a faulty source that emits
// someone else's record fails the export instead of disclosing it.
func TestExportRefusesAnotherSubjectsRecord(t *testing.T) {
	crm := newMemSource("crm", "account")
	crm.add("cust-1", ada(), &Customer{ID: "cust-2", Name: "Bob", Email: "bob@example.org"})
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{crm} })
	r := f.receive(t, rights.Request{Right: rights.RightAccess, Subject: "cust-1"})
	var buf bytes.Buffer
	_, err := f.rights.Export(context.Background(), r.ID, &buf)
	var se *rights.SourceError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "crm", se.Source)
	assert.Contains(t, err.Error(), "not the data subject's")
	assert.NotContains(t, err.Error(), "bob")
	stored, err := f.rights.Request(context.Background(), r.ID)
	require.NoError(t, err)
	assert.Equal(t, rights.RequestInProgress, stored.State, "not completed")
	assert.Nil(t, stored.Lease)

	crm.records["cust-1"] = []any{"just a string"}
	_, err = f.rights.Export(context.Background(), r.ID, &buf)
	assert.ErrorContains(t, err, "record of type string: want a struct or a pointer to one")
}

func TestExportSourceFailureIsNamed(t *testing.T) {
	boom := errors.New("replica lag")
	src := &failingExport{memSource: newMemSource("crm", "account"), err: boom}
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{src} })
	r := f.receive(t, rights.Request{Right: rights.RightAccess, Subject: "cust-1"})
	_, err := f.rights.Export(context.Background(), r.ID, io.Discard)
	assert.ErrorIs(t, err, boom)
	assert.ErrorContains(t, err, `source "crm": export: replica lag`)
}

type failingExport struct {
	*memSource
	err error
}

func (s *failingExport) Export(context.Context, string, func(any) error) error { return s.err }

func TestExportLanguage(t *testing.T) {
	f := newRightsFixture(t, nil)
	for lang, title := range map[string]string{
		"":      "Copy of your personal data",
		"en-US": "Copy of your personal data",
		"de-CH": "Kopie Ihrer personenbezogenen Daten",
		"fr-CA": "Copie de vos données à caractère personnel",
		"es":    "Copy of your personal data",
		"gsw":   "Kopie Ihrer personenbezogenen Daten", // Swiss German falls back to German
	} {
		r := f.receive(t, rights.Request{Right: rights.RightAccess, Subject: "cust-1", Language: lang})
		var buf bytes.Buffer
		m, err := f.rights.Export(context.Background(), r.ID, &buf)
		require.NoError(t, err)
		a := readArchive(t, buf.Bytes())
		assert.True(t, strings.HasPrefix(string(a.files[rights.ReadmeName]), title+"\n"), "%q: %s", lang, a.files[rights.ReadmeName])
		assert.Contains(t, []string{"en", "de", "fr"}, m.Language)
	}
}

// Composite is a record with every kind of value the export writes.
type Composite struct {
	ID       string            `json:"id" pii:"subject"`
	Tags     []string          `json:"tags" pii:"content"`
	Photo    []byte            `json:"photo" pii:"biometric"`
	Visits   int64             `json:"visits"`
	Ratio    float64           `json:"ratio"`
	Inf      float64           `json:"inf"`
	Active   bool              `json:"active"`
	Nick     *string           `json:"nick" pii:"name"`
	Missing  *string           `json:"missing" pii:"name"`
	Prefs    map[string]int    `json:"prefs"`
	Contacts []Address         `json:"contacts"`
	Extra    any               `json:"extra"`
	Lang     language          `json:"lang"`
	Raw      rawJSON           `json:"raw"`
	Hidden   string            `json:"-"`
	Inner    `json:"inner"`    // embedded but named: nested
	Embedded                   // embedded: inlined
	Labels   map[string]string `json:"labels,omitempty" pii:"content"`
	private  string
}

type Inner struct {
	Note string `json:"note" pii:"content"`
}

type Embedded struct {
	Code string `json:"code"`
}

// language marshals as text.
type language struct{ tag string }

func (l language) MarshalText() ([]byte, error) { return []byte("lang:" + l.tag), nil }

// rawJSON marshals itself as JSON.
type rawJSON struct{ n int }

func (r rawJSON) MarshalJSON() ([]byte, error) {
	return []byte(`{"n": ` + strconv.Itoa(r.n) + `}`), nil
}

func TestExportWritesEveryKindOfValue(t *testing.T) {
	nick := "Ada \"the enchantress\"\n<of numbers>"
	rec := Composite{
		ID: "cust-1", Tags: []string{"a,b", "c"}, Photo: []byte{0x89, 'P', 'N', 'G'}, Visits: -7, Ratio: 0.25, Inf: math.Inf(1),
		Active: true, Nick: &nick, Prefs: map[string]int{"z": 1, "a": 2},
		Contacts: []Address{{Street: "1 Main St", City: "Bath"}}, Extra: map[string]any{"k": []int{1}},
		Lang: language{"de"}, Raw: rawJSON{3}, Hidden: "never", Inner: Inner{Note: "hi"}, Embedded: Embedded{Code: "X1"},
		private: "never",
	}
	src := newMemSource("misc", "account")
	src.add("cust-1", rec)
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{src} })
	r := f.receive(t, rights.Request{Right: rights.RightAccess, Subject: "cust-1"})
	var buf bytes.Buffer
	m, err := f.rights.Export(context.Background(), r.ID, &buf)
	require.NoError(t, err)
	a := readArchive(t, buf.Bytes())
	rows := a.csv(t, "misc/composite.csv")
	assert.Equal(t, []string{"id", "tags", "photo", "visits", "ratio", "inf", "active", "nick", "missing", "prefs",
		"contacts", "extra", "lang", "raw", "inner.note", "code", "labels"}, rows[0])
	assert.Equal(t, []string{"cust-1", `["a,b","c"]`, "iVBORw==", "-7", "0.25", "'+Inf", "true", nick, "",
		`{"a":2,"z":1}`,
		`[{"street":{"value":"1 Main St","category":"user.contact.address"},"city":{"value":"Bath","category":"user.contact.address.city"}}]`,
		`{"k":[1]}`, "lang:de", `{"n":3}`, "hi", "X1", ""}, rows[1])
	assertAgree(t, a, "misc/composite")
	js := string(a.files["misc/composite.json"])
	assert.NotContains(t, js, "never", "json:\"-\" and unexported fields stay out")
	assert.True(t, json.Valid(a.files["misc/composite.json"]))
	assert.Contains(t, js, `"missing":{"value":null,"category":"user.name"}`, "a nil personal field is null, still labelled")

	var cats []pii.Category
	for _, fl := range m.Files[0].Fields {
		cats = append(cats, fl.Category)
	}
	assert.Equal(t, []pii.Category{pii.UniqueID, pii.Content, pii.Biometric, "", "", "", "", pii.Name, pii.Name, "", "", "", "", "", pii.Content, "", pii.Content}, cats)
}

// TestExportOpensWithTheSourcesKeys: sealed fields are opened through the
// namespace's keys, also for records emitted as values; fields of an
// erased subject come out as the Opener leaves them.
func TestExportOpensWithTheSourcesKeys(t *testing.T) {
	keys := &upperKeys{}
	crm := newMemSource("crm", "account")
	crm.info.Namespace = "app"
	crm.add("cust-1", Customer{ID: "cust-1", Name: "sealed:ada"}) // a value, not a pointer
	crm.add("gone", &Customer{ID: "gone", Name: "sealed:x"})
	f := newRightsFixture(t, func(c *rights.DeskConfig) {
		c.Sources = []rights.Source{crm}
		c.Namespaces = []gdpr.Namespace{{Name: "app", Keys: keys}}
	})
	for subject, want := range map[string]string{"cust-1": "ADA", "gone": "Former customer"} {
		r := f.receive(t, rights.Request{Right: rights.RightAccess, Subject: subject})
		var buf bytes.Buffer
		_, err := f.rights.Export(context.Background(), r.ID, &buf)
		require.NoError(t, err, "an erased subject's fields are no failure")
		a := readArchive(t, buf.Bytes())
		assert.Equal(t, want, a.csv(t, "crm/customer.csv")[1][1])
	}
	keys.fail = errors.New("ciphertext altered")
	r := f.receive(t, rights.Request{Right: rights.RightAccess, Subject: "cust-1"})
	_, err := f.rights.Export(context.Background(), r.ID, io.Discard)
	assert.ErrorContains(t, err, `source "crm": open: ciphertext altered`, "any other failure to open fails the export")

	keys.fail, keys.opened = nil, nil
	crm.records["cust-1"] = []any{&Customer{ID: "cust-2", Name: "sealed:bob"}}
	r = f.receive(t, rights.Request{Right: rights.RightAccess, Subject: "cust-1"})
	_, err = f.rights.Export(context.Background(), r.ID, io.Discard)
	assert.ErrorContains(t, err, "not the data subject's")
	assert.Empty(t, keys.opened, "another subject's record is refused before anything is opened")
}

// upperKeys "opens" a name sealed as "sealed:x" by upper-casing it, and
// reports the subject "gone" as erased.
type upperKeys struct {
	keyEraser
	fail   error
	opened []string // the IDs of the records opened
}

type erasedErr struct{}

func (erasedErr) Error() string { return "erased" }
func (erasedErr) Erased() bool  { return true }

func (k *upperKeys) Open(_ context.Context, v any) error {
	if k.fail != nil {
		return k.fail
	}
	c := v.(*Customer)
	k.opened = append(k.opened, c.ID)
	if c.ID == "gone" {
		c.Name = "Former customer"
		return fmt.Errorf("field Name: %w", erasedErr{})
	}
	c.Name = strings.ToUpper(strings.TrimPrefix(c.Name, "sealed:"))
	return nil
}

// Node contains itself through an embedded pointer and a field.
type Node struct {
	*Node
	ID   string `json:"id" pii:"subject"`
	Name string `json:"name" pii:"name"`
	Next *Node  `json:"next"`
}

func TestExportRecursiveTypes(t *testing.T) {
	src := newMemSource("graph", "account")
	src.add("n-1", &Node{ID: "n-1", Name: "first", Next: &Node{ID: "n-1", Name: "second"}})
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{src} })
	r := f.receive(t, rights.Request{Right: rights.RightAccess, Subject: "n-1"})
	var buf bytes.Buffer
	_, err := f.rights.Export(context.Background(), r.ID, &buf)
	require.NoError(t, err)
	a := readArchive(t, buf.Bytes())
	rows := a.csv(t, "graph/node.csv")
	assert.Equal(t, []string{"Node", "id", "name", "next"}, rows[0], "a type within itself is written whole")
	assert.Contains(t, rows[1][3], `"name":{"value":"second","category":"user.name"}`)
	assertAgree(t, a, "graph/node")
}

// Untagged has no subject field.
type Untagged struct {
	Email string `pii:"email"`
}

func TestExportRefusesRecordsWithoutASubjectField(t *testing.T) {
	src := newMemSource("crm", "account")
	src.add("cust-1", Untagged{Email: "ada@example.org"})
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{src} })
	r := f.receive(t, rights.Request{Right: rights.RightAccess, Subject: "cust-1"})
	_, err := f.rights.Export(context.Background(), r.ID, io.Discard)
	assert.ErrorContains(t, err, `rights_test.Untagged record: the record type has no pii:"subject" field`)
}

// generated streams n records made on the fly, holding none.
type generated struct{ n int }

func (g generated) Describe() rights.SourceInfo {
	return rights.SourceInfo{Name: "clicks", Description: "observed when you browsed", Purposes: []string{"account"}}
}

func (g generated) Export(ctx context.Context, subject string, emit func(any) error) error {
	for i := range g.n {
		v := Visit{Customer: subject, Name: "Ada Lovelace", Email: "ada@example.org", City: "London",
			IP: "192.0.2." + strconv.Itoa(i%256), Page: "/p/" + strconv.Itoa(i), Seconds: i}
		if err := emit(&v); err != nil {
			return err
		}
	}
	return nil
}

func (generated) Erase(context.Context, string) error { return nil }

// countingWriter counts what passes through it.
type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// TestExportMemoryStaysFlat streams many records (a million with
// GDPRKIT_LONG=1) and checks that the heap does not grow with them: the
// export keeps no record in memory.
func TestExportMemoryStaysFlat(t *testing.T) {
	n := 50_000
	if os.Getenv("GDPRKIT_LONG") == "1" {
		n = 1_000_000
	}
	var peak uint64
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapAlloc)
	}
	src := &sampled{generated: generated{n: n}, every: n / 10, sample: sample}
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{src} })
	r := f.receive(t, rights.Request{Right: rights.RightAccess, Subject: "cust-1"})
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	var out countingWriter
	m, err := f.rights.Export(context.Background(), r.ID, &out)
	require.NoError(t, err)
	require.Equal(t, n, m.Files[0].Records)
	assert.Greater(t, m.Files[0].Size, int64(n*100), "the records were written")
	growth := int64(peak) - int64(base.HeapAlloc)
	t.Logf("%d records, %d bytes of JSON, archive %d bytes, heap growth at most %d KiB", n, m.Files[0].Size, out.n, growth>>10)
	assert.Less(t, growth, int64(16<<20), "the heap grows by %d bytes for %d records", growth, n)
}

// sampled calls sample every so many records.
type sampled struct {
	generated
	every  int
	sample func()
}

func (s *sampled) Export(ctx context.Context, subject string, emit func(any) error) error {
	i := 0
	return s.generated.Export(ctx, subject, func(r any) error {
		if i++; i%s.every == 0 {
			s.sample()
		}
		return emit(r)
	})
}

// ticking advances the clock a minute every 4096 records and, at the end,
// asks another instance to export the same request.
type ticking struct {
	generated
	clock *clock
	other func() error
	err   error
}

func (s *ticking) Export(ctx context.Context, subject string, emit func(any) error) error {
	i := 0
	if err := s.generated.Export(ctx, subject, func(r any) error {
		if i++; i%4096 == 0 {
			s.clock.Advance(time.Minute)
		}
		return emit(r)
	}); err != nil {
		return err
	}
	if other := s.other; other != nil {
		s.other = nil // once: the other instance's export, if it runs, streams without it
		s.err = other()
	}
	return nil
}

// TestExportRenewsItsLease: a long export keeps the request's lease, so no
// other instance takes the request over while it streams.
func TestExportRenewsItsLease(t *testing.T) {
	ctx := context.Background()
	store := rights.NewMemoryStore()
	clk := &clock{now: t0}
	src := &ticking{generated: generated{n: 5 * 4096}, clock: clk}
	edit := func(c *rights.DeskConfig) {
		c.Store, c.Sources, c.Now, c.Lease = store, []rights.Source{src}, clk.Now, 3*time.Minute
	}
	one, two := newRightsFixture(t, edit), newRightsFixture(t, edit)
	r := one.receive(t, rights.Request{Right: rights.RightAccess, Subject: "cust-1"})
	src.other = func() error { _, err := two.rights.Export(ctx, r.ID, io.Discard); return err }
	_, err := one.rights.Export(ctx, r.ID, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, 5*time.Minute, clk.Now().Sub(t0), "the export outlasted its first lease")
	assert.ErrorIs(t, src.err, rights.ErrRequestBusy, "the other instance found the lease renewed")
}

// slow is a source that lets the clock advance before its first record
// (idle), before each record (pause) and after its last, and then, once,
// asks another instance to export the same request.
type slow struct {
	name               string
	n                  int
	idle, pause, after time.Duration
	clock              *clock
	other              func() error
	err                error
}

func (s *slow) Describe() rights.SourceInfo {
	return rights.SourceInfo{Name: s.name, Description: "observed when you browsed", Purposes: []string{"account"}}
}

func (s *slow) Export(ctx context.Context, subject string, emit func(any) error) error {
	s.clock.Advance(s.idle)
	for i := range s.n {
		s.clock.Advance(s.pause)
		if err := emit(&Visit{Customer: subject, Page: "/p/" + strconv.Itoa(i), Seconds: i}); err != nil {
			return err
		}
	}
	s.clock.Advance(s.after)
	if other := s.other; other != nil {
		s.other = nil
		s.err = other()
	}
	return nil
}

func (*slow) Erase(context.Context, string) error { return nil }

// TestExportRenewsItsLeaseByTime: a source that streams a few records
// slowly, far fewer than any record count would notice, and sources that
// keep the export waiting before and after their records, do not lose the
// request's lease to another instance.
func TestExportRenewsItsLeaseByTime(t *testing.T) {
	const lease = 3 * time.Minute
	cases := map[string]func(c *clock) []*slow{
		"slow records": func(c *clock) []*slow {
			return []*slow{{name: "clicks", n: 6, pause: time.Minute, clock: c}}
		},
		"slow before and after the records": func(c *clock) []*slow {
			return []*slow{
				{name: "clicks", n: 1, after: 2 * time.Minute, clock: c},
				{name: "pages", n: 1, idle: 2*time.Minute + 30*time.Second, clock: c},
			}
		},
	}
	for name, sources := range cases {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			store := rights.NewMemoryStore()
			clk := &clock{now: t0}
			srcs := sources(clk)
			edit := func(c *rights.DeskConfig) {
				c.Store, c.Now, c.Lease = store, clk.Now, lease
				c.Sources = nil
				for _, s := range srcs {
					c.Sources = append(c.Sources, s)
				}
			}
			one, two := newRightsFixture(t, edit), newRightsFixture(t, edit)
			r := one.receive(t, rights.Request{Right: rights.RightAccess, Subject: "cust-1"})
			last := srcs[len(srcs)-1]
			last.other = func() error { _, err := two.rights.Export(ctx, r.ID, io.Discard); return err }
			_, err := one.rights.Export(ctx, r.ID, io.Discard)
			require.NoError(t, err)
			assert.Greater(t, clk.Now().Sub(t0), lease, "the export outlasted its first lease")
			assert.ErrorIs(t, last.err, rights.ErrRequestBusy, "the other instance found the lease renewed")
		})
	}
}
