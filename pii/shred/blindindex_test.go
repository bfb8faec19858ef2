package shred_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/shred"
)

func TestBlindIndex(t *testing.T) {
	ctx := context.Background()
	store := shred.NewMemoryStore()
	kek := newKEK(t)
	a := newShredder(t, store, func(c *shred.ShredderConfig) { c.KEK = kek })
	b := newShredder(t, store, func(c *shred.ShredderConfig) { c.KEK = kek })

	x, err := a.BlindIndex(ctx, pii.Email, "Ada@Example.org ")
	require.NoError(t, err)
	y, err := b.BlindIndex(ctx, pii.Email, "ada@example.org")
	require.NoError(t, err)
	assert.Equal(t, x, y, "equal after normalisation, on every instance of the namespace")
	assert.Len(t, x, pii.TokenLen)
	assert.NotContains(t, x, "example")

	z, err := a.BlindIndex(ctx, pii.Email, "grace@example.org")
	require.NoError(t, err)
	assert.NotEqual(t, x, z)
	n, err := a.BlindIndex(ctx, pii.Name, "ada@example.org")
	require.NoError(t, err)
	assert.NotEqual(t, x, n, "the category is part of the token")

	other := newShredder(t, shred.NewMemoryStore(), func(c *shred.ShredderConfig) { c.KEK = kek })
	o, err := other.BlindIndex(ctx, pii.Email, "ada@example.org")
	require.NoError(t, err)
	assert.NotEqual(t, x, o, "another store's namespace has another index key")

	_, err = a.BlindIndex(ctx, "", "x")
	assert.Error(t, err)
}

func TestBlindIndexRefusesCategoriesThatAreNotRegisteredKeys(t *testing.T) {
	ctx := context.Background()
	store := shred.NewMemoryStore()
	s := newShredder(t, store)
	require.NoError(t, s.Seal(ctx, newUser("alice")))
	recs, err := store.List(ctx, "app", "", 10)
	require.NoError(t, err)
	require.NotEmpty(t, recs)

	for _, c := range []pii.Category{"", "\x00gdprkit/shred/subject", "email\x00", "no.such.category"} {
		tok, err := s.BlindIndex(ctx, c, "alice")
		require.ErrorIs(t, err, shred.ErrUnknownCategory, "%q", c)
		assert.Empty(t, tok)
	}
	for _, r := range recs {
		for _, c := range []pii.Category{pii.Email, pii.Name} {
			tok, err := s.BlindIndex(ctx, c, "alice")
			require.NoError(t, err)
			assert.NotEqual(t, r.Ref, tok, "a token is never a subject's reference")
		}
	}
}

func TestTokenizerIsTheNamespacesPersistentIndexKey(t *testing.T) {
	ctx := context.Background()
	store := shred.NewMemoryStore()
	kek := newKEK(t)
	a := newShredder(t, store, func(c *shred.ShredderConfig) { c.KEK = kek; c.Namespace = "journal" })
	ta, err := a.Tokenizer(ctx)
	require.NoError(t, err)
	b := newShredder(t, store, func(c *shred.ShredderConfig) { c.KEK = kek; c.Namespace = "journal" })
	tb, err := b.Tokenizer(ctx)
	require.NoError(t, err)
	assert.Equal(t, ta.Token(pii.UniqueID, "cus_1"), tb.Token(pii.UniqueID, "cus_1"), "every Shredder of the namespace, restarted or not")
	idx, err := b.BlindIndex(ctx, pii.Email, "ada@example.org")
	require.NoError(t, err)
	assert.Equal(t, idx, ta.Token(pii.Email, "ada@example.org"))

	other := newShredder(t, store, func(c *shred.ShredderConfig) { c.KEK = kek; c.Namespace = "app" })
	to, err := other.Tokenizer(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, ta.Token(pii.UniqueID, "cus_1"), to.Token(pii.UniqueID, "cus_1"), "namespaces have keys of their own")
}
