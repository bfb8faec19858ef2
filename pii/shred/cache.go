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
//
// A load that read the store before this Shredder erased (or otherwise
// forgot) a subject must not put what it read into the cache afterwards.
// So the cache counts the times it forgets a subject (its epoch), and
// leaves a mark holding the epoch of the subject's last forget: put takes
// the epoch read before the load, and refuses the entry when the subject
// was forgotten since. A mark that leaves the cache (evicted, expired or
// purged) raises the floor below which every put is refused, so that no
// forget is lost.
type keyCache struct {
	mu    sync.Mutex // guards every field below; held only for map and list work
	max   int
	items map[string]*list.Element
	lru   list.List // of *cacheItem, most recently used first
	epoch uint64    // the number of forgets so far
	floor uint64    // puts from loads that began before this epoch are refused
}

type cacheItem struct {
	subject string
	key     *subjectKey // nil for a mark left by forget
	forgot  uint64      // the epoch of the subject's last forget known here
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
	if it.key == nil {
		return nil
	}
	if now >= it.key.expires {
		c.remove(e)
		return nil
	}
	if c.lru.Front() != e {
		c.lru.MoveToFront(e)
	}
	return it.key
}

// begin returns the epoch to pass to put for a load that starts now.
func (c *keyCache) begin() uint64 {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.epoch
}

// put stores k, loaded by a load that began at epoch since, for subject,
// evicting the least recently used entry when the cache is full. It
// refuses k when the subject was forgotten after the load began, and when
// k is older than the entry it would replace: of an earlier generation, or
// live where the entry says the same generation was erased.
func (c *keyCache) put(subject string, k *subjectKey, since uint64) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if since < c.floor {
		return
	}
	if e, ok := c.items[subject]; ok {
		it := e.Value.(*cacheItem)
		if since < it.forgot || it.key != nil && stale(k, it.key) {
			return
		}
		it.key = k
		c.lru.MoveToFront(e)
		return
	}
	c.add(&cacheItem{subject: subject, key: k})
}

// stale reports whether k is older than old: of an earlier generation,
// live where old says the generation was erased, or, holding the same,
// read before old was.
func stale(k, old *subjectKey) bool {
	switch {
	case k.generation != old.generation:
		return k.generation < old.generation
	case k.erased != old.erased:
		return old.erased
	}
	return k.expires < old.expires
}

// forget drops what the cache holds for subject, and refuses the keys of
// loads already under way. With k, the subject's key as it now stands
// (the erasure Erase just made), the cache holds k instead.
func (c *keyCache) forget(subject string, k *subjectKey) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	if e, ok := c.items[subject]; ok {
		it := e.Value.(*cacheItem)
		it.key, it.forgot = k, c.epoch
		c.lru.MoveToFront(e)
		return
	}
	c.add(&cacheItem{subject: subject, key: k, forgot: c.epoch})
}

// drop forgets subject.
func (c *keyCache) drop(subject string) { c.forget(subject, nil) }

// add inserts a new item, evicting the least recently used ones beyond
// the bound.
func (c *keyCache) add(it *cacheItem) {
	c.items[it.subject] = c.lru.PushFront(it)
	for c.lru.Len() > c.max {
		c.remove(c.lru.Back())
	}
}

// remove takes an item out of the cache, keeping its forget in the floor.
func (c *keyCache) remove(e *list.Element) {
	it := e.Value.(*cacheItem)
	c.floor = max(c.floor, it.forgot)
	c.lru.Remove(e)
	delete(c.items, it.subject)
}

// purge forgets everything.
func (c *keyCache) purge() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	c.floor = c.epoch
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
