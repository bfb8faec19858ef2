package pii_test

import (
	"encoding/json"
	"testing"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type promotedBase struct {
	Email string //piicheck:ignore stands for generated code that Register would describe
}

type promotedUser struct {
	ID string
	promotedBase
}

func TestRegisterRefusesPromotedFields(t *testing.T) {
	err := pii.Register[promotedUser](map[string]string{"ID": "subject", "Email": "email"})
	require.Error(t, err, "a promoted field cannot be described on the embedding type")
	assert.ErrorContains(t, err, "register that struct type instead")
}

type hiddenContact struct {
	Email string `pii:"email"`
}

func TestUnexportedEmbeddedStructWithTagsIsAnError(t *testing.T) {
	type User struct {
		ID string `pii:"subject"`
		hiddenContact
	}
	err := pii.Check(User{})
	require.ErrorIs(t, err, pii.ErrInvalidTag)
	assert.ErrorContains(t, err, "pii_test.User.hiddenContact")
	assert.ErrorContains(t, err, "embedded struct of unexported type")
}

func TestInvalidJSONNameFallsBackLikeEncodingJSON(t *testing.T) {
	type User struct {
		ID    string `pii:"subject" json:"id"`
		Email string `pii:"email" json:"user's email"`
	}
	u := User{ID: "u1", Email: "ada@example.org"}
	plain, err := json.Marshal(u) //piicheck:ignore the test compares with encoding/json's own key choice
	require.NoError(t, err)
	assert.Contains(t, string(plain), `"Email":`, "encoding/json ignores the invalid name")
	redacted, err := json.Marshal(pii.Redact(u))
	require.NoError(t, err)
	assert.Contains(t, string(redacted), `"Email":"[redacted:email]"`)
	assert.NotContains(t, string(redacted), "ada@example.org")
}

func TestEmptyNestedSubjectIsNotInherited(t *testing.T) {
	type Recipient struct {
		ID   string `pii:"subject"`
		Name string `pii:"name"`
	}
	type Order struct {
		Customer string `pii:"subject"`
		Note     string `pii:"content"`
		To       []Recipient
	}
	o := &Order{Customer: "alice", Note: "ring twice", To: []Recipient{{ID: "", Name: "Bob Builder"}, {ID: "carol", Name: "Carol"}}}
	got := map[string]string{}
	require.NoError(t, pii.Walk(o, func(v *pii.Visit) error {
		if v.Field.Personal() {
			got[v.Value.String()] = v.Subject
		}
		return nil
	}))
	assert.Equal(t, map[string]string{"ring twice": "alice", "Bob Builder": "", "Carol": "carol"}, got,
		"a declared but empty subject leaves the value without one, rather than handing it to the enclosing subject")
}

type PtrBase struct {
	Email string `pii:"email" json:"email"`
}

func TestRedactedJSONInlinesEmbeddedPointers(t *testing.T) {
	type User struct {
		ID string `pii:"subject" json:"id"`
		*PtrBase
	}
	out, err := json.Marshal(pii.Redact(User{ID: "u1", PtrBase: &PtrBase{Email: "ada@example.org"}}))
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"u1","email":"[redacted:email]"}`, string(out), "embedded pointers are inlined, as encoding/json does")
	out, err = json.Marshal(pii.Redact(User{ID: "u2"}))
	require.NoError(t, err)
	assert.JSONEq(t, `{"id":"u2"}`, string(out))
}
