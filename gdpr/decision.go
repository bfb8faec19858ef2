package gdpr

import (
	"fmt"
	"time"
)

// Decision is the Guard's answer for one subject, purpose and instant: allowed
// or not, on which basis, and why. It is a small value: returning one
// allocates nothing.
type Decision struct {
	Purpose   string    // the purpose ID asked about
	Allowed   bool      // whether processing may go ahead
	Basis     Basis     // the purpose's lawful basis; zero for an unknown purpose
	Condition Condition // the purpose's Art. 9(2) condition, if any
	Reason    Reason    // why it was allowed or denied
	At        time.Time // the instant decided for
	// Notice is the notice version consent was given under, when consent
	// decided (Art. 7(1): the controller must be able to show it).
	Notice string
	// Since is when the deciding consent event took effect.
	Since time.Time
}

// Reason says why a Decision came out as it did. Its String is a stable
// code, as written in the journal.
type Reason uint8

// Reasons for allowing.
const (
	// ReasonConsent: consent holds (Art. 6(1)(a) or Art. 9(2)(a)).
	ReasonConsent Reason = iota + 1
	// ReasonContract: the contract hook confirmed a contract (Art. 6(1)(b)).
	ReasonContract
	// ReasonDeclared: legal obligation, vital interests or public task, as
	// the purpose declares (Art. 6(1)(c)–(e)).
	ReasonDeclared
	// ReasonLegitimateInterests: legitimate interests with no objection
	// (Art. 6(1)(f)).
	ReasonLegitimateInterests
	// ReasonRestrictionExempt: processing is restricted (Art. 18) but the
	// purpose is storage, legal claims, the protection of another person's
	// rights or important public interest (Art. 18(2)), and its basis holds.
	ReasonRestrictionExempt
	// ReasonRestrictionConsent: processing is restricted (Art. 18) but the
	// subject consented to the purpose after the restriction (Art. 18(2)).
	ReasonRestrictionConsent
	// ReasonLegalClaimsOverObjection: the subject objected (Art. 21(1)) but
	// the purpose serves the establishment, exercise or defence of legal
	// claims, which the objection does not stop.
	ReasonLegalClaimsOverObjection
)

// Reasons for denying.
const (
	// ReasonUnknownPurpose: the purpose is not registered.
	ReasonUnknownPurpose Reason = iota + 16
	// ReasonConsentMissing: consent was never given.
	ReasonConsentMissing
	// ReasonConsentWithdrawn: the subject withdrew consent.
	ReasonConsentWithdrawn
	// ReasonConsentExpired: consent ran out.
	ReasonConsentExpired
	// ReasonConsentOutdated: consent was given under a notice that has
	// changed since.
	ReasonConsentOutdated
	// ReasonNoContract: the contract hook found no contract.
	ReasonNoContract
	// ReasonObjected: the subject objected to the purpose (Art. 21(1)).
	ReasonObjected
	// ReasonObjectedMarketing: the subject objected to direct marketing
	// (Art. 21(2)–(3)).
	ReasonObjectedMarketing
	// ReasonRestricted: processing is restricted (Art. 18).
	ReasonRestricted
	// ReasonUnderAge: the consent record does not show the subject of the
	// age of digital consent of their country, nor the consent of a holder
	// of parental responsibility (Art. 8(1)).
	ReasonUnderAge
	// ReasonKeptForException: the subject's data was erased but for what
	// an exception of Art. 17(3) keeps, and the purpose is not one of that
	// exception's (Kept).
	ReasonKeptForException
)

var reasonInfo = map[Reason]struct{ code, text string }{
	ReasonConsent:                  {"consent-given", "consent given"},
	ReasonContract:                 {"contract", "contract with the subject"},
	ReasonDeclared:                 {"declared", "basis holds as declared"},
	ReasonLegitimateInterests:      {"legitimate-interests", "legitimate interests, no objection"},
	ReasonRestrictionExempt:        {"restriction-exempt", "processing restricted, but Art. 18(2) allows the purpose"},
	ReasonRestrictionConsent:       {"restriction-consent", "processing restricted, but the subject consented after the restriction (Art. 18(2))"},
	ReasonLegalClaimsOverObjection: {"legal-claims-over-objection", "the subject objected, but the purpose serves legal claims (Art. 21(1))"},
	ReasonUnknownPurpose:           {"unknown-purpose", "purpose not in the register"},
	ReasonConsentMissing:           {"consent-missing", "consent never given"},
	ReasonConsentWithdrawn:         {"consent-withdrawn", "consent withdrawn"},
	ReasonConsentExpired:           {"consent-expired", "consent expired"},
	ReasonConsentOutdated:          {"consent-outdated", "consent given under an outdated notice"},
	ReasonNoContract:               {"no-contract", "no contract with the subject"},
	ReasonObjected:                 {"objected", "the subject objected under Art. 21(1)"},
	ReasonObjectedMarketing:        {"objected-direct-marketing", "the subject objected to direct marketing under Art. 21(3)"},
	ReasonRestricted:               {"restricted", "processing restricted under Art. 18"},
	ReasonUnderAge:                 {"under-age", "below the age of digital consent without parental consent (Art. 8(1))"},
	ReasonKeptForException:         {"kept-for-exception", "the subject's data was erased; what an exception of Art. 17(3) keeps serves only that exception's purposes"},
}

// String returns the reason's code, such as "consent-withdrawn".
func (r Reason) String() string {
	if info, ok := reasonInfo[r]; ok {
		return info.code
	}
	return fmt.Sprintf("Reason(%d)", uint8(r))
}

// Text returns the reason in words, as error messages show it.
func (r Reason) Text() string {
	if info, ok := reasonInfo[r]; ok {
		return info.text
	}
	return r.String()
}

// Denial reports whether r is a reason for denying.
func (r Reason) Denial() bool { return r >= ReasonUnknownPurpose }

// MarshalText encodes the reason as its code.
func (r Reason) MarshalText() ([]byte, error) {
	if _, ok := reasonInfo[r]; !ok {
		return nil, fmt.Errorf("gdpr: cannot encode %v: not a reason", r)
	}
	return []byte(r.String()), nil
}
