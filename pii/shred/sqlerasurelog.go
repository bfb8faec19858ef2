package shred

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/gdprkit/gdprkit/internal/sqldb"
)

// SQLErasureLog is an ErasureLog on database/sql (SQLite or PostgreSQL), in the
// table gdprkit_shred_journal. Put it in another database than the key
// store, so that restoring the key store's backup does not roll it back.
type SQLErasureLog struct {
	db           *sqldb.DB
	append, read string
}

var journalMigrations = []sqldb.Migration{{
	Version: 1,
	SQLite: []string{`CREATE TABLE gdprkit_shred_journal (
		seq INTEGER PRIMARY KEY AUTOINCREMENT,
		namespace TEXT NOT NULL,
		ref TEXT NOT NULL,
		generation INTEGER NOT NULL,
		erased_at INTEGER NOT NULL,
		UNIQUE (namespace, ref, generation)
	)`},
	Postgres: []string{`CREATE TABLE gdprkit_shred_journal (
		seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
		namespace TEXT NOT NULL,
		ref TEXT NOT NULL,
		generation INTEGER NOT NULL,
		erased_at BIGINT NOT NULL,
		UNIQUE (namespace, ref, generation)
	)`},
}}

// NewSQLErasureLog returns an ErasureLog on db, creating or migrating its table.
func NewSQLErasureLog(ctx context.Context, db *sql.DB) (*SQLErasureLog, error) {
	d, err := sqldb.Open(db)
	if err != nil {
		return nil, fmt.Errorf("shred: NewSQLErasureLog: %w", err)
	}
	if err := sqldb.Migrate(ctx, d, "pii/shred/journal", journalMigrations); err != nil {
		return nil, fmt.Errorf("shred: NewSQLErasureLog: %w", err)
	}
	return &SQLErasureLog{
		db: d,
		append: d.Dialect.Rebind(`INSERT INTO gdprkit_shred_journal (namespace, ref, generation, erased_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (namespace, ref, generation) DO NOTHING`),
		read: d.Dialect.Rebind(`SELECT seq, ref, generation, erased_at FROM gdprkit_shred_journal
			WHERE namespace = ? AND seq > ? ORDER BY seq LIMIT ?`),
	}, nil
}

// Append implements ErasureLog.
func (j *SQLErasureLog) Append(ctx context.Context, e ErasureEntry) error {
	if _, err := j.db.ExecContext(ctx, j.append, e.Namespace, e.Ref, e.Generation, e.At.UnixMicro()); err != nil {
		return fmt.Errorf("shred: journal append: %w", err)
	}
	return nil
}

// Read implements ErasureLog.
func (j *SQLErasureLog) Read(ctx context.Context, namespace string, after int64, limit int) ([]ErasureEntry, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, err := j.db.QueryContext(ctx, j.read, namespace, after, limit)
	if err != nil {
		return nil, fmt.Errorf("shred: journal read: %w", err)
	}
	defer rows.Close()
	var out []ErasureEntry
	for rows.Next() {
		e := ErasureEntry{Namespace: namespace}
		var at int64
		if err := rows.Scan(&e.Seq, &e.Ref, &e.Generation, &at); err != nil {
			return nil, fmt.Errorf("shred: journal read: %w", err)
		}
		e.At = time.UnixMicro(at).UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("shred: journal read: %w", err)
	}
	return out, nil
}
