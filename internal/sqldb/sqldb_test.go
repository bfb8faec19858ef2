package sqldb_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/internal/sqldb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRebind(t *testing.T) {
	assert.Equal(t, "SELECT $1, '?', $2", sqldb.Postgres.Rebind("SELECT ?, '?', ?"))
	assert.Equal(t, "SELECT ?", sqldb.SQLite.Rebind("SELECT ?"))
}

var steps = []sqldb.Migration{{
	Version:  1,
	SQLite:   []string{"CREATE TABLE things (id TEXT PRIMARY KEY, body BLOB)"},
	Postgres: []string{"CREATE TABLE things (id TEXT PRIMARY KEY, body BYTEA)"},
}}

func TestMigrateAndErrors(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, raw *sql.DB) {
		ctx := context.Background()
		db, err := sqldb.Open(raw)
		require.NoError(t, err)
		require.NoError(t, sqldb.Migrate(ctx, db, "test", steps))
		require.NoError(t, sqldb.Migrate(ctx, db, "test", steps), "a second run is a no-op")

		insert := db.Dialect.Rebind("INSERT INTO things (id, body) VALUES (?, ?)")
		_, err = db.ExecContext(ctx, insert, "a", []byte{1})
		require.NoError(t, err)
		_, err = db.ExecContext(ctx, insert, "a", []byte{2})
		require.Error(t, err)
		assert.True(t, sqldb.Unique(err), "duplicate key is a unique violation: %v", err)
		assert.False(t, sqldb.Retryable(err))

		err = sqldb.InTx(ctx, db, func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, insert, "b", []byte{3})
			return err
		})
		require.NoError(t, err)
		var n int
		require.NoError(t, db.QueryRowContext(ctx, "SELECT COUNT(*) FROM things").Scan(&n))
		assert.Equal(t, 2, n)
	})
}

func TestMigrateRejectsGaps(t *testing.T) {
	raw, _ := dbtest.SQLite(t)
	db, err := sqldb.Open(raw)
	require.NoError(t, err)
	err = sqldb.Migrate(context.Background(), db, "gap", []sqldb.Migration{{Version: 2}})
	assert.ErrorContains(t, err, "has version 2")
}

// concurrentSteps create a table for each dialect's types and seed it with a
// row without a key, so a step applied twice shows as a second row.
var concurrentSteps = []sqldb.Migration{{
	Version:  1,
	SQLite:   []string{"CREATE TABLE seeded (note TEXT NOT NULL)"},
	Postgres: []string{"CREATE TABLE seeded (note TEXT NOT NULL)"},
}, {
	Version:  2,
	SQLite:   []string{"INSERT INTO seeded (note) VALUES ('once')"},
	Postgres: []string{"INSERT INTO seeded (note) VALUES ('once')"},
}}

// TestMigrateConcurrentStarts starts eight instances at once on an empty
// database, each with its own connection pool (its own sessions), migrating
// two components: every instance succeeds and every step runs once.
func TestMigrateConcurrentStarts(t *testing.T) {
	const instances = 8
	run := func(t *testing.T, open func() *sql.DB) {
		ctx := context.Background()
		dbs := make([]*sqldb.DB, instances)
		for i := range dbs {
			raw := open()
			require.NoError(t, raw.PingContext(ctx))
			db, err := sqldb.Open(raw)
			require.NoError(t, err)
			dbs[i] = db
		}
		start := make(chan struct{})
		errs := make(chan error, instances)
		for _, db := range dbs {
			go func(db *sqldb.DB) {
				<-start
				err := sqldb.Migrate(ctx, db, "first", concurrentSteps[:1])
				if err == nil {
					err = sqldb.Migrate(ctx, db, "second", []sqldb.Migration{
						{Version: 1, SQLite: []string{"CREATE TABLE other (id INTEGER)"}, Postgres: []string{"CREATE TABLE other (id INTEGER)"}},
					})
				}
				if err == nil {
					err = sqldb.Migrate(ctx, db, "first", concurrentSteps)
				}
				errs <- err
			}(db)
		}
		close(start)
		for range dbs {
			assert.NoError(t, <-errs)
		}
		var n int
		require.NoError(t, dbs[0].QueryRowContext(ctx, "SELECT COUNT(*) FROM seeded").Scan(&n))
		assert.Equal(t, 1, n, "the seeding step ran once")
		require.NoError(t, dbs[0].QueryRowContext(ctx, "SELECT COUNT(*) FROM gdprkit_migrations").Scan(&n))
		assert.Equal(t, 3, n, "one bookkeeping row per step")
	}
	t.Run("sqlite", func(t *testing.T) {
		_, path := dbtest.SQLite(t)
		run(t, func() *sql.DB {
			raw, err := sql.Open("sqlite", dbtest.SQLiteDSN(path))
			require.NoError(t, err)
			t.Cleanup(func() { raw.Close() })
			return raw
		})
	})
	t.Run("sqlite-deferred", func(t *testing.T) {
		// Without _txlock=immediate a transaction takes the write lock at
		// its first write, where SQLite may answer busy instead of waiting.
		_, path := dbtest.SQLite(t)
		run(t, func() *sql.DB {
			raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)")
			require.NoError(t, err)
			t.Cleanup(func() { raw.Close() })
			return raw
		})
	})
	t.Run("postgres", func(t *testing.T) {
		_, dsn := dbtest.Postgres(t)
		run(t, func() *sql.DB {
			raw, err := sql.Open("pgx", dsn)
			require.NoError(t, err)
			t.Cleanup(func() { raw.Close() })
			return raw
		})
	})
}

func TestExpand(t *testing.T) {
	stmt := "CREATE TABLE t (a {{int64}} NOT NULL, b {{int16}}, c {{blob}}, d INTEGER, e TEXT DEFAULT '{}')"
	got, err := sqldb.SQLite.Expand(stmt)
	require.NoError(t, err)
	assert.Equal(t, "CREATE TABLE t (a INTEGER NOT NULL, b INTEGER, c BLOB, d INTEGER, e TEXT DEFAULT '{}')", got)
	got, err = sqldb.Postgres.Expand(stmt)
	require.NoError(t, err)
	assert.Equal(t, "CREATE TABLE t (a BIGINT NOT NULL, b SMALLINT, c BYTEA, d INTEGER, e TEXT DEFAULT '{}')", got)

	for _, bad := range []string{"a {{int32}}", "a {{blob", "{{}}"} {
		_, err := sqldb.Postgres.Expand(bad)
		assert.Error(t, err, bad)
	}
	_, err = sqldb.Unknown.Expand("a {{blob}}")
	assert.Error(t, err, "no dialect")
}

func TestMigrationStatements(t *testing.T) {
	legacy := sqldb.Migration{Version: 1, SQLite: []string{"s"}, Postgres: []string{"p"}}
	got, err := legacy.Statements(sqldb.SQLite)
	require.NoError(t, err)
	assert.Equal(t, []string{"s"}, got)
	got, err = legacy.Statements(sqldb.Postgres)
	require.NoError(t, err)
	assert.Equal(t, []string{"p"}, got)

	_, err = sqldb.Migration{Version: 1, SQL: []string{"x"}, SQLite: []string{"s"}}.Statements(sqldb.SQLite)
	assert.ErrorContains(t, err, "both")
}

// TestMigrateDeclaredOnce runs a step declared once on both dialects, and
// refuses a step with an unknown placeholder before applying anything.
func TestMigrateDeclaredOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, raw *sql.DB) {
		ctx := context.Background()
		db, err := sqldb.Open(raw)
		require.NoError(t, err)
		once := []sqldb.Migration{{Version: 1, SQL: []string{"CREATE TABLE once (n {{int64}} NOT NULL, b {{blob}}, s {{int16}})"}}}
		require.NoError(t, sqldb.Migrate(ctx, db, "once", once))
		_, err = db.ExecContext(ctx, db.Dialect.Rebind("INSERT INTO once (n, b, s) VALUES (?, ?, ?)"), int64(1)<<40, []byte{0, 1}, 7)
		require.NoError(t, err)

		bad := append(once, sqldb.Migration{Version: 2, SQL: []string{"CREATE TABLE later (n {{int32}})"}})
		err = sqldb.Migrate(ctx, db, "once", bad)
		assert.ErrorContains(t, err, "{{int32}}")
		var n int
		require.NoError(t, db.QueryRowContext(ctx, "SELECT COUNT(*) FROM gdprkit_migrations WHERE component = 'once'").Scan(&n))
		assert.Equal(t, 1, n, "the bad step is not recorded")
	})
}
