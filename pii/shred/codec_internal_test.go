package shred

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCodecFailsClosedOnAMissingPersonalMember(t *testing.T) {
	s, err := New(ShredderConfig{Store: NewMemoryStore(), KEK: testKEK(t)})
	require.NoError(t, err)
	type U struct {
		ID    string `pii:"subject" json:"id"`
		Email string `pii:"email" json:"email"`
		Note  string `pii:"user.content" json:"note,omitempty"`
	}
	u := U{ID: "u-1", Email: "ada@example.org"}
	o := s.getOp(t.Context(), "marshal")
	defer s.putOp(o)
	c := codec{o: o, sealing: true}

	// encoding/json wrote no member for Email: where did its value go?
	_, err = c.value([]byte(`{"id":"u-1"}`), reflect.TypeOf(u), reflect.ValueOf(u), nil, 0)
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	assert.Contains(t, fe.Field, "U.Email")

	// Note is empty and omitempty: its absence is expected.
	out, err := c.value([]byte(`{"id":"u-1","email":"ada@example.org"}`), reflect.TypeOf(u), reflect.ValueOf(u), nil, 0)
	require.NoError(t, err)
	assert.NotContains(t, string(out), "ada@")
}
