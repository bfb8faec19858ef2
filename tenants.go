package gdprkit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// ErrInvalidTenant is matched by errors about a tenant ID that is not a
// safe identifier (see ValidTenantID).
var ErrInvalidTenant = errors.New("gdprkit: invalid tenant ID")

// MaxTenantIDLen is the longest tenant ID.
const MaxTenantIDLen = 32

// ValidTenantID reports whether id can name a tenant: 1 to MaxTenantIDLen
// lower-case ASCII letters, digits and underscores, starting with a
// letter. Such an ID is safe as a file name, a PostgreSQL identifier and a
// journal code, so it is never quoted, escaped or interpolated unchecked.
func ValidTenantID(id string) bool {
	if id == "" || len(id) > MaxTenantIDLen || id[0] < 'a' || id[0] > 'z' {
		return false
	}
	for i := 0; i < len(id); i++ {
		switch c := id[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_':
		default:
			return false
		}
	}
	return true
}

func checkTenant(op, id string) error {
	if !ValidTenantID(id) {
		return fmt.Errorf("gdprkit: %s: tenant %q: want 1 to %d lower-case letters, digits and '_', starting with a letter: %w",
			op, id, MaxTenantIDLen, ErrInvalidTenant)
	}
	return nil
}

// TenantDatabases gives each tenant a database of its own, so that a
// tenant's data is apart from every other tenant's by construction: no
// query of one tenant's kit can name another's tables. SQLiteTenants and
// PostgresTenants implement it.
type TenantDatabases interface {
	// Open returns the tenant's database, creating it on first use. The
	// same tenant gets the same database on every call and every instance.
	Open(ctx context.Context, tenant string) (*sql.DB, error)
	// Drop deletes the tenant's database and everything in it; a tenant
	// without one is no error.
	Drop(ctx context.Context, tenant string) error
}

// SQLiteDatabases keeps each tenant's data in a SQLite file of its own in a
// directory: <dir>/<tenant>.db. The service imports the SQLite driver
// ("sqlite", modernc.org/sqlite).
type SQLiteDatabases struct {
	dir string
	mu  sync.Mutex // guards dbs
	dbs map[string]*sql.DB
}

// SQLiteTenants returns the SQLite tenant databases kept in dir, which is
// created when missing.
func SQLiteTenants(dir string) *SQLiteDatabases {
	return &SQLiteDatabases{dir: dir, dbs: map[string]*sql.DB{}}
}

// Path returns the file of a tenant's database.
func (s *SQLiteDatabases) Path(tenant string) (string, error) {
	if err := checkTenant("SQLiteTenants", tenant); err != nil {
		return "", err
	}
	return filepath.Join(s.dir, tenant+".db"), nil
}

// Open implements TenantDatabases: WAL journal, a 10 s busy timeout and
// foreign keys on.
func (s *SQLiteDatabases) Open(ctx context.Context, tenant string) (*sql.DB, error) {
	path, err := s.Path(tenant)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if db, ok := s.dbs[tenant]; ok {
		return db, nil
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return nil, fmt.Errorf("gdprkit: tenant %s: %w", tenant, err)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("gdprkit: tenant %s: %w", tenant, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("gdprkit: tenant %s: %w", tenant, err)
	}
	s.dbs[tenant] = db
	return db, nil
}

// Drop implements TenantDatabases: it closes the tenant's database and
// removes its file with the WAL and shared-memory files.
func (s *SQLiteDatabases) Drop(ctx context.Context, tenant string) error {
	path, err := s.Path(tenant)
	if err != nil {
		return err
	}
	s.mu.Lock()
	db := s.dbs[tenant]
	delete(s.dbs, tenant)
	s.mu.Unlock()
	if db != nil {
		db.Close()
	}
	var errs []error
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("gdprkit: drop tenant %s: %w", tenant, err)
	}
	return nil
}

// Close closes every tenant database opened.
func (s *SQLiteDatabases) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for id, db := range s.dbs {
		errs = append(errs, db.Close())
		delete(s.dbs, id)
	}
	return errors.Join(errs...)
}

// PostgresDatabases keeps each tenant's data in a PostgreSQL schema of its
// own, SchemaPrefix followed by the tenant ID, reached through connections
// whose search_path is that schema alone. The service imports the pgx
// driver ("pgx", github.com/jackc/pgx/v5/stdlib).
type PostgresDatabases struct {
	dsn string
	// SchemaPrefix starts every tenant schema's name: "tenant_" by
	// default. Lower-case letters, digits and '_', starting with a letter,
	// at most 30 characters; set it before the first Open.
	SchemaPrefix string

	mu  sync.Mutex // guards dbs
	dbs map[string]*sql.DB
}

// PostgresTenants returns the tenant schemas of the PostgreSQL database dsn
// (a URL or key=value DSN) names.
func PostgresTenants(dsn string) *PostgresDatabases {
	return &PostgresDatabases{dsn: dsn, SchemaPrefix: "tenant_", dbs: map[string]*sql.DB{}}
}

// Schema returns the name of a tenant's schema.
func (p *PostgresDatabases) Schema(tenant string) (string, error) {
	if err := checkTenant("PostgresTenants", tenant); err != nil {
		return "", err
	}
	if len(p.SchemaPrefix) > 30 || (p.SchemaPrefix != "" && !ValidTenantID(p.SchemaPrefix)) {
		return "", fmt.Errorf("gdprkit: PostgresTenants: SchemaPrefix %q is not a safe identifier prefix: %w", p.SchemaPrefix, ErrInvalidConfig)
	}
	return p.SchemaPrefix + tenant, nil
}

// Open implements TenantDatabases: it creates the tenant's schema on first
// use and returns a database whose connections see only that schema.
func (p *PostgresDatabases) Open(ctx context.Context, tenant string) (*sql.DB, error) {
	schema, err := p.Schema(tenant)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if db, ok := p.dbs[tenant]; ok {
		return db, nil
	}
	// schema is a checked identifier: letters, digits and '_' only.
	if err := p.admin(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema); err != nil {
		// Two instances creating the schema at once collide in the
		// catalogue; the loser finds it made.
		if err2 := p.admin(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema); err2 != nil {
			return nil, fmt.Errorf("gdprkit: tenant %s: create schema: %w", tenant, err)
		}
	}
	dsn, err := withSearchPath(p.dsn, schema)
	if err != nil {
		return nil, fmt.Errorf("gdprkit: tenant %s: %w", tenant, err)
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("gdprkit: tenant %s: %w", tenant, err)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("gdprkit: tenant %s: %w", tenant, err)
	}
	p.dbs[tenant] = db
	return db, nil
}

// Drop implements TenantDatabases: DROP SCHEMA … CASCADE.
func (p *PostgresDatabases) Drop(ctx context.Context, tenant string) error {
	schema, err := p.Schema(tenant)
	if err != nil {
		return err
	}
	p.mu.Lock()
	db := p.dbs[tenant]
	delete(p.dbs, tenant)
	p.mu.Unlock()
	if db != nil {
		db.Close()
	}
	if err := p.admin(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE"); err != nil {
		return fmt.Errorf("gdprkit: drop tenant %s: %w", tenant, err)
	}
	return nil
}

// Close closes every tenant database opened.
func (p *PostgresDatabases) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for id, db := range p.dbs {
		errs = append(errs, db.Close())
		delete(p.dbs, id)
	}
	return errors.Join(errs...)
}

func (p *PostgresDatabases) admin(ctx context.Context, stmt string) error {
	db, err := sql.Open("pgx", p.dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, stmt)
	return err
}

// withSearchPath sets the search_path runtime parameter of a DSN.
func withSearchPath(dsn, schema string) (string, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", err
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String(), nil
	}
	return dsn + " search_path=" + schema, nil
}
