package piitest

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRedactedPasses(t *testing.T) {
	r := &recorder{}
	u := ada()
	assert.True(t, Redacted(r, u))
	assert.True(t, Redacted(r, &u))
	assert.Empty(t, r.failures)
}

func TestRedactedCoversEveryRendering(t *testing.T) {
	var names []string
	for _, r := range renderings(ada()) {
		names = append(names, r.name)
		assert.NoError(t, r.err, r.name)
		assert.NotEmpty(t, r.text, r.name)
		assert.Contains(t, r.text, "analytical-engine", "%s shows the ordinary fields", r.name)
	}
	assert.Equal(t, []string{
		"fmt %v", "fmt %+v", "fmt %#v", "fmt %s", "encoding/json",
		"slog JSON handler, pii.Redact(v)", "slog JSON handler under pii.NewHandler, v",
		"slog text handler, pii.Redact(v)", "slog text handler under pii.NewHandler, v",
	}, names)
}

func TestRedactedFailsOnALeak(t *testing.T) {
	leaky := func(any) []rendering {
		return []rendering{
			{name: "fmt %v", text: "{u-1815 [redacted:user.contact.email] Ada Lovelace}"},
			{name: "encoding/json", err: errors.New("json: unsupported type")},
			{name: "slog JSON handler", text: `{"msg":"m","phone":"+44 20 7946 0958"}`},
		}
	}
	r := &recorder{}
	assert.False(t, redacted(r, ada(), leaky, "user %s", "u-1815"))
	msg := r.failed(t)
	assert.Contains(t, msg, "piitest.User is not redacted:\n")
	assert.Contains(t, msg, "fmt %v: User.Name (user.name) at byte 38: ...ted:user.contact.email] *** ********}")
	assert.Contains(t, msg, "encoding/json: json: unsupported type")
	assert.Contains(t, msg, `slog JSON handler: User.Phone (user.contact.phone_number) at byte 20: {"msg":"m","phone":"+** ** **** ****"}`)
	assert.Contains(t, msg, "user u-1815")
	assertNoClearValues(t, msg)
}

func TestRedactedNeedsSomethingToLookFor(t *testing.T) {
	r := &recorder{}
	assert.False(t, Redacted(r, User{ID: "u-4"}))
	assert.Contains(t, r.failed(t), "nothing to look for")
}
