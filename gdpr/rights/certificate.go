package rights

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/gdprkit/gdprkit/gdpr/audit"
)

// Certificate is the evidence that an erasure request was fulfilled. It is
// content-free: it names the subject by token only, the sources and
// namespaces by name, the consents withdrawn by their number, and
// exceptions by code, so it can be kept and shown after the data is gone.
// Journal is the journal's head at the entry that recorded the completion:
// Journal.VerifyHead(ctx, c.Journal) proves later that the journal up to
// it, every step of the erasure included, is intact.
type Certificate struct {
	Request      string    `json:"request"`       // the request's ID
	SubjectToken string    `json:"subject_token"` // the subject as the journal names it
	ReceivedAt   time.Time `json:"received_at"`   // when the request arrived
	VerifiedAt   time.Time `json:"verified_at"`   // when the requester was identified
	Due          time.Time `json:"due"`           // the time limit
	CompletedAt  time.Time `json:"completed_at"`  // when the erasure completed
	// Sources is the outcome per source: done (erased, but for what Kept
	// lists) or exempt (kept whole), with the exceptions that apply (Art.
	// 17(3)), the categories they keep, and the number of tries.
	Sources []Step `json:"sources"`
	// Keys is the outcome per namespace: done (the subject's key shredded)
	// or exempt (kept, with the exception).
	Keys []Step `json:"keys"`
	// Consents is the outcome of withdrawing the subject's consents from
	// the consent ledger, when DeskConfig.Consents is set: always done,
	// with the number of purposes withdrawn (Step.Withdrawn). The consents
	// are withdrawn whatever the exemptions, since an Art. 17(3) exception
	// keeps data for its own purpose, not for consent-based processing.
	Consents []Step     `json:"consents,omitempty"`
	Journal  audit.Head `json:"journal_head"` // the journal's head at the completion
}

// Kept returns, per source, the exceptions of Art. 17(3) that kept some
// or all of its data, each with the categories it kept (none: all of it)
// and its reference: what the erasure did not erase, and why.
func (c *Certificate) Kept() map[string][]Exemption {
	out := map[string][]Exemption{}
	for _, s := range c.Sources {
		if len(s.Kept) > 0 {
			out[s.Name] = cloneExemptions(s.Kept)
		} else if s.Exemption != nil {
			out[s.Name] = []Exemption{*s.Exemption}
		}
	}
	return out
}

// Shredded returns the namespaces whose key of the subject was destroyed.
func (c *Certificate) Shredded() []string {
	var out []string
	for _, k := range c.Keys {
		if k.State == StepDone {
			out = append(out, k.Name)
		}
	}
	return out
}

// Withdrawn returns the number of purposes whose consent the erasure
// withdrew.
func (c *Certificate) Withdrawn() int {
	n := 0
	for _, s := range c.Consents {
		n += s.Withdrawn
	}
	return n
}

// WriteJSON writes the certificate as indented JSON.
func (c *Certificate) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return fmt.Errorf("rights: write erasure certificate %s: %w", c.Request, err)
	}
	return nil
}

// Certificate returns the certificate of a completed erasure request.
func (rt *Desk) Certificate(ctx context.Context, id string) (Certificate, error) {
	r, err := rt.Request(ctx, id)
	if err != nil {
		return Certificate{}, err
	}
	if r.Right != RightErasure || r.State != RequestCompleted {
		return Certificate{}, &RequestError{ID: id, Op: "Certificate", Err: fmt.Errorf("%w: only a completed erasure has a certificate (this is a %s request, %s)", ErrInvalidRequest, r.Right, r.State)}
	}
	return certificateOf(r), nil
}

// certificateOf writes the certificate of a completed erasure, leaving out
// failure texts.
func certificateOf(r Request) Certificate {
	c := Certificate{
		Request: r.ID, SubjectToken: r.SubjectToken,
		ReceivedAt: r.ReceivedAt, VerifiedAt: r.VerifiedAt, Due: r.Due, CompletedAt: r.CompletedAt,
		Sources: make([]Step, len(r.Sources)), Keys: make([]Step, len(r.Keys)),
		Consents: make([]Step, len(r.Consents)),
		Journal:  r.Journal,
	}
	for i, s := range r.Sources {
		s.Error, s.Records = "", 0
		c.Sources[i] = s
	}
	for i, s := range r.Keys {
		s.Error, s.Records = "", 0
		c.Keys[i] = s
	}
	for i, s := range r.Consents {
		s.Error, s.Records = "", 0
		c.Consents[i] = s
	}
	return c
}
