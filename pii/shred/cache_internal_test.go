package shred

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKeyCacheBoundAndTTL(t *testing.T) {
	c := newKeyCache(2)
	c.put("a", &subjectKey{expires: 100}, c.begin())
	c.put("b", &subjectKey{expires: 100}, c.begin())
	require.NotNil(t, c.get("a", 10), "a is now the most recently used")
	c.put("c", &subjectKey{expires: 100}, c.begin())
	assert.Equal(t, 2, c.len())
	assert.Nil(t, c.get("b", 10), "the least recently used entry went")
	assert.NotNil(t, c.get("a", 10))
	assert.NotNil(t, c.get("c", 10))

	assert.Nil(t, c.get("a", 100), "an entry expires at its deadline")
	assert.Equal(t, 1, c.len(), "and is dropped")

	c.put("c", &subjectKey{expires: 500, erased: true}, c.begin())
	assert.True(t, c.get("c", 200).erased, "put replaces")
	c.drop("c")
	assert.Nil(t, c.get("c", 200))
	c.put("d", &subjectKey{expires: 500}, c.begin())
	c.purge()
	assert.Equal(t, 0, c.len())

	var off *keyCache // a disabled cache
	off.put("x", &subjectKey{expires: 500}, off.begin())
	assert.Nil(t, off.get("x", 1))
	assert.Equal(t, 0, off.len())
}

func TestShredderCacheSize(t *testing.T) {
	s, err := New(ShredderConfig{Store: NewMemoryStore(), KEK: testKEK(t), CacheSize: 3})
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

func TestKeyCacheRefusesALoadThatBeganBeforeTheSubjectWasForgotten(t *testing.T) {
	c := newKeyCache(8)
	since := c.begin()                                                    // a load reads the live key ...
	c.forget("a", &subjectKey{erased: true, generation: 1, expires: 100}) // ... Erase runs ...
	c.put("a", &subjectKey{generation: 1, expires: 100}, since)           // ... and the load ends
	k := c.get("a", 10)
	require.NotNil(t, k)
	assert.True(t, k.erased, "the erasure stays")

	c.put("a", &subjectKey{generation: 1, expires: 100}, c.begin())
	assert.True(t, c.get("a", 10).erased, "a live key of the erased generation is stale")
	c.put("a", &subjectKey{generation: 2, expires: 100}, c.begin())
	assert.False(t, c.get("a", 10).erased, "a renewed key replaces the erasure")

	since = c.begin()
	c.drop("b")
	c.put("b", &subjectKey{expires: 100}, since)
	assert.Nil(t, c.get("b", 10), "a drop refuses the loads under way")
	c.put("b", &subjectKey{expires: 100}, c.begin())
	assert.NotNil(t, c.get("b", 10), "but not the later ones")
}

func TestKeyCacheKeepsForgetsThatLeaveIt(t *testing.T) {
	c := newKeyCache(1)
	since := c.begin()
	c.drop("a")
	c.put("b", &subjectKey{expires: 100}, c.begin()) // evicts a's mark
	c.put("a", &subjectKey{expires: 100}, since)
	assert.Nil(t, c.get("a", 10), "the evicted mark still refuses the load")

	since = c.begin()
	c.purge()
	c.put("a", &subjectKey{expires: 100}, since)
	assert.Nil(t, c.get("a", 10), "a purge refuses the loads under way")
	c.put("a", &subjectKey{expires: 100}, c.begin())
	assert.NotNil(t, c.get("a", 10))
}
