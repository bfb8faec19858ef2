package consent

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gdprkit/gdprkit/internal/sqldb"
)

var (
	_ BatchStore = (*MemoryStore)(nil)
	_ BatchStore = (*SQLStore)(nil)
)

// LastEach implements BatchStore.
func (s *MemoryStore) LastEach(ctx context.Context, purpose string, subjects []string) ([]Event, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Event, 0, len(subjects))
	for _, subject := range subjects {
		if events := s.logs[logKey{subject, purpose}].events; len(events) > 0 {
			out = append(out, events[len(events)-1])
		}
	}
	return out, nil
}

// LastGrants implements BatchStore, in byte order of subjects. Each call
// looks at every subject: the memory store is for tests and small tools.
func (s *MemoryStore) LastGrants(ctx context.Context, purpose, after string, limit int) ([]Event, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []Event
	for subject := range s.subjects {
		if subject <= after {
			continue
		}
		events := s.logs[logKey{subject, purpose}].events
		if len(events) == 0 || events[len(events)-1].Kind != Grant {
			continue
		}
		out = append(out, events[len(events)-1])
	}
	slices.SortFunc(out, func(a, b Event) int { return strings.Compare(a.Subject, b.Subject) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// batchColumns are the columns that decide a state: no proof, but the age
// a grant records (Art. 8).
const batchColumns = `e.subject, e.seq, e.purpose, e.kind, e.at_us, e.expires_us, e.notice,
	e.age_country, e.age_at_least, e.age_parental`

// lastOfSubject keeps the row of e that is its subject's last event for
// the purpose; the index on (subject, purpose, seq) answers it.
const lastOfSubject = `e.seq = (SELECT MAX(m.seq) FROM gdprkit_consent_events m
	WHERE m.subject = e.subject AND m.purpose = e.purpose)`

// lastEachQuery returns the LastEach statement for subjects and its
// arguments.
func (s *SQLStore) lastEachQuery(purpose string, subjects []string) (string, []any) {
	in, args := s.db.Dialect.In("e.subject", subjects)
	return s.db.Dialect.Rebind(`SELECT ` + batchColumns + ` FROM gdprkit_consent_events e WHERE e.purpose = ? AND ` +
		in + ` AND ` + lastOfSubject), append([]any{purpose}, args...)
}

// lastGrantsQuery is the LastGrants statement; the index on (purpose,
// subject, seq, …) walks the purpose's subjects in order and covers the
// columns read. Purpose and kind are known, so not read.
const lastGrantsQuery = `SELECT e.subject, e.seq, e.at_us, e.expires_us, e.notice,
	e.age_country, e.age_at_least, e.age_parental FROM gdprkit_consent_events e
	WHERE e.purpose = ? AND e.subject > ? AND e.kind = 'grant' AND ` + lastOfSubject + `
	ORDER BY e.subject LIMIT ?`

// lastGrantsSQLite is LastGrants on SQLite: one walk along the same index,
// without a lookup per row. Grouped by subject, each group is the
// subject's events for the purpose, and SQLite takes the columns that are
// not aggregated (kind in HAVING too) from the row holding the group's
// MAX(seq): the subject's last event.
const lastGrantsSQLite = `SELECT e.subject, MAX(e.seq), e.at_us, e.expires_us, e.notice,
	e.age_country, e.age_at_least, e.age_parental FROM gdprkit_consent_events e
	WHERE e.purpose = ? AND e.subject > ?
	GROUP BY e.subject HAVING e.kind = 'grant'
	ORDER BY e.subject LIMIT ?`

// lastGrantsQuery returns the LastGrants statement of the store's dialect.
func (s *SQLStore) lastGrantsQuery() string {
	if s.db.Dialect == sqldb.SQLite {
		return lastGrantsSQLite
	}
	return s.db.Dialect.Rebind(lastGrantsQuery)
}

// LastEach implements BatchStore with one query.
func (s *SQLStore) LastEach(ctx context.Context, purpose string, subjects []string) ([]Event, error) {
	if len(subjects) == 0 {
		return nil, nil
	}
	query, args := s.lastEachQuery(purpose, subjects)
	out, err := s.batchEvents(ctx, query, len(subjects), args...)
	if err != nil {
		return nil, fmt.Errorf("consent: sql store: last each: %w", err)
	}
	return out, nil
}

// LastGrants implements BatchStore with one query, in the database's order
// of subjects.
func (s *SQLStore) LastGrants(ctx context.Context, purpose, after string, limit int) ([]Event, error) {
	limit = batchSize(limit)
	out := make([]Event, 0, limit)
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, s.lastGrantsQuery(), purpose, after, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			e := Event{Purpose: purpose, Kind: Grant}
			var (
				at      int64
				expires sql.NullInt64
			)
			if err := rows.Scan(&e.Subject, &e.Seq, &at, &expires, &e.Notice, &e.Age.Country, &e.Age.AtLeast, &e.Age.Parental); err != nil {
				return err
			}
			e.At = time.UnixMicro(at).UTC()
			if expires.Valid {
				e.Expires = time.UnixMicro(expires.Int64).UTC()
			}
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("consent: sql store: last grants: %w", err)
	}
	return out, nil
}

// querier is *sql.DB or *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// read runs a set query. On PostgreSQL it runs in a read-only transaction
// with JIT compilation off: the planner cannot tell how soon a page of
// LIMIT rows fills, prices the walk over the whole index, and would spend
// far longer compiling the query than the page takes to read.
func (s *SQLStore) read(ctx context.Context, fn func(querier) error) error {
	if s.db.Dialect != sqldb.Postgres {
		return fn(s.db)
	}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SET LOCAL jit = off`); err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *SQLStore) batchEvents(ctx context.Context, query string, size int, args ...any) ([]Event, error) {
	out := make([]Event, 0, size)
	err := s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		return scanBatchEvents(rows, &out)
	})
	return out, err
}

// scanBatchEvents appends the rows' events to out.
func scanBatchEvents(rows *sql.Rows, out *[]Event) error {
	for rows.Next() {
		var (
			e       Event
			kind    string
			at      int64
			expires sql.NullInt64
		)
		err := rows.Scan(&e.Subject, &e.Seq, &e.Purpose, &kind, &at, &expires, &e.Notice,
			&e.Age.Country, &e.Age.AtLeast, &e.Age.Parental)
		if err != nil {
			return err
		}
		if e.Kind, err = ParseEventKind(kind); err != nil {
			return err
		}
		e.At = time.UnixMicro(at).UTC()
		if expires.Valid {
			e.Expires = time.UnixMicro(expires.Int64).UTC()
		}
		*out = append(*out, e)
	}
	return rows.Err()
}
