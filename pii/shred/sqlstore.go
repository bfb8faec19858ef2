package shred

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/gdprkit/gdprkit/internal/sqldb"
)

// SQLStore is a Store on database/sql: SQLite or PostgreSQL, told apart by
// the driver of the *sql.DB it is given (this package imports no driver).
// Its table, gdprkit_shred_keys, is created and migrated by NewSQLStore.
//
// The primary key (namespace, ref) is what makes concurrent first seals of a
// subject, on any number of instances, end with one key: the losing INSERT
// fails and its Shredder loads the winner's key. Rotation is a
// compare-and-swap on the version column; erasure is one statement.
//
// Erasure and the disk: on SQLite, writes that free key bytes run with
// PRAGMA secure_delete=ON, so freed space is zeroed, and Erase then
// checkpoints and truncates the write-ahead log, where older page images
// still hold the key; if readers keep the checkpoint from finishing, those
// pages leave at the next checkpoint. On PostgreSQL, the old row version
// stays in the table file until VACUUM reuses its space, and in the WAL and
// base backups until they are recycled: the wrapped key is then still
// encrypted under the KEK, and the erasure journal (ShredderConfig.ErasureLog) is how
// a restored backup is erased again.
//
// A caller's transaction on the key store's database, carried in the
// context (gdprkit.WithTx), is joined: a key created for a new subject
// commits or rolls back with the caller's writes. SQLite has one writer at
// a time: do not seal for a subject met for the first time while the
// program holds a write transaction on the key store's database that the
// context does not carry, or the key store's insert waits for that
// transaction, which waits for the seal.
type SQLStore struct {
	db *sqldb.DB
	q  sqlQueries
}

type sqlQueries struct {
	get, create, update, erase, list string
}

var keyMigrations = []sqldb.Migration{{
	Version: 1,
	SQL: []string{`CREATE TABLE gdprkit_shred_keys (
		namespace TEXT NOT NULL,
		ref TEXT NOT NULL,
		wrapped {{blob}},
		kek TEXT NOT NULL DEFAULT '',
		generation INTEGER NOT NULL DEFAULT 0,
		version {{int64}} NOT NULL,
		erased_at {{int64}},
		PRIMARY KEY (namespace, ref),
		CHECK ((wrapped IS NULL) = (erased_at IS NOT NULL))
	)`},
}}

// NewSQLStore returns a Store on db, creating or migrating its table.
// erased_at holds Unix microseconds.
func NewSQLStore(ctx context.Context, db *sql.DB) (*SQLStore, error) {
	d, err := sqldb.Open(db)
	if err != nil {
		return nil, fmt.Errorf("shred: NewSQLStore: %w", err)
	}
	if err := sqldb.Migrate(ctx, d, "pii/shred", keyMigrations); err != nil {
		return nil, fmt.Errorf("shred: NewSQLStore: %w", err)
	}
	r := d.Dialect.Rebind
	return &SQLStore{db: d, q: sqlQueries{
		get: r(`SELECT wrapped, kek, generation, version, erased_at FROM gdprkit_shred_keys
			WHERE namespace = ? AND ref = ?`),
		create: r(`INSERT INTO gdprkit_shred_keys (namespace, ref, wrapped, kek, generation, version)
			VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (namespace, ref) DO NOTHING`),
		update: r(`UPDATE gdprkit_shred_keys
			SET wrapped = ?, kek = ?, generation = ?, erased_at = NULL, version = version + 1
			WHERE namespace = ? AND ref = ? AND version = ?`),
		erase: r(`INSERT INTO gdprkit_shred_keys (namespace, ref, wrapped, kek, generation, version, erased_at)
			VALUES (?, ?, NULL, '', 0, 1, ?)
			ON CONFLICT (namespace, ref) DO UPDATE
			SET wrapped = NULL, kek = '', erased_at = excluded.erased_at,
				version = gdprkit_shred_keys.version + 1
			WHERE gdprkit_shred_keys.wrapped IS NOT NULL`),
		list: r(`SELECT ref, wrapped, kek, generation, version, erased_at FROM gdprkit_shred_keys
			WHERE namespace = ? AND ref > ? ORDER BY ref LIMIT ?`),
	}}, nil
}

// Get implements Store.
func (s *SQLStore) Get(ctx context.Context, namespace, ref string) (KeyRecord, error) {
	r := KeyRecord{Namespace: namespace, Ref: ref}
	var erased sql.NullInt64
	err := s.db.QueryRowContext(ctx, s.q.get, namespace, ref).
		Scan(&r.Wrapped, &r.KEK, &r.Generation, &r.Version, &erased)
	if errors.Is(err, sql.ErrNoRows) {
		return KeyRecord{}, ErrNoKey
	}
	if err != nil {
		return KeyRecord{}, fmt.Errorf("shred: key store get: %w", err)
	}
	r.ErasedAt = fromMicros(erased)
	return r, nil
}

// Create implements Store.
func (s *SQLStore) Create(ctx context.Context, r KeyRecord) error {
	if r.Erased() {
		return errors.New("shred: Create needs a wrapped key")
	}
	// ON CONFLICT DO NOTHING rather than a unique violation: in a caller's
	// transaction (PostgreSQL), a failed statement would abort it.
	res, err := s.db.ExecContext(ctx, s.q.create, r.Namespace, r.Ref, r.Wrapped, r.KEK, r.Generation)
	if sqldb.Unique(err) {
		return ErrKeyExists
	}
	if err != nil {
		return fmt.Errorf("shred: key store create: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("shred: key store create: %w", err)
	} else if n == 0 {
		return ErrKeyExists
	}
	return nil
}

// Update implements Store.
func (s *SQLStore) Update(ctx context.Context, r KeyRecord) error {
	if r.Erased() {
		return errors.New("shred: Update needs a wrapped key; use Erase for tombstones")
	}
	return s.write(ctx, func(c execer) error {
		res, err := c.ExecContext(ctx, s.q.update, r.Wrapped, r.KEK, r.Generation, r.Namespace, r.Ref, r.Version)
		if err != nil {
			return fmt.Errorf("shred: key store update: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("shred: key store update: %w", err)
		} else if n == 0 {
			return ErrConflict
		}
		return nil
	})
}

// Erase implements Store.
func (s *SQLStore) Erase(ctx context.Context, namespace, ref string, at time.Time) error {
	err := s.write(ctx, func(c execer) error {
		_, err := c.ExecContext(ctx, s.q.erase, namespace, ref, at.UnixMicro())
		return err
	})
	if err != nil {
		return fmt.Errorf("shred: key store erase: %w", err)
	}
	if s.db.Dialect == sqldb.SQLite && s.db.Tx(ctx) == nil {
		// Page images in the write-ahead log still hold the key: move them
		// into the database file (where secure_delete zeroed the row's old
		// bytes) and truncate the log. A busy checkpoint is not an error;
		// the erasure itself is committed.
		var busy, logged, moved int
		_ = s.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logged, &moved)
	}
	return nil
}

// execer is a connection or the caller's transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// write runs fn on one connection, or in the caller's transaction when ctx
// carries one; on SQLite, that connection zeroes the space of the bytes it
// frees.
func (s *SQLStore) write(ctx context.Context, fn func(execer) error) error {
	var c execer
	if tx := s.db.Tx(ctx); tx != nil {
		c = tx
	} else {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		c = conn
	}
	if s.db.Dialect == sqldb.SQLite {
		if _, err := c.ExecContext(ctx, "PRAGMA secure_delete = ON"); err != nil {
			return err
		}
	}
	return fn(c)
}

// List implements Store.
func (s *SQLStore) List(ctx context.Context, namespace, after string, limit int) ([]KeyRecord, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, err := s.db.QueryContext(ctx, s.q.list, namespace, after, limit)
	if err != nil {
		return nil, fmt.Errorf("shred: key store list: %w", err)
	}
	defer rows.Close()
	var out []KeyRecord
	for rows.Next() {
		r := KeyRecord{Namespace: namespace}
		var erased sql.NullInt64
		if err := rows.Scan(&r.Ref, &r.Wrapped, &r.KEK, &r.Generation, &r.Version, &erased); err != nil {
			return nil, fmt.Errorf("shred: key store list: %w", err)
		}
		r.ErasedAt = fromMicros(erased)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("shred: key store list: %w", err)
	}
	return out, nil
}

func fromMicros(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.UnixMicro(n.Int64).UTC()
}
