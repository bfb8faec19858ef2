package consent_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSQLTablesAreAppendOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		l := newLedger(t, consent.LedgerConfig{Store: newSQLStore(t, db), Now: newClock().Now})
		_, err := l.Grant(ctx, grantRecord("alice", "news"))
		require.NoError(t, err)
		require.NoError(t, l.Publish(ctx, consent.Notice{Purpose: "news", Version: "v1"}))

		for _, stmt := range []string{
			`UPDATE gdprkit_consent_events SET kind = 'withdrawal'`,
			`UPDATE gdprkit_consent_events SET proof_ip = ''`,
			`DELETE FROM gdprkit_consent_events`,
			`UPDATE gdprkit_consent_notices SET material = NOT material`,
			`DELETE FROM gdprkit_consent_notices`,
		} {
			_, err := db.ExecContext(ctx, stmt)
			assert.ErrorContains(t, err, "append-only", stmt)
		}
		var n int
		require.NoError(t, db.QueryRowContext(ctx, `SELECT COUNT(*) FROM gdprkit_consent_events WHERE kind = 'grant'`).Scan(&n))
		assert.Equal(t, 1, n, "the event is unchanged")

		_, _, err = newSQLStore(t, db).Latest(ctx, "alice", "news", t0)
		assert.NoError(t, err, "opening the store again on migrated tables is a no-op")
	})
}

func TestSQLTruncateIsRefusedOnPostgres(t *testing.T) {
	db, _ := dbtest.Postgres(t)
	newSQLStore(t, db)
	_, err := db.Exec(`TRUNCATE gdprkit_consent_events`)
	assert.ErrorContains(t, err, "append-only")
}

func TestSQLProofIsSealedInTheRow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		l := newLedger(t, consent.LedgerConfig{Store: newSQLStore(t, db), Sealer: newTinkSealer(t)})
		_, err := l.Grant(ctx, grantRecord("alice", "news"))
		require.NoError(t, err)
		var ip, agent string
		require.NoError(t, db.QueryRowContext(ctx,
			`SELECT proof_ip, proof_user_agent FROM gdprkit_consent_events`).Scan(&ip, &agent))
		assert.True(t, strings.HasPrefix(ip, sealedPrefix), "proof_ip holds a ciphertext: %q", ip)
		assert.True(t, strings.HasPrefix(agent, sealedPrefix), "proof_user_agent holds a ciphertext: %q", agent)
		assert.NotContains(t, ip, "203.0.113")
		assert.NotContains(t, agent, "Mozilla")
	})
}

func TestSQLStoreRefusesTimesItCannotHold(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	s := newSQLStore(t, db)
	ctx := context.Background()
	e := consent.Event{Subject: "alice", Purpose: "news", Kind: consent.Grant, At: t0.AddDate(8000, 0, 0)}
	err := s.Append(ctx, []consent.Event{e})
	require.ErrorIs(t, err, consent.ErrInvalidInput)
	assert.ErrorContains(t, err, "Event.At")

	_, ok, err := s.Latest(ctx, "alice", "news", t0.AddDate(9000, 0, 0))
	require.NoError(t, err, "a query instant out of range is clamped, not refused")
	assert.False(t, ok)
}
