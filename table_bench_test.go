package gdprkit_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/internal/dbtest"
)

// profile is the benchmark's row: a subject and four personal strings.
type profile struct {
	ID      string `pii:"subject"`
	Name    string `pii:"name"`
	Email   string `pii:"email"`
	Phone   string `pii:"phone"`
	Address string `pii:"address"`
}

const profilesDDL = `CREATE TABLE profiles (id TEXT PRIMARY KEY, name TEXT, email TEXT, phone TEXT, address TEXT)`

// BenchmarkTable inserts a row for a new subject and reads it back, on
// SQLite: through a Table, and by hand with Seal, Open and the SQL written
// out, on the same database and keys. Each row's subject is new, so each
// insert creates the subject's key as well.
func BenchmarkTable(b *testing.B) {
	ctx := context.Background()
	// Without fsync, so that the difference of the code shows rather than
	// the disk's.
	db, err := sql.Open("sqlite", dbtest.SQLiteDSN(filepath.Join(b.TempDir(), "bench.db"))+"&_pragma=synchronous(OFF)")
	require.NoError(b, err)
	b.Cleanup(func() { db.Close() })
	_, err = db.Exec(profilesDDL)
	require.NoError(b, err)
	keys := newKeys(b, db)
	row := func(i int, prefix string) profile {
		return profile{ID: prefix + strconv.Itoa(i), Name: "Ada Lovelace", Email: "ada@example.org",
			Phone: "+44 20 7946 0000", Address: "12 St James's Square, London"}
	}

	var ti, hi int // new subjects across runs of the sub-benchmarks
	b.Run("table", func(b *testing.B) {
		profiles, err := gdprkit.NewTable[profile](ctx, db, gdprkit.TableConfig{Name: "profiles", Keys: keys})
		require.NoError(b, err)
		b.ReportAllocs()
		for b.Loop() {
			p := row(ti, "t")
			ti++
			if err := profiles.Insert(ctx, &p); err != nil {
				b.Fatal(err)
			}
			got, err := profiles.Get(ctx, p.ID)
			if err != nil || got.Email != p.Email {
				b.Fatal(err)
			}
		}
	})

	b.Run("handwritten", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p := row(hi, "h")
			hi++
			sealed := p
			if err := keys.Seal(ctx, &sealed); err != nil {
				b.Fatal(err)
			}
			//piicheck:ignore the fields were sealed by keys.Seal just above
			if _, err := db.ExecContext(ctx, "INSERT INTO profiles (id, name, email, phone, address) VALUES (?, ?, ?, ?, ?)",
				sealed.ID, sealed.Name, sealed.Email, sealed.Phone, sealed.Address); err != nil {
				b.Fatal(err)
			}
			var got profile
			err := db.QueryRowContext(ctx, "SELECT id, name, email, phone, address FROM profiles WHERE id = ?", p.ID).
				Scan(&got.ID, &got.Name, &got.Email, &got.Phone, &got.Address)
			if err == nil {
				err = keys.Open(ctx, &got)
			}
			if err != nil || got.Email != p.Email {
				b.Fatal(err)
			}
		}
	})
}
