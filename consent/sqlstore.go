package consent

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/gdprkit/gdprkit/internal/sqldb"
	"golang.org/x/text/language"
)

// SQLStore is a Store in a SQL database through database/sql: SQLite
// (modernc.org/sqlite or another driver) or PostgreSQL (pgx). It creates
// its tables, gdprkit_consent_events and gdprkit_consent_notices, on first
// use. It imports no driver: open the *sql.DB with the one you use.
//
// The tables are append-only. The store never updates or deletes a row,
// and triggers make the database refuse UPDATE, DELETE (and, on PostgreSQL,
// TRUNCATE) on them, so that the evidence cannot be altered through the
// application's connection. Personal details are removed by shredding the
// subject's key (see LedgerConfig.Sealer), not by deleting rows.
//
// Each subject's events are numbered 1, 2, 3, … under the primary key
// (subject, seq). An append reads the subject's highest number and inserts
// the next ones in one transaction; when a concurrent writer took the same
// numbers first, the insert adds no row (ON CONFLICT DO NOTHING), and the
// append is rolled back and retried with fresh numbers. Every reader
// therefore sees the same total order. The same transaction reads the
// subject's latest time and stamps no event earlier, so times never
// decrease along the sequence. No statement fails on a lost race, so the
// database server logs no error quoting the key, which holds the subject ID
// (see the package documentation for what remains of a subject after
// erasure).
type SQLStore struct {
	db *sqldb.DB
	q  sqlQueries
}

// sqlQueries holds the store's statements, rebound for the dialect once.
type sqlQueries struct {
	lastSeq, insert, latest, last, events, eventsAll, purposes,
	addNotice, notices, superseding string
}

const eventColumns = `subject, seq, purpose, kind, at_us, expires_us, notice, language, method, source,
	proof_ip, proof_user_agent, proof_artifact, proof_parent, age_country, age_at_least, age_parental`

var sqlMigrations = []sqldb.Migration{{
	Version: 1,
	SQLite: []string{
		`CREATE TABLE gdprkit_consent_events (
			subject TEXT NOT NULL,
			seq INTEGER NOT NULL CHECK (seq > 0),
			purpose TEXT NOT NULL,
			kind TEXT NOT NULL CHECK (kind IN ('grant', 'withdrawal', 'expiry')),
			at_ns INTEGER NOT NULL,
			expires_ns INTEGER,
			notice TEXT NOT NULL,
			language TEXT NOT NULL,
			method TEXT NOT NULL,
			source TEXT NOT NULL,
			proof_ip TEXT NOT NULL,
			proof_user_agent TEXT NOT NULL,
			proof_artifact TEXT NOT NULL,
			PRIMARY KEY (subject, seq)
		)`,
		`CREATE INDEX gdprkit_consent_events_purpose ON gdprkit_consent_events (subject, purpose, seq)`,
		`CREATE TABLE gdprkit_consent_notices (
			purpose TEXT NOT NULL,
			version TEXT NOT NULL,
			effective_ns INTEGER NOT NULL,
			material INTEGER NOT NULL CHECK (material IN (0, 1)),
			PRIMARY KEY (purpose, version)
		)`,
		`CREATE TRIGGER gdprkit_consent_events_no_update BEFORE UPDATE ON gdprkit_consent_events
			BEGIN SELECT RAISE(ABORT, 'gdprkit_consent_events is append-only'); END`,
		`CREATE TRIGGER gdprkit_consent_events_no_delete BEFORE DELETE ON gdprkit_consent_events
			BEGIN SELECT RAISE(ABORT, 'gdprkit_consent_events is append-only'); END`,
		`CREATE TRIGGER gdprkit_consent_notices_no_update BEFORE UPDATE ON gdprkit_consent_notices
			BEGIN SELECT RAISE(ABORT, 'gdprkit_consent_notices is append-only'); END`,
		`CREATE TRIGGER gdprkit_consent_notices_no_delete BEFORE DELETE ON gdprkit_consent_notices
			BEGIN SELECT RAISE(ABORT, 'gdprkit_consent_notices is append-only'); END`,
	},
	Postgres: []string{
		`CREATE TABLE gdprkit_consent_events (
			subject TEXT NOT NULL,
			seq BIGINT NOT NULL CHECK (seq > 0),
			purpose TEXT NOT NULL,
			kind TEXT NOT NULL CHECK (kind IN ('grant', 'withdrawal', 'expiry')),
			at_ns BIGINT NOT NULL,
			expires_ns BIGINT,
			notice TEXT NOT NULL,
			language TEXT NOT NULL,
			method TEXT NOT NULL,
			source TEXT NOT NULL,
			proof_ip TEXT NOT NULL,
			proof_user_agent TEXT NOT NULL,
			proof_artifact TEXT NOT NULL,
			PRIMARY KEY (subject, seq)
		)`,
		`CREATE INDEX gdprkit_consent_events_purpose ON gdprkit_consent_events (subject, purpose, seq)`,
		`CREATE TABLE gdprkit_consent_notices (
			purpose TEXT NOT NULL,
			version TEXT NOT NULL,
			effective_ns BIGINT NOT NULL,
			material BOOLEAN NOT NULL,
			PRIMARY KEY (purpose, version)
		)`,
		`CREATE FUNCTION gdprkit_consent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
		END $$`,
		`CREATE TRIGGER gdprkit_consent_events_append_only BEFORE UPDATE OR DELETE ON gdprkit_consent_events
			FOR EACH ROW EXECUTE FUNCTION gdprkit_consent_append_only()`,
		`CREATE TRIGGER gdprkit_consent_events_no_truncate BEFORE TRUNCATE ON gdprkit_consent_events
			FOR EACH STATEMENT EXECUTE FUNCTION gdprkit_consent_append_only()`,
		`CREATE TRIGGER gdprkit_consent_notices_append_only BEFORE UPDATE OR DELETE ON gdprkit_consent_notices
			FOR EACH ROW EXECUTE FUNCTION gdprkit_consent_append_only()`,
		`CREATE TRIGGER gdprkit_consent_notices_no_truncate BEFORE TRUNCATE ON gdprkit_consent_notices
			FOR EACH STATEMENT EXECUTE FUNCTION gdprkit_consent_append_only()`,
	},
}, {
	// Version 2 keeps times in microseconds, as every other gdprkit table
	// does. The append-only triggers are lifted for this one rewrite, inside
	// the migration's transaction, and put back before it commits.
	Version: 2,
	SQLite: []string{
		`DROP TRIGGER gdprkit_consent_events_no_update`,
		`DROP TRIGGER gdprkit_consent_notices_no_update`,
		`UPDATE gdprkit_consent_events SET at_ns = at_ns / 1000, expires_ns = expires_ns / 1000`,
		`UPDATE gdprkit_consent_notices SET effective_ns = effective_ns / 1000`,
		`ALTER TABLE gdprkit_consent_events RENAME COLUMN at_ns TO at_us`,
		`ALTER TABLE gdprkit_consent_events RENAME COLUMN expires_ns TO expires_us`,
		`ALTER TABLE gdprkit_consent_notices RENAME COLUMN effective_ns TO effective_us`,
		`CREATE TRIGGER gdprkit_consent_events_no_update BEFORE UPDATE ON gdprkit_consent_events
			BEGIN SELECT RAISE(ABORT, 'gdprkit_consent_events is append-only'); END`,
		`CREATE TRIGGER gdprkit_consent_notices_no_update BEFORE UPDATE ON gdprkit_consent_notices
			BEGIN SELECT RAISE(ABORT, 'gdprkit_consent_notices is append-only'); END`,
	},
	Postgres: []string{
		`ALTER TABLE gdprkit_consent_events DISABLE TRIGGER gdprkit_consent_events_append_only`,
		`ALTER TABLE gdprkit_consent_notices DISABLE TRIGGER gdprkit_consent_notices_append_only`,
		`UPDATE gdprkit_consent_events SET at_ns = at_ns / 1000, expires_ns = expires_ns / 1000`,
		`UPDATE gdprkit_consent_notices SET effective_ns = effective_ns / 1000`,
		`ALTER TABLE gdprkit_consent_events RENAME COLUMN at_ns TO at_us`,
		`ALTER TABLE gdprkit_consent_events RENAME COLUMN expires_ns TO expires_us`,
		`ALTER TABLE gdprkit_consent_notices RENAME COLUMN effective_ns TO effective_us`,
		`ALTER TABLE gdprkit_consent_events ENABLE TRIGGER gdprkit_consent_events_append_only`,
		`ALTER TABLE gdprkit_consent_notices ENABLE TRIGGER gdprkit_consent_notices_append_only`,
	},
}, {
	// Version 3 records, with a grant, the subject's country, age band and
	// parental consent (Art. 8), and who holds parental responsibility in
	// the proof. Adding columns updates no row.
	Version: 3,
	SQLite: []string{
		`ALTER TABLE gdprkit_consent_events ADD COLUMN proof_parent TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE gdprkit_consent_events ADD COLUMN age_country TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE gdprkit_consent_events ADD COLUMN age_at_least INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE gdprkit_consent_events ADD COLUMN age_parental INTEGER NOT NULL DEFAULT 0 CHECK (age_parental IN (0, 1))`,
	},
	Postgres: []string{
		`ALTER TABLE gdprkit_consent_events ADD COLUMN proof_parent TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE gdprkit_consent_events ADD COLUMN age_country TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE gdprkit_consent_events ADD COLUMN age_at_least INTEGER NOT NULL DEFAULT 0`,
		`ALTER TABLE gdprkit_consent_events ADD COLUMN age_parental BOOLEAN NOT NULL DEFAULT FALSE`,
	},
}, {
	// Version 4 indexes the events by purpose and subject, so that the set
	// queries of campaigns (LastGrants) walk one purpose's subjects in
	// order instead of the whole table, and cover what decides a state
	// (the age a grant records included), so that no row is read.
	Version: 4,
	SQL: []string{
		`CREATE INDEX gdprkit_consent_events_by_purpose ON gdprkit_consent_events
			(purpose, subject, seq, kind, at_us, expires_us, notice, age_country, age_at_least, age_parental)`,
	},
}}

// NewSQLStore returns a store on db, creating or upgrading its tables. A
// nil db, or one whose driver is neither SQLite nor PostgreSQL, is an error
// matching ErrInvalidConfig.
func NewSQLStore(ctx context.Context, db *sql.DB) (*SQLStore, error) {
	d, err := sqldb.Open(db)
	if err != nil {
		return nil, fmt.Errorf("%w: sql store: %w", ErrInvalidConfig, err)
	}
	if err := sqldb.Migrate(ctx, d, "consent", sqlMigrations); err != nil {
		return nil, fmt.Errorf("consent: sql store: %w", err)
	}
	r := d.Dialect.Rebind
	return &SQLStore{db: d, q: sqlQueries{
		lastSeq: r(`SELECT COALESCE(MAX(seq), 0), COALESCE(MAX(at_us), ?) FROM gdprkit_consent_events WHERE subject = ?`),
		insert: r(`INSERT INTO gdprkit_consent_events (` + eventColumns + `)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`),
		latest: r(`SELECT ` + eventColumns + ` FROM gdprkit_consent_events
			WHERE subject = ? AND purpose = ? AND at_us <= ? ORDER BY seq DESC LIMIT 1`),
		last: r(`SELECT ` + eventColumns + ` FROM gdprkit_consent_events
			WHERE subject = ? AND purpose = ? ORDER BY seq DESC LIMIT 1`),
		events: r(`SELECT ` + eventColumns + ` FROM gdprkit_consent_events
			WHERE subject = ? AND purpose = ? ORDER BY seq`),
		eventsAll: r(`SELECT ` + eventColumns + ` FROM gdprkit_consent_events
			WHERE subject = ? ORDER BY seq`),
		purposes: r(`SELECT DISTINCT purpose FROM gdprkit_consent_events WHERE subject = ?`),
		addNotice: r(`INSERT INTO gdprkit_consent_notices (purpose, version, effective_us, material) VALUES (?, ?, ?, ?)
			ON CONFLICT DO NOTHING`),
		notices: r(`SELECT purpose, version, effective_us, material FROM gdprkit_consent_notices WHERE purpose = ?`),
		superseding: r(`SELECT purpose, version, effective_us, material FROM gdprkit_consent_notices
			WHERE purpose = ? AND material AND effective_us <= ? AND effective_us > COALESCE(
				(SELECT effective_us FROM gdprkit_consent_notices WHERE purpose = ? AND version = ?), ?)
			ORDER BY effective_us, version LIMIT 1`),
	}}, nil
}

// maxAppendAttempts bounds the retries of an append that keeps losing the
// race for the subject's next sequence numbers. Each lost race means another
// writer's append for the same subject committed, so the bound is only
// reached under sustained contention for one subject.
const maxAppendAttempts = 100

// Append implements EventStore.
func (s *SQLStore) Append(ctx context.Context, events []Event) error {
	if err := checkBatch(events); err != nil {
		return err
	}
	rows := make([][]any, len(events))
	given := make([]int64, len(events)) // each event's At as given
	stamped := make([]int64, len(events))
	for i := range events {
		row, err := eventRow(&events[i])
		if err != nil {
			return err
		}
		rows[i], given[i] = row, row[4].(int64)
	}
	for attempt := 1; ; attempt++ {
		var last, lastAt int64
		err := sqldb.InTx(ctx, s.db, func(tx *sql.Tx) error {
			err := tx.QueryRowContext(ctx, s.q.lastSeq, int64(math.MinInt64), events[0].Subject).Scan(&last, &lastAt)
			if err != nil {
				return err
			}
			for i, row := range rows {
				// Never before the subject's previous event: times follow
				// the sequence whatever the writers' clocks.
				lastAt = max(lastAt, given[i])
				stamped[i] = lastAt
				row[1], row[4] = last+1+int64(i), lastAt
				res, err := tx.ExecContext(ctx, s.q.insert, row...)
				if err != nil {
					return err
				}
				if n, err := res.RowsAffected(); err != nil || n == 0 {
					return cmp.Or(err, errLostRace)
				}
			}
			return nil
		})
		switch {
		case err == nil:
			for i := range events {
				events[i].Seq = last + 1 + int64(i)
				if stamped[i] != given[i] {
					events[i].At = time.UnixMicro(stamped[i]).UTC()
				}
			}
			return nil
		case err != errLostRace || ctx.Err() != nil:
			return fmt.Errorf("consent: sql store: append: %w", err)
		case attempt == maxAppendAttempts:
			return fmt.Errorf("consent: sql store: append: %w after %d attempts", ErrContention, attempt)
		}
	}
}

// errLostRace tells Append that a concurrent writer took the sequence
// numbers it was about to insert.
var errLostRace = errors.New("consent: sql store: sequence number taken")

// eventRow returns the column values of e, with seq left for Append.
func eventRow(e *Event) ([]any, error) {
	at, err := micros("Event.At", e.At)
	if err != nil {
		return nil, err
	}
	var expires sql.NullInt64
	if !e.Expires.IsZero() {
		if expires.Int64, err = micros("Event.Expires", e.Expires); err != nil {
			return nil, err
		}
		expires.Valid = true
	}
	lang := ""
	if e.Language != language.Und {
		lang = e.Language.String()
	}
	return []any{e.Subject, nil, e.Purpose, e.Kind.String(), at, expires, e.Notice, lang,
		string(e.Method), e.Source, e.Proof.IP, e.Proof.UserAgent, e.Proof.Artifact, e.Proof.ParentalResponsibility,
		e.Age.Country, e.Age.AtLeast, e.Age.Parental}, nil
}

// micros returns t as Unix microseconds, the stores' time column format.
// Times are kept to the microsecond: a finer part is dropped, as the
// Ledger's own clock does.
func micros(field string, t time.Time) (int64, error) {
	if y := t.Year(); y < 1 || y > 9999 {
		return 0, invalid(field, "year %d is outside 1–9999", y)
	}
	return t.UnixMicro(), nil
}

// clampMicros returns t as Unix microseconds for a comparison, clamped to
// the years micros accepts.
func clampMicros(t time.Time) int64 {
	switch y := t.Year(); {
	case y < 1:
		return math.MinInt64
	case y > 9999:
		return math.MaxInt64
	}
	return t.UnixMicro()
}

// rowScanner is *sql.Row or *sql.Rows.
type rowScanner interface{ Scan(dest ...any) error }

func scanEvent(r rowScanner) (Event, error) {
	var (
		e                   Event
		kind, method, lang  string
		at                  int64
		expires             sql.NullInt64
		ip, agent, artifact string
		parent              string
	)
	err := r.Scan(&e.Subject, &e.Seq, &e.Purpose, &kind, &at, &expires, &e.Notice, &lang,
		&method, &e.Source, &ip, &agent, &artifact, &parent, &e.Age.Country, &e.Age.AtLeast, &e.Age.Parental)
	if err != nil {
		return Event{}, err
	}
	if e.Kind, err = ParseEventKind(kind); err != nil {
		return Event{}, err
	}
	if lang != "" {
		if e.Language, err = language.Parse(lang); err != nil {
			return Event{}, fmt.Errorf("consent: sql store: event %d: language %q: %w", e.Seq, lang, err)
		}
	}
	e.At = time.UnixMicro(at).UTC()
	if expires.Valid {
		e.Expires = time.UnixMicro(expires.Int64).UTC()
	}
	e.Method = Method(method)
	e.Proof = Proof{Subject: e.Subject, IP: ip, UserAgent: agent, Artifact: artifact, ParentalResponsibility: parent}
	return e, nil
}

// Latest implements EventStore.
func (s *SQLStore) Latest(ctx context.Context, subject, purpose string, at time.Time) (Event, bool, error) {
	e, err := scanEvent(s.db.QueryRowContext(ctx, s.q.latest, subject, purpose, clampMicros(at)))
	switch {
	case err == sql.ErrNoRows:
		return Event{}, false, nil
	case err != nil:
		return Event{}, false, fmt.Errorf("consent: sql store: latest event: %w", err)
	}
	return e, true, nil
}

// Last implements EventStore.
func (s *SQLStore) Last(ctx context.Context, subject, purpose string) (Event, bool, error) {
	e, err := scanEvent(s.db.QueryRowContext(ctx, s.q.last, subject, purpose))
	switch {
	case err == sql.ErrNoRows:
		return Event{}, false, nil
	case err != nil:
		return Event{}, false, fmt.Errorf("consent: sql store: last event: %w", err)
	}
	return e, true, nil
}

// Events implements EventStore.
func (s *SQLStore) Events(ctx context.Context, subject, purpose string) ([]Event, error) {
	var (
		rows *sql.Rows
		err  error
	)
	if purpose == "" {
		rows, err = s.db.QueryContext(ctx, s.q.eventsAll, subject)
	} else {
		rows, err = s.db.QueryContext(ctx, s.q.events, subject, purpose)
	}
	if err != nil {
		return nil, fmt.Errorf("consent: sql store: events: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, fmt.Errorf("consent: sql store: events: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("consent: sql store: events: %w", err)
	}
	return out, nil
}

// Purposes implements EventStore.
func (s *SQLStore) Purposes(ctx context.Context, subject string) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, s.q.purposes, subject)
	if err != nil {
		return nil, fmt.Errorf("consent: sql store: purposes: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, fmt.Errorf("consent: sql store: purposes: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("consent: sql store: purposes: %w", err)
	}
	slices.Sort(out) // byte order, as MemoryStore, whatever the database's collation
	return out, nil
}

// AddNotice implements NoticeStore.
func (s *SQLStore) AddNotice(ctx context.Context, n Notice) error {
	if err := checkNotice(n); err != nil {
		return err
	}
	effective, err := micros("Notice.Effective", n.Effective)
	if err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, s.q.addNotice, n.Purpose, n.Version, effective, n.Material)
	var added int64
	if err == nil {
		added, err = res.RowsAffected()
	}
	switch {
	case err != nil:
		return fmt.Errorf("consent: sql store: add notice: %w", err)
	case added == 0:
		return &NoticeError{Purpose: n.Purpose, Version: n.Version, Err: ErrNoticeExists}
	}
	return nil
}

func scanNotice(r rowScanner) (Notice, error) {
	var (
		n         Notice
		effective int64
	)
	if err := r.Scan(&n.Purpose, &n.Version, &effective, &n.Material); err != nil {
		return Notice{}, err
	}
	n.Effective = time.UnixMicro(effective).UTC()
	return n, nil
}

// Notices implements NoticeStore.
func (s *SQLStore) Notices(ctx context.Context, purpose string) ([]Notice, error) {
	rows, err := s.db.QueryContext(ctx, s.q.notices, purpose)
	if err != nil {
		return nil, fmt.Errorf("consent: sql store: notices: %w", err)
	}
	defer rows.Close()
	var out []Notice
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, fmt.Errorf("consent: sql store: notices: %w", err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("consent: sql store: notices: %w", err)
	}
	slices.SortFunc(out, compareNotices)
	return out, nil
}

// Superseding implements NoticeStore.
func (s *SQLStore) Superseding(ctx context.Context, purpose, version string, at time.Time) (Notice, bool, error) {
	n, err := scanNotice(s.db.QueryRowContext(ctx, s.q.superseding,
		purpose, clampMicros(at), purpose, version, int64(math.MinInt64)))
	switch {
	case err == sql.ErrNoRows:
		return Notice{}, false, nil
	case err != nil:
		return Notice{}, false, fmt.Errorf("consent: sql store: superseding notice: %w", err)
	}
	return n, true, nil
}
