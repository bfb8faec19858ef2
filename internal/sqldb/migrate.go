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
	// SQL holds the statements of both dialects, run in one transaction,
	// with the column types that differ between them written as
	// placeholders (see Dialect.Expand): a table declared once.
	SQL []string
	// SQLite and Postgres hold the statements for each dialect, for a step
	// whose dialects differ in more than column types. A step sets either
	// SQL or these two.
	SQLite, Postgres []string
}

// Statements returns the step's statements in dialect d.
func (m Migration) Statements(d Dialect) ([]string, error) {
	if m.SQL == nil {
		if d == Postgres {
			return m.Postgres, nil
		}
		return m.SQLite, nil
	}
	if m.SQLite != nil || m.Postgres != nil {
		return nil, fmt.Errorf("sqldb: migration %d sets both SQL and per-dialect statements", m.Version)
	}
	out := make([]string, len(m.SQL))
	for i, stmt := range m.SQL {
		var err error
		if out[i], err = d.Expand(stmt); err != nil {
			return nil, fmt.Errorf("sqldb: migration %d: %w", m.Version, err)
		}
	}
	return out, nil
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
		if _, err := step.Statements(db.Dialect); err != nil {
			return fmt.Errorf("sqldb: %s: %w", component, err)
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
	stmts, err := step.Statements(d)
	if err != nil {
		return err
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
// database is retried a few times. When ctx carries the caller's
// transaction on db (WithTx), fn runs in it, once: the caller commits or
// rolls back.
func InTx(ctx context.Context, db *DB, fn func(*sql.Tx) error) error {
	if tx := db.Tx(ctx); tx != nil {
		return fn(tx)
	}
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
