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
	insert, get, erase, list string
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

func newTenantKeys(ctx context.Context, db *sql.DB, kek tink.AEAD, kekID string, now func() time.Time) (*tenantKeys, error) {
	d, err := sqldb.Open(db)
	if err != nil {
		return nil, fmt.Errorf("gdprkit: tenant keys: %w", err)
	}
	if err := sqldb.Migrate(ctx, d, "gdprkit/tenant_keys", tenantKeyMigrations); err != nil {
		return nil, fmt.Errorf("gdprkit: tenant keys: %w", err)
	}
	r := d.Dialect.Rebind
	return &tenantKeys{db: d, kek: kek, kekID: kekID, now: now,
		insert: r(`INSERT INTO gdprkit_tenant_keys (tenant, kek_id, wrapped, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (tenant) DO NOTHING`),
		get:    r(`SELECT kek_id, wrapped FROM gdprkit_tenant_keys WHERE tenant = ?`),
		erase:  r(`UPDATE gdprkit_tenant_keys SET wrapped = NULL, erased_at = ? WHERE tenant = ? AND wrapped IS NOT NULL`),
		list:   `SELECT tenant FROM gdprkit_tenant_keys WHERE wrapped IS NOT NULL ORDER BY tenant`,
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
		case kekID != t.kekID:
			return nil, fmt.Errorf("gdprkit: tenant %s: key wrapped by KEK %q, not %q: %w", tenant, kekID, t.kekID, shred.ErrUnknownKEK)
		}
		h, err := keyset.ReadWithAssociatedData(keyset.NewBinaryReader(bytes.NewReader(wrapped)), t.kek, tenantAD(tenant))
		if err != nil {
			return nil, fmt.Errorf("gdprkit: tenant %s: unwrap key: %v: %w", tenant, err, shred.ErrUnwrap)
		}
		a, err := aead.New(h)
		if err != nil {
			return nil, fmt.Errorf("gdprkit: tenant %s: key: %w", tenant, err)
		}
		return a, nil
	}
	return nil, fmt.Errorf("gdprkit: tenant %s: key not found after creation", tenant)
}

func (t *tenantKeys) create(ctx context.Context, tenant string) error {
	h, err := keyset.NewHandle(aead.AES256GCMKeyTemplate())
	if err != nil {
		return fmt.Errorf("gdprkit: tenant %s: create key: %w", tenant, err)
	}
	var buf bytes.Buffer
	if err := h.WriteWithAssociatedData(keyset.NewBinaryWriter(&buf), t.kek, tenantAD(tenant)); err != nil {
		return fmt.Errorf("gdprkit: tenant %s: wrap key: %w", tenant, err)
	}
	if _, err := t.db.ExecContext(ctx, t.insert, tenant, t.kekID, buf.Bytes(), t.now().UnixMicro()); err != nil {
		return fmt.Errorf("gdprkit: tenant %s: store key: %w", tenant, err)
	}
	return nil
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
