package shred

import (
	"context"
	"database/sql"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tink-crypto/tink-go/v2/tink"

	"github.com/gdprkit/gdprkit/internal/dbtest"
)

// gate holds up one step, once armed: the first caller to pass it after
// arm signals entered and waits for open.
type gate struct {
	mu       sync.Mutex
	armed    bool
	entered  chan struct{}
	release  chan struct{}
	openOnce sync.Once
}

func newGate() *gate { return &gate{entered: make(chan struct{}), release: make(chan struct{})} }

func (g *gate) arm() { g.mu.Lock(); g.armed = true; g.mu.Unlock() }

func (g *gate) pass() {
	g.mu.Lock()
	armed := g.armed
	g.armed = false
	g.mu.Unlock()
	if armed {
		close(g.entered)
		<-g.release
	}
}

func (g *gate) open() { g.openOnce.Do(func() { close(g.release) }) }

// slowKEK unwraps, then waits at its gate, as a slow KMS call does.
type slowKEK struct {
	tink.AEAD
	g *gate
}

func (k slowKEK) Decrypt(ct, ad []byte) ([]byte, error) {
	pt, err := k.AEAD.Decrypt(ct, ad)
	k.g.pass()
	return pt, err
}

// slowStore reads a subject's record, then waits at its gate.
type slowStore struct {
	Store
	g *gate
}

func (s slowStore) Get(ctx context.Context, ns, ref string) (KeyRecord, error) {
	r, err := s.Store.Get(ctx, ns, ref)
	if ref != prfRef {
		s.g.pass()
	}
	return r, err
}

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *testClock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type memo struct {
	Subject string `pii:"subject"`
	Text    string `pii:"user.content"`
}

// TestNoKeyOlderThanTheTTLAfterErasure: instance P begins loading subject
// A's key, and the load stalls (in the KEK or the store) after reading the
// live record; instance E erases A; a call on P that begins more than the
// TTL after P's load began must not use that load (neither open A's data
// nor seal new data under the destroyed key), but read the store itself.
// When such a call joins the stalled load, the test opens the gate, so that
// the old code fails rather than hangs.
func TestNoKeyOlderThanTheTTLAfterErasure(t *testing.T) {
	run := func(t *testing.T, store Store) {
		kek := testKEK(t) // one for the store's reference key
		for _, slow := range []string{"kek", "store"} {
			for _, call := range []string{"open", "seal"} {
				t.Run(slow+"/"+call, func(t *testing.T) {
					flightAfterErasure(t, store, kek, slow, call)
				})
			}
		}
	}
	t.Run("memory", func(t *testing.T) { run(t, NewMemoryStore()) })
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		store, err := NewSQLStore(context.Background(), db)
		require.NoError(t, err)
		run(t, store)
	})
}

func flightAfterErasure(t *testing.T, store Store, kek tink.AEAD, slow, call string) {
	ctx := context.Background()
	const ttl = 200 * time.Millisecond
	clk := &testClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	subject := "A-" + slow + "-" + call // a subject of its own in the shared store
	g := newGate()
	cfg := ShredderConfig{Store: store, KEK: kek, KEKID: "k", Namespace: "app", Now: clk.Now, CacheTTL: ttl}
	e, err := New(cfg)
	require.NoError(t, err)
	if slow == "kek" {
		cfg.KEK = slowKEK{kek, g}
	} else {
		cfg.Store = slowStore{store, g}
	}
	p, err := New(cfg)
	require.NoError(t, err)

	sealed := &memo{Subject: subject, Text: "ada@example.org"}
	require.NoError(t, e.Seal(ctx, sealed))
	warm := &memo{Subject: "warm-up", Text: "x"}
	require.NoError(t, e.Seal(ctx, warm))
	require.NoError(t, p.Open(ctx, warm), "P loads the reference key")
	do := func() (*memo, error) {
		if call == "open" {
			v := *sealed
			return &v, p.Open(ctx, &v)
		}
		v := &memo{Subject: subject, Text: "new data"}
		return v, p.Seal(ctx, v)
	}

	g.arm()
	p.joined = g.open
	first := make(chan error, 1)
	go func() { _, err := do(); first <- err }()
	<-g.entered // P's load read the live record and stalls
	require.NoError(t, e.Erase(ctx, subject))
	clk.Advance(ttl + time.Millisecond)

	v, err := do()
	require.ErrorIs(t, err, ErrErased, "a call begun after the TTL reads the store")
	if call == "open" {
		assert.Empty(t, v.Text)
	} else {
		assert.Equal(t, "new data", v.Text, "nothing sealed under the destroyed key")
	}
	g.open()
	<-first // began before the erasure: may use the key it read

	_, err = do()
	assert.ErrorIs(t, err, ErrErased, "the stalled load's late result was not cached")
}
