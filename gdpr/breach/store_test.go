package breach_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/gdprkit/gdprkit/gdpr/breach"
	"github.com/gdprkit/gdprkit/gdpr/breach/breachtest"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/stretchr/testify/require"
)

// TestStore runs the conformance suite on the memory, SQLite and PostgreSQL
// breach stores.
func TestStore(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		breachtest.Run(t, func(*testing.T) breach.Store { return breach.NewMemoryStore() })
	})
	dbtest.EachNew(t, func(t *testing.T, open func(testing.TB) *sql.DB) {
		breachtest.Run(t, func(t *testing.T) breach.Store {
			s, err := breach.NewSQLStore(context.Background(), open(t))
			require.NoError(t, err)
			return s
		})
	})
}
