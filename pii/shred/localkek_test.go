package shred_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/pii/shred"
)

func TestLocalKEK(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kek.bin")
	kek, err := shred.LocalKEK(path)
	require.NoError(t, err)
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "readable by its owner only")

	store := shred.NewMemoryStore()
	s, err := shred.New(shred.ShredderConfig{Store: store, KEK: kek})
	require.NoError(t, err)
	u := newUser("u-1")
	require.NoError(t, s.Seal(ctx, u))

	again, err := shred.LocalKEK(path) // the next start of the program
	require.NoError(t, err)
	s2, err := shred.New(shred.ShredderConfig{Store: store, KEK: again})
	require.NoError(t, err)
	require.NoError(t, s2.Open(ctx, u), "the same file gives the same KEK")
	assert.Equal(t, "ada@example.org", u.Email)

	bad := filepath.Join(t.TempDir(), "bad.bin")
	require.NoError(t, os.WriteFile(bad, []byte("not a keyset"), 0o600))
	_, err = shred.LocalKEK(bad)
	assert.ErrorContains(t, err, "bad.bin")
	_, err = shred.LocalKEK(filepath.Join(t.TempDir(), "missing-dir", "kek.bin"))
	assert.Error(t, err)
}
