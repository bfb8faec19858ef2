package gdpr

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/gdprkit/gdprkit/internal/sqldb"
)

// BatchObjectionStore is an ObjectionStore that answers for many subjects
// at once; MemoryStore and SQLStore implement it (the SQL store with one
// query per call). Bulk runs ask Objection one subject at a time of a store
// that does not.
type BatchObjectionStore interface {
	// ObjectedAmong returns the subjects, of subjects, who objected to any
	// of purposes (purpose IDs or AllDirectMarketing).
	ObjectedAmong(ctx context.Context, subjects, purposes []string) (map[string]bool, error)
}

// BatchRestrictionStore is a RestrictionStore that answers for many
// subjects at once; MemoryStore and SQLStore implement it (the SQL store
// with one query per call).
type BatchRestrictionStore interface {
	// RestrictionsAmong returns the restrictions of those of subjects
	// whose processing is restricted, by subject.
	RestrictionsAmong(ctx context.Context, subjects []string) (map[string]Restriction, error)
}

var (
	_ BatchObjectionStore   = (*MemoryStore)(nil)
	_ BatchRestrictionStore = (*MemoryStore)(nil)
	_ BatchObjectionStore   = (*SQLStore)(nil)
	_ BatchRestrictionStore = (*SQLStore)(nil)
)

// objectedAmong reads objections for a batch, in one call when the store
// allows.
func objectedAmong(ctx context.Context, s ObjectionStore, subjects, purposes []string) (map[string]bool, error) {
	if b, ok := s.(BatchObjectionStore); ok {
		return b.ObjectedAmong(ctx, subjects, purposes)
	}
	out := map[string]bool{}
	for _, subject := range subjects {
		for _, p := range purposes {
			_, ok, err := s.Objection(ctx, subject, p)
			if err != nil {
				return nil, err
			}
			if ok {
				out[subject] = true
				break
			}
		}
	}
	return out, nil
}

// restrictionsAmong reads restrictions for a batch, in one call when the
// store allows.
func restrictionsAmong(ctx context.Context, s RestrictionStore, subjects []string) (map[string]Restriction, error) {
	if b, ok := s.(BatchRestrictionStore); ok {
		return b.RestrictionsAmong(ctx, subjects)
	}
	out := map[string]Restriction{}
	for _, subject := range subjects {
		r, ok, err := s.Restriction(ctx, subject)
		if err != nil {
			return nil, err
		}
		if ok {
			out[subject] = r
		}
	}
	return out, nil
}

// ObjectedAmong implements BatchObjectionStore.
func (m *MemoryStore) ObjectedAmong(_ context.Context, subjects, purposes []string) (map[string]bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := map[string]bool{}
	for _, s := range subjects {
		for _, p := range purposes {
			if _, ok := m.objections[objectionKey{s, p}]; ok {
				out[s] = true
				break
			}
		}
	}
	return out, nil
}

// RestrictionsAmong implements BatchRestrictionStore.
func (m *MemoryStore) RestrictionsAmong(_ context.Context, subjects []string) (map[string]Restriction, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := map[string]Restriction{}
	for _, s := range subjects {
		if r, ok := m.restrictions[s]; ok {
			out[s] = r
		}
	}
	return out, nil
}

// ObjectedAmong implements BatchObjectionStore with one query (see
// scanAmong): it reads the subjects' objections and keeps those to one of
// purposes.
func (s *SQLStore) ObjectedAmong(ctx context.Context, subjects, purposes []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(subjects) == 0 || len(purposes) == 0 {
		return out, nil
	}
	var subject, purpose string
	err := s.scanAmong(ctx, "gdprkit_objections", "subject, purpose", subjects, func() { clear(out) },
		func(rows *sql.Rows, among func(string) bool) error {
			if err := rows.Scan(&subject, &purpose); err != nil {
				return err
			}
			if among(subject) && slices.Contains(purposes, purpose) {
				out[subject] = true
			}
			return nil
		})
	return out, err
}

// RestrictionsAmong implements BatchRestrictionStore with one query (see
// scanAmong).
func (s *SQLStore) RestrictionsAmong(ctx context.Context, subjects []string) (map[string]Restriction, error) {
	out := map[string]Restriction{}
	if len(subjects) == 0 {
		return out, nil
	}
	err := s.scanAmong(ctx, "gdprkit_restrictions", "subject, ground, at_us", subjects, func() { clear(out) },
		func(rows *sql.Rows, among func(string) bool) error {
			var (
				r         Restriction
				ground, t int64
			)
			if err := rows.Scan(&r.Subject, &ground, &t); err != nil {
				return err
			}
			if among(r.Subject) {
				r.Ground, r.At = Ground(ground), time.UnixMicro(t).UTC()
				out[r.Subject] = r
			}
			return nil
		})
	return out, err
}

// Range reads (see scanAmong).
const (
	// minRangeBatch is the smallest batch read as a range.
	minRangeBatch = 64
	// rangeRowsPerSubject bounds a range read: a range holding more rows
	// per subject of the batch is too wide, and the batch is read by its
	// list instead.
	rangeRowsPerSubject = 4
)

// scanAmong reads the columns cols of the rows of table whose subject
// column is one of subjects, in one query answered by the table's primary
// key (subject first), and calls row for each row with the test of
// membership in subjects the row's subject must pass to be kept.
//
// SQLite compares text byte by byte, as Go does, so there a sorted batch —
// a bulk run walks subjects in order — is read as the range from its first
// subject to its last: one walk along the index instead of a seek per
// subject and a list to parse. Rows of the range outside the batch fail
// the test. A range holding more than rangeRowsPerSubject rows per subject
// of the batch is given up (reset forgets what row kept) and the batch is
// read by its list, as every other batch is.
func (s *SQLStore) scanAmong(ctx context.Context, table, cols string, subjects []string, reset func(), row func(*sql.Rows, func(string) bool) error) error {
	if s.rangeFits(subjects) {
		limit := rangeRowsPerSubject * len(subjects)
		among := func(subject string) bool {
			_, ok := slices.BinarySearch(subjects, subject)
			return ok
		}
		first, last := subjects[0], subjects[len(subjects)-1]
		n, err := s.scanRows(ctx, rangeQuery(table, cols), []any{first, last, limit + 1},
			func(rows *sql.Rows) error { return row(rows, among) })
		if err != nil || n <= limit {
			return err
		}
		reset()
	}
	query, args := s.listQuery(table, cols, subjects)
	everyRow := func(string) bool { return true } // the list holds only the batch
	_, err := s.scanRows(ctx, query, args, func(rows *sql.Rows) error { return row(rows, everyRow) })
	return err
}

// rangeFits reports whether subjects are read as a range (see scanAmong).
func (s *SQLStore) rangeFits(subjects []string) bool {
	return s.db.Dialect == sqldb.SQLite && len(subjects) >= minRangeBatch && slices.IsSorted(subjects)
}

// rangeQuery reads the rows of table whose subject lies between two
// arguments, at most a third.
func rangeQuery(table, cols string) string {
	return "SELECT " + cols + " FROM " + table + " WHERE subject BETWEEN ? AND ? LIMIT ?"
}

// listQuery returns the statement reading the rows of table whose subject
// is one of subjects, and its arguments.
func (s *SQLStore) listQuery(table, cols string, subjects []string) (string, []any) {
	in, args := s.db.Dialect.In("subject", subjects)
	return s.db.Dialect.Rebind("SELECT " + cols + " FROM " + table + " WHERE " + in), args
}

// scanRows runs query and calls row for each row; it returns the number of
// rows.
func (s *SQLStore) scanRows(ctx context.Context, query string, args []any, row func(*sql.Rows) error) (int, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		if err := row(rows); err != nil {
			return n, err
		}
	}
	return n, rows.Err()
}
