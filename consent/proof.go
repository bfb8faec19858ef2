package consent

import (
	"fmt"
	"log/slog"

	"github.com/gdprkit/gdprkit/pii"
)

// Proof holds the details that show how a consent event came about.
//
// The tagged fields are personal data. With a Sealer configured the ledger
// seals them under the subject's key before they are stored and opens them
// when History reads them; once the subject's key is erased they read back
// empty, with Erased set, while the event itself, the content-free fact that
// consent was given or withdrawn, stays. Logged with log/slog or printed
// with fmt, a Proof shows them redacted.
type Proof struct {
	// Subject is the data subject's ID; the ledger sets it from the event
	// so that a Proof names its subject when sealed on its own.
	Subject string `json:"subject,omitempty" pii:"subject"`
	// IP is the address the request came from.
	IP string `json:"ip,omitempty" pii:"ip,origin=observed"`
	// UserAgent is the browser or app that sent it.
	UserAgent string `json:"user_agent,omitempty" pii:"device,origin=observed"`
	// Artifact is the raw evidence the consent was captured in: a TC
	// string, the submitted form, the ID of a confirmation message.
	Artifact string `json:"artifact,omitempty" pii:"content"`
	// ParentalResponsibility says who holds parental responsibility over
	// the subject and gave or authorised the consent, and how that was
	// verified (Art. 8(2)), such as a reference to the verified parent
	// account. Required for a grant whose Age is Parental.
	ParentalResponsibility string `json:"parental_responsibility,omitempty" pii:"name"`
	// Erased reports that the personal details are gone: the subject's key
	// was erased (crypto-shredding), or they could not be sealed when a
	// withdrawal was recorded and were left out rather than stored in clear.
	Erased bool `json:"erased,omitempty"`
}

// empty reports whether the proof has no personal details to seal.
func (p *Proof) empty() bool {
	return p.IP == "" && p.UserAgent == "" && p.Artifact == "" && p.ParentalResponsibility == ""
}

// erase zeroes every personal field, whatever fields Proof gains, and marks
// the proof erased.
func (p *Proof) erase() {
	_ = pii.Walk(p, func(v *pii.Visit) error {
		if v.Field.Personal() && v.Value.CanSet() {
			v.Value.SetZero()
		}
		return nil
	})
	p.Erased = true
}

// proofFields is Proof without its methods, for pii.Redact to reflect on.
type proofFields Proof

// LogValue implements slog.LogValuer: the proof with its personal details
// redacted.
func (p Proof) LogValue() slog.Value { return pii.Redact(proofFields(p)).LogValue() }

// Format implements fmt.Formatter: %v, %+v, %#v and %s print the proof with
// its personal details redacted.
func (p Proof) Format(f fmt.State, verb rune) { pii.Redact(proofFields(p)).Format(f, verb) }
