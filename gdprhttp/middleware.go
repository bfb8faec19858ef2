package gdprhttp

import (
	"context"
	"errors"
	"net/http"
	"sync"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/consent/tcf"
	"github.com/gdprkit/gdprkit/gdpr"
)

// TCFCookie is the cookie a TCF consent management platform keeps the TC
// string in.
const TCFCookie = "euconsent-v2"

type (
	subjectKey struct{}
	tcfKey     struct{}
	gpcKey     struct{}
)

// SubjectFrom returns the subject Handler.Middleware found the request to
// belong to.
func SubjectFrom(ctx context.Context) (string, bool) {
	s, ok := ctx.Value(subjectKey{}).(string)
	return s, ok && s != ""
}

// TCF returns the TC string of the request's euconsent-v2 cookie, decoded
// by Handler.Middleware; false when there is none or it is invalid, which
// means no consent at all.
func TCF(ctx context.Context) (*tcf.TCString, bool) {
	t, ok := ctx.Value(tcfKey{}).(*tcf.TCString)
	return t, ok && t != nil
}

// GPC reports whether the request carried the Global Privacy Control
// signal (Sec-GPC: 1).
func GPC(ctx context.Context) bool {
	v, _ := ctx.Value(gpcKey{}).(bool)
	return v
}

// Middleware puts on each request's context the subject it belongs to
// (Config.Subject; SubjectFrom), the decoded TC string of its
// euconsent-v2 cookie (TCF) and its Global Privacy Control signal (GPC).
// A request with Sec-GPC: 1 from a known subject records, once per
// subject, an objection to each of Config.GPCPurposes (or withdraws a
// consent given to one). Nothing here fails a request: a resolver or a
// recording error is logged and the request goes on, and an invalid TC
// string is no consent.
func (h *Handler) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var subject string
		if h.cfg.Subject != nil {
			var err error
			if subject, err = h.cfg.Subject(r); err != nil {
				h.log.WarnContext(ctx, "resolving the subject failed", "err", err)
				subject = ""
			}
		}
		if subject != "" {
			ctx = context.WithValue(ctx, subjectKey{}, subject)
		}
		if t := decodeTCF(r); t != nil {
			ctx = context.WithValue(ctx, tcfKey{}, t)
		}
		if r.Header.Get("Sec-GPC") == "1" {
			ctx = context.WithValue(ctx, gpcKey{}, true)
			if subject != "" {
				if err := h.honourGPC(ctx, r, subject); err != nil {
					h.log.ErrorContext(ctx, "recording a Global Privacy Control signal failed", "err", err)
				}
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// maxTCString bounds the TC strings decoded; real ones are far shorter.
const maxTCString = 8 << 10

// decodeTCF decodes the request's euconsent-v2 cookie; nil when there is
// none or it is invalid.
func decodeTCF(r *http.Request) *tcf.TCString {
	c, err := r.Cookie(TCFCookie)
	if err != nil || c.Value == "" || len(c.Value) > maxTCString {
		return nil
	}
	t, err := tcf.Parse(c.Value)
	if err != nil {
		return nil
	}
	return t
}

// gpcDone remembers the subjects whose signal is recorded, so that the
// store is asked once per subject and instance.
type gpcDone struct {
	mu sync.Mutex
	m  map[string]bool
}

const maxGPCDone = 100_000

func (g *gpcDone) has(token string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.m[token]
}

func (g *gpcDone) add(token string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.m == nil || len(g.m) >= maxGPCDone {
		g.m = map[string]bool{}
	}
	g.m[token] = true
}

// honourGPC records the signal for the subject: a withdrawal of the
// consent given to each GPC purpose resting on consent, and an objection
// to each other GPC purpose; each once.
func (h *Handler) honourGPC(ctx context.Context, r *http.Request, subject string) error {
	if len(h.cfg.GPCPurposes) == 0 {
		return nil
	}
	token := h.kit.Journal().Token(subject)
	if h.gpc.has(token) {
		return nil
	}
	var errs []error
	for _, id := range h.cfg.GPCPurposes {
		p, _ := h.kit.Register().Purpose(id)
		if p.Basis == gdpr.Consent {
			errs = append(errs, h.withdrawGPC(ctx, r, subject, id))
			continue
		}
		done, err := h.kit.Objected(ctx, subject, id)
		if err == nil && !done {
			err = h.kit.Guard().Object(ctx, gdpr.Objection{Subject: subject, Purpose: id})
		}
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	h.gpc.add(token)
	return nil
}

// withdrawGPC withdraws the subject's consent to purpose by the signal,
// unless the signal withdrew it before: a consent given again after that
// is the subject's later choice, which the signal does not override.
func (h *Handler) withdrawGPC(ctx context.Context, r *http.Request, subject, purpose string) error {
	events, err := h.kit.Ledger().History(ctx, subject, purpose)
	if err != nil {
		return err
	}
	given := false
	for _, e := range events {
		if e.Method == consent.MethodGPC {
			return nil
		}
		given = e.Kind == consent.Grant
	}
	if !given {
		return nil
	}
	_, err = h.kit.Ledger().Withdraw(ctx, consent.Act{Subject: subject, Purposes: []string{purpose},
		Method: consent.MethodGPC, Source: h.cfg.Source,
		Proof: consent.Proof{IP: h.cfg.ClientIP(r), UserAgent: r.UserAgent(), Artifact: "Sec-GPC: 1"}})
	return err
}
