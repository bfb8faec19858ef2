package gdpr

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/internal/safe"
	"github.com/gdprkit/gdprkit/internal/sqldb"
)

// Kept records that a subject's data was erased (Art. 17) except what an
// exception of Art. 17(3) keeps, and so limits what the kept data may
// still be processed for. Art. 17(3) spares data only "to the extent that
// processing is necessary" for the exception: the kept data serves that
// exception's purposes and no other, so from Guard.Keep on the Guard
// denies every purpose of the subject but those in Purposes, whatever
// their basis (a contract or legitimate interests included).
type Kept struct {
	Subject string
	// Purposes are the IDs of the registered purposes the kept data may
	// still be processed for: those of the exception, such as a purpose
	// of defending legal claims for a legal hold. None denies every
	// purpose: the data is only stored.
	Purposes []string
	// Exceptions are the codes of the exceptions that keep the data, such
	// as "legal-hold", as the journal records them.
	Exceptions []string
	// At is when the erasure completed; the Guard's clock when zero.
	At time.Time
}

// KeptStore keeps the Kept record of each subject, one per subject.
// Implementations must make a record visible to every instance as soon as
// AddKept returns. MemoryStore and SQLStore implement it.
type KeptStore interface {
	// AddKept stores k, replacing the subject's record if any.
	AddKept(ctx context.Context, k Kept) error
	// RemoveKept deletes the subject's record and reports whether there
	// was one.
	RemoveKept(ctx context.Context, subject string) (bool, error)
	// Kept returns the subject's record and whether there is one.
	Kept(ctx context.Context, subject string) (Kept, bool, error)
}

// Journal kinds of Kept records.
const (
	KindKept         audit.Kind = "erasure.kept"          // Guard.Keep; reasons: the exceptions
	KindKeptReleased audit.Kind = "erasure.kept_released" // Guard.ReleaseKept
)

// ErrKeptForException: the subject's data was erased but for what an
// exception of Art. 17(3) keeps, and the purpose is not one the exception
// serves (see Kept). It matches ErrNoLawfulBasis.
var ErrKeptForException = fmt.Errorf("%w: erased, kept only for an exception of Art. 17(3)", ErrNoLawfulBasis)

// Keep limits the processing of the subject's kept data to k.Purposes
// (Art. 17(3)): from then on Allow denies every other purpose of the
// subject with ErrKeptForException. Keeping again replaces the record.
// Every purpose must be registered, the exceptions codes; no purposes
// denies every purpose.
func (g *Guard) Keep(ctx context.Context, k Kept) error {
	switch {
	case k.Subject == "":
		return fmt.Errorf("gdpr: Keep: %w", ErrNoSubject)
	case g.kept == nil:
		return fmt.Errorf("gdpr: Keep: GuardConfig.Kept is nil and the Restrictions store is no KeptStore: %w", ErrNotConfigured)
	}
	for _, id := range k.Purposes {
		if g.reg.lookup(id) == nil {
			return fmt.Errorf("gdpr: Keep: purpose %q is not registered: %w", id, ErrInvalidArgument)
		}
	}
	for _, e := range k.Exceptions {
		if !safe.Code(e, false) {
			return fmt.Errorf("gdpr: Keep: exception %q is not a code: %w", e, ErrInvalidArgument)
		}
	}
	k.Purposes, k.Exceptions = slices.Compact(slices.Sorted(slices.Values(k.Purposes))), slices.Clone(k.Exceptions)
	if k.At.IsZero() {
		k.At = g.now()
	}
	if err := g.kept.AddKept(ctx, k); err != nil {
		return fmt.Errorf("gdpr: Keep: %w", err)
	}
	return g.event(ctx, audit.Event{Kind: KindKept, Subject: k.Subject, Outcome: audit.OutcomeDone, Reasons: k.Exceptions})
}

// ReleaseKept ends the limit Keep set, once the kept data is erased too
// (the exception no longer applies). Releasing none does nothing and is
// not journalled.
func (g *Guard) ReleaseKept(ctx context.Context, subject string) error {
	switch {
	case subject == "":
		return fmt.Errorf("gdpr: ReleaseKept: %w", ErrNoSubject)
	case g.kept == nil:
		return fmt.Errorf("gdpr: ReleaseKept: %w", ErrNotConfigured)
	}
	ok, err := g.kept.RemoveKept(ctx, subject)
	if err != nil {
		return fmt.Errorf("gdpr: ReleaseKept: %w", err)
	}
	if !ok {
		return nil
	}
	return g.event(ctx, audit.Event{Kind: KindKeptReleased, Subject: subject, Outcome: audit.OutcomeDone})
}

// keptOnly reports whether the subject's data is kept only for purposes
// other than p (Art. 17(3)).
func (g *Guard) keptOnly(ctx context.Context, subject string, p *Purpose) (bool, error) {
	if g.kept == nil {
		return false, nil
	}
	k, ok, err := g.kept.Kept(ctx, subject)
	if err != nil {
		return false, fmt.Errorf("read kept data: %w", err)
	}
	return keptOnlyFor(k, ok, p), nil
}

// keptOnlyFor reports whether a subject's Kept record, if ok, limits the
// subject's data to purposes other than p.
func keptOnlyFor(k Kept, ok bool, p *Purpose) bool { return ok && !slices.Contains(k.Purposes, p.ID) }

// BatchKeptStore is a KeptStore that reads the Kept records of many
// subjects at once, for bulk runs (Guard.AllowEach).
type BatchKeptStore interface {
	// KeptAmong returns the Kept records of those of subjects that have
	// one, by subject.
	KeptAmong(ctx context.Context, subjects []string) (map[string]Kept, error)
}

// keptAmong reads the Kept records of subjects, in one read when the
// store can.
func keptAmong(ctx context.Context, s KeptStore, subjects []string) (map[string]Kept, error) {
	if s == nil {
		return nil, nil
	}
	if b, ok := s.(BatchKeptStore); ok {
		return b.KeptAmong(ctx, subjects)
	}
	out := map[string]Kept{}
	for _, subject := range subjects {
		k, ok, err := s.Kept(ctx, subject)
		if err != nil {
			return nil, err
		}
		if ok {
			out[subject] = k
		}
	}
	return out, nil
}

// KeptAmong implements BatchKeptStore.
func (m *MemoryStore) KeptAmong(_ context.Context, subjects []string) (map[string]Kept, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := map[string]Kept{}
	for _, s := range subjects {
		if k, ok := m.kept[s]; ok {
			out[s] = k
		}
	}
	return out, nil
}

// KeptAmong implements BatchKeptStore with one query (see scanAmong).
func (s *SQLStore) KeptAmong(ctx context.Context, subjects []string) (map[string]Kept, error) {
	out := map[string]Kept{}
	if len(subjects) == 0 {
		return out, nil
	}
	err := s.scanAmong(ctx, "gdprkit_kept", "subject, purposes, exceptions, at_us", subjects, func() { clear(out) },
		func(rows *sql.Rows, among func(string) bool) error {
			var subject, purposes, exceptions string
			var at int64
			if err := rows.Scan(&subject, &purposes, &exceptions, &at); err != nil {
				return err
			}
			if among(subject) {
				out[subject] = Kept{Subject: subject, Purposes: strings.Fields(purposes), Exceptions: strings.Fields(exceptions), At: time.UnixMicro(at).UTC()}
			}
			return nil
		})
	return out, err
}

// keptStoreOf returns the KeptStore a Guard uses: cfg.Kept, or the
// restriction store when it is one.
func keptStoreOf(cfg *GuardConfig) KeptStore {
	if cfg.Kept != nil {
		return cfg.Kept
	}
	if k, ok := cfg.Restrictions.(KeptStore); ok {
		return k
	}
	return nil
}

var (
	_ KeptStore = (*MemoryStore)(nil)
	_ KeptStore = (*SQLStore)(nil)
)

// AddKept implements KeptStore.
func (m *MemoryStore) AddKept(_ context.Context, k Kept) error {
	k.Purposes, k.Exceptions = slices.Clone(k.Purposes), slices.Clone(k.Exceptions)
	m.mu.Lock()
	if m.kept == nil {
		m.kept = map[string]Kept{}
	}
	m.kept[k.Subject] = k
	m.mu.Unlock()
	return nil
}

// RemoveKept implements KeptStore.
func (m *MemoryStore) RemoveKept(_ context.Context, subject string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.kept[subject]
	delete(m.kept, subject)
	return ok, nil
}

// Kept implements KeptStore.
func (m *MemoryStore) Kept(_ context.Context, subject string) (Kept, bool, error) {
	m.mu.RLock()
	k, ok := m.kept[subject]
	m.mu.RUnlock()
	return k, ok, nil
}

// keptComponent and keptMigrations hold the table of Kept records, migrated
// apart from the other gdpr tables.
const keptComponent = "gdpr.kept"

var keptMigrations = []sqldb.Migration{{
	Version: 1,
	SQL: []string{`CREATE TABLE gdprkit_kept (
		subject TEXT PRIMARY KEY,
		purposes TEXT NOT NULL,
		exceptions TEXT NOT NULL,
		at_us {{int64}} NOT NULL
	)`},
}}

// AddKept implements KeptStore.
func (s *SQLStore) AddKept(ctx context.Context, k Kept) error {
	_, err := s.exec(ctx, `INSERT INTO gdprkit_kept (subject, purposes, exceptions, at_us) VALUES (?, ?, ?, ?)
		ON CONFLICT (subject) DO UPDATE SET purposes = excluded.purposes, exceptions = excluded.exceptions, at_us = excluded.at_us`,
		k.Subject, strings.Join(k.Purposes, " "), strings.Join(k.Exceptions, " "), k.At.UnixMicro())
	return err
}

// RemoveKept implements KeptStore.
func (s *SQLStore) RemoveKept(ctx context.Context, subject string) (bool, error) {
	res, err := s.exec(ctx, `DELETE FROM gdprkit_kept WHERE subject = ?`, subject)
	return removed(res, err)
}

// Kept implements KeptStore.
func (s *SQLStore) Kept(ctx context.Context, subject string) (Kept, bool, error) {
	var purposes, exceptions string
	var at int64
	err := s.db.QueryRowContext(ctx, s.db.Dialect.Rebind(
		`SELECT purposes, exceptions, at_us FROM gdprkit_kept WHERE subject = ?`), subject).Scan(&purposes, &exceptions, &at)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Kept{}, false, nil
	case err != nil:
		return Kept{}, false, err
	}
	return Kept{Subject: subject, Purposes: strings.Fields(purposes), Exceptions: strings.Fields(exceptions), At: time.UnixMicro(at).UTC()}, true, nil
}
