package gdprhttp_test

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/gdprhttp"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// clock is the tests' clock, moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// customer is a row of the shop's customers table.
type customer struct {
	ID    string `pii:"subject" json:"id"`
	Email string `pii:"email" json:"email"`
}

// customers is the shop's table, a rights.Source; failing makes its
// exports fail.
type customers struct {
	db      *sql.DB
	failing *bool
}

func (c customers) Describe() rights.SourceInfo {
	return rights.SourceInfo{Name: "customers", Description: "provided by you when you signed up", Purposes: []string{"orders", "newsletter"}}
}

func (c customers) Export(ctx context.Context, subject string, emit func(any) error) error {
	if *c.failing {
		return errors.New("customers: database down")
	}
	var cu customer
	err := c.db.QueryRowContext(ctx, "SELECT id, email FROM customers WHERE id = $1", subject).Scan(&cu.ID, &cu.Email)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return emit(&cu)
}

func (c customers) Erase(ctx context.Context, subject string) error {
	_, err := c.db.ExecContext(ctx, "DELETE FROM customers WHERE id = $1", subject)
	return err
}

func (c customers) has(t testing.TB, id string) bool {
	var n int
	require.NoError(t, c.db.QueryRow("SELECT COUNT(*) FROM customers WHERE id = $1", id).Scan(&n))
	return n > 0
}

// lookup finds a customer by e-mail address.
func (c customers) lookup(ctx context.Context, address string) (string, error) {
	var id string
	err := c.db.QueryRowContext(ctx, "SELECT id FROM customers WHERE email = $1", address).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// subjectHeader names, in tests, the subject a request belongs to.
const subjectHeader = "X-Test-Subject"

// fixture is a shop with the privacy center mounted at /privacy/.
type fixture struct {
	t       *testing.T
	db      *sql.DB
	kit     *gdprkit.Kit
	h       *gdprhttp.Handler
	root    http.Handler
	sender  *gdprhttp.MemorySender
	clk     *clock
	shop    customers
	failing bool
	logs    *bytes.Buffer
}

const adaEmail = "ada@example.org"

func newFixture(t *testing.T, db *sql.DB, edit ...func(*gdprhttp.Config)) *fixture {
	t.Helper()
	f := &fixture{t: t, db: db, sender: &gdprhttp.MemorySender{}, clk: &clock{t: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)},
		logs: &bytes.Buffer{}}
	_, err := db.Exec("CREATE TABLE IF NOT EXISTS customers (id TEXT PRIMARY KEY, email TEXT NOT NULL)")
	require.NoError(t, err)
	_, err = db.Exec("INSERT INTO customers (id, email) VALUES ('ada', $1)", adaEmail)
	require.NoError(t, err)
	f.shop = customers{db: db, failing: &f.failing}
	kek, err := shred.LocalKEK(filepath.Join(t.TempDir(), "kek.json"))
	require.NoError(t, err)
	people := []string{"customers"}
	f.kit, err = gdprkit.Open(context.Background(), db, gdprkit.Config{
		KEK: kek, KEKID: "dev-1",
		Controller: gdpr.Party{Name: "Example Shop GmbH", Contact: "privacy@shop.example"},
		Purposes: []gdpr.Purpose{
			{ID: "newsletter", Name: "Newsletter", Basis: gdpr.Consent, DirectMarketing: true,
				Categories: []pii.Category{pii.Email}, DataSubjects: people, Retention: "P2Y"},
			{ID: "orders", Name: "Order handling", Basis: gdpr.Contract,
				Categories: []pii.Category{pii.Email}, DataSubjects: people, Retention: "P6M"},
			{ID: "ads", Name: "Targeted advertising", Basis: gdpr.LegitimateInterests, BalancingTest: "LIA-1",
				Categories: []pii.Category{pii.Email}, DataSubjects: people, Retention: "P1Y"},
		},
		Notices:  []consent.Notice{{Purpose: "newsletter", Version: "2026-01"}},
		Sources:  []rights.Source{f.shop},
		Contract: func(ctx context.Context, subject, purpose string) (bool, error) { return f.shop.has(t, subject), nil },
		Verifier: gdprhttp.Verifier(nil),
		TempDir:  t.TempDir(),
		Now:      f.clk.Now,
	})
	require.NoError(t, err)
	f.h = f.handler(edit...)
	return f
}

// handler returns a Handler over the fixture's kit, mounted at /privacy/.
func (f *fixture) handler(edit ...func(*gdprhttp.Config)) *gdprhttp.Handler {
	cfg := gdprhttp.Config{
		Kit: f.kit, DB: f.db, Sender: f.sender, Lookup: f.shop.lookup,
		Subject:     func(r *http.Request) (string, error) { return r.Header.Get(subjectHeader), nil },
		GPCPurposes: []string{"ads", "newsletter"},
		TempDir:     f.t.TempDir(),
		Logger:      slog.New(slog.NewTextHandler(f.logs, nil)),
		Now:         f.clk.Now,
	}
	for _, e := range edit {
		e(&cfg)
	}
	h, err := gdprhttp.New(context.Background(), cfg)
	require.NoError(f.t, err)
	f.t.Cleanup(func() { h.Close() })
	mux := http.NewServeMux()
	mux.Handle("/privacy/", http.StripPrefix("/privacy", h))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {})
	f.root = h.Middleware(mux)
	return h
}

// do serves a request.
func (f *fixture) do(r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	f.root.ServeHTTP(w, r)
	return w
}

// api sends a JSON body (none for GET).
func (f *fixture) api(method, path, body string, hdr ...string) *httptest.ResponseRecorder {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, "/privacy"+path, rd)
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	return f.do(r)
}

// csrf is the token the tests' forms carry.
var csrf = strings.Repeat("k", 43)

// form posts a form with a valid CSRF token.
func (f *fixture) form(path string, v url.Values, hdr ...string) *httptest.ResponseRecorder {
	v.Set("csrf", csrf)
	r := httptest.NewRequest(http.MethodPost, "/privacy"+path, strings.NewReader(v.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.AddCookie(&http.Cookie{Name: "gdprhttp_csrf", Value: csrf})
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	return f.do(r)
}

// decode reads a JSON answer.
func decode[T any](t *testing.T, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &v), "status %d", w.Code)
	return v
}

// problem reads a problem answer and checks its media type.
func problem(t *testing.T, w *httptest.ResponseRecorder, status int) gdprhttp.Problem {
	t.Helper()
	require.Equal(t, status, w.Code, "status")
	require.Equal(t, "application/problem+json", w.Header().Get("Content-Type"))
	return decode[gdprhttp.Problem](t, w)
}

// submit makes a request through the API and returns its ticket.
func (f *fixture) submit(body string) string {
	w := f.api(http.MethodPost, "/api/requests", body)
	require.Equal(f.t, http.StatusAccepted, w.Code, "submit")
	return decode[gdprhttp.Submitted](f.t, w).Ticket
}

// code waits for the n-th code sent to address.
func (f *fixture) code(address string, n int) string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	m, err := f.sender.Next(ctx, address, n)
	require.NoError(f.t, err, "no code sent")
	return m.Code
}

// zipFiles returns the names of an archive's files.
func zipFiles(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	out := map[string][]byte{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		rc.Close()
		require.NoError(t, err)
		out[zf.Name] = data
	}
	return out
}

// httptestRequest makes a request with a body when body is not empty.
func httptestRequest(method, target, body string) *http.Request {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	return httptest.NewRequest(method, target, rd)
}
