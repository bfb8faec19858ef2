package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/mail"
	"net/url"
	"strings"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/retention"
)

// signup records a subscriber and, when the box was ticked, their consent
// to the newsletter with its proof.
func (a *app) signup(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	addr, err := mail.ParseAddress(r.PostForm.Get("email"))
	if err != nil || addr.Name != "" {
		http.Redirect(w, r, "/?m="+url.QueryEscape("Please give a valid e-mail address."), http.StatusSeeOther)
		return
	}
	ctx := r.Context()
	id := "sub_" + randomToken()[:16]
	_, err = a.db.ExecContext(ctx, "INSERT INTO subscribers (id, email, last_active) VALUES (?, ?, ?)",
		id, strings.ToLower(addr.Address), a.now().Unix())
	if err != nil {
		http.Redirect(w, r, "/?m="+url.QueryEscape("This address cannot sign up again; sign in through the privacy center."), http.StatusSeeOther)
		return
	}
	if r.PostForm.Get("newsletter") == "yes" {
		if _, err := a.kit.Ledger().Grant(ctx, consent.Act{Subject: id, Purposes: []string{"newsletter"}, Notice: notice,
			Method: consent.MethodCheckbox, Source: "web/signup",
			Proof: consent.Proof{IP: r.RemoteAddr, UserAgent: r.UserAgent(), Artifact: "newsletter=yes"}}); err != nil {
			http.Error(w, "consent could not be recorded", http.StatusInternalServerError)
			return
		}
	}
	session := randomToken()
	a.mu.Lock()
	a.sessions[session] = id
	a.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: session, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	http.Redirect(w, r, "/?m="+url.QueryEscape("Welcome! You are signed up."), http.StatusSeeOther)
}

// campaign mails the newsletter to every subscriber the Guard allows.
func (a *app) campaign(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sent, err := a.sendNewsletter(ctx, r)
	if err != nil {
		http.Error(w, "the campaign failed", http.StatusInternalServerError)
		return
	}
	http.Redirect(w, r, "/?m="+url.QueryEscape(fmt.Sprintf("Newsletter sent to %d subscribers.", sent)), http.StatusSeeOther)
}

func (a *app) sendNewsletter(ctx context.Context, r *http.Request) (int, error) {
	rows, err := a.db.QueryContext(ctx, "SELECT id, email FROM subscribers ORDER BY id")
	if err != nil {
		return 0, err
	}
	var subs []Subscriber
	for rows.Next() {
		var s Subscriber
		if err := rows.Scan(&s.ID, &s.Email); err != nil {
			rows.Close()
			return 0, err
		}
		subs = append(subs, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	sent := 0
	for _, s := range subs {
		_, err := a.kit.Guard().Allow(ctx, s.ID, "newsletter")
		if errors.Is(err, gdpr.ErrNoLawfulBasis) {
			continue // no consent, withdrawn, objected to or restricted: no mail
		}
		if err != nil {
			return sent, err
		}
		token := randomToken()
		if _, err := a.db.ExecContext(ctx, "INSERT INTO unsubscribe_links (token, subscriber) VALUES (?, ?)", token, s.ID); err != nil {
			return sent, err
		}
		a.outbox.add(s.Email, "Our offers this month",
			"Dear subscriber, here are this month's offers.\nUnsubscribe: "+origin(r)+"/unsubscribe?t="+token)
		sent++
	}
	return sent, nil
}

// origin is the shop's own origin, for links in mails.
func origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// unsubscribePage asks to confirm, so that a mail scanner following the
// link does not unsubscribe anyone.
func (a *app) unsubscribePage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Referrer-Policy", "no-referrer")
	fmt.Fprintf(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Unsubscribe</title></head><body><main>
<h1>Unsubscribe from the newsletter</h1>
<form method="post" action="/unsubscribe"><input type="hidden" name="t" value="%s">
<button type="submit" id="unsubscribe">Unsubscribe</button></form></main></body></html>`, template.HTMLEscapeString(r.URL.Query().Get("t")))
}

// unsubscribe withdraws the consent of the link's subscriber.
func (a *app) unsubscribe(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	var id string
	err := a.db.QueryRowContext(ctx, "SELECT subscriber FROM unsubscribe_links WHERE token = ?", r.PostForm.Get("t")).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		http.Redirect(w, r, "/?m="+url.QueryEscape("This link is not valid any more."), http.StatusSeeOther)
		return
	}
	if err == nil {
		_, err = a.kit.Ledger().Withdraw(ctx, consent.Act{Subject: id, Purposes: []string{"newsletter"},
			Method: consent.MethodEmail, Source: "mail/unsubscribe"})
	}
	if err != nil {
		http.Error(w, "unsubscribing failed", http.StatusInternalServerError)
		return
	}
	http.Redirect(w, r, "/?m="+url.QueryEscape("You are unsubscribed."), http.StatusSeeOther)
}

// sweep runs the retention sweep: subscribers inactive beyond every rule
// are erased through the kit's one erasure path.
func (a *app) sweep(w http.ResponseWriter, r *http.Request) {
	report, err := a.kit.Sweep(r.Context())
	if err != nil {
		http.Error(w, "the sweep failed", http.StatusInternalServerError)
		return
	}
	msg := fmt.Sprintf("Retention sweep: %d subscribers erased.", report.Acted(retention.Shred))
	http.Redirect(w, r, "/?m="+url.QueryEscape(msg), http.StatusSeeOther)
}

// subscriberID returns the ID if the subscriber exists, "" if not.
func (a *app) subscriberID(ctx context.Context, id string) (string, error) {
	err := a.db.QueryRowContext(ctx, "SELECT id FROM subscribers WHERE id = ?", id).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// endSessions signs an erased subscriber out everywhere.
func (a *app) endSessions(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for s, sub := range a.sessions {
		if sub == id {
			delete(a.sessions, s)
		}
	}
}
