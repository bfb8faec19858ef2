package shred

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/gdprkit/gdprkit/internal/sqldb"
)

// SQLJournal is a Journal on database/sql (SQLite or PostgreSQL), in the
// table gdprkit_shred_journal. Put it in another database than the key
// store, so that restoring the key store's backup does not roll it back.
type SQLJournal struct {
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

// NewSQLJournal returns a Journal on db, creating or migrating its table.
func NewSQLJournal(ctx context.Context, db *sql.DB) (*SQLJournal, error) {
	d, err := sqldb.Open(db)
	if err != nil {
		return nil, fmt.Errorf("shred: NewSQLJournal: %w", err)
	}
	if err := sqldb.Migrate(ctx, d, "pii/shred/journal", journalMigrations); err != nil {
		return nil, fmt.Errorf("shred: NewSQLJournal: %w", err)
	}
	return &SQLJournal{
		db: d,
		append: d.Dialect.Rebind(`INSERT INTO gdprkit_shred_journal (namespace, ref, generation, erased_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (namespace, ref, generation) DO NOTHING`),
		read: d.Dialect.Rebind(`SELECT seq, ref, generation, erased_at FROM gdprkit_shred_journal
			WHERE namespace = ? AND seq > ? ORDER BY seq LIMIT ?`),
	}, nil
}

// Append implements Journal.
func (j *SQLJournal) Append(ctx context.Context, e JournalEntry) error {
	if _, err := j.db.ExecContext(ctx, j.append, e.Namespace, e.Ref, e.Generation, e.At.UnixMicro()); err != nil {
		return fmt.Errorf("shred: journal append: %w", err)
	}
	return nil
}

// Read implements Journal.
func (j *SQLJournal) Read(ctx context.Context, namespace string, after int64, limit int) ([]JournalEntry, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, err := j.db.QueryContext(ctx, j.read, namespace, after, limit)
	if err != nil {
		return nil, fmt.Errorf("shred: journal read: %w", err)
	}
	defer rows.Close()
	var out []JournalEntry
	for rows.Next() {
		e := JournalEntry{Namespace: namespace}
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
