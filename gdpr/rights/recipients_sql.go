package rights

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/internal/schema"
	"github.com/gdprkit/gdprkit/internal/sqldb"
	"github.com/gdprkit/gdprkit/pii"
)

// SQLRecipientStore keeps disclosures and the outbox of notices (Art. 19)
// in a SQL database (SQLite or PostgreSQL), in the tables
// gdprkit_disclosures and gdprkit_notices. Any number of instances may
// share it: a notice is claimed with a compare-and-set on its lease, so
// one instance at a time delivers it.
type SQLRecipientStore struct {
	db *sqldb.DB
}

var _ RecipientStore = (*SQLRecipientStore)(nil)

// NewSQLRecipientStore returns a store over db, creating or upgrading its
// tables. db's driver must be SQLite or PostgreSQL.
func NewSQLRecipientStore(ctx context.Context, db *sql.DB) (*SQLRecipientStore, error) {
	sdb, err := schema.Open(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("rights: recipient store: %w", err)
	}
	return &SQLRecipientStore{db: sdb}, nil
}

func (s *SQLRecipientStore) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return s.db.ExecContext(ctx, s.db.Dialect.Rebind(query), args...)
}

// AddDisclosure implements RecipientStore.
func (s *SQLRecipientStore) AddDisclosure(ctx context.Context, d Disclosure) error {
	cats, err := json.Marshal(d.Categories)
	if err != nil {
		return fmt.Errorf("rights: encode disclosure: %w", err)
	}
	_, err = s.exec(ctx, `INSERT INTO gdprkit_disclosures (subject_token, recipient, purpose, categories, at_us) VALUES (?, ?, ?, ?, ?)`,
		d.SubjectToken, d.Recipient, d.Purpose, string(cats), d.At.UnixMicro())
	return err
}

// Disclosures implements RecipientStore.
func (s *SQLRecipientStore) Disclosures(ctx context.Context, token string) ([]Disclosure, error) {
	rows, err := s.db.QueryContext(ctx, s.db.Dialect.Rebind(
		`SELECT recipient, purpose, categories, at_us FROM gdprkit_disclosures WHERE subject_token = ? ORDER BY at_us`), token)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Disclosure
	for rows.Next() {
		d := Disclosure{SubjectToken: token}
		var cats string
		var at int64
		if err := rows.Scan(&d.Recipient, &d.Purpose, &cats, &at); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(cats), &d.Categories); err != nil {
			return nil, fmt.Errorf("rights: decode disclosure: %w", err)
		}
		d.At = time.UnixMicro(at).UTC()
		out = append(out, d)
	}
	return out, rows.Err()
}

// noticeDoc is the part of a notice that never changes once queued.
type noticeDoc struct {
	Request      string         `json:"request"`
	Right        Right          `json:"right"`
	Ground       uint8          `json:"ground,omitempty"`
	Recipient    string         `json:"recipient"`
	SubjectToken string         `json:"subject_token"`
	Categories   []pii.Category `json:"categories"`
	FulfilledUS  int64          `json:"fulfilled_us"`
}

// EnqueueNotices implements RecipientStore.
func (s *SQLRecipientStore) EnqueueNotices(ctx context.Context, ns []Notice) error {
	return sqldb.InTx(ctx, s.db, func(tx *sql.Tx) error {
		for _, n := range ns {
			doc, err := json.Marshal(noticeDoc{
				Request: n.Request, Right: n.Right, Ground: uint8(n.Ground), Recipient: n.Recipient,
				SubjectToken: n.SubjectToken, Categories: n.Categories, FulfilledUS: n.Fulfilled.UnixMicro(),
			})
			if err != nil {
				return fmt.Errorf("rights: encode notice %s: %w", n.ID, err)
			}
			_, err = tx.ExecContext(ctx, s.db.Dialect.Rebind(
				`INSERT INTO gdprkit_notices (id, request_id, subject, attempts, next_us, last_error, doc)
				VALUES (?, ?, ?, 0, ?, '', ?) ON CONFLICT (id) DO NOTHING`),
				n.ID, n.Request, n.Subject, n.Next.UnixMicro(), string(doc))
			if err != nil {
				return err
			}
		}
		return nil
	})
}

const noticeColumns = `id, subject, attempts, next_us, delivered_us, lease_owner, lease_until_us, last_error, doc`

// scanNotice reads a row of noticeColumns.
func scanNotice(sc interface{ Scan(...any) error }) (Notice, error) {
	var (
		n                Notice
		attempts, next   int64
		delivered, until sql.NullInt64
		owner            sql.NullString
		doc              string
		d                noticeDoc
	)
	if err := sc.Scan(&n.ID, &n.Subject, &attempts, &next, &delivered, &owner, &until, &n.Error, &doc); err != nil {
		return Notice{}, err
	}
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return Notice{}, fmt.Errorf("rights: decode notice %s: %w", n.ID, err)
	}
	n.Request, n.Right, n.Recipient, n.SubjectToken, n.Categories = d.Request, d.Right, d.Recipient, d.SubjectToken, d.Categories
	n.Ground = gdpr.Ground(d.Ground)
	n.Fulfilled = time.UnixMicro(d.FulfilledUS).UTC()
	n.Attempts, n.Next = int(attempts), time.UnixMicro(next).UTC()
	if delivered.Valid {
		n.Delivered = time.UnixMicro(delivered.Int64).UTC()
	}
	if owner.Valid && until.Valid {
		n.Lease = &Lease{Owner: owner.String, Until: time.UnixMicro(until.Int64).UTC()}
	}
	return n, nil
}

// ClaimNotices implements RecipientStore. Each notice is claimed by an
// update that holds only if the notice is still free, so that of two
// instances claiming at once, one gets it.
func (s *SQLRecipientStore) ClaimNotices(ctx context.Context, owner string, now, until time.Time, limit int) ([]Notice, error) {
	nowUS := now.UnixMicro()
	rows, err := s.db.QueryContext(ctx, s.db.Dialect.Rebind(
		`SELECT id FROM gdprkit_notices
		WHERE delivered_us IS NULL AND next_us <= ? AND (lease_until_us IS NULL OR lease_until_us <= ?)
		ORDER BY next_us, id LIMIT ?`), nowUS, nowUS, limit)
	if err != nil {
		return nil, err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []Notice
	for _, id := range ids {
		res, err := s.exec(ctx, `UPDATE gdprkit_notices SET lease_owner = ?, lease_until_us = ?, attempts = attempts + 1
			WHERE id = ? AND delivered_us IS NULL AND (lease_until_us IS NULL OR lease_until_us <= ?)`,
			owner, until.UnixMicro(), id, nowUS)
		if err != nil {
			return out, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return out, err
		} else if n == 0 {
			continue // another instance claimed it
		}
		n, err := scanNotice(s.db.QueryRowContext(ctx, s.db.Dialect.Rebind(
			`SELECT `+noticeColumns+` FROM gdprkit_notices WHERE id = ?`), id))
		if err != nil {
			return out, err
		}
		out = append(out, n)
	}
	return out, nil
}

// ConfirmNotice implements RecipientStore.
func (s *SQLRecipientStore) ConfirmNotice(ctx context.Context, id string, at time.Time) error {
	_, err := s.exec(ctx, `UPDATE gdprkit_notices SET delivered_us = ?, subject = '', lease_owner = NULL, lease_until_us = NULL, last_error = ''
		WHERE id = ? AND delivered_us IS NULL`, at.UnixMicro(), id)
	return err
}

// RetryNotice implements RecipientStore.
func (s *SQLRecipientStore) RetryNotice(ctx context.Context, id, owner string, next time.Time, msg string) error {
	_, err := s.exec(ctx, `UPDATE gdprkit_notices SET next_us = ?, last_error = ?, lease_owner = NULL, lease_until_us = NULL
		WHERE id = ? AND lease_owner = ? AND delivered_us IS NULL`, next.UnixMicro(), msg, id, owner)
	return err
}

// PendingNotices implements RecipientStore.
func (s *SQLRecipientStore) PendingNotices(ctx context.Context) ([]Notice, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+noticeColumns+` FROM gdprkit_notices WHERE delivered_us IS NULL ORDER BY next_us, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Notice
	for rows.Next() {
		n, err := scanNotice(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
