package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the embedded default database

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/gdprhttp"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/shred"
	"github.com/gdprkit/gdprkit/retention"
)

// notice is the version of the newsletter's consent text.
const notice = "2026-01"

// app is the shop: its database, the kit, the privacy center, the
// sessions of signed-up visitors and the outbox.
type app struct {
	db      *sql.DB
	kit     *gdprkit.Kit
	privacy *gdprhttp.Handler
	outbox  *outbox
	now     func() time.Time

	mu       sync.Mutex
	sessions map[string]string // session cookie → subscriber ID
}

// open creates the shop's database in dir and wires the kit on it.
func open(ctx context.Context, dir string, now func() time.Time) (*app, error) {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "shop.db")+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)")
	if err != nil {
		return nil, err
	}
	a := &app{db: db, outbox: &outbox{}, now: now, sessions: map[string]string{}}
	if err := a.wire(ctx, dir); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

func (a *app) wire(ctx context.Context, dir string) error {
	if _, err := a.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS subscribers (
		id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, last_active BIGINT NOT NULL)`); err != nil {
		return err
	}
	if _, err := a.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS unsubscribe_links (
		token TEXT PRIMARY KEY, subscriber TEXT NOT NULL)`); err != nil {
		return err
	}
	kek, err := shred.LocalKEK(filepath.Join(dir, "kek.json")) // development only; a KMS AEAD in production
	if err != nil {
		return err
	}
	subs := subscribers{a}
	people := []string{"subscribers"}
	a.kit, err = gdprkit.Open(ctx, a.db, gdprkit.Config{
		KEK: kek, KEKID: "dev-1",
		Controller: gdpr.Party{Name: "Example Newsletter Shop", Contact: "privacy@shop.example"},
		Purposes: []gdpr.Purpose{
			{ID: "newsletter", Name: "Newsletter", Description: "a monthly e-mail with our offers",
				Basis: gdpr.Consent, DirectMarketing: true,
				Categories: []pii.Category{pii.Email}, DataSubjects: people, Retention: "P2Y"},
			{ID: "account", Name: "Your account", Description: "signing you in and answering your requests",
				Basis: gdpr.Contract, Categories: []pii.Category{pii.Email}, DataSubjects: people, Retention: "P2Y"},
		},
		Notices:  []consent.Notice{{Purpose: "newsletter", Version: notice}},
		Sources:  []rights.Source{subs},
		Subjects: map[string]retention.SubjectSource{"subscribers": subs},
		Contract: subs.contract,
		// Requests from the privacy center are verified by their code.
		Verifier: gdprhttp.Verifier(nil),
		TempDir:  dir,
		Now:      a.now,
	})
	if err != nil {
		return err
	}
	a.privacy, err = gdprhttp.New(ctx, gdprhttp.Config{
		Kit: a.kit, DB: a.db, Sender: a.outbox, Lookup: subs.lookup, Subject: a.subject,
		GPCPurposes: []string{"newsletter"}, TempDir: dir, Now: a.now,
	})
	return err
}

func (a *app) close() {
	a.privacy.Close()
	a.db.Close()
}

// handler is the shop's routes with the privacy center and its middleware.
func (a *app) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", a.home)
	mux.HandleFunc("POST /signup", a.signup)
	mux.HandleFunc("POST /campaign", a.campaign)
	mux.HandleFunc("GET /unsubscribe", a.unsubscribePage)
	mux.HandleFunc("POST /unsubscribe", a.unsubscribe)
	mux.HandleFunc("POST /sweep", a.sweep)
	mux.HandleFunc("GET /outbox", a.showOutbox)
	mux.Handle("/privacy/", http.StripPrefix("/privacy", a.privacy))
	return http.NewCrossOriginProtection().Handler(a.privacy.Middleware(mux))
}

const sessionCookie = "shop_session"

// subject is the subscriber a request's session belongs to.
func (a *app) subject(r *http.Request) (string, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil {
		return "", nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.sessions[c.Value], nil
}

func randomToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

var page = template.Must(template.New("shop").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Example Newsletter Shop</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main>
<h1>Example Newsletter Shop</h1>
{{with .Message}}<p role="status" id="message">{{.}}</p>{{end}}
{{if .SignedIn}}<p id="signed-in">You are signed up.</p>{{else}}
<form method="post" action="/signup">
<label for="email">E-mail address</label> <input type="email" id="email" name="email" required>
<p><label><input type="checkbox" name="newsletter" value="yes" id="newsletter"> Send me the monthly newsletter with offers
(notice {{.Notice}}; you can unsubscribe at any time)</label></p>
<button type="submit">Sign up</button>
</form>{{end}}
<p><a href="/privacy/">Privacy center</a>: get a copy of your data, erase it, change your consents.</p>
<h2>Shop owner</h2>
<form method="post" action="/campaign"><button type="submit" id="campaign">Send this month's newsletter</button></form>
<form method="post" action="/sweep"><button type="submit" id="sweep">Run the retention sweep</button></form>
<p><a href="/outbox">Outbox</a> (the mails the shop sent)</p>
</main></body></html>`))

func (a *app) home(w http.ResponseWriter, r *http.Request) {
	subject, _ := a.subject(r)
	a.render(w, map[string]any{"SignedIn": subject != "", "Notice": notice, "Message": r.URL.Query().Get("m")})
}

func (a *app) render(w http.ResponseWriter, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := page.Execute(w, data); err != nil {
		http.Error(w, "rendering failed", http.StatusInternalServerError)
	}
}

// errTaken is a sign-up with an address already signed up.
var errTaken = errors.New("webapp: address taken")
