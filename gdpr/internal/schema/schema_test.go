package schema

import (
	"fmt"
	"os"
	"testing"

	"github.com/gdprkit/gdprkit/internal/sqldb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMigrationsUnchanged: released migrations expand, in each dialect, to
// exactly the statements they ran when released (the golden file holds
// them), so that a database migrated then matches one migrated now.
func TestMigrationsUnchanged(t *testing.T) {
	want, err := os.ReadFile("testdata/migrations.golden")
	require.NoError(t, err)
	assert.Equal(t, string(want), dumpMigrations(t, Migrations))
}

func dumpMigrations(t *testing.T, steps []sqldb.Migration) string {
	t.Helper()
	out := ""
	for _, m := range steps {
		sq, err := m.Statements(sqldb.SQLite)
		require.NoError(t, err)
		pg, err := m.Statements(sqldb.Postgres)
		require.NoError(t, err)
		out += fmt.Sprintf("%d\nSQLITE %q\nPG %q\n", m.Version, sq, pg)
	}
	return out
}
