package gdprkit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/gdprkit/gdprkit/internal/sqldb"
)

// processorTables keeps what the processor records besides its journal:
// the requests forwarded to controllers and the breach notices owed to
// them. Neither names a data subject.
type processorTables struct {
	db *sqldb.DB
	q  map[string]string
}

var processorMigrations = []sqldb.Migration{{
	Version: 1,
	SQL: []string{
		`CREATE TABLE gdprkit_processor_forwards (
			tenant TEXT NOT NULL,
			request TEXT NOT NULL,
			request_right TEXT NOT NULL,
			forwarded_at {{int64}} NOT NULL,
			PRIMARY KEY (tenant, request)
		)`,
		`CREATE TABLE gdprkit_processor_breach_notices (
			breach TEXT NOT NULL,
			tenant TEXT NOT NULL,
			due_at {{int64}} NOT NULL,
			notified_at {{int64}},
			PRIMARY KEY (breach, tenant)
		)`,
	},
}}

func newProcessorTables(ctx context.Context, db *sql.DB) (*processorTables, error) {
	d, err := sqldb.Open(db)
	if err != nil {
		return nil, fmt.Errorf("gdprkit: processor tables: %w", err)
	}
	if err := sqldb.Migrate(ctx, d, "gdprkit/processor", processorMigrations); err != nil {
		return nil, fmt.Errorf("gdprkit: processor tables: %w", err)
	}
	q := map[string]string{
		"forward":  `INSERT INTO gdprkit_processor_forwards (tenant, request, request_right, forwarded_at) VALUES (?, ?, ?, ?) ON CONFLICT (tenant, request) DO NOTHING`,
		"forwards": `SELECT request, request_right, forwarded_at FROM gdprkit_processor_forwards WHERE tenant = ? ORDER BY forwarded_at, request`,
		"owe":      `INSERT INTO gdprkit_processor_breach_notices (breach, tenant, due_at) VALUES (?, ?, ?) ON CONFLICT (breach, tenant) DO NOTHING`,
		"pending":  `SELECT breach, tenant FROM gdprkit_processor_breach_notices WHERE notified_at IS NULL ORDER BY due_at, breach, tenant`,
		"notified": `UPDATE gdprkit_processor_breach_notices SET notified_at = ? WHERE breach = ? AND tenant = ? AND notified_at IS NULL`,
		"notices":  `SELECT tenant, notified_at FROM gdprkit_processor_breach_notices WHERE breach = ? ORDER BY tenant`,
	}
	for k, v := range q {
		q[k] = d.Dialect.Rebind(v)
	}
	return &processorTables{db: d, q: q}, nil
}

func (t *processorTables) forwarded(ctx context.Context, tenant, request, right string, at time.Time) error {
	if _, err := t.db.ExecContext(ctx, t.q["forward"], tenant, request, right, at.UnixMicro()); err != nil {
		return fmt.Errorf("gdprkit: record forwarded request: %w", err)
	}
	return nil
}

func (t *processorTables) forwards(ctx context.Context, tenant string) ([]ForwardedRequest, error) {
	rows, err := t.db.QueryContext(ctx, t.q["forwards"], tenant)
	if err != nil {
		return nil, fmt.Errorf("gdprkit: forwarded requests: %w", err)
	}
	defer rows.Close()
	var out []ForwardedRequest
	for rows.Next() {
		f := ForwardedRequest{Tenant: tenant}
		var at int64
		if err := rows.Scan(&f.Request, &f.Right, &at); err != nil {
			return nil, fmt.Errorf("gdprkit: forwarded requests: %w", err)
		}
		f.ForwardedAt = time.UnixMicro(at).UTC()
		out = append(out, f)
	}
	return out, rows.Err()
}

func (t *processorTables) owe(ctx context.Context, breachID, tenant string, due time.Time) error {
	if _, err := t.db.ExecContext(ctx, t.q["owe"], breachID, tenant, due.UnixMicro()); err != nil {
		return fmt.Errorf("gdprkit: breach %s: record notice owed to tenant %s: %w", breachID, tenant, err)
	}
	return nil
}

func (t *processorTables) pending(ctx context.Context) ([][2]string, error) {
	rows, err := t.db.QueryContext(ctx, t.q["pending"])
	if err != nil {
		return nil, fmt.Errorf("gdprkit: pending breach notices: %w", err)
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var bt [2]string
		if err := rows.Scan(&bt[0], &bt[1]); err != nil {
			return nil, fmt.Errorf("gdprkit: pending breach notices: %w", err)
		}
		out = append(out, bt)
	}
	return out, rows.Err()
}

// notified marks a notice done; false when another instance was first.
func (t *processorTables) notified(ctx context.Context, breachID, tenant string, at time.Time) (bool, error) {
	res, err := t.db.ExecContext(ctx, t.q["notified"], at.UnixMicro(), breachID, tenant)
	if err != nil {
		return false, fmt.Errorf("gdprkit: breach %s: record notice to tenant %s: %w", breachID, tenant, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

func (t *processorTables) notices(ctx context.Context, breachID string) ([]ControllerNotice, error) {
	rows, err := t.db.QueryContext(ctx, t.q["notices"], breachID)
	if err != nil {
		return nil, fmt.Errorf("gdprkit: breach %s: notices: %w", breachID, err)
	}
	defer rows.Close()
	var out []ControllerNotice
	for rows.Next() {
		n := ControllerNotice{Breach: breachID}
		var at sql.NullInt64
		if err := rows.Scan(&n.Tenant, &at); err != nil {
			return nil, fmt.Errorf("gdprkit: breach %s: notices: %w", breachID, err)
		}
		if at.Valid {
			n.NotifiedAt = time.UnixMicro(at.Int64).UTC()
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// validRef reports whether s fits a journal entry's Ref: 1 to 64 letters,
// digits and ". _ - : /".
func validRef(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '_', c == '-', c == ':', c == '/':
		default:
			return false
		}
	}
	return true
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
