package retention

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/gdprkit/gdprkit/internal/sqldb"
	"github.com/gdprkit/gdprkit/pii"
)

// SQLStore is a HoldStore and CheckpointStore in a SQL database: SQLite or
// PostgreSQL through database/sql, with a driver the caller imports. Many
// processes may share one database: every lease step is a single
// conditional UPDATE, so the database decides which sweeper holds a source.
// Times are stored as Unix microseconds and read back in UTC.
type SQLStore struct {
	db *sqldb.DB
	q  sqlQueries
}

var migrations = []sqldb.Migration{{
	Version: 1,
	SQL: []string{
		`CREATE TABLE gdprkit_retention_holds (
			id TEXT PRIMARY KEY,
			case_ref TEXT NOT NULL,
			subject TEXT NOT NULL,
			category TEXT NOT NULL,
			reason TEXT NOT NULL,
			placed_at {{int64}} NOT NULL,
			expires_at {{int64}},
			released_at {{int64}}
		)`,
		`CREATE INDEX gdprkit_retention_holds_open ON gdprkit_retention_holds (released_at, placed_at)`,
		`CREATE TABLE gdprkit_retention_checkpoints (
			source TEXT PRIMARY KEY,
			cursor_pos TEXT NOT NULL,
			owner TEXT NOT NULL,
			lease_until {{int64}} NOT NULL,
			updated_at {{int64}} NOT NULL
		)`,
	},
}}

type sqlQueries struct {
	placeHold, getHold, releaseHold, activeHolds         string
	removeHold, unreleaseHold                            string
	checkpoint, ensureCheckpoint, acquire, advance, free string
}

const holdColumns = `id, case_ref, subject, category, reason, placed_at, expires_at, released_at`

// NewSQLStore returns a SQLStore on db, creating or upgrading its tables
// (gdprkit_retention_holds and gdprkit_retention_checkpoints). A nil db, or
// one whose driver is neither SQLite nor PostgreSQL, is an error matching
// ErrInvalidConfig.
func NewSQLStore(ctx context.Context, db *sql.DB) (*SQLStore, error) {
	d, err := sqldb.Open(db)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
	}
	if err := sqldb.Migrate(ctx, d, "retention", migrations); err != nil {
		return nil, fmt.Errorf("retention: %w", err)
	}
	r := d.Dialect.Rebind
	return &SQLStore{db: d, q: sqlQueries{
		placeHold:     r(`INSERT INTO gdprkit_retention_holds (` + holdColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		getHold:       r(`SELECT ` + holdColumns + ` FROM gdprkit_retention_holds WHERE id = ?`),
		releaseHold:   r(`UPDATE gdprkit_retention_holds SET released_at = ? WHERE id = ? AND released_at IS NULL`),
		removeHold:    r(`DELETE FROM gdprkit_retention_holds WHERE id = ? AND released_at IS NULL`),
		unreleaseHold: r(`UPDATE gdprkit_retention_holds SET released_at = NULL WHERE id = ? AND released_at = ?`),
		activeHolds: r(`SELECT ` + holdColumns + ` FROM gdprkit_retention_holds
			WHERE placed_at <= ? AND (released_at IS NULL OR released_at > ?) AND (expires_at IS NULL OR expires_at > ?)
			ORDER BY placed_at, id`),
		checkpoint: r(`SELECT cursor_pos, owner, lease_until, updated_at FROM gdprkit_retention_checkpoints WHERE source = ?`),
		ensureCheckpoint: r(`INSERT INTO gdprkit_retention_checkpoints (source, cursor_pos, owner, lease_until, updated_at)
			VALUES (?, '', '', 0, 0) ON CONFLICT (source) DO NOTHING`),
		acquire: r(`UPDATE gdprkit_retention_checkpoints SET owner = ?, lease_until = ?
			WHERE source = ? AND (owner = '' OR lease_until <= ?)`),
		advance: r(`UPDATE gdprkit_retention_checkpoints SET cursor_pos = ?, lease_until = ?, updated_at = ?
			WHERE source = ? AND owner = ? AND cursor_pos = ?`),
		free: r(`UPDATE gdprkit_retention_checkpoints SET owner = '', lease_until = 0 WHERE source = ? AND owner = ?`),
	}}, nil
}

func micros(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMicro(), Valid: true}
}

func fromMicros(n sql.NullInt64) time.Time {
	if !n.Valid || n.Int64 == 0 {
		return time.Time{}
	}
	return time.UnixMicro(n.Int64).UTC()
}

// PlaceHold implements HoldStore.
func (s *SQLStore) PlaceHold(ctx context.Context, h Hold) error {
	_, err := s.db.ExecContext(ctx, s.q.placeHold, h.ID, h.Case, h.Subject, string(h.Category), h.Reason,
		h.Placed.UnixMicro(), micros(h.Expires), micros(h.Released))
	if sqldb.Unique(err) {
		return &HoldError{ID: h.ID, Err: ErrHoldExists}
	}
	if err != nil {
		return fmt.Errorf("retention: place hold %q: %w", h.ID, err)
	}
	return nil
}

type rowScanner interface{ Scan(dest ...any) error }

func scanHold(row rowScanner) (Hold, error) {
	var h Hold
	var category string
	var placed int64
	var expires, released sql.NullInt64
	if err := row.Scan(&h.ID, &h.Case, &h.Subject, &category, &h.Reason, &placed, &expires, &released); err != nil {
		return Hold{}, err
	}
	h.Category = pii.Category(category)
	h.Placed = time.UnixMicro(placed).UTC()
	h.Expires, h.Released = fromMicros(expires), fromMicros(released)
	return h, nil
}

// ReleaseHold implements HoldStore.
func (s *SQLStore) ReleaseHold(ctx context.Context, id string, at time.Time) (Hold, error) {
	var h Hold
	err := sqldb.InTx(ctx, s.db, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q.releaseHold, at.UnixMicro(), id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		h, err = scanHold(tx.QueryRowContext(ctx, s.q.getHold, id))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return &HoldError{ID: id, Err: ErrHoldNotFound}
		case err != nil:
			return err
		case n == 0:
			return &HoldError{ID: id, Err: ErrHoldReleased}
		}
		return nil
	})
	if err != nil {
		var he *HoldError
		if errors.As(err, &he) {
			return Hold{}, err
		}
		return Hold{}, fmt.Errorf("retention: release hold %q: %w", id, err)
	}
	return h, nil
}

// RemoveHold implements HoldStore.
func (s *SQLStore) RemoveHold(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, s.q.removeHold, id)
	if err != nil {
		return fmt.Errorf("retention: remove hold %q: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("retention: remove hold %q: %w", id, err)
	}
	if n == 1 {
		return nil
	}
	if _, err := scanHold(s.db.QueryRowContext(ctx, s.q.getHold, id)); err == nil {
		return &HoldError{ID: id, Err: ErrHoldReleased}
	} else if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("retention: remove hold %q: %w", id, err)
	}
	return &HoldError{ID: id, Err: ErrHoldNotFound}
}

// UnreleaseHold implements HoldStore.
func (s *SQLStore) UnreleaseHold(ctx context.Context, id string, at time.Time) error {
	res, err := s.db.ExecContext(ctx, s.q.unreleaseHold, id, at.UnixMicro())
	if err != nil {
		return fmt.Errorf("retention: unrelease hold %q: %w", id, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("retention: unrelease hold %q: %w", id, err)
	}
	if n == 0 {
		return &HoldError{ID: id, Err: ErrHoldNotFound}
	}
	return nil
}

// ActiveHolds implements HoldStore. Holds come ordered by placement, then ID.
func (s *SQLStore) ActiveHolds(ctx context.Context, at time.Time) ([]Hold, error) {
	n := at.UnixMicro()
	rows, err := s.db.QueryContext(ctx, s.q.activeHolds, n, n, n)
	if err != nil {
		return nil, fmt.Errorf("retention: active holds: %w", err)
	}
	defer rows.Close()
	var out []Hold
	for rows.Next() {
		h, err := scanHold(rows)
		if err != nil {
			return nil, fmt.Errorf("retention: active holds: %w", err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("retention: active holds: %w", err)
	}
	return out, nil
}

// Checkpoint implements CheckpointStore.
func (s *SQLStore) Checkpoint(ctx context.Context, source string) (Checkpoint, error) {
	cp := Checkpoint{Source: source}
	var cursor string
	var until, updated sql.NullInt64
	err := s.db.QueryRowContext(ctx, s.q.checkpoint, source).Scan(&cursor, &cp.Owner, &until, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return cp, nil
	}
	if err != nil {
		return Checkpoint{}, fmt.Errorf("retention: checkpoint of %q: %w", source, err)
	}
	cp.Cursor, cp.Until, cp.Updated = Cursor(cursor), fromMicros(until), fromMicros(updated)
	return cp, nil
}

// AcquireLease implements CheckpointStore.
func (s *SQLStore) AcquireLease(ctx context.Context, l CheckpointLease) (Cursor, error) {
	var cursor Cursor
	err := sqldb.InTx(ctx, s.db, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q.ensureCheckpoint, l.Source); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.q.acquire, l.Owner, l.Until.UnixMicro(), l.Source, l.Now.UnixMicro())
		if err != nil {
			return err
		}
		won, err := res.RowsAffected()
		if err != nil {
			return err
		}
		var cur, owner string
		var until, updated sql.NullInt64
		if err := tx.QueryRowContext(ctx, s.q.checkpoint, l.Source).Scan(&cur, &owner, &until, &updated); err != nil {
			return err
		}
		if won == 0 {
			return &LeaseError{Source: l.Source, Owner: owner, Until: fromMicros(until)}
		}
		cursor = Cursor(cur)
		return nil
	})
	if err != nil {
		if errors.Is(err, ErrLeased) {
			return "", err
		}
		return "", fmt.Errorf("retention: lease on %q: %w", l.Source, err)
	}
	return cursor, nil
}

// AdvanceCursor implements CheckpointStore.
func (s *SQLStore) AdvanceCursor(ctx context.Context, l CheckpointLease, from, to Cursor) error {
	res, err := s.db.ExecContext(ctx, s.q.advance, string(to), l.Until.UnixMicro(), l.Now.UnixMicro(), l.Source, l.Owner, string(from))
	if err != nil {
		return fmt.Errorf("retention: advance %q: %w", l.Source, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("retention: advance %q: %w", l.Source, err)
	}
	if n == 0 {
		return fmt.Errorf("retention: checkpoint of %q: %w: %q does not hold it at cursor %q", l.Source, bare{ErrLeaseLost}, l.Owner, string(from))
	}
	return nil
}

// ReleaseLease implements CheckpointStore.
func (s *SQLStore) ReleaseLease(ctx context.Context, l CheckpointLease) error {
	if _, err := s.db.ExecContext(ctx, s.q.free, l.Source, l.Owner); err != nil {
		return fmt.Errorf("retention: release lease on %q: %w", l.Source, err)
	}
	return nil
}
