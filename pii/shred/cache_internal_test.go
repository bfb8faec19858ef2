package shred

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKeyCacheBoundAndTTL(t *testing.T) {
	c := newKeyCache(2)
	c.put("a", &subjectKey{expires: 100})
	c.put("b", &subjectKey{expires: 100})
	require.NotNil(t, c.get("a", 10), "a is now the most recently used")
	c.put("c", &subjectKey{expires: 100})
	assert.Equal(t, 2, c.len())
	assert.Nil(t, c.get("b", 10), "the least recently used entry went")
	assert.NotNil(t, c.get("a", 10))
	assert.NotNil(t, c.get("c", 10))

	assert.Nil(t, c.get("a", 100), "an entry expires at its deadline")
	assert.Equal(t, 1, c.len(), "and is dropped")

	c.put("c", &subjectKey{expires: 500, erased: true})
	assert.True(t, c.get("c", 200).erased, "put replaces")
	c.drop("c")
	assert.Nil(t, c.get("c", 200))
	c.put("d", &subjectKey{expires: 500})
	c.purge()
	assert.Equal(t, 0, c.len())

	var off *keyCache // a disabled cache
	off.put("x", &subjectKey{expires: 500})
	assert.Nil(t, off.get("x", 1))
	assert.Equal(t, 0, off.len())
}

func TestShredderCacheSize(t *testing.T) {
	s, err := New(Config{Store: NewMemoryStore(), KEK: testKEK(t), CacheSize: 3})
	require.NoError(t, err)
	type U struct {
		ID    string `pii:"subject"`
		Email string `pii:"email"`
	}
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		require.NoError(t, s.Seal(t.Context(), &U{ID: id, Email: id + "@example.org"}))
	}
	assert.Equal(t, 3, s.cache.len())
}
