package rights

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/gdprkit/gdprkit/gdpr/internal/schema"
	"github.com/gdprkit/gdprkit/internal/sqldb"
)

// SQLStore keeps requests in a SQL database (SQLite or PostgreSQL)
// through database/sql, in the table gdprkit_requests. Every instance
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
		return nil, fmt.Errorf("rights: request store: %w", err)
	}
	return &SQLStore{db: sdb}, nil
}

// requestRow returns the column values of r.
func requestRow(r *Request) (state string, due sql.NullInt64, doc string, err error) {
	b, err := json.Marshal(r)
	if err != nil {
		return "", due, "", fmt.Errorf("encode request %s: %w", r.ID, err)
	}
	if !r.Due.IsZero() {
		due = sql.NullInt64{Int64: r.Due.UnixMicro(), Valid: true}
	}
	return r.State.String(), due, string(b), nil
}

// CreateRequest implements Store.
func (s *SQLStore) CreateRequest(ctx context.Context, r Request) error {
	state, due, doc, err := requestRow(&r)
	if err != nil {
		return err
	}
	_, err = s.exec(ctx, `INSERT INTO gdprkit_requests (id, state, subject_token, due_us, doc) VALUES (?, ?, ?, ?, ?)`,
		r.ID, state, r.SubjectToken, due, doc)
	if sqldb.Unique(err) {
		return ErrRequestExists
	}
	return err
}

// Request implements Store.
func (s *SQLStore) Request(ctx context.Context, id string) (Request, error) {
	return s.readRequest(ctx, s.db.DB, id)
}

func (s *SQLStore) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return s.db.ExecContext(ctx, s.db.Dialect.Rebind(query), args...)
}

func (s *SQLStore) readRequest(ctx context.Context, q queryRower, id string) (Request, error) {
	var doc string
	err := q.QueryRowContext(ctx, s.db.Dialect.Rebind(`SELECT doc FROM gdprkit_requests WHERE id = ?`), id).Scan(&doc)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Request{}, ErrUnknownRequest
	case err != nil:
		return Request{}, err
	}
	return decodeRequest(id, doc)
}

func decodeRequest(id, doc string) (Request, error) {
	var r Request
	if err := json.Unmarshal([]byte(doc), &r); err != nil {
		return Request{}, fmt.Errorf("decode request %s: %w", id, err)
	}
	return r, nil
}

// UpdateRequest implements Store. The request's row is locked for
// the transaction, so concurrent updates from any instance apply one after
// the other.
func (s *SQLStore) UpdateRequest(ctx context.Context, id string, fn func(*Request) error) (Request, error) {
	var out Request
	err := sqldb.InTx(ctx, s.db, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.db.Dialect.Rebind(`UPDATE gdprkit_requests SET doc = doc WHERE id = ?`), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrUnknownRequest
		}
		r, err := s.readRequest(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := fn(&r); err != nil {
			return err
		}
		r.ID = id
		state, due, doc, err := requestRow(&r)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.db.Dialect.Rebind(
			`UPDATE gdprkit_requests SET state = ?, subject_token = ?, due_us = ?, doc = ? WHERE id = ?`),
			state, r.SubjectToken, due, doc, id)
		out = r
		return err
	})
	return out, err
}

// OpenRequests implements Store.
func (s *SQLStore) OpenRequests(ctx context.Context) ([]Request, error) {
	rows, err := s.db.QueryContext(ctx, s.db.Dialect.Rebind(
		`SELECT id, doc FROM gdprkit_requests WHERE state NOT IN (?, ?) ORDER BY id`),
		RequestCompleted.String(), RequestRefused.String())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Request
	for rows.Next() {
		var id, doc string
		if err := rows.Scan(&id, &doc); err != nil {
			return nil, err
		}
		r, err := decodeRequest(id, doc)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
