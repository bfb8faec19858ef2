package gdprkit_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tink-crypto/tink-go/v2/tink"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// TestProcessorRotateKEK: a new processor KEK, with the old one listed in
// OldKEKs, opens every tenant at once; RotateKEK re-wraps each live tenant
// key and the journal's token key, once, so that afterwards the new KEK
// alone opens the tenants' data and the journal keeps its tokens, and the
// old KEK alone opens nothing.
func TestProcessorRotateKEK(t *testing.T) {
	eachProcessor(t, func(t *testing.T, env *processorEnv) {
		ctx := context.Background()
		before := env.instance()
		_, acmeShop := before.tenant(t, env.clk, "acme")
		acmeShop.add(t, "ada", "ada@acme-customer.example", env.clk.t)
		_, betaShop := before.tenant(t, env.clk, "beta")
		betaShop.add(t, "bob", "bob@beta-customer.example", env.clk.t)
		_, err := before.p.EraseTenant(ctx, "beta")
		require.NoError(t, err)
		token := before.p.Journal().Token("ada")

		next, err := shred.LocalKEK(filepath.Join(t.TempDir(), "processor-kek-2.json"))
		require.NoError(t, err)
		withNext := func(old map[string]tink.AEAD) func(*gdprkit.ProcessorConfig) {
			return func(c *gdprkit.ProcessorConfig) { c.KEK, c.KEKID, c.OldKEKs = next, "processor-2", old }
		}
		db, dbs := env.open()
		during := env.instanceOn(db, dbs, withNext(map[string]tink.AEAD{"processor-1": env.kek}))
		assert.Contains(t, exportText(t, env, during, "acme"), "ada@acme-customer.example", "the old KEK still opens acme")

		n, err := during.p.RotateKEK(ctx, 1)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, n, 2, "acme's key and the journal's token key")
		var stale int
		require.NoError(t, db.QueryRowContext(ctx, `SELECT COUNT(*) FROM gdprkit_tenant_keys WHERE kek_id <> 'processor-2' AND wrapped IS NOT NULL`).Scan(&stale))
		assert.Zero(t, stale)
		n, err = during.p.RotateKEK(ctx, 1)
		require.NoError(t, err)
		assert.Zero(t, n, "done once")

		db, dbs = env.open()
		after := env.instanceOn(db, dbs, withNext(nil))
		assert.Contains(t, exportText(t, env, after, "acme"), "ada@acme-customer.example", "the new KEK alone opens acme")
		assert.Equal(t, token, after.p.Journal().Token("ada"), "the journal's tokens are unchanged")
		_, err = after.p.Tenant(ctx, "beta", gdprkit.Config{})
		assert.ErrorIs(t, err, gdprkit.ErrTenantErased)

		db, dbs = env.open()
		_, err = gdprkit.OpenProcessor(ctx, db, env.config(dbs))
		assert.ErrorIs(t, err, shred.ErrUnknownKEK, "the old KEK alone opens nothing")
	})
}

// exportText opens the tenant on the instance and returns the text of its
// export archive, the tenant's data opened.
func exportText(t *testing.T, env *processorEnv, s *site, tenant string) string {
	t.Helper()
	s.tenant(t, env.clk, tenant)
	var buf bytes.Buffer
	_, err := s.p.ExportTenant(context.Background(), tenant, &buf)
	require.NoError(t, err)
	return archiveText(t, buf.Bytes())
}
