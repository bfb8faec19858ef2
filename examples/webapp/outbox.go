package main

import (
	"context"
	"html/template"
	"net/http"
	"sync"
	"time"

	"github.com/gdprkit/gdprkit/gdprhttp"
)

// Mail is a message the shop sent.
type Mail struct {
	To      string `pii:"email"`
	Subject string `pii:"-"`
	Body    string `pii:"content"`
}

// outbox keeps the mails the shop sends, in place of a mail server: the
// privacy center's codes, and the newsletter. A production service gives
// gdprhttp a Sender that mails.
type outbox struct {
	mu    sync.Mutex
	mails []Mail
	added chan struct{} // closed when a mail is added
}

func (o *outbox) add(to, subject, body string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.mails = append(o.mails, Mail{To: to, Subject: subject, Body: body})
	if o.added != nil {
		close(o.added)
		o.added = nil
	}
}

// next returns a channel closed when the next mail is added.
func (o *outbox) next() <-chan struct{} {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.added == nil {
		o.added = make(chan struct{})
	}
	return o.added
}

// SendCode mails a privacy center's one-time code.
func (o *outbox) SendCode(_ context.Context, m gdprhttp.CodeMessage) error {
	o.add(m.Address, "Your code for the privacy center",
		"Your code is "+m.Code+". It is valid until "+m.Expires.UTC().Format(time.DateTime)+" UTC.\nIf you did not ask for it, ignore this mail.")
	return nil
}

func (o *outbox) list() []Mail {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]Mail(nil), o.mails...)
}

var outboxPage = template.Must(template.New("outbox").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Outbox</title></head><body><main>
<h1>Outbox</h1><p>The mails the shop sent, newest last. <a href="/">Back to the shop</a></p>
{{range .}}<article><h2>{{.Subject}}</h2><p>To: {{.To}}</p><pre>{{.Body}}</pre></article>
{{else}}<p>No mail yet.</p>{{end}}
</main></body></html>`))

func (a *app) showOutbox(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = outboxPage.Execute(w, a.outbox.list())
}
