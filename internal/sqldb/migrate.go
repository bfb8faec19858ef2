package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"
)

// Migration is one versioned step of a component's schema. Versions start at
// 1 and follow each other without gaps; a step, once released, never changes.
type Migration struct {
	Version int
	// SQLite and Postgres hold the statements for each dialect, run in one
	// transaction.
	SQLite, Postgres []string
}

const migrationsTable = `CREATE TABLE IF NOT EXISTS gdprkit_migrations (
	component TEXT NOT NULL,
	version INTEGER NOT NULL,
	PRIMARY KEY (component, version)
)`

// migrateLockKey is the PostgreSQL advisory lock every migration takes first,
// before it touches the catalogue: two sessions creating the same table at
// once would otherwise collide in pg_type even with IF NOT EXISTS.
var migrateLockKey = func() int64 {
	h := fnv.New64a()
	h.Write([]byte("gdprkit:migrate"))
	return int64(h.Sum64())
}()

// Migrate brings component's tables up to the newest migration. Each step
// runs in its own transaction together with its bookkeeping row, so
// instances starting at once on the same database apply every step exactly
// once: on PostgreSQL each transaction first takes a transaction-level
// advisory lock, and on SQLite it first writes its bookkeeping row, which
// takes the database's write lock (waiting out the busy timeout). Running it
// again is a no-op.
func Migrate(ctx context.Context, db *DB, component string, steps []Migration) error {
	for i, step := range steps {
		if step.Version != i+1 {
			return fmt.Errorf("sqldb: %s migration %d has version %d", component, i+1, step.Version)
		}
	}
	err := locked(ctx, db, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, migrationsTable)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqldb: create migrations table: %w", err)
	}
	for _, step := range steps {
		if err := locked(ctx, db, func(tx *sql.Tx) error { return apply(ctx, tx, db.Dialect, component, step) }); err != nil {
			return fmt.Errorf("sqldb: %s migration %d: %w", component, step.Version, err)
		}
	}
	return nil
}

// locked runs fn in a transaction that, on PostgreSQL, holds the migration
// lock from its first statement. The transaction reads committed data, so
// what another instance committed while this one waited for the lock is
// seen whatever the database's default isolation.
func locked(ctx context.Context, db *DB, fn func(*sql.Tx) error) error {
	var opts *sql.TxOptions
	if db.Dialect == Postgres {
		opts = &sql.TxOptions{Isolation: sql.LevelReadCommitted}
	}
	tx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if db.Dialect == Postgres {
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", migrateLockKey); err != nil {
			return err
		}
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// apply records step as applied and runs its statements, unless another
// instance recorded it first. The bookkeeping row is written first: on
// SQLite a transaction's first write takes the write lock, and waiting for it
// is only safe (the busy timeout applies) before the transaction has read.
func apply(ctx context.Context, tx *sql.Tx, d Dialect, component string, step Migration) error {
	res, err := tx.ExecContext(ctx, d.Rebind(
		"INSERT INTO gdprkit_migrations (component, version) VALUES (?, ?) ON CONFLICT DO NOTHING"),
		component, step.Version)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return nil // applied by another instance, or by an earlier run
	}
	stmts := step.SQLite
	if d == Postgres {
		stmts = step.Postgres
	}
	for _, stmt := range stmts {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%w\n%s", err, stmt)
		}
	}
	return nil
}

// InTx runs fn in a transaction and commits it, or rolls it back when fn
// fails. A transaction that lost a serialisation race or hit a busy
// database is retried a few times.
func InTx(ctx context.Context, db *DB, fn func(*sql.Tx) error) error {
	var err error
	for attempt := 0; attempt < 8; attempt++ {
		err = inTx(ctx, db, fn)
		if err == nil || !Retryable(err) || ctx.Err() != nil {
			return err
		}
	}
	return err
}

func inTx(ctx context.Context, db *DB, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}
