package gdprhttp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/mail"
	"strings"
	"time"

	"golang.org/x/text/language"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/rights"
)

// submission is a request as the requester makes it.
type submission struct {
	Right    string `json:"right"`
	Email    string `json:"email" pii:"email"`
	Purpose  string `json:"purpose,omitempty"`
	Ground   string `json:"ground,omitempty"`
	Language string `json:"-"`
}

// Submitted is the answer to a request: its ticket, and until when the
// code sent for it is valid.
type Submitted struct {
	Ticket  string    `json:"ticket"`
	Expires time.Time `json:"expires"`
}

// maxAddress bounds an e-mail address (RFC 5321).
const maxAddress = 254

// submit records a request that waits for its code, and sends the code
// when the address is known. Unknown addresses are answered alike.
func (h *Handler) submit(ctx context.Context, in submission, tag language.Tag) (Submitted, *Problem) {
	var right rights.Right
	if err := right.UnmarshalText([]byte(in.Right)); err != nil || !h.cfg.offers(right) {
		return Submitted{}, invalid("right: one of the rights offered")
	}
	addr, err := mail.ParseAddress(in.Email)
	if err != nil || len(in.Email) > maxAddress || addr.Name != "" {
		return Submitted{}, invalid("email: an e-mail address")
	}
	address := strings.ToLower(addr.Address)
	c := &challenge{ticket: newTicket(), right: right, language: tag.String()}
	switch right {
	case rights.RightObjection:
		if !h.objectable(in.Purpose) {
			return Submitted{}, invalid("purpose: a purpose you can object to")
		}
		c.purpose = in.Purpose
	case rights.RightRestriction:
		if c.ground = parseGround(in.Ground); c.ground == 0 {
			return Submitted{}, invalid("ground: accuracy, unlawful, claims-of-subject or objection-pending")
		}
	default:
		if in.Purpose != "" || in.Ground != "" {
			return Submitted{}, invalid("purpose and ground go with an objection and a restriction only")
		}
	}
	sum := sha256.Sum256([]byte(address))
	if ok, wait := h.bySubject.allow("addr:" + hex.EncodeToString(sum[:])); !ok {
		return Submitted{}, rateLimited(wait)
	}
	subject, err := h.cfg.Lookup(ctx, address)
	if err != nil {
		return Submitted{}, h.internal(ctx, "lookup failed", err)
	}
	now := h.cfg.Now()
	c.subject, c.expires = subject, now.Add(h.cfg.CodeTTL)
	code := newCode()
	c.hash = codeHash(c.ticket, code)
	if err := h.challenges.add(ctx, c, now); err != nil {
		return Submitted{}, h.internal(ctx, "storing a request failed", err)
	}
	if subject != "" {
		h.send(ctx, CodeMessage{Address: address, Code: code, Right: right, Language: tag, Expires: c.expires})
	}
	return Submitted{Ticket: c.ticket, Expires: c.expires}, nil
}

// send delivers a code in the background.
func (h *Handler) send(ctx context.Context, m CodeMessage) {
	ctx = context.WithoutCancel(ctx)
	select {
	case h.sends <- struct{}{}:
	default:
		h.log.WarnContext(ctx, "too many codes being sent; this one is dropped", "message", m)
		return
	}
	go func() {
		defer func() { <-h.sends }()
		ctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		if err := h.cfg.Sender.SendCode(ctx, m); err != nil {
			h.log.ErrorContext(ctx, "sending a code failed", "message", m, "err", err)
		}
	}()
}

// objectable reports whether a subject can object to the purpose here.
func (h *Handler) objectable(purpose string) bool {
	if purpose == gdpr.AllDirectMarketing {
		return true
	}
	p, ok := h.kit.Register().Purpose(purpose)
	return ok && p.Objectable()
}

// Status is where a request stands, as the status page and the API show
// it. It holds no personal data.
type Status struct {
	Ticket      string    `json:"ticket"`
	Right       string    `json:"right"`
	State       string    `json:"state"`
	ReceivedAt  time.Time `json:"received_at,omitzero"`
	Due         time.Time `json:"due,omitzero"`
	CompletedAt time.Time `json:"completed_at,omitzero"`
	// Download is, for an export ready to be downloaded, a link that
	// works once, relative to where the Handler is mounted.
	Download *Link `json:"download,omitempty"`
	// Exportable tells that a new download link can be asked for.
	Exportable bool `json:"exportable,omitempty"`
}

// Link is a download link: a path relative to where the Handler is
// mounted, and until when it works.
type Link struct {
	Path    string    `json:"path"`
	Expires time.Time `json:"expires"`
}

// verify checks the code and, when it is right, has the desk receive the
// request as verified and answer it.
func (h *Handler) verify(ctx context.Context, ticket, code string) (Status, *Problem) {
	if !validTicket(ticket) {
		return Status{}, errUnknownTicket
	}
	if ok, wait := h.bySubject.allow("ticket:" + ticket); !ok {
		return Status{}, rateLimited(wait)
	}
	c, p, err := h.challenges.try(ctx, ticket, code, h.cfg.Now(), h.cfg.CodeAttempts)
	switch {
	case err != nil:
		return Status{}, h.internal(ctx, "checking a code failed", err)
	case p != nil:
		return Status{}, p
	}
	vctx := context.WithValue(ctx, verifiedKey{}, verifiedBy{ticket: c.ticket, subject: c.subject})
	req, err := h.kit.Desk().Receive(vctx, rights.Request{ID: c.ticket, Right: c.right, Subject: c.subject,
		Language: c.language, Purpose: c.purpose, Ground: c.ground})
	if err != nil {
		return Status{}, h.internal(ctx, "receiving a request failed", err)
	}
	if req.State == rights.RequestUnverified {
		return Status{}, h.internal(ctx, "the kit's Verifier does not accept code-verified requests: wrap it with gdprhttp.Verifier", errors.New("gdprhttp: request left unverified"))
	}
	var link *Link
	switch c.right {
	case rights.RightAccess, rights.RightPortability:
		link, err = h.export(ctx, ticket)
	case rights.RightErasure:
		_, err = h.kit.Desk().Erase(ctx, ticket)
	case rights.RightRestriction:
		_, err = h.kit.Desk().Restrict(ctx, ticket)
	case rights.RightObjection:
		_, err = h.kit.Desk().Object(ctx, ticket)
	}
	if err != nil { // the request is received and its deadline runs: staff and retries take it on
		h.log.ErrorContext(ctx, "answering a request failed", "request", ticket, "err", err)
	}
	st, p := h.status(ctx, ticket)
	if p == nil && link != nil {
		st.Download = link
	}
	return st, p
}

// status returns where the ticket's request stands.
func (h *Handler) status(ctx context.Context, ticket string) (Status, *Problem) {
	if !validTicket(ticket) {
		return Status{}, errUnknownTicket
	}
	req, err := h.kit.Desk().Request(ctx, ticket)
	if errors.Is(err, rights.ErrUnknownRequest) {
		c, ok, err := h.challenges.get(ctx, ticket)
		if err != nil {
			return Status{}, h.internal(ctx, "reading a request failed", err)
		}
		if !ok || h.cfg.Now().After(c.expires) {
			return Status{}, errUnknownTicket
		}
		return Status{Ticket: ticket, Right: c.right.String(), State: rights.RequestUnverified.String()}, nil
	}
	if err != nil {
		return Status{}, h.internal(ctx, "reading a request failed", err)
	}
	st := Status{Ticket: ticket, Right: req.Right.String(), State: req.State.String(), ReceivedAt: req.ReceivedAt,
		Due: req.Due, CompletedAt: req.CompletedAt}
	if req.Right == rights.RightAccess || req.Right == rights.RightPortability {
		st.Exportable = h.exports.ready(ticket) || (!req.State.Closed() && req.State != rights.RequestUnverified)
	}
	return st, nil
}

// link returns a new download link for the ticket's export, writing the
// export first when the last try failed.
func (h *Handler) link(ctx context.Context, ticket string) (Status, *Problem) {
	st, p := h.status(ctx, ticket)
	switch {
	case p != nil:
		return Status{}, p
	case st.Right != rights.RightAccess.String() && st.Right != rights.RightPortability.String():
		return Status{}, errNotExport
	case st.State == rights.RequestUnverified.String():
		return Status{}, errNotVerified
	case !st.Exportable:
		return Status{}, errExportGone
	}
	l, err := h.export(ctx, ticket)
	if err != nil {
		return Status{}, h.internal(ctx, "writing an export failed", err)
	}
	st, p = h.status(ctx, ticket)
	if p == nil {
		st.Download = l
	}
	return st, p
}

func (h *Handler) apiSubmit(w http.ResponseWriter, r *http.Request, dec *json.Decoder) {
	var in submission
	if p := decode(dec, &in); p != nil {
		writeProblem(w, p)
		return
	}
	s, p := h.submit(r.Context(), in, pickLanguage(r))
	if p != nil {
		writeProblem(w, p)
		return
	}
	writeJSON(w, http.StatusAccepted, s)
}

func (h *Handler) apiVerify(w http.ResponseWriter, r *http.Request, dec *json.Decoder) {
	var in struct {
		Code string `json:"code"`
	}
	if p := decode(dec, &in); p != nil {
		writeProblem(w, p)
		return
	}
	st, p := h.verify(r.Context(), r.PathValue("ticket"), in.Code)
	answer(w, st, p)
}

func (h *Handler) apiStatus(w http.ResponseWriter, r *http.Request) {
	st, p := h.status(r.Context(), r.PathValue("ticket"))
	answer(w, st, p)
}

func (h *Handler) apiLink(w http.ResponseWriter, r *http.Request, dec *json.Decoder) {
	var in struct{}
	if p := decode(dec, &in); p != nil {
		writeProblem(w, p)
		return
	}
	st, p := h.link(r.Context(), r.PathValue("ticket"))
	answer(w, st, p)
}

func answer(w http.ResponseWriter, v any, p *Problem) {
	if p != nil {
		writeProblem(w, p)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// parseGround decodes a ground's code; 0 when it is none.
func parseGround(s string) gdpr.Ground {
	for g := gdpr.Accuracy; g.Valid(); g++ {
		if g.String() == s {
			return g
		}
	}
	return 0
}
