package shred_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/tink-crypto/tink-go/v2/aead"
	"github.com/tink-crypto/tink-go/v2/keyset"
	"github.com/tink-crypto/tink-go/v2/tink"

	"github.com/gdprkit/gdprkit/pii/shred"
)

// clock is a settable time source for ShredderConfig.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// newKEK returns a fresh in-memory key-encryption key.
func newKEK(t testing.TB) tink.AEAD {
	t.Helper()
	h, err := keyset.NewHandle(aead.AES256GCMKeyTemplate())
	require.NoError(t, err)
	a, err := aead.New(h)
	require.NoError(t, err)
	return a
}

// newShredder returns a Shredder on store with a fresh KEK and a test clock,
// after applying edit to its Config.
func newShredder(t testing.TB, store shred.Store, edit ...func(*shred.ShredderConfig)) *shred.Shredder {
	t.Helper()
	cfg := shred.ShredderConfig{Store: store, KEK: newKEK(t), KEKID: "test", Namespace: "app", Now: newClock().Now}
	for _, e := range edit {
		e(&cfg)
	}
	s, err := shred.New(cfg)
	require.NoError(t, err)
	return s
}

// User is the test's customer record.
type User struct {
	ID     string  `pii:"subject" json:"id"`
	Name   string  `pii:"name,replace=Former customer" json:"name"`
	Email  string  `pii:"email" json:"email"`
	Phone  *string `pii:"phone" json:"phone,omitempty"`
	Avatar []byte  `pii:"user.content" json:"avatar,omitempty"`
	IP     string  `pii:"ip,plain" json:"ip"`
	Plan   string  `json:"plan"`
}

func newUser(id string) *User {
	phone := "+44 20 7946 0018"
	return &User{ID: id, Name: "Ada Lovelace", Email: "ada@example.org", Phone: &phone,
		Avatar: []byte{0x89, 'P', 'N', 'G'}, IP: "192.0.2.7", Plan: "gold"}
}

// clone returns a deep copy of u, so that opening the copy leaves u sealed.
func (u *User) clone() *User {
	c := *u
	if u.Phone != nil {
		phone := *u.Phone
		c.Phone = &phone
	}
	c.Avatar = append([]byte(nil), u.Avatar...)
	if u.Avatar == nil {
		c.Avatar = nil
	}
	return &c
}
