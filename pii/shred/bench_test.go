package shred_test

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tink-crypto/tink-go/v2/aead"
	"github.com/tink-crypto/tink-go/v2/keyset"

	"github.com/gdprkit/gdprkit/pii/shred"
)

// Contact has five personal string fields.
type Contact struct {
	ID      string `pii:"subject"`
	Name    string `pii:"name"`
	Email   string `pii:"email"`
	Phone   string `pii:"phone"`
	Address string `pii:"address"`
	City    string `pii:"city"`
}

var contactFields = [5]string{
	"github.com/gdprkit/gdprkit/pii/shred_test.Contact.Name",
	"github.com/gdprkit/gdprkit/pii/shred_test.Contact.Email",
	"github.com/gdprkit/gdprkit/pii/shred_test.Contact.Phone",
	"github.com/gdprkit/gdprkit/pii/shred_test.Contact.Address",
	"github.com/gdprkit/gdprkit/pii/shred_test.Contact.City",
}

func newContact() Contact {
	return Contact{ID: "c-42", Name: "Ada Lovelace", Email: "ada@example.org", Phone: "+44 20 7946 0018",
		Address: "12 St James's Square", City: "London"}
}

// BenchmarkSealOpen compares sealing and opening a struct with five
// personal string fields (warm cache, memory store) against the same five
// values through direct Tink AEAD calls with the same associated data and
// the same text form: the hand-written ideal.
func BenchmarkSealOpen(b *testing.B) {
	ctx := context.Background()
	b.Run("shred", func(b *testing.B) {
		s := newShredder(b, shred.NewMemoryStore())
		c := newContact()
		require.NoError(b, s.Seal(ctx, &c))
		require.NoError(b, s.Open(ctx, &c))
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			if err := s.Seal(ctx, &c); err != nil {
				b.Fatal(err)
			}
			if err := s.Open(ctx, &c); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("tink", func(b *testing.B) {
		h, err := keyset.NewHandle(aead.AES256GCMKeyTemplate())
		require.NoError(b, err)
		a, err := aead.New(h)
		require.NoError(b, err)
		c := newContact()
		fields := [5]*string{&c.Name, &c.Email, &c.Phone, &c.Address, &c.City}
		var ad, pt, txt, raw []byte
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			for i, f := range fields {
				ad = appendAD(ad[:0], "app", c.ID, contactFields[i])
				pt = append(pt[:0], *f...)
				ct, err := a.Encrypt(pt, ad)
				if err != nil {
					b.Fatal(err)
				}
				txt = append(txt[:0], "gk1."...)
				txt = base64.RawURLEncoding.AppendEncode(txt, ct)
				*f = string(txt)
			}
			for i, f := range fields {
				ad = appendAD(ad[:0], "app", c.ID, contactFields[i])
				body, _ := strings.CutPrefix(*f, "gk1.")
				raw = raw[:0]
				raw, err = base64.RawURLEncoding.AppendDecode(raw, []byte(body))
				if err != nil {
					b.Fatal(err)
				}
				p, err := a.Decrypt(raw, ad)
				if err != nil {
					b.Fatal(err)
				}
				*f = string(p)
			}
		}
	})
}

// appendAD builds the associated data shred binds a sealed value to.
func appendAD(dst []byte, namespace, subject, field string) []byte {
	dst = append(dst, "gk1\x00"...)
	for _, s := range []string{namespace, subject, field} {
		dst = binary.AppendUvarint(dst, uint64(len(s)))
		dst = append(dst, s...)
	}
	return dst
}
