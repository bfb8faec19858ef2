package shred_test

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/tink-crypto/tink-go/v2/aead"
	"github.com/tink-crypto/tink-go/v2/keyset"

	"github.com/gdprkit/gdprkit/internal/dbtest"
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

// BenchmarkErase compares erasing a subject by destroying its key with
// deleting its records. The subject has 10,000 sealed records in a SQLite
// table and its key in a SQLite key store (the same database); every
// iteration erases another subject, prepared outside the timer. Each
// preparation writes 10,000 rows, so run it with a fixed count, e.g.
// -benchtime=200x.
//
// shred-100 erases a subject with 100 records: erasure by key does not
// depend on the number of records.
func BenchmarkErase(b *testing.B) {
	for _, bc := range []struct {
		name    string
		records int
		shred   bool
	}{{"shred", 10000, true}, {"delete", 10000, false}, {"shred-100", 100, true}} {
		b.Run(bc.name, func(b *testing.B) {
			ctx := context.Background()
			db, _ := dbtest.SQLite(b)
			_, err := db.ExecContext(ctx, `CREATE TABLE records (subject TEXT NOT NULL, n INTEGER NOT NULL, email TEXT NOT NULL)`)
			require.NoError(b, err)
			_, err = db.ExecContext(ctx, `CREATE INDEX records_subject ON records (subject)`)
			require.NoError(b, err)
			s := newShredder(b, sqlStore(b, db))
			prepare := func(i int) string {
				subject := fmt.Sprint("subject-", i)
				c := newContact()
				c.ID = subject
				require.NoError(b, s.Seal(ctx, &c))
				_, err := db.ExecContext(ctx, `WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ?)
					INSERT INTO records (subject, n, email) SELECT ?, n, ? FROM k`, bc.records, subject, c.Email)
				require.NoError(b, err)
				_, err = db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
				require.NoError(b, err)
				return subject
			}
			b.ReportAllocs()
			b.ResetTimer()
			i := 0
			for b.Loop() {
				b.StopTimer()
				i++
				subject := prepare(i)
				b.StartTimer()
				if bc.shred {
					err = s.Erase(ctx, subject)
				} else {
					_, err = db.ExecContext(ctx, `DELETE FROM records WHERE subject = ?`, subject)
				}
				b.StopTimer()
				require.NoError(b, err)
				if bc.shred { // keep the table at one subject's records
					_, err = db.ExecContext(ctx, `DELETE FROM records WHERE subject = ?`, subject)
					require.NoError(b, err)
				}
				b.StartTimer()
			}
		})
	}
}

// BenchmarkOpenCold opens a Contact whose key is not cached: read from the
// SQLite key store (after computing the subject's reference) and unwrapped
// with the KEK, on every call; warm is the same with the key cached.
func BenchmarkOpenCold(b *testing.B) {
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		ttl  time.Duration
	}{{"cold", -1}, {"warm", time.Hour}} {
		b.Run(bc.name, func(b *testing.B) {
			db, _ := dbtest.SQLite(b)
			s := newShredder(b, sqlStore(b, db), func(c *shred.ShredderConfig) { c.CacheTTL = bc.ttl })
			sealed := newContact()
			require.NoError(b, s.Seal(ctx, &sealed))
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				c := sealed
				if err := s.Open(ctx, &c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
