package pii_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gdprkit/gdprkit/pii"
)

// TestMaskRevealsNoLength covers the class: a mask shows no part of an
// e-mail address's local part, not even its length or first letter, and
// values of any other category are hidden whole, at a fixed width.
func TestMaskRevealsNoLength(t *testing.T) {
	cases := []struct {
		c    pii.Category
		in   string
		want string
	}{
		{pii.Email, "grace@example.net", "***@example.net"},
		{pii.Email, "g@example.net", "***@example.net"},
		{pii.Email, "grace.brewster.murray.hopper@example.net", "***@example.net"},
		{pii.Email, "not an address", "***"},
		{pii.IPAddress, "203.0.113.7", "203.0.113.***"},
		{pii.IPAddress, "2001:db8:85a3:8d3:1319:8a2e:370:7348", "2001:db8:85a3::***"},
		{pii.IPAddress, "::ffff:192.0.2.1", "192.0.2.***"},
		{pii.IPAddress, "nonsense", "***"},
		{pii.Category("user.contact.phone_number"), "+1 202 555 0143", "***"},
		{pii.Category("user.name"), "Grace Hopper", "***"},
		{pii.Category("user.name"), "Al", "***"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, pii.MaskText(c.c, c.in), "MaskText(%s, %q)", c.c, c.in)
	}
}

func TestLast4HidesLength(t *testing.T) {
	type card struct {
		Number string `pii:"card,redact=last4"`
	}
	for in, want := range map[string]string{
		"4242424242424242":    "****4242",
		"4242 4242 4242 4242": "****4242",
		"378282246310005":     "****0005",
		"1234567":             "****",
		"12":                  "****",
	} {
		assert.Equal(t, "{Number:"+want+"}", fmt.Sprintf("%+v", pii.Redact(card{Number: in})), "last4 of %q", in)
	}
}

// TestStyleTable keeps README.md's table of styles true.
func TestStyleTable(t *testing.T) {
	type styled struct {
		FullE  string `pii:"email"`
		MaskE  string `pii:"email,redact=mask"`
		Last4E string `pii:"email,redact=last4"`
		FullP  string `pii:"phone"`
		MaskP  string `pii:"phone,redact=mask"`
		Last4P string `pii:"phone,redact=last4"`
		FullI  string `pii:"ip"`
		MaskI  string `pii:"ip,redact=mask"`
		Last4I string `pii:"ip,redact=last4"`
		FullC  string `pii:"card"`
		MaskC  string `pii:"card,redact=mask"`
		Last4C string `pii:"card,redact=last4"`
		DropC  string `pii:"card,redact=drop"`
	}
	const e, p, i, c = "ada@example.org", "+44 20 7946 0958", "203.0.113.7", "4242 4242 4242 4242"
	got := fmt.Sprintf("%+v", pii.Redact(styled{e, e, e, p, p, p, i, i, i, c, c, c, c}))
	assert.Equal(t, "{FullE:[redacted:email] MaskE:***@example.org Last4E:****.org "+
		"FullP:[redacted:phone] MaskP:*** Last4P:****0958 "+
		"FullI:[redacted:ip] MaskI:203.0.113.*** Last4I:****13.7 "+
		"FullC:[redacted:card] MaskC:*** Last4C:****4242}", got)
}
