package consent

import (
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// Act is what the caller knows about a consent act: who, for which
// purposes, under which notice, how, and the proof. The ledger adds the
// time and the sequence numbers and stores one Event per purpose.
type Act struct {
	// Subject is the data subject's ID. Required.
	Subject string `json:"subject" pii:"subject"`
	// Purposes are the purposes the act covers, one event each. Required,
	// except for Ledger.WithdrawAll, which finds them itself.
	Purposes []string `json:"purposes"`
	// Notice is the version of the notice the subject was shown. Required
	// for a grant.
	Notice string `json:"notice,omitempty"`
	// Language is the language the notice was shown in.
	Language language.Tag `json:"language"`
	// Method is how the subject acted. Required for a grant.
	Method Method `json:"method,omitempty"`
	// Source is where the act came from, such as "web/signup". Not personal.
	Source string `json:"source,omitempty"`
	// Expires, for a grant, ends it earlier than the configured validity,
	// when the subject agreed to a limited time. Zero otherwise.
	Expires time.Time `json:"expires,omitzero"`
	// Proof holds the personal details that show how the act came about.
	Proof Proof `json:"proof"`
	// Age is, for a grant, what is known of the subject's age and country,
	// and whether a holder of parental responsibility gave or authorised
	// the consent (Art. 8). Only a grant carries it.
	Age Age `json:"age,omitzero"`
}

// maxName bounds subject IDs, purposes, notice versions, methods and sources.
const maxName = 255

// checkName checks an identifier-like text: not empty, at most 255 bytes of
// UTF-8, no control characters, no space at either end.
func checkName(field, s string) error {
	switch {
	case s == "":
		return invalid(field, "empty")
	case len(s) > maxName:
		return invalid(field, "longer than %d bytes", maxName)
	case !utf8.ValidString(s):
		return invalid(field, "not valid UTF-8")
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return invalid(field, "holds a control character")
		}
	}
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	if unicode.IsSpace(first) || unicode.IsSpace(last) {
		return invalid(field, "begins or ends with a space")
	}
	return nil
}

// checkOptional checks an optional identifier-like text.
func checkOptional(field, s string) error {
	if s == "" {
		return nil
	}
	return checkName(field, s)
}

// check validates r for an event of kind k recorded at now. allPurposes is
// set for WithdrawAll, which takes no purposes.
func (r *Act) check(k EventKind, now time.Time, allPurposes bool) error {
	if err := checkName("Act.Subject", r.Subject); err != nil {
		return err
	}
	if allPurposes {
		if len(r.Purposes) > 0 {
			return invalid("Act.Purposes", "WithdrawAll finds the purposes itself; leave them empty or call Withdraw")
		}
	} else {
		if len(r.Purposes) == 0 {
			return invalid("Act.Purposes", "name at least one purpose")
		}
		for i, p := range r.Purposes {
			field := fmt.Sprintf("Act.Purposes[%d]", i)
			if err := checkName(field, p); err != nil {
				return err
			}
			for _, q := range r.Purposes[:i] {
				if q == p {
					return invalid(field, "purpose %q named twice", p)
				}
			}
		}
	}
	if err := checkOptional("Act.Notice", r.Notice); err != nil {
		return err
	}
	if err := checkOptional("Act.Method", string(r.Method)); err != nil {
		return err
	}
	if err := checkOptional("Act.Source", r.Source); err != nil {
		return err
	}
	if r.Proof.Subject != "" && r.Proof.Subject != r.Subject {
		return invalid("Act.Proof.Subject", "differs from Act.Subject; leave it empty")
	}
	if k == Grant {
		if r.Notice == "" {
			return invalid("Act.Notice", "a grant needs the version of the notice the subject was shown (Art. 7(1))")
		}
		if r.Method == "" {
			return invalid("Act.Method", "a grant needs the method it was given by, such as consent.MethodForm")
		}
		if !r.Expires.IsZero() && !r.Expires.After(now) {
			return invalid("Act.Expires", "%s is not after the grant (%s)", r.Expires.Format(time.RFC3339), now.Format(time.RFC3339))
		}
		// Art. 8(2): reasonable efforts to verify that consent is given or
		// authorised by the holder of parental responsibility.
		if r.Age.Parental && r.Proof.ParentalResponsibility == "" {
			return invalid("Act.Proof.ParentalResponsibility", "parental consent (Art. 8(1)) needs who holds parental responsibility and how that was verified (Art. 8(2))")
		}
	} else if !r.Expires.IsZero() {
		return invalid("Act.Expires", "only a grant can expire")
	} else if !r.Age.IsZero() {
		return invalid("Act.Age", "only a grant carries the subject's age")
	}
	return nil
}

// checkBatch checks what a store is asked to append.
func checkBatch(events []Event) error {
	if len(events) == 0 {
		return invalid("events", "nothing to append")
	}
	for i := range events {
		e := &events[i]
		if e.Subject != events[0].Subject {
			return invalid(fmt.Sprintf("events[%d].Subject", i), "one append holds events of one subject")
		}
		if err := checkName(fmt.Sprintf("events[%d].Subject", i), e.Subject); err != nil {
			return err
		}
		if err := checkName(fmt.Sprintf("events[%d].Purpose", i), e.Purpose); err != nil {
			return err
		}
		if e.Kind < Grant || e.Kind > Expiry {
			return invalid(fmt.Sprintf("events[%d].Kind", i), "unknown kind %d", e.Kind)
		}
		if e.At.IsZero() {
			return invalid(fmt.Sprintf("events[%d].At", i), "zero time")
		}
		if e.Proof.Subject != "" && e.Proof.Subject != e.Subject {
			return invalid(fmt.Sprintf("events[%d].Proof.Subject", i), "differs from the event's Subject")
		}
	}
	return nil
}

// checkNotice checks a notice to be stored.
func checkNotice(n Notice) error {
	if err := checkName("Notice.Purpose", n.Purpose); err != nil {
		return err
	}
	if err := checkName("Notice.Version", n.Version); err != nil {
		return err
	}
	if n.Effective.IsZero() {
		return invalid("Notice.Effective", "zero time")
	}
	return nil
}
