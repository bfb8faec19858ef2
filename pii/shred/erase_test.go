package shred_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/pii/shred"
)

func TestEraseThenOpen(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	u := newUser("u-1")
	require.NoError(t, s.Seal(ctx, u))
	require.NoError(t, s.Erase(ctx, "u-1"))

	err := s.Open(ctx, u)
	require.Error(t, err)
	assert.ErrorIs(t, err, shred.ErrErased)
	var erased interface{ Erased() bool }
	require.True(t, errors.As(err, &erased), "the consent package detects erasure this way")
	assert.True(t, erased.Erased())
	var many shred.FieldErrors
	require.ErrorAs(t, err, &many)
	assert.Len(t, many, 4, "one per sealed field")
	assert.ErrorContains(t, err, "shred: open github.com/gdprkit/gdprkit/pii/shred_test.User.Name: the subject's key was erased")

	assert.Equal(t, "Former customer", u.Name, "replace= text")
	assert.Equal(t, "", u.Email, "zero value")
	assert.Equal(t, "", *u.Phone)
	assert.Nil(t, u.Avatar)
	assert.Equal(t, "u-1", u.ID)
	assert.Equal(t, "192.0.2.7", u.IP)

	require.NoError(t, s.Open(ctx, u), "after replacement nothing is sealed any more")
}

func TestErasedErrorValues(t *testing.T) {
	var e interface{ Erased() bool }
	require.True(t, errors.As(shred.ErrErased, &e))
	assert.True(t, e.Erased())
	fe := &shred.FieldError{Op: "open", Field: "x.T.F", Err: shred.ErrCiphertext}
	assert.False(t, fe.Erased())
	assert.False(t, errors.As(error(fe), &e) && e.Erased())
}

func TestEraseIsIdempotent(t *testing.T) {
	ctx := context.Background()
	j := shred.NewMemoryErasureLog()
	s := newShredder(t, shred.NewMemoryStore(), func(c *shred.ShredderConfig) { c.ErasureLog = j })
	require.NoError(t, s.Seal(ctx, newUser("u-1")))
	require.NoError(t, s.Erase(ctx, "u-1"))
	require.NoError(t, s.Erase(ctx, "u-1"))
	entries, err := j.Read(ctx, "app", 0, 10)
	require.NoError(t, err)
	assert.Len(t, entries, 1)
	assert.ErrorIs(t, s.Erase(ctx, ""), shred.ErrNoSubject)
}

func TestSealAfterErasureNeedsRenew(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	old := newUser("u-1")
	require.NoError(t, s.Seal(ctx, old))
	require.NoError(t, s.Erase(ctx, "u-1"))

	u := newUser("u-1")
	err := s.Seal(ctx, u)
	require.ErrorIs(t, err, shred.ErrErased)
	assert.Equal(t, "ada@example.org", u.Email, "nothing sealed")
	_, err = s.Marshal(ctx, u)
	assert.ErrorIs(t, err, shred.ErrErased)

	require.NoError(t, s.Renew(ctx, "u-1"))
	erased, err := s.Erased(ctx, "u-1")
	require.NoError(t, err)
	assert.False(t, erased)
	require.NoError(t, s.Seal(ctx, u))
	require.NoError(t, s.Open(ctx, u))
	assert.Equal(t, "ada@example.org", u.Email)

	err = s.Open(ctx, old)
	assert.ErrorIs(t, err, shred.ErrErased, "what the destroyed key sealed stays gone")
	assert.Equal(t, "", old.Email)

	require.NoError(t, s.Renew(ctx, "u-1"), "renewing a live key keeps it")
	require.NoError(t, s.Seal(ctx, newUser("u-1")))
}

func TestEraseNeverSealedSubject(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	erased, err := s.Erased(ctx, "ghost")
	require.NoError(t, err)
	assert.False(t, erased)

	require.NoError(t, s.Erase(ctx, "ghost"))
	erased, err = s.Erased(ctx, "ghost")
	require.NoError(t, err)
	assert.True(t, erased)
	assert.ErrorIs(t, s.Seal(ctx, newUser("ghost")), shred.ErrErased, "a tombstone keeps later seals out")
}

// TestReplayAfterRestore restores a key store from a backup taken before an
// erasure and replays the journal onto it.
func TestReplayAfterRestore(t *testing.T) {
	ctx := context.Background()
	store := shred.NewMemoryStore()
	j := shred.NewMemoryErasureLog()
	kek := newKEK(t)
	cfg := func(c *shred.ShredderConfig) { c.KEK, c.ErasureLog = kek, j }
	s := newShredder(t, store, cfg)

	alice, bob, carol := newUser("alice"), newUser("bob"), newUser("carol")
	for _, u := range []*User{alice, bob, carol} {
		require.NoError(t, s.Seal(ctx, u))
	}
	backup := snapshot(t, store)

	require.NoError(t, s.Erase(ctx, "alice"))
	require.NoError(t, s.Erase(ctx, "carol"))
	require.NoError(t, s.Renew(ctx, "carol")) // carol came back after her erasure
	require.NoError(t, s.Erase(ctx, "dave"))  // never sealed for

	entries, err := j.Read(ctx, "app", 0, 10)
	require.NoError(t, err)
	require.Len(t, entries, 3)
	for _, e := range entries {
		for _, id := range []string{"alice", "carol", "dave"} {
			assert.NotContains(t, e.Ref, id, "the journal holds no subject IDs")
		}
		assert.Len(t, e.Ref, 22)
	}

	restored := shred.NewMemoryStore()
	for _, r := range backup {
		require.NoError(t, restored.Create(ctx, r))
	}
	fresh := newShredder(t, restored, cfg)
	a := *alice.clone()
	require.NoError(t, fresh.Open(ctx, &a), "the backup still holds alice's key")

	n, err := fresh.Replay(ctx, j)
	require.NoError(t, err)
	assert.Equal(t, 3, n, "alice's and carol's restored keys, and dave's tombstone")
	n, err = fresh.Replay(ctx, j)
	require.NoError(t, err)
	assert.Equal(t, 0, n, "replaying again destroys nothing more")

	a = *alice.clone()
	assert.ErrorIs(t, fresh.Open(ctx, &a), shred.ErrErased)
	b := *bob.clone()
	require.NoError(t, fresh.Open(ctx, &b))
	assert.Equal(t, "ada@example.org", b.Email)
	for _, id := range []string{"carol", "dave"} {
		erased, err := fresh.Erased(ctx, id)
		require.NoError(t, err)
		assert.True(t, erased, id)
	}
}

func TestReplayKeepsNewerGenerations(t *testing.T) {
	ctx := context.Background()
	store := shred.NewMemoryStore()
	j := shred.NewMemoryErasureLog()
	s := newShredder(t, store, func(c *shred.ShredderConfig) { c.ErasureLog = j })
	require.NoError(t, s.Seal(ctx, newUser("carol")))
	require.NoError(t, s.Erase(ctx, "carol"))
	require.NoError(t, s.Renew(ctx, "carol"))
	u := newUser("carol")
	require.NoError(t, s.Seal(ctx, u))

	n, err := s.Replay(ctx, j)
	require.NoError(t, err)
	assert.Equal(t, 0, n, "the key given after the erasure is not the one erased")
	require.NoError(t, s.Open(ctx, u))
}

func TestReplayRejectsForeignReferences(t *testing.T) {
	ctx := context.Background()
	j := shred.NewMemoryErasureLog()
	require.NoError(t, j.Append(ctx, shred.ErasureEntry{Namespace: "app", Ref: "!prf"}))
	s := newShredder(t, shred.NewMemoryStore())
	require.NoError(t, s.Seal(ctx, newUser("u-1")))
	_, err := s.Replay(ctx, j)
	assert.ErrorContains(t, err, "malformed reference")
	require.NoError(t, s.Seal(ctx, newUser("u-2")), "the namespace's reference key survives")
}

// snapshot copies every record of namespace "app", as a backup would.
func snapshot(t *testing.T, store shred.Store) []shred.KeyRecord {
	t.Helper()
	recs, err := store.List(context.Background(), "app", "", 1000)
	require.NoError(t, err)
	return recs
}

// heldStore holds the first Get of a subject's record, once armed, until
// released, to put a load in flight across an Erase.
type heldStore struct {
	shred.Store
	mu      sync.Mutex
	armed   bool
	reading chan struct{}
	release chan struct{}
}

func (s *heldStore) Get(ctx context.Context, ns, ref string) (shred.KeyRecord, error) {
	r, err := s.Store.Get(ctx, ns, ref)
	s.mu.Lock()
	hold := s.armed && !strings.HasPrefix(ref, "!") // not the namespace's reference key
	s.armed = s.armed && !hold
	s.mu.Unlock()
	if hold {
		close(s.reading)
		<-s.release
	}
	return r, err
}

func TestEraseWinsOverALoadInFlight(t *testing.T) {
	ctx := context.Background()
	st := &heldStore{Store: shred.NewMemoryStore(), reading: make(chan struct{}), release: make(chan struct{})}
	kek := newKEK(t)
	cfg := shred.ShredderConfig{Store: st, KEK: kek, KEKID: "test", Namespace: "app", CacheTTL: time.Hour}
	sealer, err := shred.New(cfg)
	require.NoError(t, err)
	s, err := shred.New(cfg)
	require.NoError(t, err)
	sealed := newUser("alice")
	require.NoError(t, sealer.Seal(ctx, sealed))
	_, err = s.Erased(ctx, "someone else") // loads the reference key, not alice's
	require.NoError(t, err)

	st.mu.Lock()
	st.armed = true
	st.mu.Unlock()
	inFlight := make(chan error, 1)
	go func() { inFlight <- s.Open(ctx, sealed.clone()) }()
	<-st.reading // the load has read alice's live key
	require.NoError(t, s.Erase(ctx, "alice"))
	close(st.release)
	<-inFlight // began before Erase returned: either outcome is fine

	opened := sealed.clone()
	require.ErrorIs(t, s.Open(ctx, opened), shred.ErrErased, "Erase has returned")
	assert.Equal(t, "Former customer", opened.Name)
	require.ErrorIs(t, s.Seal(ctx, newUser("alice")), shred.ErrErased)
}
