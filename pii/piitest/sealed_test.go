package piitest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tink-crypto/tink-go/v2/aead"
	"github.com/tink-crypto/tink-go/v2/keyset"

	"github.com/gdprkit/gdprkit/pii/shred"
)

func newShredder(t *testing.T) *shred.Shredder {
	t.Helper()
	h, err := keyset.NewHandle(aead.AES256GCMKeyTemplate())
	require.NoError(t, err)
	kek, err := aead.New(h)
	require.NoError(t, err)
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	s, err := shred.New(shred.ShredderConfig{Store: shred.NewMemoryStore(), KEK: kek, KEKID: "test", Now: func() time.Time { return now }})
	require.NoError(t, err)
	return s
}

func TestSealedAfterSeal(t *testing.T) {
	s := newShredder(t)
	u := ada()
	require.NoError(t, s.Seal(context.Background(), &u))

	r := &recorder{}
	assert.True(t, Sealed(r, u))
	assert.True(t, Sealed(r, &u))
	assert.Empty(t, r.failures)
	assert.Equal(t, "analytical-engine", u.Plan, "ordinary fields stay as they are")
}

func TestSealedFailsOnClearText(t *testing.T) {
	s := newShredder(t)
	u := ada()
	require.NoError(t, s.Seal(context.Background(), &u))
	u.Email = adaEmail                 // put back in clear
	u.Contacts[0].Address = adaAddress // and a nested one

	r := &recorder{}
	assert.False(t, Sealed(r, &u, "after update %d", 2))
	msg := r.failed(t)
	assert.Contains(t, msg, "*piitest.User is not sealed:")
	assert.Contains(t, msg, `User.Email (user.contact.email) holds clear text "a**@e******.org"`)
	assert.Contains(t, msg, `Contact.Address (user.contact.address) holds clear text "** ** ******* ******* ******"`)
	assert.NotContains(t, msg, "User.Name", "sealed fields are not listed")
	assert.Contains(t, msg, "after update 2")
	assertNoClearValues(t, msg)

	r = &recorder{}
	assert.False(t, Sealed(r, ada()), "nothing sealed yet")
	assert.Equal(t, 5, strings.Count(r.failed(t), "holds clear text"), "Email, Name, Phone, Avatar and the contact's Address")
}

func TestSealedPointersAndBytes(t *testing.T) {
	type Doc struct {
		Owner string  `pii:"subject"`
		Note  *string `pii:"content"`
		Scan  []byte  `pii:"biometric"`
		None  *string `pii:"content"`
	}
	sealed := "gk1.AQAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	require.True(t, shred.IsSealed(sealed), "the fixture has the sealed form")
	note := sealed
	r := &recorder{}
	assert.True(t, Sealed(r, Doc{Owner: "d-1", Note: &note, Scan: []byte(sealed)}))
	assert.Empty(t, r.failures)

	clear := "a clear note"
	assert.False(t, Sealed(r, Doc{Owner: "d-1", Note: &clear, Scan: []byte(sealed)}))
	assert.Contains(t, r.failed(t), `Doc.Note (user.content) holds clear text "* ***** ****"`)
}

func TestSealedRejectsUnsealableFields(t *testing.T) {
	type Patient struct {
		ID        string    `pii:"subject"`
		Diagnosis string    `pii:"health"`
		Visited   time.Time `pii:"health"`
		Codes     []string  `pii:"health,plain"`
	}
	sealed := "gk1.AQAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	r := &recorder{}
	assert.False(t, Sealed(r, Patient{ID: "p-1", Diagnosis: sealed, Codes: []string{"J45"}}))
	msg := r.failed(t)
	assert.Contains(t, msg, "Patient.Visited (user.health_and_medical) is a time.Time, which Seal cannot seal in place: mark it plain, or keep it with Shredder.Marshal")
	assert.NotContains(t, msg, "Codes", "plain fields need no sealing")
}

func TestSealedNeedsSomethingToCheck(t *testing.T) {
	r := &recorder{}
	assert.False(t, Sealed(r, User{ID: "u-3", Plan: "basic"}))
	assert.Contains(t, r.failed(t), "piitest.User holds no non-empty personal field to be sealed")

	type Bad struct {
		Email string `pii:"email,plain,plain"`
	}
	r = &recorder{}
	assert.False(t, Sealed(r, Bad{}))
	assert.Contains(t, r.failed(t), `cannot read the personal fields of piitest.Bad`)
}
