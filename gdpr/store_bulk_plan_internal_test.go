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

// TestBatchQueriesUsePrimaryKeys: the batch reads of objections,
// restrictions and kept data look each subject up by the tables' primary
// keys, on SQLite and on PostgreSQL (with sequential scans priced out, as
// on a large table), and never read a whole table; so do SQLite's range
// reads.
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
		plans := map[string]string{}
		for _, table := range []string{"gdprkit_objections", "gdprkit_restrictions", "gdprkit_kept"} {
			q, args := s.listQuery(table, "subject", subjects)
			plans[table] = explain(t, conn, s.db.Dialect, q, args...)
			if s.db.Dialect == sqldb.SQLite {
				plans[table+" range"] = explain(t, conn, s.db.Dialect, rangeQuery(table, "subject"), "s01", "s03", 12)
			}
		}
		objections, restrictions := plans["gdprkit_objections"], plans["gdprkit_restrictions"]
		assert.Regexp(t, `gdprkit_objections_pkey|sqlite_autoindex_gdprkit_objections`, objections)
		assert.Regexp(t, `gdprkit_restrictions_pkey|sqlite_autoindex_gdprkit_restrictions`, restrictions)
		for name, plan := range plans {
			assert.Regexp(t, `_pkey|sqlite_autoindex_|PRIMARY KEY`, plan, name)
			assert.NotContains(t, plan, "Seq Scan", name)
			assert.NotRegexp(t, `(?m)SCAN gdprkit_\w+\s*$`, plan, name)
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

// TestRangeReadsKeepOnlyTheBatch: a sorted batch read as a range on SQLite
// answers for its own subjects only — not for those between them that are
// not in it — and a range crowded with rows of other subjects falls back to
// the list, with the same answers.
func TestRangeReadsKeepOnlyTheBatch(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	ctx := context.Background()
	s, err := NewSQLStore(ctx, db)
	require.NoError(t, err)
	at := time.Unix(0, 0)
	// Subjects s0000…s1999; every odd one objected, is restricted, and
	// had data kept.
	for i := 1; i < 2000; i += 2 {
		subject := fmt.Sprintf("s%04d", i)
		require.NoError(t, s.AddObjection(ctx, Objection{Subject: subject, Purpose: AllDirectMarketing, At: at}))
		require.NoError(t, s.AddRestriction(ctx, Restriction{Subject: subject, Ground: Accuracy, At: at}))
		require.NoError(t, s.AddKept(ctx, Kept{Subject: subject, Exceptions: []string{"legal-hold"}, At: at}))
	}
	batch := func(from, step, n int) []string {
		var out []string
		for i := range n {
			out = append(out, fmt.Sprintf("s%04d", from+i*step))
		}
		return out
	}
	for name, subjects := range map[string][]string{
		"narrow range":           batch(100, 1, minRangeBatch),       // half of them odd
		"even only, within odds": batch(100, 2, minRangeBatch),       // none odd, the odd ones between
		"wide range":             batch(0, 29, minRangeBatch),        // 1,856 subjects wide: 14 rows each
		"unsorted":               append(batch(101, 2, 70), "s0000"), // read by list
	} {
		want := map[string]bool{}
		for _, subject := range subjects {
			var i int
			_, err := fmt.Sscanf(subject, "s%04d", &i)
			require.NoError(t, err)
			if i%2 == 1 {
				want[subject] = true
			}
		}
		objected, err := s.ObjectedAmong(ctx, subjects, []string{"offers", AllDirectMarketing})
		require.NoError(t, err)
		assert.Equal(t, want, objected, name)
		restricted, err := s.RestrictionsAmong(ctx, subjects)
		require.NoError(t, err)
		assert.Equal(t, len(want), len(restricted), name)
		kept, err := s.KeptAmong(ctx, subjects)
		require.NoError(t, err)
		assert.Equal(t, len(want), len(kept), name)
		for subject := range want {
			assert.Contains(t, restricted, subject, name)
			assert.Contains(t, kept, subject, name)
		}
	}
}
