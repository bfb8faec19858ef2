package gdpr

import (
	"context"
	"slices"
	"time"
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

// ObjectedAmong implements BatchObjectionStore with one query, answered by
// the primary key (subject, purpose): it reads the subjects' objections
// and keeps those to one of purposes.
func (s *SQLStore) ObjectedAmong(ctx context.Context, subjects, purposes []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(subjects) == 0 || len(purposes) == 0 {
		return out, nil
	}
	query, args := s.objectedQuery(subjects)
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var subject, purpose string
	for rows.Next() {
		if err := rows.Scan(&subject, &purpose); err != nil {
			return nil, err
		}
		if slices.Contains(purposes, purpose) {
			out[subject] = true
		}
	}
	return out, rows.Err()
}

// RestrictionsAmong implements BatchRestrictionStore with one query,
// answered by the primary key (subject).
func (s *SQLStore) RestrictionsAmong(ctx context.Context, subjects []string) (map[string]Restriction, error) {
	out := map[string]Restriction{}
	if len(subjects) == 0 {
		return out, nil
	}
	query, args := s.restrictionsQuery(subjects)
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			r         Restriction
			ground, t int64
		)
		if err := rows.Scan(&r.Subject, &ground, &t); err != nil {
			return nil, err
		}
		r.Ground, r.At = Ground(ground), time.UnixMicro(t).UTC()
		out[r.Subject] = r
	}
	return out, rows.Err()
}

// objectedQuery returns ObjectedAmong's statement and arguments: the
// subjects' objections, one seek per subject.
func (s *SQLStore) objectedQuery(subjects []string) (string, []any) {
	in, args := s.db.Dialect.In("subject", subjects)
	return s.db.Dialect.Rebind(`SELECT subject, purpose FROM gdprkit_objections WHERE ` + in), args
}

// restrictionsQuery returns RestrictionsAmong's statement and arguments.
func (s *SQLStore) restrictionsQuery(subjects []string) (string, []any) {
	in, args := s.db.Dialect.In("subject", subjects)
	return s.db.Dialect.Rebind(`SELECT subject, ground, at_us FROM gdprkit_restrictions WHERE ` + in), args
}
