package rights_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/piitest"
)

// Customer is a record of the "crm" test source.
type Customer struct {
	ID      string   `json:"id" pii:"subject"`
	Name    string   `json:"name" pii:"name,replace=Former customer"`
	Email   string   `json:"email" pii:"email"`
	Phone   string   `json:"phone" pii:"phone"`
	Address *Address `json:"address,omitempty"`
	Score   string   `json:"score" pii:"user.behavior,origin=derived"`
	Plan    string   `json:"plan"`
	Since   time.Time
}

// Address is nested in Customer.
type Address struct {
	Street string `json:"street" pii:"address"`
	City   string `json:"city" pii:"city"`
}

// Order is a record of the "shop" test source.
type Order struct {
	Number   string   `json:"number"`
	Customer string   `json:"customer" pii:"subject"`
	Shipping string   `json:"shipping" pii:"address"`
	IP       string   `json:"ip" pii:"ip,origin=observed"`
	Items    []string `json:"items"`
	Total    int      `json:"total_cents"`
}

// Message has two subjects: the sender and the recipient.
type Message struct {
	From     string `json:"from" pii:"subject"`
	To       string `json:"to" pii:"subject,group=to"`
	FromName string `json:"from_name" pii:"name"`
	ToName   string `json:"to_name" pii:"name,group=to"`
	Body     string `json:"body" pii:"content"`
}

// memSource is an in-memory Source with every optional interface, whose
// failures tests set.
type memSource struct {
	info rights.SourceInfo

	mu          sync.Mutex
	records     map[string][]any // by subject
	failErase   int              // fail this many Erase calls
	eraseErr    error
	erases      int
	corrections []rights.Correction
	restricted  map[string]bool
	objections  []string
	retain      *rights.Exemption
	block       chan struct{} // Erase waits on it when set
	entered     chan struct{} // Erase signals on it when set
}

func newMemSource(name string, purposes ...string) *memSource {
	return &memSource{
		info:       rights.SourceInfo{Name: name, Description: "provided by you at sign-up", Purposes: purposes},
		records:    map[string][]any{},
		restricted: map[string]bool{},
	}
}

func (s *memSource) add(subject string, recs ...any) {
	s.mu.Lock()
	s.records[subject] = append(s.records[subject], recs...)
	s.mu.Unlock()
}

func (s *memSource) Describe() rights.SourceInfo { return s.info }

func (s *memSource) Export(_ context.Context, subject string, emit func(any) error) error {
	s.mu.Lock()
	recs := slices.Clone(s.records[subject])
	s.mu.Unlock()
	for _, r := range recs {
		if err := emit(r); err != nil {
			return err
		}
	}
	return nil
}

func (s *memSource) Erase(ctx context.Context, subject string) error {
	if s.entered != nil {
		s.entered <- struct{}{}
	}
	if s.block != nil {
		select {
		case <-s.block:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.erases++
	if s.failErase > 0 {
		s.failErase--
		if s.eraseErr != nil {
			return s.eraseErr
		}
		return fmt.Errorf("connection to %s refused while deleting %s", "db.internal", subject)
	}
	delete(s.records, subject)
	return nil
}

func (s *memSource) Rectify(_ context.Context, subject string, cs []rights.Correction) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.corrections = append(s.corrections, cs...)
	return nil
}

func (s *memSource) Restrict(_ context.Context, subject string, restricted bool) error {
	s.mu.Lock()
	s.restricted[subject] = restricted
	s.mu.Unlock()
	return nil
}

func (s *memSource) Object(_ context.Context, subject, purpose string) error {
	s.mu.Lock()
	s.objections = append(s.objections, subject+"/"+purpose)
	s.mu.Unlock()
	return nil
}

func (s *memSource) Retain(context.Context, string) (rights.Exemption, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.retain == nil {
		return rights.Exemption{}, false, nil
	}
	return *s.retain, true, nil
}

// plainSource is a Source with none of the optional interfaces.
type plainSource struct{ m *memSource }

func (p plainSource) Describe() rights.SourceInfo { return p.m.Describe() }
func (p plainSource) Export(ctx context.Context, subject string, emit func(any) error) error {
	return p.m.Export(ctx, subject, emit)
}
func (p plainSource) Erase(ctx context.Context, subject string) error { return p.m.Erase(ctx, subject) }

// keyEraser is an in-memory namespace's Keys: it opens nothing and
// records whose keys it erased.
type keyEraser struct {
	ns     string
	mu     sync.Mutex
	erased []string
	fail   int
}

func (k *keyEraser) Open(context.Context, any) error { return nil }

func (k *keyEraser) Erase(_ context.Context, subject string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.fail > 0 {
		k.fail--
		return errors.New("key store unavailable")
	}
	k.erased = append(k.erased, subject)
	return nil
}

// rightsFixture is Rights over in-memory stores, with a clock tests move.
type rightsFixture struct {
	rights     *rights.Desk
	store      *rights.MemoryStore
	guardStore *gdpr.MemoryStore
	journal    *audit.Journal
	guard      *gdpr.Guard
	clock      *clock
	waits      []int // the attempts the backoff was asked to wait for
	mu         sync.Mutex
	verify     func(rights.Request) bool
}

// shopPurposes are the purposes of the rights tests.
func shopPurposes() []gdpr.Purpose {
	return []gdpr.Purpose{
		{ID: "account", Name: "Customer account", Basis: gdpr.Contract,
			Categories:   []pii.Category{pii.Name, pii.Email, pii.Phone, pii.Address, pii.Observational},
			DataSubjects: []string{"customers"}, Retention: "P3Y",
			Recipients: []gdpr.Recipient{{Name: "Mail Co.", Role: gdpr.Processor, Country: "US", Safeguard: gdpr.StandardClauses, Reference: "SCC-2021-M2", ImpactAssessed: true}}},
		{ID: "orders", Name: "Order handling", Basis: gdpr.Contract,
			Categories: []pii.Category{pii.Address, pii.IPAddress}, DataSubjects: []string{"customers"}, Retention: "P10Y"},
		{ID: "fraud", Name: "Fraud prevention", Basis: gdpr.LegitimateInterests, BalancingTest: "LIA-7",
			Categories: []pii.Category{pii.IPAddress}, DataSubjects: []string{"customers"}, Retention: "P90D",
			AutomatedDecisions: false},
		{ID: "newsletter", Name: "Newsletter", Basis: gdpr.Consent, DirectMarketing: true,
			Categories: []pii.Category{pii.Email}, DataSubjects: []string{"customers"}, Retention: "P2Y"},
		{ID: "scoring", Name: "Credit scoring", Basis: gdpr.Contract, AutomatedDecisions: true, Decision: gdpr.DecisionInfo{Logic: "payment history", Significance: "invoice or prepayment", Consequences: "prepayment only"},
			Categories: []pii.Category{pii.Observational}, DataSubjects: []string{"customers"}, Retention: "P1Y"},
		{ID: "archive", Name: "Bookkeeping", Basis: gdpr.LegalObligation, Storage: true,
			Categories: []pii.Category{pii.Name, pii.Billing}, DataSubjects: []string{"customers"}, Retention: "P10Y"},
	}
}

func newRightsFixture(t testing.TB, edit func(*rights.DeskConfig)) *rightsFixture {
	t.Helper()
	f := &rightsFixture{store: rights.NewMemoryStore(), guardStore: gdpr.NewMemoryStore(), clock: &clock{now: t0}}
	f.verify = func(rights.Request) bool { return true }
	var err error
	f.journal, err = audit.NewJournal(audit.JournalConfig{
		Store: audit.NewMemoryStore(), Tokenizer: newTokenizer(t), Actor: "svc:test", Now: f.clock.Now,
	})
	require.NoError(t, err)
	reg, err := gdpr.NewRegister(gdpr.RegisterConfig{
		Controller: gdpr.Party{Name: "Example Shop GmbH", Contact: "privacy@shop.example"},
		DPO:        gdpr.Party{Name: "DPO Office", Contact: "dpo@shop.example"},
		Now:        f.clock.Now,
	}, shopPurposes()...)
	require.NoError(t, err)
	f.guard, err = gdpr.NewGuard(gdpr.GuardConfig{
		Register: reg, Objections: f.guardStore, Restrictions: f.guardStore, Journal: f.journal, Now: f.clock.Now,
		Consent: newConsentMap(), Contract: func(context.Context, string, string) (bool, error) { return true, nil },
	})
	require.NoError(t, err)
	cfg := rights.DeskConfig{
		Register: reg, Store: f.store, Journal: f.journal, Guard: f.guard,
		Verifier: rights.VerifierFunc(func(_ context.Context, r rights.Request) (bool, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			return f.verify(r), nil
		}),
		Backoff: func(_ context.Context, attempt int) error {
			f.mu.Lock()
			f.waits = append(f.waits, attempt)
			f.mu.Unlock()
			return nil
		},
		TempDir: t.TempDir(),
		Now:     f.clock.Now,
	}
	if edit != nil {
		edit(&cfg)
	}
	f.rights, err = rights.NewDesk(cfg)
	require.NoError(t, err)
	return f
}

// receive files a verified request.
func (f *rightsFixture) receive(t testing.TB, r rights.Request) rights.Request {
	t.Helper()
	got, err := f.rights.Receive(context.Background(), r)
	require.NoError(t, err)
	return got
}

// archive is an export read back: the manifest and every file's content.
type archive struct {
	manifest rights.Manifest
	files    map[string][]byte
	order    []string
}

func readArchive(t testing.TB, data []byte) archive {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	a := archive{files: map[string][]byte{}}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		a.files[f.Name] = b
		a.order = append(a.order, f.Name)
	}
	require.Contains(t, a.files, rights.ManifestName)
	require.NoError(t, json.Unmarshal(a.files[rights.ManifestName], &a.manifest))
	return a
}

// dataFile is a data file of an export, decoded.
type dataFile struct {
	Source  string           `json:"source"`
	Type    string           `json:"type"`
	Records []map[string]any `json:"records"`
}

func (a archive) json(t testing.TB, path string) dataFile {
	t.Helper()
	require.Contains(t, a.files, path)
	var d dataFile
	require.NoError(t, json.Unmarshal(a.files[path], &d))
	return d
}

func (a archive) csv(t testing.TB, path string) [][]string {
	t.Helper()
	require.Contains(t, a.files, path)
	rows, err := csv.NewReader(bytes.NewReader(a.files[path])).ReadAll()
	require.NoError(t, err)
	return rows
}

// labelled is a personal value found in an export with its category.
type labelled struct {
	value    string
	category string
}

// labels collects every labelled value of a decoded JSON value.
func labels(v any, out *[]labelled) {
	switch x := v.(type) {
	case map[string]any:
		if cat, ok := x["category"].(string); ok && len(x) == 2 {
			if val, ok := x["value"]; ok {
				s, _ := val.(string)
				*out = append(*out, labelled{s, cat})
				return
			}
		}
		for _, e := range x {
			labels(e, out)
		}
	case []any:
		for _, e := range x {
			labels(e, out)
		}
	}
}

// assertAgree checks that the CSV rows hold the JSON records: a header of
// the JSON keys in order, then one row per record whose cells are the
// string values, or the JSON text of other values.
func assertAgree(t testing.TB, a archive, base string) {
	t.Helper()
	raw := a.files[base+".json"]
	rows := a.csv(t, base+".csv")
	var doc struct {
		Records []json.RawMessage `json:"records"`
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	require.Len(t, rows, len(doc.Records)+1, "%s: a header and one row per record", base)
	header := rows[0]
	for i, rec := range doc.Records {
		keys, values := orderedObject(t, rec)
		// The keys are the header's columns, in order, but for those left
		// out by omitempty or omitzero, whose cells are empty.
		col := 0
		for j, k := range keys {
			for col < len(header) && header[col] != defused(k) {
				assert.Empty(t, rows[i+1][col], "%s record %d column %s: left out of the JSON, empty in the CSV", base, i, header[col])
				col++
			}
			if !assert.Less(t, col, len(header), "%s record %d: key %s not in the CSV header, in order", base, i, k) {
				break
			}
			v := values[j]
			if m, ok := v.(map[string]any); ok && len(m) == 2 && m["category"] != nil {
				v = m["value"]
			}
			assertCell(t, v, rows[i+1][col], "%s record %d column %s", base, i, k)
			col++
		}
		for ; col < len(header); col++ {
			assert.Empty(t, rows[i+1][col], "%s record %d column %s: left out of the JSON, empty in the CSV", base, i, header[col])
		}
	}
}

// orderedObject decodes a JSON object keeping its key order.
func orderedObject(t testing.TB, raw json.RawMessage) ([]string, []any) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok)
	var keys []string
	var values []any
	for dec.More() {
		k, err := dec.Token()
		require.NoError(t, err)
		var v any
		require.NoError(t, dec.Decode(&v))
		keys = append(keys, k.(string))
		values = append(values, v)
	}
	return keys, values
}

// assertCell checks a CSV cell against its JSON value: empty for null, the
// text of a string, and the JSON of anything else, defused when a
// spreadsheet would read it as a formula.
func assertCell(t testing.TB, v any, cell string, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	switch x := v.(type) {
	case nil:
		assert.Empty(t, cell, msg)
	case string:
		assert.Equal(t, defused(x), cell, msg)
	default:
		if rest, ok := strings.CutPrefix(cell, "'"); ok && defused(rest) == cell {
			cell = rest // a negative number nested in a composite value
		}
		dec := json.NewDecoder(bytes.NewReader([]byte(cell)))
		dec.UseNumber()
		var got any
		if assert.NoError(t, dec.Decode(&got), msg) {
			assert.Equal(t, v, got, msg)
		}
	}
}

// assertNotIn checks that data does not hold value, and fails with a short
// message that names the value, never the data. A value shorter than
// piitest.MinValueLen is not looked for: ciphertext or a database file
// holds a short string by chance, so its absence proves nothing.
func assertNotIn(t testing.TB, data []byte, value string, format string, args ...any) bool {
	t.Helper()
	if utf8.RuneCountInString(value) < piitest.MinValueLen {
		return true
	}
	if !bytes.Contains(data, []byte(value)) {
		return true
	}
	return assert.Fail(t, fmt.Sprintf("%q found in %d bytes", value, len(data)), append([]any{format}, args...)...)
}

// formulaStarts are the first characters that make a spreadsheet read a
// cell as a formula.
const formulaStarts = "=+-@\t\r"

// defused is the CSV cell an export writes for text s: s, or s after an
// apostrophe when it starts like a formula.
func defused(s string) string {
	if s != "" && strings.ContainsRune(formulaStarts, rune(s[0])) {
		return "'" + s
	}
	return s
}
