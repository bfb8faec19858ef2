package piitest

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNoPersonalValuesPasses(t *testing.T) {
	r := &recorder{}
	out := `{"level":"INFO","msg":"signed up","user":"u-1815","plan":"analytical-engine","email":"a**@e******.org"}`
	assert.True(t, NoPersonalValues(r, out, ada()))
	assert.Empty(t, r.failures)

	// []byte output, and a pointer to the value.
	u := ada()
	assert.True(t, NoPersonalValues(r, []byte(out), &u))
	assert.Empty(t, r.failures)
}

func TestNoPersonalValuesFindsEachForm(t *testing.T) {
	cases := map[string]struct {
		out   string
		field string
	}{
		"as is":             {`{"note":"contact ada@example.org now"}`, "User.Email (user.contact.email)"},
		"other case":        {"mail ADA@EXAMPLE.ORG", "User.Email (user.contact.email)"},
		"nested in a slice": {"lives at 12 St James's Square, London.", "Contact.Address (user.contact.address)"},
		"phone, digits":     {"sms to +442079460958", "User.Phone (user.contact.phone_number)"},
		"bytes, base64":     {`{"avatar":"` + base64.StdEncoding.EncodeToString([]byte("portrait-bytes")) + `"}`, "User.Avatar (user.biometric)"},
		"bytes, as text":    {"avatar=portrait-bytes", "User.Avatar (user.biometric)"},
		"number":            {"salary=7654321", "User.Salary (user.financial)"},
		"date of birth":     {"born=1815-12-10", "User.Born (user.demographic.date_of_birth)"},
		"time, %v":          {"born 1815-12-10 00:00:00 +0000 UTC", "User.Born (user.demographic.date_of_birth)"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			r := &recorder{}
			assert.False(t, NoPersonalValues(r, c.out, ada()))
			msg := r.failed(t)
			assert.Contains(t, msg, "output holds 1 personal value of piitest.User:")
			assert.Contains(t, msg, c.field+" at byte ")
			assertNoClearValues(t, msg)
		})
	}
}

func TestNoPersonalValuesQuoted(t *testing.T) {
	type Note struct {
		Text string `pii:"content"`
	}
	// slog's text handler and %q write a quote as \".
	r := &recorder{}
	assert.False(t, NoPersonalValues(r, `msg=x text="she said \"hello there\""`, Note{Text: `she said "hello there"`}))
	assert.Contains(t, r.failed(t), "Note.Text (user.content) at byte 12")

	// encoding/json writes <, > and & as \u003c, \u003e and \u0026.
	r = &recorder{}
	assert.False(t, NoPersonalValues(r, `{"text":"Tom \u0026 Jerry \u003cthe cat\u003e"}`, Note{Text: "Tom & Jerry <the cat>"}))
	assert.Contains(t, r.failed(t), "Note.Text (user.content) at byte 9")
}

func TestNoPersonalValuesTimeToTheSecond(t *testing.T) {
	type Visit struct {
		At time.Time `pii:"browsing"`
	}
	v := Visit{At: time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC)}
	for _, out := range []string{
		`{"at":"2024-05-06T07:08:09.123456789Z"}`,   // JSON
		`at=2024-05-06T07:08:09.123Z`,               // slog text handler
		`{2024-05-06 07:08:09.123456789 +0000 UTC}`, // %v
	} {
		r := &recorder{}
		assert.False(t, NoPersonalValues(r, out, v), out)
		assert.Len(t, r.failures, 1, out)
	}
	r := &recorder{}
	assert.True(t, NoPersonalValues(r, "on 2024-05-06 at noon", v), "a date alone is not the time")
}

func TestNoPersonalValuesMasksTheExcerpt(t *testing.T) {
	r := &recorder{}
	out := "line one\n" + `{"note":"contact ada@example.org now, or bob@example.net","tail":"` + strings.Repeat("x", 60) + `"}`
	assert.False(t, NoPersonalValues(r, out, ada()))
	msg := r.failed(t)
	assert.Contains(t, msg, `User.Email (user.contact.email) at byte 26: ...ne one\n{"note":"contact a**@e******.org now, or b**@e******.net...`,
		"the value and another address nearby are masked, the line break escaped, the excerpt cut")
	assert.NotContains(t, msg, "bob@example.net")
	assertNoClearValues(t, msg)
}

func TestNoPersonalValuesListsAllFields(t *testing.T) {
	r := &recorder{}
	out := "Ada Lovelace <ada@example.org> +44 20 7946 0958"
	assert.False(t, NoPersonalValues(r, out, ada(), "signup log of %s", "u-1815"))
	msg := r.failed(t)
	assert.Contains(t, msg, "output holds 3 personal values of piitest.User:")
	assert.Contains(t, msg, "User.Name (user.name) at byte 0: *** ******** <a**@e******.org> +** ** **** ****")
	assert.Contains(t, msg, "User.Email (user.contact.email) at byte 14")
	assert.Contains(t, msg, "User.Phone (user.contact.phone_number) at byte 31")
	assert.Contains(t, msg, "signup log of u-1815", "msgAndArgs are shown")
	assertNoClearValues(t, msg)
}

func TestNoPersonalValuesElidesLongLists(t *testing.T) {
	r := &recorder{}
	out := strings.Repeat("ada@example.org ", 13)
	assert.False(t, NoPersonalValues(r, out, ada()))
	msg := r.failed(t)
	assert.Contains(t, msg, "output holds 13 personal values")
	assert.Equal(t, maxListed, strings.Count(msg, "User.Email (user.contact.email) at byte"))
	assert.Contains(t, msg, "... and 3 more")
}

func TestNoPersonalValuesNeedsSomethingToLookFor(t *testing.T) {
	type Short struct {
		ID     string `pii:"subject"`
		Gender string `pii:"gender"`
	}
	r := &recorder{}
	assert.False(t, NoPersonalValues(r, "gender=F", Short{ID: "s-1", Gender: "F"}))
	assert.Contains(t, r.failed(t), "piitest.Short holds no personal value of 4 characters or more")

	r = &recorder{}
	assert.False(t, NoPersonalValues(r, "anything", User{ID: "u-2"}))
	assert.Contains(t, r.failed(t), "nothing to look for")

	r = &recorder{}
	assert.False(t, NoPersonalValues(r, "anything", nil))
	assert.Len(t, r.failures, 1)
}

func TestNoPersonalValuesReportsTagErrors(t *testing.T) {
	type Bad struct {
		Email string `pii:"emial"`
	}
	r := &recorder{}
	assert.False(t, NoPersonalValues(r, "x", Bad{Email: "ada@example.org"}))
	msg := r.failed(t)
	assert.Contains(t, msg, "cannot read the personal values of piitest.Bad")
	assert.Contains(t, msg, `unknown category "emial"`)
}

func TestNoPersonalValuesSeveralValues(t *testing.T) {
	type Order struct {
		Customer string `pii:"subject"`
		Ship     string `pii:"address"`
	}
	r := &recorder{}
	values := []any{ada(), Order{Customer: "u-1815", Ship: "221B Baker Street"}}
	assert.False(t, NoPersonalValues(r, "shipping to 221b baker street", values))
	msg := r.failed(t)
	require.NotEmpty(t, msg)
	assert.Contains(t, msg, "Order.Ship (user.contact.address) at byte 12")
}
