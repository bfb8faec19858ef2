package audit

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/gdprkit/gdprkit/internal/sqldb"
)

// SQLStore keeps the journal in a SQL database (SQLite or
// PostgreSQL) through database/sql, in the table gdprkit_journal and its
// one-row head table gdprkit_journal_head. Appends from any number of
// instances sharing the database form one unbroken chain: each append locks
// the head row, links to it and moves it, in one transaction.
type SQLStore struct {
	db *sqldb.DB
}

var _ Store = (*SQLStore)(nil)

var journalMigrations = []sqldb.Migration{{
	Version: 1,
	SQLite: []string{
		`CREATE TABLE gdprkit_journal (
			seq INTEGER PRIMARY KEY,
			at_us INTEGER NOT NULL,
			kind TEXT NOT NULL,
			subject TEXT NOT NULL,
			purpose TEXT NOT NULL,
			outcome TEXT NOT NULL,
			reasons TEXT NOT NULL,
			actor TEXT NOT NULL,
			ref TEXT NOT NULL,
			prev BLOB NOT NULL,
			hash BLOB NOT NULL
		)`,
		`CREATE INDEX gdprkit_journal_subject ON gdprkit_journal (subject)`,
		`CREATE TABLE gdprkit_journal_head (
			id INTEGER PRIMARY KEY CHECK (id = 1),
			seq INTEGER NOT NULL,
			hash BLOB NOT NULL
		)`,
		`INSERT INTO gdprkit_journal_head (id, seq, hash) VALUES (1, 0, zeroblob(32))`,
	},
	Postgres: []string{
		`CREATE TABLE gdprkit_journal (
			seq BIGINT PRIMARY KEY,
			at_us BIGINT NOT NULL,
			kind TEXT NOT NULL,
			subject TEXT NOT NULL,
			purpose TEXT NOT NULL,
			outcome TEXT NOT NULL,
			reasons TEXT NOT NULL,
			actor TEXT NOT NULL,
			ref TEXT NOT NULL,
			prev BYTEA NOT NULL,
			hash BYTEA NOT NULL
		)`,
		`CREATE INDEX gdprkit_journal_subject ON gdprkit_journal (subject)`,
		`CREATE TABLE gdprkit_journal_head (
			id INTEGER PRIMARY KEY CHECK (id = 1),
			seq BIGINT NOT NULL,
			hash BYTEA NOT NULL
		)`,
		`INSERT INTO gdprkit_journal_head (id, seq, hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'))`,
	},
}}

// NewSQLStore returns a journal store over db, creating or upgrading
// its tables. db's driver must be SQLite or PostgreSQL.
func NewSQLStore(ctx context.Context, db *sql.DB) (*SQLStore, error) {
	sdb, err := sqldb.Open(db)
	if err != nil {
		return nil, fmt.Errorf("audit: journal store: %w", err)
	}
	if err := sqldb.Migrate(ctx, sdb, "gdpr.journal", journalMigrations); err != nil {
		return nil, fmt.Errorf("audit: journal store: %w", err)
	}
	return &SQLStore{db: sdb}, nil
}

// Append implements Store. It takes the head row's lock with an
// UPDATE first, so that concurrent appends, on any instance, queue behind
// each other instead of racing; a transaction that still conflicts (a busy
// SQLite file, a serialisation failure) is retried.
func (s *SQLStore) Append(ctx context.Context, next func(Head) (Entry, error)) (Entry, error) {
	var out Entry
	err := sqldb.InTx(ctx, s.db, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE gdprkit_journal_head SET seq = seq WHERE id = 1`); err != nil {
			return err
		}
		head, err := scanHead(tx.QueryRowContext(ctx, `SELECT seq, hash FROM gdprkit_journal_head WHERE id = 1`))
		if err != nil {
			return err
		}
		e, err := next(head)
		if err != nil {
			return err
		}
		if e.Seq != head.Seq+1 {
			return fmt.Errorf("journal entry numbered %d after head %d", e.Seq, head.Seq)
		}
		_, err = tx.ExecContext(ctx, s.db.Dialect.Rebind(`INSERT INTO gdprkit_journal
			(seq, at_us, kind, subject, purpose, outcome, reasons, actor, ref, prev, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			int64(e.Seq), e.At.UnixMicro(), string(e.Kind), e.Subject, e.Purpose, string(e.Outcome),
			strings.Join(e.Reasons, ","), e.Actor, e.Ref, e.Prev[:], e.Hash[:])
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.db.Dialect.Rebind(`UPDATE gdprkit_journal_head SET seq = ?, hash = ? WHERE id = 1`),
			int64(e.Seq), e.Hash[:])
		out = e
		return err
	})
	if err != nil {
		return Entry{}, err
	}
	return out, nil
}

func scanHead(row *sql.Row) (Head, error) {
	var (
		h    Head
		seq  int64
		hash []byte
	)
	if err := row.Scan(&seq, &hash); err != nil {
		return Head{}, err
	}
	h.Seq = uint64(seq)
	copy(h.Hash[:], hash)
	return h, nil
}

// Scan implements Store. Damaged rows are reported as they are, for
// Verify to judge.
func (s *SQLStore) Scan(ctx context.Context, after uint64, fn func(Entry) error) error {
	rows, err := s.db.QueryContext(ctx, s.db.Dialect.Rebind(`SELECT
		seq, at_us, kind, subject, purpose, outcome, reasons, actor, ref, prev, hash
		FROM gdprkit_journal WHERE seq > ? ORDER BY seq`), int64(after))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			e             Entry
			seq, at       int64
			reasons       string
			kind, outcome string
			prev, hash    []byte
		)
		if err := rows.Scan(&seq, &at, &kind, &e.Subject, &e.Purpose, &outcome, &reasons, &e.Actor, &e.Ref, &prev, &hash); err != nil {
			return err
		}
		e.Seq, e.At, e.Kind, e.Outcome = uint64(seq), time.UnixMicro(at).UTC(), Kind(kind), Outcome(outcome)
		if reasons != "" {
			e.Reasons = strings.Split(reasons, ",")
		}
		copy(e.Prev[:], prev)
		copy(e.Hash[:], hash)
		if len(prev) != len(e.Prev) || len(hash) != len(e.Hash) {
			e.Hash = Hash{} // a hash of the wrong length matches nothing
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Head implements Store.
func (s *SQLStore) Head(ctx context.Context) (Head, error) {
	return scanHead(s.db.QueryRowContext(ctx, `SELECT seq, hash FROM gdprkit_journal_head WHERE id = 1`))
}
