package shred_test

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tink-crypto/tink-go/v2/tink"

	"github.com/gdprkit/gdprkit/pii/shred"
)

// keyID returns the ID of the key that sealed a value.
func keyID(t *testing.T, sealed string) uint32 {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(sealed, "gk1."))
	require.NoError(t, err)
	return binary.BigEndian.Uint32(raw[1:5])
}

func TestRotateSubject(t *testing.T) {
	ctx := context.Background()
	store := shred.NewMemoryStore()
	kek := newKEK(t)
	s := newShredder(t, store, func(c *shred.ShredderConfig) { c.KEK = kek })
	other := newShredder(t, store, func(c *shred.ShredderConfig) { c.KEK = kek })

	old := newUser("u-1")
	require.NoError(t, s.Seal(ctx, old))
	v := *old.clone()
	require.NoError(t, other.Open(ctx, &v), "the other instance caches the first key")

	require.NoError(t, s.RotateSubject(ctx, "u-1"))
	fresh := newUser("u-1")
	require.NoError(t, s.Seal(ctx, fresh))
	assert.NotEqual(t, keyID(t, old.Email), keyID(t, fresh.Email), "new values use the new key")

	v = *old.clone()
	require.NoError(t, s.Open(ctx, &v), "old values still open")
	assert.Equal(t, "ada@example.org", v.Email)
	v = *fresh.clone()
	require.NoError(t, other.Open(ctx, &v), "an instance with the old keyset cached reloads it for a new key")
	assert.Equal(t, "ada@example.org", v.Email)

	upgraded := *old.clone()
	require.NoError(t, s.Reseal(ctx, &upgraded))
	assert.Equal(t, keyID(t, fresh.Email), keyID(t, upgraded.Email), "Reseal moves values to the new key")
	assert.NotEqual(t, old.Email, upgraded.Email)
	again := upgraded
	require.NoError(t, s.Reseal(ctx, &again))
	assert.Equal(t, upgraded, again, "values already under the primary key are left alone")
	require.NoError(t, s.Open(ctx, &upgraded))
	assert.Equal(t, *newUser("u-1"), upgraded)

	require.NoError(t, s.Erase(ctx, "u-1"))
	assert.ErrorIs(t, s.RotateSubject(ctx, "u-1"), shred.ErrErased)
	v = *fresh.clone()
	assert.ErrorIs(t, s.Open(ctx, &v), shred.ErrErased, "erasure destroys every key of the keyset")
	assert.ErrorIs(t, s.RotateSubject(ctx, "nobody"), shred.ErrNoKey)
}

func TestResealIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	u := newUser("u-1")
	require.NoError(t, s.Seal(ctx, u))
	require.NoError(t, s.RotateSubject(ctx, "u-1"))
	before := *u.clone()
	u.Avatar = []byte(u.Email) // a ciphertext moved to another field
	before.Avatar = u.Avatar
	err := s.Reseal(ctx, u)
	require.ErrorIs(t, err, shred.ErrCiphertext)
	assert.Equal(t, before, *u, "nothing changed")
}

// TestRotateKEK re-wraps every key with a new KEK while other goroutines
// keep sealing and opening, resumes after an interruption, and leaves every
// key readable by the new KEK alone.
func TestRotateKEK(t *testing.T) {
	eachStore(t, func(t *testing.T, store shred.Store) {
		ctx := context.Background()
		oldKEK, newKEK_ := newKEK(t), newKEK(t)
		withOld := func(c *shred.ShredderConfig) { c.KEK, c.KEKID = oldKEK, "v1" }
		withBoth := func(c *shred.ShredderConfig) {
			c.KEK, c.KEKID, c.OldKEKs = newKEK_, "v2", map[string]tink.AEAD{"v1": oldKEK}
		}
		withNew := func(c *shred.ShredderConfig) { c.KEK, c.KEKID = newKEK_, "v2" }

		before := newShredder(t, store, withOld)
		var users []*User
		for _, id := range []string{"a", "b", "c", "d", "e", "f", "g"} {
			u := newUser(id)
			require.NoError(t, before.Seal(ctx, u))
			users = append(users, u)
		}
		require.NoError(t, before.Erase(ctx, "g"))

		// Interrupted: with batches of two, the steps are a List, two
		// Updates, a List, two Updates…; the sixth step fails, after
		// three keys were re-wrapped.
		interrupted := newShredder(t, faultStore{store, &faults{failAt: 6}}, withBoth)
		n, err := interrupted.RotateKEK(ctx, 2)
		require.ErrorIs(t, err, errInjected)
		assert.Equal(t, 3, n)

		// Meanwhile, and while the rotation resumes, instances with both
		// KEKs seal and open.
		var wg sync.WaitGroup
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := newShredder(t, store, withBoth)
				for _, u := range users[:6] {
					v := *u.clone()
					assert.NoError(t, s.Open(ctx, &v))
					assert.NoError(t, s.Seal(ctx, newUser(u.ID)))
				}
				assert.NoError(t, s.Seal(ctx, newUser("newcomer")), "new keys are wrapped by the new KEK")
			}()
		}
		rotating := newShredder(t, store, withBoth)
		done, err := rotating.RotateKEK(ctx, 2)
		require.NoError(t, err)
		wg.Wait()
		assert.Equal(t, 7-3, done, "the reference key and six live subjects, less the three done; the newcomer's key is new")
		again, err := rotating.RotateKEK(ctx, 2)
		require.NoError(t, err)
		assert.Zero(t, again, "a second run has nothing left to do")

		after := newShredder(t, store, withNew)
		for _, u := range users[:6] {
			v := *u.clone()
			require.NoError(t, after.Open(ctx, &v), "the old KEK is no longer needed")
			assert.Equal(t, "ada@example.org", v.Email)
		}
		v := *users[6].clone()
		assert.ErrorIs(t, after.Open(ctx, &v), shred.ErrErased, "tombstones stay tombstones")
		for _, r := range snapshot(t, store) {
			if !r.Erased() {
				assert.Equal(t, "v2", r.KEK)
			}
		}
		stale := newShredder(t, store, withOld)
		v = *users[0].clone()
		assert.ErrorIs(t, stale.Open(ctx, &v), shred.ErrUnknownKEK)
	})
}

func TestRotateKEKNeedsTheOldKEK(t *testing.T) {
	ctx := context.Background()
	store := shred.NewMemoryStore()
	s := newShredder(t, store, func(c *shred.ShredderConfig) { c.KEKID = "v1" })
	require.NoError(t, s.Seal(ctx, newUser("u-1")))
	r := newShredder(t, store, func(c *shred.ShredderConfig) { c.KEKID = "v2" })
	_, err := r.RotateKEK(ctx, 10)
	require.ErrorIs(t, err, shred.ErrUnknownKEK)
	assert.ErrorContains(t, err, `"v1"`)

	_, err = shred.New(shred.ShredderConfig{Store: store, KEK: newKEK(t), KEKID: "v1", OldKEKs: map[string]tink.AEAD{"v1": newKEK(t)}})
	assert.ErrorContains(t, err, "OldKEKs holds the current KEKID")
}
