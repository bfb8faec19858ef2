package gdprkit

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/tink-crypto/tink-go/v2/aead"
	"github.com/tink-crypto/tink-go/v2/keyset"
	"github.com/tink-crypto/tink-go/v2/tink"

	"github.com/gdprkit/gdprkit/internal/sqldb"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// ErrTenantErased is returned for a tenant whose key was destroyed
// (Processor.EraseTenant): none of its data can be opened again.
var ErrTenantErased = errors.New("gdprkit: tenant erased")

// NamespaceTenants is the namespace of the tenant erasures in the tenant
// erasure log (a shred.ErasureLog): an entry's Ref is the tenant ID.
const NamespaceTenants = "gdprkit.tenants"

// tenantKeys keeps each tenant's key-encryption key, a Tink AEAD keyset
// wrapped by the processor's KEK, one row per tenant; erasing a tenant
// deletes the wrapped keyset and keeps the row as a tombstone.
type tenantKeys struct {
	db                       *sqldb.DB
	kek                      tink.AEAD
	kekID                    string
	old                      map[string]tink.AEAD // KEKs rotated out, by ID
	insert, get, erase, list string
	stale, rewrap            string
	now                      func() time.Time
}

var tenantKeyMigrations = []sqldb.Migration{{
	Version: 1,
	SQL: []string{`CREATE TABLE gdprkit_tenant_keys (
		tenant TEXT PRIMARY KEY,
		kek_id TEXT NOT NULL,
		wrapped {{blob}},
		created_at {{int64}} NOT NULL,
		erased_at {{int64}}
	)`},
}}

func newTenantKeys(ctx context.Context, db *sql.DB, kek tink.AEAD, kekID string, old map[string]tink.AEAD, now func() time.Time) (*tenantKeys, error) {
	d, err := sqldb.Open(db)
	if err != nil {
		return nil, fmt.Errorf("gdprkit: tenant keys: %w", err)
	}
	if err := sqldb.Migrate(ctx, d, "gdprkit/tenant_keys", tenantKeyMigrations); err != nil {
		return nil, fmt.Errorf("gdprkit: tenant keys: %w", err)
	}
	r := d.Dialect.Rebind
	return &tenantKeys{db: d, kek: kek, kekID: kekID, old: old, now: now,
		insert: r(`INSERT INTO gdprkit_tenant_keys (tenant, kek_id, wrapped, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (tenant) DO NOTHING`),
		get:    r(`SELECT kek_id, wrapped FROM gdprkit_tenant_keys WHERE tenant = ?`),
		erase:  r(`UPDATE gdprkit_tenant_keys SET wrapped = NULL, erased_at = ? WHERE tenant = ? AND wrapped IS NOT NULL`),
		list:   `SELECT tenant FROM gdprkit_tenant_keys WHERE wrapped IS NOT NULL ORDER BY tenant`,
		stale: r(`SELECT tenant, kek_id, wrapped FROM gdprkit_tenant_keys
			WHERE wrapped IS NOT NULL AND kek_id <> ? AND tenant > ? ORDER BY tenant LIMIT ?`),
		rewrap: r(`UPDATE gdprkit_tenant_keys SET kek_id = ?, wrapped = ? WHERE tenant = ? AND kek_id = ? AND wrapped IS NOT NULL`),
	}, nil
}

// wrapAD binds a wrapped tenant keyset to its tenant.
func tenantAD(tenant string) []byte { return []byte("gdprkit.tenant-kek\x00" + tenant) }

// load returns the tenant's KEK, creating it once when create is set.
// ErrTenantErased when it was destroyed; ErrUnknownTenant when it was
// never made and create is not set.
func (t *tenantKeys) load(ctx context.Context, tenant string, create bool) (tink.AEAD, error) {
	for range 2 {
		var kekID string
		var wrapped []byte
		err := t.db.QueryRowContext(ctx, t.get, tenant).Scan(&kekID, &wrapped)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if !create {
				return nil, fmt.Errorf("gdprkit: tenant %s: %w", tenant, ErrUnknownTenant)
			}
			if err := t.create(ctx, tenant); err != nil {
				return nil, err
			}
			continue // read what won, ours or another instance's
		case err != nil:
			return nil, fmt.Errorf("gdprkit: tenant %s: key: %w", tenant, err)
		case wrapped == nil:
			return nil, fmt.Errorf("gdprkit: tenant %s: its key was destroyed: %w", tenant, ErrTenantErased)
		}
		h, err := t.unwrap(tenant, kekID, wrapped)
		if err != nil {
			return nil, err
		}
		a, err := aead.New(h)
		if err != nil {
			return nil, fmt.Errorf("gdprkit: tenant %s: key: %w", tenant, err)
		}
		return a, nil
	}
	return nil, fmt.Errorf("gdprkit: tenant %s: key not found after creation", tenant)
}

// unwrap opens a tenant's keyset wrapped by the KEK named kekID: the
// current one or one rotated out.
func (t *tenantKeys) unwrap(tenant, kekID string, wrapped []byte) (*keyset.Handle, error) {
	kek := t.kek
	if kekID != t.kekID {
		if kek = t.old[kekID]; kek == nil {
			return nil, fmt.Errorf("gdprkit: tenant %s: key wrapped by KEK %q, neither %q nor one of OldKEKs: %w", tenant, kekID, t.kekID, shred.ErrUnknownKEK)
		}
	}
	h, err := keyset.ReadWithAssociatedData(keyset.NewBinaryReader(bytes.NewReader(wrapped)), kek, tenantAD(tenant))
	if err != nil {
		return nil, fmt.Errorf("gdprkit: tenant %s: unwrap key: %v: %w", tenant, err, shred.ErrUnwrap)
	}
	return h, nil
}

// wrap wraps a tenant's keyset with the current KEK.
func (t *tenantKeys) wrap(tenant string, h *keyset.Handle) ([]byte, error) {
	var buf bytes.Buffer
	if err := h.WriteWithAssociatedData(keyset.NewBinaryWriter(&buf), t.kek, tenantAD(tenant)); err != nil {
		return nil, fmt.Errorf("gdprkit: tenant %s: wrap key: %w", tenant, err)
	}
	return buf.Bytes(), nil
}

func (t *tenantKeys) create(ctx context.Context, tenant string) error {
	h, err := keyset.NewHandle(aead.AES256GCMKeyTemplate())
	if err != nil {
		return fmt.Errorf("gdprkit: tenant %s: create key: %w", tenant, err)
	}
	wrapped, err := t.wrap(tenant, h)
	if err != nil {
		return err
	}
	if _, err := t.db.ExecContext(ctx, t.insert, tenant, t.kekID, wrapped, t.now().UnixMicro()); err != nil {
		return fmt.Errorf("gdprkit: tenant %s: store key: %w", tenant, err)
	}
	return nil
}

// rotate re-wraps with the current KEK every live tenant key another KEK
// wraps, batchSize at a time, and returns how many it re-wrapped. Each
// update names the KEK it read, so a key another instance re-wrapped or
// destroyed meanwhile is left as it is.
func (t *tenantKeys) rotate(ctx context.Context, batchSize int) (int, error) {
	n := 0
	for after := ""; ; {
		rows, err := t.db.QueryContext(ctx, t.stale, t.kekID, after, batchSize)
		if err != nil {
			return n, fmt.Errorf("gdprkit: tenant keys: rotate: %w", err)
		}
		type stale struct {
			tenant, kekID string
			wrapped       []byte
		}
		var batch []stale
		for rows.Next() {
			var s stale
			if err := rows.Scan(&s.tenant, &s.kekID, &s.wrapped); err != nil {
				rows.Close()
				return n, fmt.Errorf("gdprkit: tenant keys: rotate: %w", err)
			}
			batch = append(batch, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return n, fmt.Errorf("gdprkit: tenant keys: rotate: %w", err)
		}
		for _, s := range batch {
			h, err := t.unwrap(s.tenant, s.kekID, s.wrapped)
			if err != nil {
				return n, err
			}
			wrapped, err := t.wrap(s.tenant, h)
			if err != nil {
				return n, err
			}
			res, err := t.db.ExecContext(ctx, t.rewrap, t.kekID, wrapped, s.tenant, s.kekID)
			if err != nil {
				return n, fmt.Errorf("gdprkit: tenant %s: store re-wrapped key: %w", s.tenant, err)
			}
			done, err := res.RowsAffected()
			if err != nil {
				return n, fmt.Errorf("gdprkit: tenant %s: store re-wrapped key: %w", s.tenant, err)
			}
			if done > 0 { // 0: another instance re-wrapped or destroyed it meanwhile
				n++
			}
			after = s.tenant
		}
		if len(batch) < batchSize {
			return n, nil
		}
	}
}

// destroy deletes the tenant's wrapped key; it reports whether there was
// one to delete.
func (t *tenantKeys) destroy(ctx context.Context, tenant string, at time.Time) (bool, error) {
	res, err := t.db.ExecContext(ctx, t.erase, at.UnixMicro(), tenant)
	if err != nil {
		return false, fmt.Errorf("gdprkit: tenant %s: destroy key: %w", tenant, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// tenants lists the tenants with a live key.
func (t *tenantKeys) tenants(ctx context.Context) ([]string, error) {
	rows, err := t.db.QueryContext(ctx, t.list)
	if err != nil {
		return nil, fmt.Errorf("gdprkit: tenants: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("gdprkit: tenants: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// Replay applies the tenant erasure log to the processor's database, for
// use after it was restored from a backup taken before some erasures:
// every tenant the log says was erased has its key destroyed again and its
// database dropped. It returns how many keys it destroyed; running it again
// destroys none.
func (p *Processor) Replay(ctx context.Context) (int, error) {
	n := 0
	for after := int64(0); ; {
		entries, err := p.erasures.Read(ctx, NamespaceTenants, after, 500)
		if err != nil {
			return n, err
		}
		for _, e := range entries {
			after = e.Seq
			if err := checkTenant("Replay", e.Ref); err != nil {
				return n, err
			}
			done, err := p.keys.destroy(ctx, e.Ref, e.At)
			if err != nil {
				return n, err
			}
			if done {
				n++
			}
			p.forget(e.Ref)
			if err := p.cfg.Databases.Drop(ctx, e.Ref); err != nil {
				return n, err
			}
		}
		if len(entries) < 500 {
			return n, nil
		}
	}
}

// RotateKEK re-wraps with ProcessorConfig.KEK every tenant key, and the
// key of the processor journal's tokens, that a KEK of
// ProcessorConfig.OldKEKs wraps, batchSize keys at a time (100 when not
// positive), and returns how many it re-wrapped. Tenants' data and subject
// keys are not touched: each tenant's own KEK stays the same, only its
// wrapping changes. Erased tenants have nothing to re-wrap. An interrupted
// rotation is resumed by calling RotateKEK again, on any instance; once it
// returns nil, OldKEKs may be dropped.
func (p *Processor) RotateKEK(ctx context.Context, batchSize int) (int, error) {
	if batchSize <= 0 {
		batchSize = 100
	}
	n, err := p.keys.rotate(ctx, batchSize)
	if err != nil {
		return n, fmt.Errorf("gdprkit: RotateKEK: %w", err)
	}
	m, err := p.tokens.RotateKEK(ctx, batchSize)
	if err != nil {
		return n + m, fmt.Errorf("gdprkit: RotateKEK: journal tokens: %w", err)
	}
	return n + m, nil
}

// state reports whether a tenant has a key row and whether its key was
// destroyed.
func (t *tenantKeys) state(ctx context.Context, tenant string) (exists, erased bool, err error) {
	var wrapped []byte
	err = t.db.QueryRowContext(ctx, t.get, tenant).Scan(new(string), &wrapped)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, false, nil
	case err != nil:
		return false, false, fmt.Errorf("gdprkit: tenant %s: key: %w", tenant, err)
	}
	return true, wrapped == nil, nil
}
