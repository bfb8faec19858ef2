package gdprhttp

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
)

// Consent is a purpose resting on consent and where the subject's consent
// to it stands.
type Consent struct {
	Purpose     string `json:"purpose"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// Notice is the version of the notice in effect, which a grant is
	// recorded under.
	Notice string `json:"notice"`
	// Given tells whether consent holds now; State says more, such as
	// "withdrawn" or "outdated".
	Given bool      `json:"given"`
	State string    `json:"state"`
	Since time.Time `json:"since,omitzero"`
}

// Consents is the answer of the consents API.
type Consents struct {
	Consents []Consent `json:"consents"`
}

// consentPurposes are the registered purposes that rest on consent.
func (h *Handler) consentPurposes() []gdpr.Purpose {
	var out []gdpr.Purpose
	for _, p := range h.kit.Register().Purposes() {
		if p.Basis == gdpr.Consent || p.Condition == gdpr.ExplicitConsent {
			out = append(out, p)
		}
	}
	return out
}

// consents returns where the subject's consents stand.
func (h *Handler) consents(ctx context.Context, subject string) ([]Consent, error) {
	now := h.cfg.Now()
	var out []Consent
	for _, p := range h.consentPurposes() {
		notice, err := h.notice(ctx, p.ID, now)
		if err != nil {
			return nil, err
		}
		st, err := h.kit.Ledger().Status(ctx, subject, p.ID, time.Time{})
		if err != nil {
			return nil, err
		}
		out = append(out, Consent{Purpose: p.ID, Name: p.Name, Description: p.Description, Notice: notice,
			Given: st.Given(), State: st.State.String(), Since: st.Since})
	}
	return out, nil
}

// notice returns the version of the purpose's notice in effect at now; ""
// when none is published.
func (h *Handler) notice(ctx context.Context, purpose string, now time.Time) (string, error) {
	ns, err := h.kit.Ledger().Notices(ctx, purpose)
	if err != nil {
		return "", err
	}
	version := ""
	for _, n := range ns {
		if n.Effective.IsZero() || !n.Effective.After(now) {
			version = n.Version
		}
	}
	return version, nil
}

// change records the changes to the subject's consents, with the request
// as proof; purposes it does not name stay as they are.
func (h *Handler) change(ctx context.Context, r *http.Request, subject string, want map[string]bool, tag language.Tag) ([]Consent, *Problem) {
	current, err := h.consents(ctx, subject)
	if err != nil {
		return nil, h.internal(ctx, "reading consents failed", err)
	}
	for purpose := range want {
		if !slices.ContainsFunc(current, func(c Consent) bool { return c.Purpose == purpose }) {
			return nil, invalid("consents: a purpose that rests on consent")
		}
	}
	if ok, wait := h.bySubject.allow("subject:" + h.kit.Journal().Token(subject)); !ok {
		return nil, rateLimited(wait)
	}
	var grant, withdraw []string
	var notices []string
	for _, c := range current {
		give, named := want[c.Purpose]
		switch {
		case !named:
		case give && !c.Given:
			if c.Notice == "" {
				return nil, h.internal(ctx, "no notice is published for a purpose resting on consent", errNoNotice)
			}
			grant = append(grant, c.Purpose)
			notices = append(notices, c.Notice)
		case !give && c.Given:
			withdraw = append(withdraw, c.Purpose)
		}
	}
	proof := consent.Proof{IP: h.cfg.ClientIP(r), UserAgent: r.UserAgent(), Artifact: artifact(want)}
	for i, p := range grant { // one act per notice version
		if _, err := h.kit.Ledger().Grant(ctx, consent.Act{Subject: subject, Purposes: []string{p}, Notice: notices[i],
			Language: tag, Method: consent.MethodForm, Source: h.cfg.Source, Proof: proof}); err != nil {
			return nil, h.internal(ctx, "granting consent failed", err)
		}
	}
	if len(withdraw) > 0 {
		if _, err := h.kit.Ledger().Withdraw(ctx, consent.Act{Subject: subject, Purposes: withdraw, Language: tag,
			Method: consent.MethodForm, Source: h.cfg.Source, Proof: proof}); err != nil {
			return nil, h.internal(ctx, "withdrawing consent failed", err)
		}
	}
	out, err := h.consents(ctx, subject)
	if err != nil {
		return nil, h.internal(ctx, "reading consents failed", err)
	}
	return out, nil
}

type noNoticeError struct{}

func (noNoticeError) Error() string { return "gdprhttp: no notice published" }

var errNoNotice error = noNoticeError{}

// artifact records the choices as submitted: "newsletter=yes;offers=no".
func artifact(want map[string]bool) string {
	keys := make([]string, 0, len(want))
	for k := range want {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var sb strings.Builder
	for i, k := range keys {
		if i > 0 {
			sb.WriteByte(';')
		}
		sb.WriteString(k)
		if want[k] {
			sb.WriteString("=yes")
		} else {
			sb.WriteString("=no")
		}
	}
	return sb.String()
}

// requestSubject returns the subject the request belongs to: the one the
// middleware found, or Config.Subject's answer.
func (h *Handler) requestSubject(r *http.Request) (string, error) {
	if s, ok := SubjectFrom(r.Context()); ok {
		return s, nil
	}
	if h.cfg.Subject == nil {
		return "", nil
	}
	return h.cfg.Subject(r)
}

func (h *Handler) apiConsents(w http.ResponseWriter, r *http.Request) {
	subject, err := h.requestSubject(r)
	switch {
	case err != nil:
		writeProblem(w, h.internal(r.Context(), "resolving the subject failed", err))
		return
	case subject == "":
		writeProblem(w, errNoSubject)
		return
	}
	cs, err := h.consents(r.Context(), subject)
	answer(w, Consents{Consents: cs}, h.problemOf(r.Context(), err))
}

func (h *Handler) apiChangeConsents(w http.ResponseWriter, r *http.Request, dec *json.Decoder) {
	var in struct {
		Consents map[string]bool `json:"consents"`
	}
	if p := decode(dec, &in); p != nil {
		writeProblem(w, p)
		return
	}
	subject, err := h.requestSubject(r)
	switch {
	case err != nil:
		writeProblem(w, h.internal(r.Context(), "resolving the subject failed", err))
		return
	case subject == "":
		writeProblem(w, errNoSubject)
		return
	}
	cs, p := h.change(r.Context(), r, subject, in.Consents, pickLanguage(r))
	answer(w, Consents{Consents: cs}, p)
}

func (h *Handler) problemOf(ctx context.Context, err error) *Problem {
	if err == nil {
		return nil
	}
	return h.internal(ctx, "request failed", err)
}
