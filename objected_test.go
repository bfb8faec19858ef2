package gdprkit_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/internal/dbtest"
)

func TestObjected(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		kit, _ := openShop(t, db, filepath.Join(t.TempDir(), "kek.json"), newClock().Now)
		ok, err := kit.Objected(ctx, "ada", gdpr.AllDirectMarketing)
		require.NoError(t, err)
		assert.False(t, ok)
		require.NoError(t, kit.Guard().Object(ctx, gdpr.Objection{Subject: "ada", Purpose: gdpr.AllDirectMarketing}))
		ok, err = kit.Objected(ctx, "ada", gdpr.AllDirectMarketing)
		require.NoError(t, err)
		assert.True(t, ok)
		ok, err = kit.Objected(ctx, "bob", gdpr.AllDirectMarketing)
		require.NoError(t, err)
		assert.False(t, ok, "another subject")
	})
}
