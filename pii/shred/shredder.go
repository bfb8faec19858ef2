package shred

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"time"

	"github.com/tink-crypto/tink-go/v2/keyset"
	"github.com/tink-crypto/tink-go/v2/prf"
	"github.com/tink-crypto/tink-go/v2/tink"

	"github.com/gdprkit/gdprkit/internal/sqldb"
	"github.com/gdprkit/gdprkit/pii"
)

// Default cache settings.
const (
	DefaultCacheTTL  = time.Minute
	DefaultCacheSize = 10000
)

// ShredderConfig configures a Shredder.
type ShredderConfig struct {
	// Store keeps the wrapped keys and tombstones. Required.
	Store Store
	// KEK is the key-encryption key that wraps every subject key: a KMS
	// AEAD in production (see the package documentation), LocalKEK for
	// development. Required.
	KEK tink.AEAD
	// KEKID names KEK. It is stored with every key KEK wraps, so that
	// after a KEK change each key is unwrapped by the KEK that wrapped it,
	// without trial decryption (which costs a KMS call each). Use the KMS
	// key's URI or a version label; change it whenever KEK changes.
	KEKID string
	// OldKEKs are earlier key-encryption keys by KEKID, still needed to
	// unwrap the keys RotateKEK has not re-wrapped yet.
	OldKEKs map[string]tink.AEAD
	// Namespace separates applications or tenants sharing a store: the
	// same subject ID has an unrelated key in each namespace.
	Namespace string
	// CacheTTL bounds how long an unwrapped key is used without asking the
	// store again, and so how long after an Erase on another instance this
	// one may still open the subject's data. Zero means DefaultCacheTTL;
	// negative disables the cache.
	CacheTTL time.Duration
	// CacheSize bounds the number of cached keys; zero means
	// DefaultCacheSize.
	CacheSize int
	// Now tells the time; nil means time.Now.
	Now func() time.Time
	// ErasureLog, when set, records every erasure (see Replay).
	ErasureLog ErasureLog
}

// Shredder seals personal fields under per-subject keys and erases
// subjects by destroying their keys. It is safe for concurrent use, and any
// number of Shredders, in any number of processes, may share a Store.
type Shredder struct {
	store   Store
	kek     tink.AEAD
	kekID   string
	oldKEKs map[string]tink.AEAD
	ns      string
	ttl     time.Duration
	now     func() time.Time
	ticks   func() int64 // nanoseconds for cache expiry, from now or the monotonic clock
	journal ErasureLog
	cache   *keyCache // nil when disabled

	mu      sync.Mutex // guards flights; never held across a store or KEK call
	flights map[flightKey]*flight
	joined  func() // called when a load joins another's flight; for tests

	// prfMu guards prf and tok. It is held across the store and KEK calls
	// that load or create the namespace's reference key, once per Shredder,
	// so that concurrent first calls create one key, not several.
	prfMu sync.Mutex
	prf   *prf.Set
	tok   *pii.Tokenizer

	ops sync.Pool // of *op
}

// New returns a Shredder.
func New(cfg ShredderConfig) (*Shredder, error) {
	if cfg.Store == nil {
		return nil, fmt.Errorf("shred: New: ShredderConfig.Store is nil; use NewMemoryStore or NewSQLStore: %w", ErrInvalidConfig)
	}
	if cfg.KEK == nil {
		return nil, fmt.Errorf("shred: New: ShredderConfig.KEK is nil: %w", ErrInvalidConfig)
	}
	if _, dup := cfg.OldKEKs[cfg.KEKID]; dup {
		return nil, fmt.Errorf("shred: New: ShredderConfig.OldKEKs holds the current KEKID %q: %w", cfg.KEKID, ErrInvalidConfig)
	}
	s := &Shredder{
		store:   cfg.Store,
		kek:     cfg.KEK,
		kekID:   cfg.KEKID,
		oldKEKs: maps.Clone(cfg.OldKEKs),
		ns:      cfg.Namespace,
		ttl:     cfg.CacheTTL,
		now:     cfg.Now,
		journal: cfg.ErasureLog,
		flights: map[flightKey]*flight{},
	}
	if s.now == nil {
		// The cache reads the monotonic clock alone, which costs half
		// of time.Now.
		s.now = time.Now
		start := time.Now()
		s.ticks = func() int64 { return int64(time.Since(start)) }
	} else {
		s.ticks = func() int64 { return s.now().UnixNano() }
	}
	if s.ttl == 0 {
		s.ttl = DefaultCacheTTL
	}
	if s.ttl > 0 {
		size := cfg.CacheSize
		if size <= 0 {
			size = DefaultCacheSize
		}
		s.cache = newKeyCache(size)
	}
	s.ops.New = func() any { return newOp(s) }
	return s, nil
}

// kekFor returns the KEK that wrapped a record.
func (s *Shredder) kekFor(r KeyRecord) (tink.AEAD, error) {
	if r.KEK == s.kekID {
		return s.kek, nil
	}
	if k, ok := s.oldKEKs[r.KEK]; ok {
		return k, nil
	}
	return nil, fmt.Errorf("%w: KEKID %q (namespace %q, ref %s)", ErrUnknownKEK, r.KEK, r.Namespace, r.Ref)
}

// key returns the subject's key, from the cache or the store, for a call
// that began at now (by ticks); with create, a subject without a key gets
// one. An erased subject's entry has erased set.
//
// A key is as the store held it when its load began, and serves only the
// calls that begin within the TTL of that moment: the cache drops it then,
// and a call that begins later does not join a load still under way from
// before (a slow store read, or a slow KMS unwrap), but reads the store
// itself. The call that began a load uses what the load read, however long
// the load took. With the cache disabled, a call joins only the loads that
// began with or after it.
func (s *Shredder) key(ctx context.Context, subject string, create bool, now int64) (*subjectKey, error) {
	if k := s.cache.get(subject, now); k != nil {
		return k, nil
	}
	return s.load(ctx, subject, create, now)
}

type flightKey struct {
	subject string
	create  bool
}

type flight struct {
	done  chan struct{}
	start int64 // by ticks, before the store was read
	key   *subjectKey
	err   error
}

// fresh reports whether a call that began at now may use what a load that
// began at start read.
func (s *Shredder) fresh(start, now int64) bool {
	return start+max(int64(s.ttl), 0) >= now
}

// load reads the subject's key from the store, once for all the callers
// that ask at the same time (and may use it: see key), and caches it.
func (s *Shredder) load(ctx context.Context, subject string, create bool, now int64) (*subjectKey, error) {
	if sqldb.HasTx(ctx) {
		// Read, or created, in the caller's transaction, the key may roll
		// back with it: it is neither shared with other calls nor cached.
		return s.fetch(ctx, subject, create, now)
	}
	fk := flightKey{subject, create}
	s.mu.Lock()
	if f, ok := s.flights[fk]; ok && s.fresh(f.start, now) {
		joined := s.joined
		s.mu.Unlock()
		if joined != nil {
			joined()
		}
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if f.err != nil && ctx.Err() == nil && (errors.Is(f.err, context.Canceled) || errors.Is(f.err, context.DeadlineExceeded)) {
			return s.fetch(ctx, subject, create, s.ticks()) // the leader gave up, not us
		}
		return f.key, f.err
	}
	// No load under way, or one too old for this call: start one, which
	// later calls join instead.
	f := &flight{done: make(chan struct{}), start: s.ticks()}
	s.flights[fk] = f
	s.mu.Unlock()

	since := s.cache.begin()
	f.key, f.err = s.fetch(ctx, subject, create, f.start)
	if f.err == nil && s.ticks() < f.key.expires {
		s.cache.put(subject, f.key, since) // not when it came too late to serve
	}
	s.mu.Lock()
	if s.flights[fk] == f {
		delete(s.flights, fk)
	}
	s.mu.Unlock()
	close(f.done)
	return f.key, f.err
}

// forget makes the Shredder forget what it knows of the subject's key, so
// that later calls read the store: the cache drops its entry (or, with k,
// holds k, the key as it now stands) and refuses the keys of loads under
// way, and later loads do not join those.
func (s *Shredder) forget(subject string, k *subjectKey) {
	s.cache.forget(subject, k)
	s.mu.Lock()
	delete(s.flights, flightKey{subject, false})
	delete(s.flights, flightKey{subject, true})
	s.mu.Unlock()
}

// fetch reads the subject's record from the store and unwraps its key,
// creating one first when asked to and none exists. Two instances that
// create at once race on the store's unique constraint; the loser loads
// the winner's key.
func (s *Shredder) fetch(ctx context.Context, subject string, create bool, start int64) (*subjectKey, error) {
	expires := start + int64(s.ttl) // counted from before the read
	ref, err := s.ref(ctx, subject)
	if err != nil {
		return nil, err
	}
	r, err := s.store.Get(ctx, s.ns, ref)
	if errors.Is(err, ErrNoKey) && create {
		var k *subjectKey
		k, r, err = s.create(ctx, ref, 0)
		if k != nil {
			k.expires = expires
			return k, nil
		}
	}
	if err != nil {
		return nil, err
	}
	k, err := s.unwrapRecord(r)
	if err != nil {
		return nil, err
	}
	k.expires = expires
	return k, nil
}

// create makes and stores a new keyset under ref. When another instance
// stored one first, it returns that record instead (and a nil key).
func (s *Shredder) create(ctx context.Context, ref string, generation int) (*subjectKey, KeyRecord, error) {
	h, err := newSubjectKeyset()
	if err != nil {
		return nil, KeyRecord{}, err
	}
	wrapped, err := wrap(h, s.kek, s.ns, ref)
	if err != nil {
		return nil, KeyRecord{}, err
	}
	r := KeyRecord{Namespace: s.ns, Ref: ref, Wrapped: wrapped, KEK: s.kekID, Generation: generation}
	err = s.store.Create(ctx, r)
	if errors.Is(err, ErrKeyExists) {
		r, err = s.store.Get(ctx, s.ns, ref)
		return nil, r, err
	}
	if err != nil {
		return nil, KeyRecord{}, err
	}
	k, err := liveKey(h, generation)
	return k, r, err
}

// unwrapRecord turns a record into a key, or an erased entry.
func (s *Shredder) unwrapRecord(r KeyRecord) (*subjectKey, error) {
	if r.Erased() {
		return &subjectKey{erased: true, generation: r.Generation}, nil
	}
	kek, err := s.kekFor(r)
	if err != nil {
		return nil, err
	}
	h, err := unwrap(r, kek)
	if err != nil {
		return nil, err
	}
	return liveKey(h, r.Generation)
}

// ref returns the subject's reference: 128 bits of HMAC-SHA256 under the
// namespace's secret PRF key, in base64url.
func (s *Shredder) ref(ctx context.Context, subject string) (string, error) {
	p, _, err := s.prfKey(ctx)
	if err != nil {
		return "", err
	}
	in := make([]byte, 0, 32+len(subject))
	in = append(in, "\x00gdprkit/shred/subject\x00"...)
	in = append(in, subject...)
	out, err := p.ComputePrimaryPRF(in, 16)
	if err != nil {
		return "", fmt.Errorf("shred: subject reference: %w", err)
	}
	return b64.EncodeToString(out), nil
}

// prfKey returns the namespace's PRF keyset, loading it from the store or
// creating it on first use. It computes subject references and, through a
// pii.Tokenizer, blind indexes; inputs are domain-separated (a reference's
// input starts with a zero byte, a token's with its category).
func (s *Shredder) prfKey(ctx context.Context) (*prf.Set, *pii.Tokenizer, error) {
	// The key is kept in memory once read: it never joins a caller's
	// transaction, which could roll its creation back.
	ctx = sqldb.WithoutTx(ctx)
	s.prfMu.Lock()
	defer s.prfMu.Unlock()
	if s.prf != nil {
		return s.prf, s.tok, nil
	}
	r, err := s.store.Get(ctx, s.ns, prfRef)
	var h *keyset.Handle
	switch {
	case errors.Is(err, ErrNoKey):
		h, err = keyset.NewHandle(prf.HMACSHA256PRFKeyTemplate())
		if err != nil {
			return nil, nil, fmt.Errorf("shred: create reference key: %w", err)
		}
		r = KeyRecord{Namespace: s.ns, Ref: prfRef, KEK: s.kekID}
		if r.Wrapped, err = wrap(h, s.kek, s.ns, prfRef); err != nil {
			return nil, nil, err
		}
		err = s.store.Create(ctx, r)
		if errors.Is(err, ErrKeyExists) {
			h = nil
			r, err = s.store.Get(ctx, s.ns, prfRef)
		}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("shred: reference key: %w", err)
	}
	if h == nil {
		if r.Erased() {
			return nil, nil, fmt.Errorf("shred: the namespace's reference key %q is a tombstone; the key store is damaged", prfRef)
		}
		kek, err := s.kekFor(r)
		if err != nil {
			return nil, nil, err
		}
		if h, err = unwrap(r, kek); err != nil {
			return nil, nil, err
		}
	}
	set, err := prf.NewPRFSet(h)
	if err != nil {
		return nil, nil, fmt.Errorf("shred: reference key: %w", err)
	}
	tok, err := pii.NewTokenizer(h)
	if err != nil {
		return nil, nil, fmt.Errorf("shred: reference key: %w", err)
	}
	s.prf, s.tok = set, tok
	return set, tok, nil
}
