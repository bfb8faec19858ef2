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
	// SQL holds the statements for each dialect, run in one transaction.
	// Use {{blob}} for the binary column type.
	SQLite, Postgres []string
}

const migrationsTable = `CREATE TABLE IF NOT EXISTS gdprkit_migrations (
	component TEXT NOT NULL,
	version INTEGER NOT NULL,
	PRIMARY KEY (component, version)
)`

// Migrate brings component's tables up to the newest migration. Each step
// runs in its own transaction together with its bookkeeping row; on
// PostgreSQL an advisory lock keeps two instances from migrating at once.
// Running it again is a no-op.
func Migrate(ctx context.Context, db *DB, component string, steps []Migration) error {
	if _, err := db.ExecContext(ctx, migrationsTable); err != nil {
		return fmt.Errorf("sqldb: create migrations table: %w", err)
	}
	for i, step := range steps {
		if step.Version != i+1 {
			return fmt.Errorf("sqldb: %s migration %d has version %d", component, i+1, step.Version)
		}
		if err := apply(ctx, db, component, step); err != nil {
			return fmt.Errorf("sqldb: %s migration %d: %w", component, step.Version, err)
		}
	}
	return nil
}

func apply(ctx context.Context, db *DB, component string, step Migration) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if db.Dialect == Postgres {
		h := fnv.New64a()
		h.Write([]byte("gdprkit:" + component))
		if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(h.Sum64())); err != nil {
			return err
		}
	}
	var done int
	err = tx.QueryRowContext(ctx, db.Dialect.Rebind(
		"SELECT COUNT(*) FROM gdprkit_migrations WHERE component = ? AND version = ?"),
		component, step.Version).Scan(&done)
	if err != nil {
		return err
	}
	if done > 0 {
		return nil
	}
	stmts := step.SQLite
	if db.Dialect == Postgres {
		stmts = step.Postgres
	}
	for _, stmt := range stmts {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("%w\n%s", err, stmt)
		}
	}
	if _, err := tx.ExecContext(ctx, db.Dialect.Rebind(
		"INSERT INTO gdprkit_migrations (component, version) VALUES (?, ?)"),
		component, step.Version); err != nil {
		return err
	}
	return tx.Commit()
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
