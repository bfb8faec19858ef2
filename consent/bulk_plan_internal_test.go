package consent

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/internal/sqldb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBatchQueriesUseIndexes: the set queries of campaigns are answered
// through the events' indexes, on SQLite and on PostgreSQL (with
// sequential scans priced out, as on a large table): LastGrants walks the
// purpose's subjects by (purpose, subject, seq), LastEach looks each
// subject up by one of the indexes on purpose and subject, and neither reads the whole
// table.
func TestBatchQueriesUseIndexes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		s, err := NewSQLStore(ctx, db)
		require.NoError(t, err)
		for i := range 50 {
			require.NoError(t, s.Append(ctx, []Event{{Subject: fmt.Sprintf("s%02d", i), Purpose: "news", Kind: Grant, At: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)}}))
		}
		conn, err := db.Conn(ctx)
		require.NoError(t, err)
		defer conn.Close()
		if s.db.Dialect == sqldb.Postgres {
			_, err := conn.ExecContext(ctx, `SET enable_seqscan = off`)
			require.NoError(t, err)
			_, err = conn.ExecContext(ctx, `ANALYZE gdprkit_consent_events`)
			require.NoError(t, err)
		}
		grants := explain(t, conn, s.db.Dialect, s.lastGrantsQuery(), "news", "", 10)
		assert.Contains(t, grants, "gdprkit_consent_events_by_purpose")
		query, args := s.lastEachQuery("news", []string{"s01", "s02", "s03"})
		each := explain(t, conn, s.db.Dialect, query, args...)
		assert.Regexp(t, `gdprkit_consent_events_(by_)?purpose`, each)
		for _, plan := range []string{grants, each} {
			assert.NotContains(t, plan, "Seq Scan")
			assert.NotRegexp(t, `(?m)SCAN (e|m)\s*$`, plan)
		}
		t.Logf("LastGrants plan:\n%s\nLastEach plan:\n%s", grants, each)
	})
}

// explain returns the plan of query as text, one line per row.
func explain(t *testing.T, conn *sql.Conn, d sqldb.Dialect, query string, args ...any) string {
	t.Helper()
	prefix := "EXPLAIN "
	if d == sqldb.SQLite {
		prefix = "EXPLAIN QUERY PLAN "
	}
	rows, err := conn.QueryContext(context.Background(), prefix+query, args...)
	require.NoError(t, err)
	defer rows.Close()
	cols, err := rows.Columns()
	require.NoError(t, err)
	var b strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		fmt.Fprintln(&b, vals[len(vals)-1])
	}
	require.NoError(t, rows.Err())
	return b.String()
}

// TestSetQueriesRunWithoutJIT: on PostgreSQL the set queries run with JIT
// compilation off, which would otherwise cost more than reading a page
// (the planner prices a LIMIT page as a walk over the whole index).
func TestSetQueriesRunWithoutJIT(t *testing.T) {
	db, _ := dbtest.Postgres(t)
	ctx := context.Background()
	s, err := NewSQLStore(ctx, db)
	require.NoError(t, err)
	var jit string
	require.NoError(t, s.read(ctx, func(q querier) error {
		rows, err := q.QueryContext(ctx, `SHOW jit`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := rows.Scan(&jit); err != nil {
				return err
			}
		}
		return rows.Err()
	}))
	assert.Equal(t, "off", jit)
}
