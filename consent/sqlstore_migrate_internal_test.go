package consent

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/internal/sqldb"
)

// TestMigrationToMicroseconds: a database written by the first schema, in
// nanoseconds, is rewritten in microseconds by the second migration; every
// time reads back to the microsecond, and the tables are append-only again
// afterwards.
func TestMigrationToMicroseconds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		d, err := sqldb.Open(db)
		require.NoError(t, err)
		require.NoError(t, sqldb.Migrate(ctx, d, "consent", sqlMigrations[:1]))

		at := time.Date(2025, 3, 1, 9, 30, 0, 987654321, time.UTC)
		expires := at.AddDate(1, 0, 0)
		effective := at.Add(-time.Hour)
		_, err = db.ExecContext(ctx, d.Dialect.Rebind(`INSERT INTO gdprkit_consent_events (`+
			`subject, seq, purpose, kind, at_ns, expires_ns, notice, language, method, source, proof_ip, proof_user_agent, proof_artifact)
			VALUES ('alice', 1, 'news', 'grant', ?, ?, 'v1', 'en', 'web-form', 'signup', '', '', '')`),
			at.UnixNano(), expires.UnixNano())
		require.NoError(t, err)
		_, err = db.ExecContext(ctx, d.Dialect.Rebind(`INSERT INTO gdprkit_consent_notices (purpose, version, effective_ns, material)
			VALUES ('news', 'v1', ?, `+map[bool]string{true: "TRUE", false: "0"}[d.Dialect == sqldb.Postgres]+`)`), effective.UnixNano())
		require.NoError(t, err)

		s, err := NewSQLStore(ctx, db)
		require.NoError(t, err)
		e, ok, err := s.Last(ctx, "alice", "news")
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, at.Truncate(time.Microsecond), e.At)
		assert.Equal(t, expires.Truncate(time.Microsecond), e.Expires)
		ns, err := s.Notices(ctx, "news")
		require.NoError(t, err)
		require.Len(t, ns, 1)
		assert.Equal(t, effective.Truncate(time.Microsecond), ns[0].Effective)

		_, err = db.ExecContext(ctx, `UPDATE gdprkit_consent_events SET notice = 'v2'`)
		assert.Error(t, err, "events are append-only again")
		_, err = db.ExecContext(ctx, `UPDATE gdprkit_consent_notices SET version = 'v2'`)
		assert.Error(t, err, "notices are append-only again")
	})
}
