package gdpr

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

// TestBatchQueriesUsePrimaryKeys: the batch reads of objections and
// restrictions look each subject up by the tables' primary keys, on SQLite
// and on PostgreSQL (with sequential scans priced out, as on a large
// table), and never read a whole table.
func TestBatchQueriesUsePrimaryKeys(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		s, err := NewSQLStore(ctx, db)
		require.NoError(t, err)
		for i := range 50 {
			subject := fmt.Sprintf("s%02d", i)
			require.NoError(t, s.AddObjection(ctx, Objection{Subject: subject, Purpose: AllDirectMarketing, At: time.Unix(0, 0)}))
			require.NoError(t, s.AddRestriction(ctx, Restriction{Subject: subject, Ground: Accuracy, At: time.Unix(0, 0)}))
		}
		conn, err := db.Conn(ctx)
		require.NoError(t, err)
		defer conn.Close()
		if s.db.Dialect == sqldb.Postgres {
			_, err := conn.ExecContext(ctx, `SET enable_seqscan = off`)
			require.NoError(t, err)
		}
		subjects := []string{"s01", "s02", "s03"}
		q, args := s.objectedQuery(subjects)
		objections := explain(t, conn, s.db.Dialect, q, args...)
		q, args = s.restrictionsQuery(subjects)
		restrictions := explain(t, conn, s.db.Dialect, q, args...)
		assert.Regexp(t, `gdprkit_objections_pkey|sqlite_autoindex_gdprkit_objections`, objections)
		assert.Regexp(t, `gdprkit_restrictions_pkey|sqlite_autoindex_gdprkit_restrictions`, restrictions)
		for _, plan := range []string{objections, restrictions} {
			assert.NotContains(t, plan, "Seq Scan")
			assert.NotRegexp(t, `(?m)SCAN gdprkit_\w+\s*$`, plan)
		}
		t.Logf("objections plan:\n%s\nrestrictions plan:\n%s", objections, restrictions)
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
