package gdprhttp

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/rights"
)

//go:embed assets
var assets embed.FS

// pages holds the page's template in each language.
type pages struct {
	t map[language.Tag]*template.Template
}

func newPages() (*pages, error) {
	src, err := assets.ReadFile("assets/center.html")
	if err != nil {
		return nil, err
	}
	ps := &pages{t: map[language.Tag]*template.Template{}}
	for _, tag := range Languages {
		p := printer(tag)
		t, err := template.New("center").Funcs(template.FuncMap{
			"t":           func(key string, args ...any) string { return p.Sprintf(key, args...) },
			"when":        when,
			"problemText": problemText,
		}).Parse(string(src))
		if err != nil {
			return nil, err
		}
		ps.t[tag] = t
	}
	return ps, nil
}

// when shows an instant to the minute, in UTC.
func when(_ *message.Printer, t time.Time) string { return t.UTC().Format("2006-01-02 15:04 MST") }

// problemText is a problem in the page's language.
func problemText(p *message.Printer, pr *Problem) string {
	key := "problem." + pr.Code
	if _, ok := pageText[key]; !ok {
		key = "problem.other"
	}
	if pr.AttemptsLeft != nil {
		return p.Sprintf(key, *pr.AttemptsLeft)
	}
	return p.Sprintf(key)
}

// view is what the page shows.
type view struct {
	Problem   *Problem
	Notice    string
	Submitted *Submitted
	Status    *Status
	Consents  []Consent
	SignedIn  bool

	Lang              string
	Base              string
	CSRF              string
	Controller        string
	Rights            []rights.Right
	Objectable        []gdpr.Purpose
	OffersRestriction bool
	Grounds           []gdpr.Ground
	Printer           *message.Printer
}

// mountBase returns the path the Handler is mounted at, ending in "/":
// the part of the request's original path that http.StripPrefix removed.
func mountBase(r *http.Request) string {
	orig := r.URL.Path
	if r.RequestURI != "" {
		if i := strings.IndexAny(r.RequestURI, "?#"); i >= 0 {
			orig = r.RequestURI[:i]
		} else {
			orig = r.RequestURI
		}
	}
	if r.URL.RawPath == "" && strings.HasSuffix(orig, r.URL.Path) {
		return strings.TrimSuffix(orig, r.URL.Path) + "/"
	}
	return "/"
}

// render answers with the page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, v view) {
	tag := pickLanguage(r)
	v.Lang, v.Printer = tag.String(), printer(tag)
	v.Base, v.CSRF = mountBase(r), csrfToken(w, r)
	v.Controller = h.kit.Register().Controller().Name
	v.Rights = h.cfg.Rights
	if h.cfg.offers(rights.RightObjection) {
		v.Objectable = append(v.Objectable, gdpr.Purpose{ID: gdpr.AllDirectMarketing, Name: v.Printer.Sprintf("purpose.marketing")})
		for _, p := range h.kit.Register().Purposes() {
			if p.Objectable() {
				v.Objectable = append(v.Objectable, p)
			}
		}
	}
	if h.cfg.offers(rights.RightRestriction) {
		v.OffersRestriction = true
		for g := gdpr.Accuracy; g.Valid(); g++ {
			v.Grounds = append(v.Grounds, g)
		}
	}
	if v.Consents == nil && v.Problem != errNoSubject {
		if subject, err := h.requestSubject(r); err == nil && subject != "" {
			v.SignedIn = true
			if cs, err := h.consents(r.Context(), subject); err == nil {
				v.Consents = cs
			}
		}
	} else if v.Consents != nil {
		v.SignedIn = true
	}
	if v.Problem != nil && v.Problem.RetryAfter > 0 {
		w.Header().Set("Retry-After", itoa(v.Problem.RetryAfter))
	}
	var buf bytes.Buffer
	if err := h.page.t[tag].Execute(&buf, v); err != nil {
		h.log.ErrorContext(r.Context(), "rendering the page failed", "err", err)
		writeProblem(w, errInternal)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Content-Language", tag.String())
	hd.Set("Vary", "Accept-Language, Cookie")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func itoa(n int) string { return strconv.Itoa(n) }

func serveStyle(w http.ResponseWriter, r *http.Request) {
	css, _ := assets.ReadFile("assets/style.css")
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(css)
}

func (h *Handler) pageHome(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, view{})
}

func (h *Handler) pageRequest(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	s, p := h.submit(r.Context(), submission{Right: f.Get("right"), Email: f.Get("email"), Purpose: f.Get("purpose"),
		Ground: f.Get("ground")}, pickLanguage(r))
	if p != nil {
		h.render(w, r, p.Status, view{Problem: p})
		return
	}
	h.render(w, r, http.StatusOK, view{Submitted: &s})
}

func (h *Handler) pageVerify(w http.ResponseWriter, r *http.Request) {
	ticket := r.PostForm.Get("ticket")
	st, p := h.verify(r.Context(), ticket, r.PostForm.Get("code"))
	if p != nil {
		v := view{Problem: p}
		if p.AttemptsLeft != nil && *p.AttemptsLeft > 0 { // ask again
			if c, ok, err := h.challenges.get(r.Context(), ticket); err == nil && ok {
				v.Submitted = &Submitted{Ticket: ticket, Expires: c.expires}
			}
		}
		h.render(w, r, p.Status, v)
		return
	}
	h.render(w, r, http.StatusOK, view{Status: &st})
}

func (h *Handler) pageStatus(w http.ResponseWriter, r *http.Request) {
	st, p := h.status(r.Context(), r.PathValue("ticket"))
	if p != nil {
		h.render(w, r, p.Status, view{Problem: p})
		return
	}
	h.render(w, r, http.StatusOK, view{Status: &st})
}

func (h *Handler) pageLink(w http.ResponseWriter, r *http.Request) {
	st, p := h.link(r.Context(), r.PostForm.Get("ticket"))
	if p != nil {
		h.render(w, r, p.Status, view{Problem: p})
		return
	}
	h.render(w, r, http.StatusOK, view{Status: &st})
}

func (h *Handler) pageConsents(w http.ResponseWriter, r *http.Request) {
	subject, err := h.requestSubject(r)
	switch {
	case err != nil:
		h.render(w, r, http.StatusInternalServerError, view{Problem: h.internal(r.Context(), "resolving the subject failed", err)})
		return
	case subject == "":
		h.render(w, r, errNoSubject.Status, view{Problem: errNoSubject})
		return
	}
	want := map[string]bool{}
	for _, p := range r.PostForm["shown"] {
		want[p] = false
	}
	for _, p := range r.PostForm["granted"] {
		if _, shown := want[p]; !shown {
			p := invalid("granted: a purpose shown")
			h.render(w, r, p.Status, view{Problem: p})
			return
		}
		want[p] = true
	}
	tag := pickLanguage(r)
	cs, p := h.change(r.Context(), r, subject, want, tag)
	if p != nil {
		h.render(w, r, p.Status, view{Problem: p})
		return
	}
	h.render(w, r, http.StatusOK, view{Consents: cs, Notice: printer(tag).Sprintf("consents.saved")})
}
