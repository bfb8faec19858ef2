package shred_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii/shred"
)

func TestTamperedCiphertextFails(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	u := newUser("u-1")
	require.NoError(t, s.Seal(ctx, u))

	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(u.Email, "gk1."))
	require.NoError(t, err)
	for _, i := range []int{len(raw) - 1, 20, 6} { // tag, body, nonce
		flipped := bytes.Clone(raw)
		flipped[i] ^= 0x01
		v := *u.clone()
		v.Email = "gk1." + base64.RawURLEncoding.EncodeToString(flipped)
		tampered := v.Email
		err := s.Open(ctx, &v)
		require.ErrorIs(t, err, shred.ErrCiphertext, "byte %d", i)
		assert.NotErrorIs(t, err, shred.ErrErased)
		assert.ErrorContains(t, err, "shred_test.User.Email")
		assert.Equal(t, tampered, v.Email, "left as it was")
		assert.Equal(t, "Ada Lovelace", v.Name, "other fields open")
	}

	flipped := bytes.Clone(raw)
	flipped[2] ^= 0x01 // the key ID
	v := *u.clone()
	v.Email = "gk1." + base64.RawURLEncoding.EncodeToString(flipped)
	require.ErrorIs(t, s.Open(ctx, &v), shred.ErrCiphertext)

	v = *u.clone()
	v.Email = v.Email[:len(v.Email)-4]
	require.ErrorIs(t, s.Open(ctx, &v), shred.ErrCiphertext, "truncated")
}

func TestCiphertextSwappedBetweenSubjects(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	alice, bob := newUser("alice"), newUser("bob")
	bob.Email = "bob@example.org"
	require.NoError(t, s.Seal(ctx, alice))
	require.NoError(t, s.Seal(ctx, bob))

	alice.Email = bob.Email
	err := s.Open(ctx, alice)
	require.ErrorIs(t, err, shred.ErrCiphertext)
	assert.NotErrorIs(t, err, shred.ErrErased)
	assert.NotEqual(t, "bob@example.org", alice.Email)
}

func TestCiphertextSwappedBetweenFields(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	u := newUser("u-1")
	require.NoError(t, s.Seal(ctx, u))
	u.Name, u.Email = u.Email, u.Name
	err := s.Open(ctx, u)
	require.ErrorIs(t, err, shred.ErrCiphertext)
	var many shred.FieldErrors
	require.ErrorAs(t, err, &many)
	assert.Len(t, many, 2)
	assert.True(t, shred.IsSealed(u.Name))
	assert.True(t, shred.IsSealed(u.Email))
}

func TestCiphertextMovedToAnotherNamespace(t *testing.T) {
	ctx := context.Background()
	store := shred.NewMemoryStore()
	kek := newKEK(t)
	a := newShredder(t, store, func(c *shred.ShredderConfig) { c.KEK, c.Namespace = kek, "a" })
	b := newShredder(t, store, func(c *shred.ShredderConfig) { c.KEK, c.Namespace = kek, "b" })
	u, v := newUser("u-1"), newUser("u-1")
	require.NoError(t, a.Seal(ctx, u))
	require.NoError(t, b.Seal(ctx, v))
	v.Email = u.Email
	assert.ErrorIs(t, b.Open(ctx, v), shred.ErrCiphertext, "the same subject in another namespace has another key")
}

func TestWrappedKeyCopiedToAnotherSubject(t *testing.T) {
	ctx := context.Background()
	store := shred.NewMemoryStore()
	kek := newKEK(t)
	s := newShredder(t, store, func(c *shred.ShredderConfig) { c.KEK = kek })
	alice, bob := newUser("alice"), newUser("bob")
	require.NoError(t, s.Seal(ctx, alice))
	require.NoError(t, s.Seal(ctx, bob))

	// An attacker with write access to the store copies alice's wrapped key
	// into bob's row, hoping bob's data then opens with a key they know.
	recs := snapshot(t, store)
	var aliceRec, bobRec shred.KeyRecord
	for _, r := range recs {
		switch {
		case r.Ref == "!prf":
		case aliceRec.Ref == "":
			aliceRec = r
		default:
			bobRec = r
		}
	}
	require.NotEmpty(t, bobRec.Ref)
	bobRec.Wrapped = aliceRec.Wrapped
	require.NoError(t, store.Update(ctx, bobRec))

	fresh := newShredder(t, store, func(c *shred.ShredderConfig) { c.KEK = kek })
	a, b := *alice.clone(), *bob.clone()
	errA, errB := fresh.Open(ctx, &a), fresh.Open(ctx, &b)
	// One of the two rows now holds a key wrapped for the other row.
	failed := errB
	if errB == nil {
		failed = errA
	}
	require.ErrorIs(t, failed, shred.ErrUnwrap)
	assert.ErrorContains(t, failed, "wrong KEK, or a key copied from another subject's row")
}

func TestWrongKEK(t *testing.T) {
	ctx := context.Background()
	store := shred.NewMemoryStore()
	s := newShredder(t, store)
	u := newUser("u-1")
	require.NoError(t, s.Seal(ctx, u))

	other := newShredder(t, store) // same store, same KEKID, another KEK
	err := other.Open(ctx, u)
	require.ErrorIs(t, err, shred.ErrUnwrap)
	assert.True(t, shred.IsSealed(u.Email))

	renamed := newShredder(t, store, func(c *shred.ShredderConfig) { c.KEKID = "kms-v2" })
	err = renamed.Open(ctx, u)
	require.ErrorIs(t, err, shred.ErrUnknownKEK)
	assert.ErrorContains(t, err, `"test"`)
}

// TestErasureLeavesNoKeyBytesInSQLite reads the SQLite files byte by byte.
func TestErasureLeavesNoKeyBytesInSQLite(t *testing.T) {
	ctx := context.Background()
	db, path := dbtest.SQLite(t)
	store, err := shred.NewSQLStore(ctx, db)
	require.NoError(t, err)
	s := newShredder(t, store)
	const subject = "subject-7f3a9c"
	u := newUser(subject)
	require.NoError(t, s.Seal(ctx, u))
	require.NoError(t, s.RotateSubject(ctx, subject)) // an older wrapped key, too
	older := wrappedKeys(t, db)
	require.NoError(t, s.Seal(ctx, newUser("bystander")))
	keys := wrappedKeys(t, db)
	require.Len(t, keys, 3, "reference key, the subject's, the bystander's")

	assert.False(t, fileHolds(t, path, []byte(subject)), "the store never holds subject IDs")

	require.NoError(t, s.Erase(ctx, subject))
	var gone [][]byte
	for _, k := range append(older, keys...) {
		if !containsKey(wrappedKeys(t, db), k) {
			gone = append(gone, k)
		}
	}
	require.Len(t, gone, 2, "the subject's key before and after rotation")
	for _, k := range gone {
		for _, part := range [][]byte{k, k[len(k)-32:], k[len(k)/2 : len(k)/2+24]} {
			assert.False(t, fileHolds(t, path, part), "erased key bytes remain on disk")
		}
	}
	require.NoError(t, s.Open(ctx, newUser("bystander")), "others are untouched")
}

func TestErasureLeavesNoKeyBytesInPostgres(t *testing.T) {
	ctx := context.Background()
	db, _ := dbtest.Postgres(t)
	store, err := shred.NewSQLStore(ctx, db)
	require.NoError(t, err)
	s := newShredder(t, store)
	require.NoError(t, s.Seal(ctx, newUser("subject-1")))
	before := wrappedKeys(t, db)
	require.NoError(t, s.Erase(ctx, "subject-1"))
	after := wrappedKeys(t, db)
	require.Len(t, after, len(before)-1)

	var n int
	require.NoError(t, db.QueryRowContext(ctx, `SELECT COUNT(*) FROM gdprkit_shred_keys WHERE wrapped IS NULL AND kek = '' AND erased_at IS NOT NULL`).Scan(&n))
	assert.Equal(t, 1, n, "one tombstone")
	for _, k := range before {
		if containsKey(after, k) {
			continue
		}
		require.NoError(t, db.QueryRowContext(ctx,
			`SELECT COUNT(*) FROM gdprkit_shred_keys WHERE position($1::bytea IN coalesce(wrapped, ''::bytea)) > 0`, k[8:40]).Scan(&n))
		assert.Zero(t, n, "no row holds the erased key's bytes")
	}
	var text string
	require.NoError(t, db.QueryRowContext(ctx, `SELECT string_agg(namespace || ref || kek, ',') FROM gdprkit_shred_keys`).Scan(&text))
	assert.NotContains(t, text, "subject-1", "the table never holds subject IDs")
}

func wrappedKeys(t *testing.T, db *sql.DB) [][]byte {
	t.Helper()
	rows, err := db.Query(`SELECT wrapped FROM gdprkit_shred_keys WHERE wrapped IS NOT NULL ORDER BY ref`)
	require.NoError(t, err)
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var b []byte
		require.NoError(t, rows.Scan(&b))
		out = append(out, b)
	}
	require.NoError(t, rows.Err())
	return out
}

func containsKey(keys [][]byte, k []byte) bool {
	for _, x := range keys {
		if bytes.Equal(x, k) {
			return true
		}
	}
	return false
}

// fileHolds reports whether the SQLite database or its WAL holds b.
func fileHolds(t *testing.T, path string, b []byte) bool {
	t.Helper()
	for _, p := range []string{path, path + "-wal", path + "-journal"} {
		data, err := os.ReadFile(p)
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err)
		if bytes.Contains(data, b) {
			return true
		}
	}
	return false
}

// Memo is a record with one sealed field, for tests that open many variants.
type Memo struct {
	Subject string `pii:"subject"`
	Text    string `pii:"user.content"`
}

// TestSealedTextHasOneValidForm substitutes every byte value at every
// position of a sealed string: no variant opens, and IsSealed accepts none
// of them whose ciphertext the parser would refuse.
func TestSealedTextHasOneValidForm(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	// Three lengths, so that the last character carries 0, 2 and 4 spare bits.
	for _, text := range []string{"ada@example.org", "ada@example.or", "ada@example.orgs"} {
		n := &Memo{Subject: "u-1", Text: text}
		require.NoError(t, s.Seal(ctx, n))
		sealed := n.Text
		opened := 0
		for i := 0; i < len(sealed); i++ {
			for c := 0; c < 256; c++ {
				if byte(c) == sealed[i] {
					continue
				}
				mut := sealed[:i] + string([]byte{byte(c)}) + sealed[i+1:]
				v := Memo{Subject: "u-1", Text: mut}
				err := s.Open(ctx, &v)
				if v.Text == text {
					opened++
					continue
				}
				switch {
				case shred.IsSealed(mut):
					assert.ErrorIs(t, err, shred.ErrCiphertext, "position %d byte %#x", i, c)
				case strings.HasPrefix(mut, "gk1."):
					assert.ErrorIs(t, err, shred.ErrMalformed, "position %d byte %#x", i, c)
				}
			}
		}
		assert.Zero(t, opened, "variants of a %d-byte value that opened", len(text))
	}
}
