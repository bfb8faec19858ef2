package pii_test

import (
	"testing"

	"github.com/gdprkit/gdprkit/pii"
)

// FuzzParseTag checks that no tag text panics the parser, and that every tag
// it accepts formats back to text that parses to the same Tag.
func FuzzParseTag(f *testing.F) {
	for _, seed := range []string{"", "-", "subject", "subject,group=a", "email", "user.contact.email,redact=mask",
		"phone,redact=last4,replace=x,plain,origin=observed", "email,,", "=", ",", "email,replace=a=b", "-,-"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		tag, err := pii.ParseTag(text)
		if err != nil {
			return
		}
		again, err := pii.ParseTag(tag.String())
		if err != nil {
			t.Fatalf("%q parsed, but its String %q does not: %v", text, tag.String(), err)
		}
		if again != tag {
			t.Fatalf("%q: round trip changed the tag: %+v != %+v", text, again, tag)
		}
	})
}
