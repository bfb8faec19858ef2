package piitest

import (
	"database/sql"
	"net"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/pii"
)

func TestPersonalFieldsTaggedPasses(t *testing.T) {
	r := &recorder{}
	assert.True(t, PersonalFieldsTagged(r, User{}))
	assert.True(t, PersonalFieldsTagged(r, (*User)(nil)))
	assert.True(t, PersonalFieldsTagged(r, reflect.TypeFor[User]()))
	assert.Empty(t, r.failures)
}

// The fixtures below leave personal-looking fields untagged on purpose.

type profile struct {
	Phone    sql.NullString //piicheck:ignore untagged on purpose: the assertion must find it
	HostName string
	Verified bool
}

type Account struct {
	ID        string     `pii:"subject"`
	Email     string     //piicheck:ignore untagged on purpose: the assertion must find it
	FileName  string     // not personal
	Nickname  string     `pii:"-"`
	BirthDate *time.Time //piicheck:ignore untagged on purpose: the assertion must find it
	ClientIPs []net.IP   //piicheck:ignore untagged on purpose: the assertion must find it
	Profiles  []profile
	Home      struct {
		Street string //piicheck:ignore untagged on purpose: the assertion must find it
	} `pii:"address"`
	Again    *Account
	Callback func(email string)
	email    string
}

func TestPersonalFieldsTaggedFails(t *testing.T) {
	r := &recorder{}
	assert.False(t, PersonalFieldsTagged(r, &Account{}, "see %s", "DESIGN.md"))
	msg := r.failed(t)
	assert.Contains(t, msg, "piitest.Account has 4 personal-looking fields without a pii tag:")
	assert.Contains(t, msg, `field Account.Email looks personal (email) but has no pii tag: tag it pii:"email", or pii:"-" if it holds no personal data`)
	assert.Contains(t, msg, `field Account.BirthDate looks personal (birth date) but has no pii tag: tag it pii:"dob"`)
	assert.Contains(t, msg, `field Account.ClientIPs looks personal (client ip) but has no pii tag: tag it pii:"ip"`)
	assert.Contains(t, msg, `field profile.Phone looks personal (phone) but has no pii tag: tag it pii:"phone"`, "nested types are checked")
	assert.NotContains(t, msg, "Street", "a tagged struct field covers what it holds")
	assert.Contains(t, msg, "see DESIGN.md")
	_ = Account{}.email
}

type generated struct {
	Email    string //piicheck:ignore stands for generated code, described with pii.Register
	Phone    string //piicheck:ignore stands for generated code, described with pii.Register
	Nickname string //piicheck:ignore stands for generated code, described with pii.Register
}

func TestPersonalFieldsTaggedRegistered(t *testing.T) {
	require.NoError(t, pii.Register[generated](map[string]string{"Email": "email", "Phone": "phone", "Nickname": "-"}))
	r := &recorder{}
	assert.True(t, PersonalFieldsTagged(r, generated{}))
	assert.Empty(t, r.failures)
}

func TestPersonalFieldsTaggedBadInput(t *testing.T) {
	type Bad struct {
		Email string `pii:"email,redact=blur"`
	}
	r := &recorder{}
	assert.False(t, PersonalFieldsTagged(r, Bad{}))
	assert.Contains(t, r.failed(t), `piitest.Bad has an invalid pii tag: pii: piitest.Bad.Email: tag "email,redact=blur": unknown redaction style "blur"`)

	for _, v := range []any{nil, "text", 42, []User{}} {
		r := &recorder{}
		assert.False(t, PersonalFieldsTagged(r, v))
		assert.Contains(t, r.failed(t), "PersonalFieldsTagged needs a struct type", "%T", v)
	}
}
