package shred

import (
	"container/list"
	"sync"

	"github.com/tink-crypto/tink-go/v2/tink"
)

// subjectKey is a subject's unwrapped key as the Shredder holds it, or the
// knowledge that the subject was erased.
type subjectKey struct {
	aead       tink.AEAD // nil when erased
	ids        []uint32  // the IDs of the keys in the keyset
	primary    uint32    // the ID of the key that seals
	erased     bool
	generation int
	expires    int64 // when the cache must ask the store again, by Shredder.ticks
}

// has reports whether the keyset holds the key with the given ID.
func (k *subjectKey) has(id uint32) bool {
	for _, x := range k.ids {
		if x == id {
			return true
		}
	}
	return false
}

// keyCache is a bounded LRU of unwrapped keys whose entries expire, so that
// an erasure on another instance takes effect here within the TTL.
type keyCache struct {
	mu    sync.Mutex
	max   int
	items map[string]*list.Element
	lru   list.List // of *cacheItem, most recently used first
}

type cacheItem struct {
	subject string
	key     *subjectKey
}

func newKeyCache(max int) *keyCache {
	return &keyCache{max: max, items: make(map[string]*list.Element)}
}

// get returns the live entry for subject, or nil.
func (c *keyCache) get(subject string, now int64) *subjectKey {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[subject]
	if !ok {
		return nil
	}
	it := e.Value.(*cacheItem)
	if now >= it.key.expires {
		c.lru.Remove(e)
		delete(c.items, subject)
		return nil
	}
	if c.lru.Front() != e {
		c.lru.MoveToFront(e)
	}
	return it.key
}

// put stores k for subject, evicting the least recently used entry when
// the cache is full.
func (c *keyCache) put(subject string, k *subjectKey) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[subject]; ok {
		e.Value.(*cacheItem).key = k
		c.lru.MoveToFront(e)
		return
	}
	c.items[subject] = c.lru.PushFront(&cacheItem{subject: subject, key: k})
	for c.lru.Len() > c.max {
		last := c.lru.Back()
		c.lru.Remove(last)
		delete(c.items, last.Value.(*cacheItem).subject)
	}
}

// drop forgets subject.
func (c *keyCache) drop(subject string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[subject]; ok {
		c.lru.Remove(e)
		delete(c.items, subject)
	}
}

// purge forgets everything.
func (c *keyCache) purge() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.items)
	c.lru.Init()
}

// len returns the number of entries.
func (c *keyCache) len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lru.Len()
}
