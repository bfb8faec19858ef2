package gdpr

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/gdprkit/gdprkit/gdpr/internal/schema"
	"github.com/gdprkit/gdprkit/internal/sqldb"
)

// SQLStore keeps objections, restrictions and what erasures kept (Kept)
// in a SQL database (SQLite or PostgreSQL) through database/sql, in the
// tables gdprkit_objections, gdprkit_restrictions and gdprkit_kept. Every instance sharing the database sees a change as
// soon as the call that made it returns.
type SQLStore struct {
	db *sqldb.DB
}

var (
	_ ObjectionStore   = (*SQLStore)(nil)
	_ RestrictionStore = (*SQLStore)(nil)
)

// NewSQLStore returns a store over db, creating or upgrading its tables.
// db's driver must be SQLite or PostgreSQL.
func NewSQLStore(ctx context.Context, db *sql.DB) (*SQLStore, error) {
	sdb, err := schema.Open(ctx, db)
	if err == nil {
		err = sqldb.Migrate(ctx, sdb, keptComponent, keptMigrations)
	}
	if err != nil {
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
