package sqldb_test

import (
	"context"
	"database/sql"
	"slices"
	"testing"

	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/internal/sqldb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInMatchesExactly: the list condition matches exactly the values
// given, whatever characters they hold (quotes, backslashes, braces,
// commas, spaces, the word NULL, non-ASCII, and on SQLite bytes that are
// not UTF-8), for lists of every length.
func TestInMatchesExactly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, raw *sql.DB) {
		ctx := context.Background()
		db, err := sqldb.Open(raw)
		require.NoError(t, err)
		values := []string{`a"b`, `c\d`, `{e}`, `f,g`, `NULL`, ` h `, `Zoë`, `'i'`, `[1]`, `plain`}
		if db.Dialect == sqldb.SQLite {
			values = append(values, "bad\xff")
		}
		_, err = db.ExecContext(ctx, `CREATE TABLE list_test (v TEXT NOT NULL)`)
		require.NoError(t, err)
		for _, v := range append(slices.Clone(values), "other", "a", "b", "NULL2") {
			_, err := db.ExecContext(ctx, db.Dialect.Rebind(`INSERT INTO list_test (v) VALUES (?)`), v)
			require.NoError(t, err)
		}
		for n := 0; n <= len(values); n++ {
			want := values[:n]
			cond, args := db.Dialect.In("v", want)
			rows, err := db.QueryContext(ctx, db.Dialect.Rebind(`SELECT v FROM list_test WHERE `+cond), args...)
			require.NoError(t, err)
			var got []string
			for rows.Next() {
				var v string
				require.NoError(t, rows.Scan(&v))
				got = append(got, v)
			}
			require.NoError(t, rows.Err())
			rows.Close()
			assert.ElementsMatch(t, want, got, "%d values", n)
		}
	})
}
