package gdpr

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gdprkit/gdprkit/internal/sqldb"
)

// SQLStore keeps objections, restrictions, breaches and requests in a SQL
// database (SQLite or PostgreSQL) through database/sql, in the tables
// gdprkit_objections, gdprkit_restrictions, gdprkit_breaches and
// gdprkit_requests. Every instance sharing the database sees a change as
// soon as the call that made it returns.
type SQLStore struct {
	db *sqldb.DB
}

var (
	_ ObjectionStore   = (*SQLStore)(nil)
	_ RestrictionStore = (*SQLStore)(nil)
	_ BreachStore      = (*SQLStore)(nil)
)

var storeMigrations = []sqldb.Migration{{
	Version: 1,
	SQLite: []string{
		`CREATE TABLE gdprkit_objections (
			subject TEXT NOT NULL,
			purpose TEXT NOT NULL,
			at_us INTEGER NOT NULL,
			PRIMARY KEY (subject, purpose)
		)`,
		`CREATE TABLE gdprkit_restrictions (
			subject TEXT PRIMARY KEY,
			ground INTEGER NOT NULL,
			at_us INTEGER NOT NULL
		)`,
		`CREATE TABLE gdprkit_breaches (id TEXT PRIMARY KEY, doc TEXT NOT NULL)`,
	},
	Postgres: []string{
		`CREATE TABLE gdprkit_objections (
			subject TEXT NOT NULL,
			purpose TEXT NOT NULL,
			at_us BIGINT NOT NULL,
			PRIMARY KEY (subject, purpose)
		)`,
		`CREATE TABLE gdprkit_restrictions (
			subject TEXT PRIMARY KEY,
			ground SMALLINT NOT NULL,
			at_us BIGINT NOT NULL
		)`,
		`CREATE TABLE gdprkit_breaches (id TEXT PRIMARY KEY, doc TEXT NOT NULL)`,
	},
}, requestMigration}

// NewSQLStore returns a store over db, creating or upgrading its tables.
// db's driver must be SQLite or PostgreSQL.
func NewSQLStore(ctx context.Context, db *sql.DB) (*SQLStore, error) {
	sdb, err := sqldb.Open(db)
	if err != nil {
		return nil, fmt.Errorf("gdpr: store: %w", err)
	}
	if err := sqldb.Migrate(ctx, sdb, "gdpr", storeMigrations); err != nil {
		return nil, fmt.Errorf("gdpr: store: %w", err)
	}
	return &SQLStore{db: sdb}, nil
}

func (s *SQLStore) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return s.db.ExecContext(ctx, s.db.Dialect.Rebind(query), args...)
}

// AddObjection implements ObjectionStore.
func (s *SQLStore) AddObjection(ctx context.Context, o Objection) error {
	_, err := s.exec(ctx, `INSERT INTO gdprkit_objections (subject, purpose, at_us) VALUES (?, ?, ?)
		ON CONFLICT (subject, purpose) DO NOTHING`, o.Subject, o.Purpose, o.At.UnixMicro())
	return err
}

// RemoveObjection implements ObjectionStore.
func (s *SQLStore) RemoveObjection(ctx context.Context, subject, purpose string) (bool, error) {
	res, err := s.exec(ctx, `DELETE FROM gdprkit_objections WHERE subject = ? AND purpose = ?`, subject, purpose)
	return removed(res, err)
}

// removed reports whether a DELETE removed a row.
func removed(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	return n > 0, nil
}

// Objection implements ObjectionStore.
func (s *SQLStore) Objection(ctx context.Context, subject, purpose string) (Objection, bool, error) {
	var at int64
	err := s.db.QueryRowContext(ctx, s.db.Dialect.Rebind(
		`SELECT at_us FROM gdprkit_objections WHERE subject = ? AND purpose = ?`), subject, purpose).Scan(&at)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Objection{}, false, nil
	case err != nil:
		return Objection{}, false, err
	}
	return Objection{Subject: subject, Purpose: purpose, At: time.UnixMicro(at).UTC()}, true, nil
}

// AddRestriction implements RestrictionStore.
func (s *SQLStore) AddRestriction(ctx context.Context, r Restriction) error {
	_, err := s.exec(ctx, `INSERT INTO gdprkit_restrictions (subject, ground, at_us) VALUES (?, ?, ?)
		ON CONFLICT (subject) DO UPDATE SET ground = excluded.ground, at_us = excluded.at_us`,
		r.Subject, int(r.Ground), r.At.UnixMicro())
	return err
}

// RemoveRestriction implements RestrictionStore.
func (s *SQLStore) RemoveRestriction(ctx context.Context, subject string) (bool, error) {
	res, err := s.exec(ctx, `DELETE FROM gdprkit_restrictions WHERE subject = ?`, subject)
	return removed(res, err)
}

// Restriction implements RestrictionStore.
func (s *SQLStore) Restriction(ctx context.Context, subject string) (Restriction, bool, error) {
	var ground, at int64
	err := s.db.QueryRowContext(ctx, s.db.Dialect.Rebind(
		`SELECT ground, at_us FROM gdprkit_restrictions WHERE subject = ?`), subject).Scan(&ground, &at)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Restriction{}, false, nil
	case err != nil:
		return Restriction{}, false, err
	}
	return Restriction{Subject: subject, Ground: Ground(ground), At: time.UnixMicro(at).UTC()}, true, nil
}

// CreateBreach implements BreachStore.
func (s *SQLStore) CreateBreach(ctx context.Context, b Breach) error {
	doc, err := json.Marshal(b)
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, `INSERT INTO gdprkit_breaches (id, doc) VALUES (?, ?)`, b.ID, string(doc))
	if sqldb.Unique(err) {
		return ErrBreachExists
	}
	return err
}

// Breach implements BreachStore.
func (s *SQLStore) Breach(ctx context.Context, id string) (Breach, error) {
	return s.readBreach(ctx, s.db.DB, id)
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *SQLStore) readBreach(ctx context.Context, q queryRower, id string) (Breach, error) {
	var doc string
	err := q.QueryRowContext(ctx, s.db.Dialect.Rebind(`SELECT doc FROM gdprkit_breaches WHERE id = ?`), id).Scan(&doc)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Breach{}, ErrUnknownBreach
	case err != nil:
		return Breach{}, err
	}
	var b Breach
	if err := json.Unmarshal([]byte(doc), &b); err != nil {
		return Breach{}, fmt.Errorf("decode breach %s: %w", id, err)
	}
	return b, nil
}

// UpdateBreach implements BreachStore. The breach's row is locked for the
// transaction, so concurrent updates from any instance apply one after the
// other.
func (s *SQLStore) UpdateBreach(ctx context.Context, id string, fn func(*Breach) error) (Breach, error) {
	var out Breach
	err := sqldb.InTx(ctx, s.db, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.db.Dialect.Rebind(`UPDATE gdprkit_breaches SET doc = doc WHERE id = ?`), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrUnknownBreach
		}
		b, err := s.readBreach(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := fn(&b); err != nil {
			return err
		}
		b.ID = id
		doc, err := json.Marshal(b)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.db.Dialect.Rebind(`UPDATE gdprkit_breaches SET doc = ? WHERE id = ?`), string(doc), id); err != nil {
			return err
		}
		out = b
		return nil
	})
	return out, err
}

// Breaches implements BreachStore.
func (s *SQLStore) Breaches(ctx context.Context) ([]Breach, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, doc FROM gdprkit_breaches`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Breach
	for rows.Next() {
		var id, doc string
		if err := rows.Scan(&id, &doc); err != nil {
			return nil, err
		}
		var b Breach
		if err := json.Unmarshal([]byte(doc), &b); err != nil {
			return nil, fmt.Errorf("decode breach %s: %w", id, err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}
