package shredtest

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/pii/shred"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// RunStore runs the Store conformance tests, each as a subtest on a new,
// empty store from open.
func RunStore(t *testing.T, open func(t *testing.T) shred.Store) {
	t.Run("Lifecycle", func(t *testing.T) { lifecycle(t, open(t)) })
	t.Run("ConcurrentCreates", func(t *testing.T) { concurrentCreates(t, open(t)) })
}

// RunErasureLog runs the ErasureLog conformance tests as a subtest on a
// new, empty log from open.
func RunErasureLog(t *testing.T, open func(t *testing.T) shred.ErasureLog) {
	t.Run("AppendRead", func(t *testing.T) { erasureLog(t, open(t)) })
}

func rec(ref string, wrapped string) shred.KeyRecord {
	return shred.KeyRecord{Namespace: "ns", Ref: ref, Wrapped: []byte(wrapped), KEK: "k1"}
}

// lifecycle takes records through creation, compare-and-swap updates,
// erasure, renewal and listing; each step builds on the ones before.
func lifecycle(t *testing.T, store shred.Store) {
	ctx := context.Background()
	at := time.Date(2025, 5, 4, 3, 2, 1, 0, time.UTC)

	t.Run("get missing", func(t *testing.T) {
		_, err := store.Get(ctx, "ns", "missing")
		assert.ErrorIs(t, err, shred.ErrNoKey)
	})

	t.Run("create and get", func(t *testing.T) {
		require.NoError(t, store.Create(ctx, rec("a", "key-a")))
		got, err := store.Get(ctx, "ns", "a")
		require.NoError(t, err)
		assert.Equal(t, []byte("key-a"), got.Wrapped)
		assert.Equal(t, "k1", got.KEK)
		assert.Equal(t, int64(1), got.Version)
		assert.False(t, got.Erased())
		assert.True(t, got.ErasedAt.IsZero())

		_, err = store.Get(ctx, "other-ns", "a")
		assert.ErrorIs(t, err, shred.ErrNoKey, "namespaces are apart")
	})

	t.Run("create twice", func(t *testing.T) {
		err := store.Create(ctx, rec("a", "another"))
		assert.ErrorIs(t, err, shred.ErrKeyExists)
		got, err := store.Get(ctx, "ns", "a")
		require.NoError(t, err)
		assert.Equal(t, []byte("key-a"), got.Wrapped, "the first key stays")
	})

	t.Run("create without a key", func(t *testing.T) {
		assert.Error(t, store.Create(ctx, shred.KeyRecord{Namespace: "ns", Ref: "empty"}))
	})

	t.Run("update is a compare-and-swap", func(t *testing.T) {
		got, err := store.Get(ctx, "ns", "a")
		require.NoError(t, err)
		next := got
		next.Wrapped, next.KEK, next.Generation = []byte("key-a2"), "k2", 0
		require.NoError(t, store.Update(ctx, next))
		assert.ErrorIs(t, store.Update(ctx, next), shred.ErrConflict, "a stale version loses")

		got, err = store.Get(ctx, "ns", "a")
		require.NoError(t, err)
		assert.Equal(t, []byte("key-a2"), got.Wrapped)
		assert.Equal(t, "k2", got.KEK)
		assert.Equal(t, int64(2), got.Version)

		missing := rec("nobody", "x")
		missing.Version = 1
		assert.ErrorIs(t, store.Update(ctx, missing), shred.ErrConflict)
	})

	t.Run("erase leaves a tombstone", func(t *testing.T) {
		require.NoError(t, store.Erase(ctx, "ns", "a", at))
		got, err := store.Get(ctx, "ns", "a")
		require.NoError(t, err)
		assert.True(t, got.Erased())
		assert.Empty(t, got.Wrapped)
		assert.Empty(t, got.KEK)
		assert.Equal(t, at, got.ErasedAt)
		assert.Equal(t, int64(3), got.Version)

		require.NoError(t, store.Erase(ctx, "ns", "a", at.Add(time.Hour)), "erasing twice is fine")
		again, err := store.Get(ctx, "ns", "a")
		require.NoError(t, err)
		assert.Equal(t, got, again, "and changes nothing")

		assert.ErrorIs(t, store.Create(ctx, rec("a", "new")), shred.ErrKeyExists, "a tombstone blocks creation")
	})

	t.Run("erase a missing record", func(t *testing.T) {
		require.NoError(t, store.Erase(ctx, "ns", "never", at))
		got, err := store.Get(ctx, "ns", "never")
		require.NoError(t, err)
		assert.True(t, got.Erased())
	})

	t.Run("renew a tombstone", func(t *testing.T) {
		got, err := store.Get(ctx, "ns", "a")
		require.NoError(t, err)
		next := got
		next.Wrapped, next.KEK, next.Generation = []byte("key-a3"), "k2", got.Generation+1
		require.NoError(t, store.Update(ctx, next))
		got, err = store.Get(ctx, "ns", "a")
		require.NoError(t, err)
		assert.False(t, got.Erased())
		assert.True(t, got.ErasedAt.IsZero())
		assert.Equal(t, 1, got.Generation)
		assert.Equal(t, []byte("key-a3"), got.Wrapped)
	})

	t.Run("update cannot make a tombstone", func(t *testing.T) {
		got, err := store.Get(ctx, "ns", "a")
		require.NoError(t, err)
		got.Wrapped = nil
		assert.Error(t, store.Update(ctx, got))
	})

	t.Run("list", func(t *testing.T) {
		for _, ref := range []string{"c", "b", "d"} {
			require.NoError(t, store.Create(ctx, rec(ref, "key-"+ref)))
		}
		require.NoError(t, store.Create(ctx, shred.KeyRecord{Namespace: "elsewhere", Ref: "b0", Wrapped: []byte("x")}))
		page, err := store.List(ctx, "ns", "", 3)
		require.NoError(t, err)
		assert.Equal(t, []string{"a", "b", "c"}, refs(page))
		page, err = store.List(ctx, "ns", "c", 3)
		require.NoError(t, err)
		assert.Equal(t, []string{"d", "never"}, refs(page))
		assert.True(t, page[1].Erased(), "tombstones are listed too")
	})
}

// concurrentCreates: of concurrent creates of one record, one wins.
func concurrentCreates(t *testing.T, store shred.Store) {
	ctx := context.Background()
	var wins, exists atomic.Int32
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := store.Create(ctx, rec("race", fmt.Sprint("key-", i)))
			switch {
			case err == nil:
				wins.Add(1)
			case assert.ErrorIs(t, err, shred.ErrKeyExists):
				exists.Add(1)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), wins.Load())
	assert.Equal(t, int32(15), exists.Load())
}

func refs(rs []shred.KeyRecord) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Ref)
	}
	return out
}

// erasureLog appends entries, a repeat among them, and reads them back.
func erasureLog(t *testing.T, j shred.ErasureLog) {
	ctx := context.Background()
	at := time.Date(2025, 5, 4, 3, 2, 1, 0, time.UTC)
	require.NoError(t, j.Append(ctx, shred.ErasureEntry{Namespace: "ns", Ref: "r1", At: at}))
	require.NoError(t, j.Append(ctx, shred.ErasureEntry{Namespace: "ns", Ref: "r1", At: at.Add(time.Hour)}), "a repeat is no error")
	require.NoError(t, j.Append(ctx, shred.ErasureEntry{Namespace: "other", Ref: "r2", At: at}))
	require.NoError(t, j.Append(ctx, shred.ErasureEntry{Namespace: "ns", Ref: "r1", Generation: 1, At: at}))
	require.NoError(t, j.Append(ctx, shred.ErasureEntry{Namespace: "ns", Ref: "r3", At: at}))

	all, err := j.Read(ctx, "ns", 0, 10)
	require.NoError(t, err)
	require.Len(t, all, 3, "the repeat is recorded once; the other namespace is apart")
	assert.Equal(t, "r1", all[0].Ref)
	assert.Equal(t, at, all[0].At)
	assert.Equal(t, 1, all[1].Generation)
	assert.Equal(t, "r3", all[2].Ref)
	assert.Less(t, all[0].Seq, all[1].Seq)

	page, err := j.Read(ctx, "ns", all[0].Seq, 1)
	require.NoError(t, err)
	require.Len(t, page, 1)
	assert.Equal(t, all[1], page[0])
}
