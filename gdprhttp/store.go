package gdprhttp

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/internal/sqldb"
)

// challenges keeps the requests waiting for their codes in the database,
// so that every instance of a service counts the same attempts and a code
// is used once across all of them. A row holds the hash of the code, never
// the code or the address, and is deleted once expired.
type challenges struct {
	db *sqldb.DB
}

var challengeMigrations = []sqldb.Migration{{Version: 1, SQL: []string{
	`CREATE TABLE gdprhttp_challenges (
		ticket TEXT PRIMARY KEY,
		subject TEXT NOT NULL,
		request_right {{int16}} NOT NULL,
		purpose TEXT NOT NULL,
		ground {{int16}} NOT NULL,
		language TEXT NOT NULL,
		code_hash {{blob}} NOT NULL,
		expires {{int64}} NOT NULL,
		attempts {{int64}} NOT NULL,
		used {{int16}} NOT NULL
	)`,
	`CREATE INDEX gdprhttp_challenges_expires ON gdprhttp_challenges (expires)`,
}}}

func newChallenges(ctx context.Context, db *sql.DB) (*challenges, error) {
	d, err := sqldb.Open(db)
	if err != nil {
		return nil, fmt.Errorf("gdprhttp: %w", err)
	}
	if err := sqldb.Migrate(ctx, d, "gdprhttp", challengeMigrations); err != nil {
		return nil, fmt.Errorf("gdprhttp: %w", err)
	}
	return &challenges{db: d}, nil
}

func (cs *challenges) exec(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := cs.db.ExecContext(ctx, cs.db.Dialect.Rebind(q), args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// add stores c, and forgets the challenges expired a day ago.
func (cs *challenges) add(ctx context.Context, c *challenge, now time.Time) error {
	if _, err := cs.exec(ctx, "DELETE FROM gdprhttp_challenges WHERE expires < ?", now.Add(-24*time.Hour).UnixMicro()); err != nil {
		return fmt.Errorf("gdprhttp: challenges: %w", err)
	}
	_, err := cs.exec(ctx, `INSERT INTO gdprhttp_challenges
		(ticket, subject, request_right, purpose, ground, language, code_hash, expires, attempts, used)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0)`,
		c.ticket, c.subject, int(c.right), c.purpose, int(c.ground), c.language, c.hash[:], c.expires.UnixMicro())
	if err != nil {
		return fmt.Errorf("gdprhttp: challenges: %w", err)
	}
	return nil
}

// get returns the ticket's challenge.
func (cs *challenges) get(ctx context.Context, ticket string) (challenge, bool, error) {
	var c challenge
	var right, ground, used int
	var hash []byte
	var expires int64
	err := cs.db.QueryRowContext(ctx, cs.db.Dialect.Rebind(`SELECT ticket, subject, request_right, purpose, ground, language,
		code_hash, expires, attempts, used FROM gdprhttp_challenges WHERE ticket = ?`), ticket).
		Scan(&c.ticket, &c.subject, &right, &c.purpose, &ground, &c.language, &hash, &expires, &c.attempts, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return challenge{}, false, nil
	}
	if err != nil {
		return challenge{}, false, fmt.Errorf("gdprhttp: challenges: %w", err)
	}
	c.right, c.ground, c.used = rights.Right(right), gdpr.Ground(ground), used != 0
	c.expires = time.UnixMicro(expires).UTC()
	copy(c.hash[:], hash)
	return c, true, nil
}

// try checks code against the ticket's challenge, counting the attempt,
// and marks the challenge used when the code is right. The attempt is
// counted by one conditional update, so that instances trying codes at
// once never exceed limit together, and only one of them uses a code.
func (cs *challenges) try(ctx context.Context, ticket, code string, now time.Time, limit int) (challenge, *Problem, error) {
	n, err := cs.exec(ctx, `UPDATE gdprhttp_challenges SET attempts = attempts + 1
		WHERE ticket = ? AND used = 0 AND attempts < ? AND expires >= ?`, ticket, limit, now.UnixMicro())
	if err != nil {
		return challenge{}, nil, fmt.Errorf("gdprhttp: challenges: %w", err)
	}
	c, ok, err := cs.get(ctx, ticket)
	switch {
	case err != nil:
		return challenge{}, nil, err
	case !ok:
		return challenge{}, errUnknownTicket, nil
	case n == 0 && c.used:
		return challenge{}, errCodeUsed, nil
	case n == 0 && c.attempts >= limit:
		return challenge{}, errLocked, nil
	case n == 0:
		return challenge{}, errCodeExpired, nil
	}
	sum := codeHash(ticket, code)
	if subtle.ConstantTimeCompare(sum[:], c.hash[:]) != 1 || c.subject == "" {
		return challenge{}, wrongCode(max(limit-c.attempts, 0)), nil
	}
	if n, err = cs.exec(ctx, "UPDATE gdprhttp_challenges SET used = 1 WHERE ticket = ? AND used = 0", ticket); err != nil {
		return challenge{}, nil, fmt.Errorf("gdprhttp: challenges: %w", err)
	}
	if n == 0 {
		return challenge{}, errCodeUsed, nil
	}
	c.used = true
	return c, nil, nil
}
