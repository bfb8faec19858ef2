package breach

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gdprkit/gdprkit/gdpr/internal/schema"
	"github.com/gdprkit/gdprkit/internal/sqldb"
)

// SQLStore keeps breaches in a SQL database (SQLite or PostgreSQL)
// through database/sql, in the table gdprkit_breaches. Every instance
// sharing the database sees a change as soon as the call that made it
// returns.
type SQLStore struct {
	db *sqldb.DB
}

var _ Store = (*SQLStore)(nil)

// NewSQLStore returns a store over db, creating or upgrading its
// tables. db's driver must be SQLite or PostgreSQL.
func NewSQLStore(ctx context.Context, db *sql.DB) (*SQLStore, error) {
	sdb, err := schema.Open(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("breach: breach store: %w", err)
	}
	return &SQLStore{db: sdb}, nil
}

// CreateBreach implements Store.
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

// Breach implements Store.
func (s *SQLStore) Breach(ctx context.Context, id string) (Breach, error) {
	return s.readBreach(ctx, s.db.DB, id)
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *SQLStore) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return s.db.ExecContext(ctx, s.db.Dialect.Rebind(query), args...)
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

// UpdateBreach implements Store. The breach's row is locked for the
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

// Breaches implements Store.
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
