package gdprkit_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// BenchmarkTenantErase compares the end of service for a tenant with n
// subjects (SQLite): "tenant" destroys the tenant's KEK (one row and a
// tombstone) and drops its database; "rows" deletes the subjects' rows one
// by one, as a service without gdprkit would. Each iteration starts from
// a copy of the same databases, made outside the timer.
//
//	go test -run '^$' -bench BenchmarkTenantErase -benchtime 3x .
func BenchmarkTenantErase(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		snap := tenantSnapshot(b, n)
		b.Run(fmt.Sprintf("tenant/subjects=%d", n), func(b *testing.B) {
			ctx := context.Background()
			for range b.N {
				b.StopTimer()
				s := snap.restore(b)
				b.StartTimer()
				cert, err := s.p.EraseTenant(ctx, "acme")
				b.StopTimer()
				require.NoError(b, err)
				require.True(b, cert.KeyDestroyed)
				b.StartTimer()
			}
		})
		b.Run(fmt.Sprintf("rows/subjects=%d", n), func(b *testing.B) {
			ctx := context.Background()
			for range b.N {
				b.StopTimer()
				s := snap.restore(b)
				db, err := s.dbs.Open(ctx, "acme")
				require.NoError(b, err)
				b.StartTimer()
				for i := range n {
					if _, err := db.ExecContext(ctx, "DELETE FROM customers WHERE id = $1", "subject-"+strconv.Itoa(i)); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// snapshot is a processor database and a tenant database with n subjects,
// each with a row and a key, copied for each iteration.
type snapshot struct {
	dir string
	kek string
	n   int
}

func tenantSnapshot(b *testing.B, n int) snapshot {
	ctx := context.Background()
	dir := b.TempDir()
	snap := snapshot{dir: dir, kek: filepath.Join(dir, "kek.json"), n: n}
	procDB, err := sql.Open("sqlite", dbtest.SQLiteDSN(filepath.Join(dir, "live", "processor.db")))
	require.NoError(b, os.MkdirAll(filepath.Join(dir, "live"), 0o700))
	require.NoError(b, err)
	defer procDB.Close()
	dbs := gdprkit.SQLiteTenants(filepath.Join(dir, "live", "tenants"))
	defer dbs.Close()
	s := snap.open(b, procDB, dbs, filepath.Join(dir, "live", "log.db"))
	tdb, err := dbs.Open(ctx, "acme")
	require.NoError(b, err)
	shop := newCustomers(b, tdb)
	cfg := shopConfig(b, shop, filepath.Join(dir, "unused.json"), nil)
	kit, err := s.p.Tenant(ctx, "acme", cfg)
	require.NoError(b, err)
	tx, err := tdb.Begin()
	require.NoError(b, err)
	for i := range n {
		_, err := tx.Exec("INSERT INTO customers (id, email, last_active) VALUES ($1, $2, 0)", "subject-"+strconv.Itoa(i), "someone@example.org")
		require.NoError(b, err)
	}
	require.NoError(b, tx.Commit())
	for i := range n {
		c := &customer{ID: "subject-" + strconv.Itoa(i), Email: "someone@example.org"}
		require.NoError(b, kit.Shredder("app").Seal(ctx, c)) // the subject's key
	}
	require.NoError(b, os.MkdirAll(filepath.Join(dir, "snap", "tenants"), 0o700))
	for from, to := range map[*sql.DB]string{procDB: "processor.db", tdb: filepath.Join("tenants", "acme.db")} {
		_, err := from.Exec("VACUUM INTO '" + filepath.Join(dir, "snap", to) + "'")
		require.NoError(b, err)
	}
	return snap
}

func (snap snapshot) open(b *testing.B, db *sql.DB, dbs gdprkit.TenantDatabases, logPath string) *site {
	kek, err := shred.LocalKEK(snap.kek)
	require.NoError(b, err)
	logDB, err := sql.Open("sqlite", dbtest.SQLiteDSN(logPath))
	require.NoError(b, err)
	b.Cleanup(func() { logDB.Close() })
	p, err := gdprkit.OpenProcessor(context.Background(), db, gdprkit.ProcessorConfig{
		KEK: kek, Databases: dbs, ErasureLog: logDB, Processor: gdpr.Party{Name: "Mailer SaaS GmbH"},
	})
	require.NoError(b, err)
	return &site{p: p, dbs: dbs, kek: kek}
}

// restore copies the snapshot to a new directory and opens a processor
// with the tenant's kit open on it, as a running service has.
func (snap snapshot) restore(b *testing.B) *site {
	dir := b.TempDir()
	require.NoError(b, os.MkdirAll(filepath.Join(dir, "tenants"), 0o700))
	for _, f := range []string{"processor.db", filepath.Join("tenants", "acme.db")} {
		copyFile(b, filepath.Join(snap.dir, "snap", f), filepath.Join(dir, f))
	}
	db, err := sql.Open("sqlite", dbtest.SQLiteDSN(filepath.Join(dir, "processor.db")))
	require.NoError(b, err)
	dbs := gdprkit.SQLiteTenants(filepath.Join(dir, "tenants"))
	b.Cleanup(func() { dbs.Close(); db.Close() })
	s := snap.open(b, db, dbs, filepath.Join(dir, "log.db"))
	tdb, err := dbs.Open(context.Background(), "acme")
	require.NoError(b, err)
	_, err = s.p.Tenant(context.Background(), "acme", shopConfig(b, newCustomers(b, tdb), filepath.Join(snap.dir, "unused.json"), nil))
	require.NoError(b, err)
	return s
}

func copyFile(b *testing.B, from, to string) {
	in, err := os.Open(from)
	require.NoError(b, err)
	defer in.Close()
	out, err := os.Create(to)
	require.NoError(b, err)
	_, err = io.Copy(out, in)
	require.NoError(b, err)
	require.NoError(b, out.Close())
}
