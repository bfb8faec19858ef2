package main

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/retention"
)

// Subscriber is a row of the subscribers table.
type Subscriber struct {
	ID         string    `json:"id" pii:"subject"`
	Email      string    `json:"email" pii:"email"`
	LastActive time.Time `json:"last_active" pii:"-"`
}

// subscribers is the table as a rights.Source (exports and erasures) and a
// retention.SubjectSource (sweeps).
type subscribers struct{ a *app }

func (s subscribers) Describe() rights.SourceInfo {
	return rights.SourceInfo{Name: "subscribers", Description: "the address you signed up with",
		Purposes: []string{"account", "newsletter"}}
}

func (s subscribers) Export(ctx context.Context, subject string, emit func(any) error) error {
	var sub Subscriber
	var active int64
	err := s.a.db.QueryRowContext(ctx, "SELECT id, email, last_active FROM subscribers WHERE id = ?", subject).
		Scan(&sub.ID, &sub.Email, &active)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	sub.LastActive = time.Unix(active, 0).UTC()
	return emit(&sub)
}

func (s subscribers) Erase(ctx context.Context, subject string) error {
	if _, err := s.a.db.ExecContext(ctx, "DELETE FROM unsubscribe_links WHERE subscriber = ?", subject); err != nil {
		return err
	}
	_, err := s.a.db.ExecContext(ctx, "DELETE FROM subscribers WHERE id = ?", subject)
	if err == nil {
		s.a.endSessions(subject)
	}
	return err
}

func (s subscribers) Subjects(ctx context.Context, after retention.Cursor, limit int) ([]retention.Subject, retention.Cursor, error) {
	rows, err := s.a.db.QueryContext(ctx, "SELECT id, last_active FROM subscribers WHERE id > ? ORDER BY id LIMIT ?", string(after), limit)
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []retention.Subject
	for rows.Next() {
		var sub retention.Subject
		var active int64
		if err := rows.Scan(&sub.ID, &active); err != nil {
			return nil, "", err
		}
		sub.LastActive = time.Unix(active, 0).UTC()
		out = append(out, sub)
	}
	next := retention.Cursor("")
	if len(out) == limit {
		next = retention.Cursor(out[len(out)-1].ID)
	}
	return out, next, rows.Err()
}

// lookup finds the subscriber of an address, for the privacy center.
func (s subscribers) lookup(ctx context.Context, address string) (string, error) {
	var id string
	err := s.a.db.QueryRowContext(ctx, "SELECT id FROM subscribers WHERE email = ?", address).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, err
}

// contract confirms the account of a subscriber who is signed up.
func (s subscribers) contract(ctx context.Context, subject, purpose string) (bool, error) {
	id, err := s.a.subscriberID(ctx, subject)
	return id != "", err
}
