// Package dbtest opens real databases for the module's tests: SQLite in a
// temporary directory, and PostgreSQL from GDPRKIT_TEST_POSTGRES in a fresh
// schema per test. It is imported by tests only, which is why it may import
// database drivers.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL driver "pgx"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite" // SQLite driver "sqlite"
)

// PostgresEnv names the variable holding the PostgreSQL test DSN.
const PostgresEnv = "GDPRKIT_TEST_POSTGRES"

// SQLite opens a new SQLite database file in a temporary directory, in WAL
// mode with a busy timeout, closed when the test ends. It also returns the
// file's path, for tests that copy or inspect the file.
func SQLite(t testing.TB) (*sql.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	db, err := sql.Open("sqlite", SQLiteDSN(path))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	require.NoError(t, db.Ping())
	return db, path
}

// SQLiteDSN returns the DSN the tests and examples use for a SQLite file:
// WAL journal, a 10 s busy timeout and foreign keys on.
func SQLiteDSN(path string) string {
	return "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_txlock=immediate"
}

// Postgres connects to the PostgreSQL server named by GDPRKIT_TEST_POSTGRES
// and returns a DSN and a database whose search path is a new schema, dropped
// when the test ends. Without the variable the test is skipped, saying so.
// Open the DSN again for a second instance on the same schema.
func Postgres(t testing.TB) (*sql.DB, string) {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skipf("PostgreSQL tests skipped: set %s to a DSN (postgres://user@127.0.0.1:5432/db) to run them", PostgresEnv)
	}
	admin, err := sql.Open("pgx", base)
	require.NoError(t, err)
	defer admin.Close()
	buf := make([]byte, 6)
	_, _ = rand.Read(buf)
	schema := "t_" + hex.EncodeToString(buf)
	_, err = admin.ExecContext(context.Background(), "CREATE SCHEMA "+schema)
	require.NoError(t, err, "create test schema")
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err == nil {
			admin.Exec("DROP SCHEMA " + schema + " CASCADE")
			admin.Close()
		}
	})
	dsn := withSearchPath(t, base, schema)
	db, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	require.NoError(t, db.Ping())
	return db, dsn
}

func withSearchPath(t testing.TB, dsn, schema string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		require.NoError(t, err)
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " search_path=" + schema
}

// Each runs fn as a subtest on SQLite ("sqlite") and on PostgreSQL
// ("postgres", skipped without GDPRKIT_TEST_POSTGRES).
func Each(t *testing.T, fn func(t *testing.T, db *sql.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		db, _ := SQLite(t)
		fn(t, db)
	})
	t.Run("postgres", func(t *testing.T) {
		db, _ := Postgres(t)
		fn(t, db)
	})
}

// EachNew runs fn as a subtest on SQLite ("sqlite") and on PostgreSQL
// ("postgres", skipped without GDPRKIT_TEST_POSTGRES), giving it a function
// that opens a new, empty database of that kind on each call: what a
// conformance suite, which wants a new store per subtest, needs.
func EachNew(t *testing.T, fn func(t *testing.T, open func(t testing.TB) *sql.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		fn(t, func(t testing.TB) *sql.DB {
			db, _ := SQLite(t)
			return db
		})
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, func(t testing.TB) *sql.DB {
			db, _ := Postgres(t)
			return db
		})
	})
}
