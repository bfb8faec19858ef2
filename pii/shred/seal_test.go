package shred_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/pii/shred"
)

func TestSealOpenRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	u := newUser("u-1")
	want := *u
	wantPhone := *u.Phone

	require.NoError(t, s.Seal(ctx, u))
	assert.Equal(t, "u-1", u.ID, "the subject field is never sealed")
	assert.True(t, shred.IsSealed(u.Name), "name sealed: %q", u.Name)
	assert.True(t, shred.IsSealed(u.Email))
	assert.True(t, shred.IsSealed(*u.Phone))
	assert.True(t, shred.IsSealed(string(u.Avatar)))
	assert.Equal(t, "192.0.2.7", u.IP, "plain fields stay in clear")
	assert.Equal(t, "gold", u.Plan)
	assert.NotContains(t, u.Email, "ada")

	require.NoError(t, s.Open(ctx, u))
	assert.Equal(t, want.Name, u.Name)
	assert.Equal(t, want.Email, u.Email)
	assert.Equal(t, wantPhone, *u.Phone)
	assert.Equal(t, []byte{0x89, 'P', 'N', 'G'}, u.Avatar)
}
