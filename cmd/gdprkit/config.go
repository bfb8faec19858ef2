package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/tink-crypto/tink-go/v2/tink"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/retention"
)

type tinkAEAD = tink.AEAD

// fileConfig is the --config file: what the service declares in Go that the
// command needs, and the tables it reaches.
type fileConfig struct {
	Controller gdpr.Party     `json:"controller"`
	Purposes   []gdpr.Purpose `json:"purposes"`
	Namespaces []string       `json:"namespaces"`
	Tables     []tableConfig  `json:"tables"`
}

// tableConfig names a table of the service that holds data subjects, one
// or more rows each.
type tableConfig struct {
	// Name names the source in exports, certificates and sweeps; Table
	// when empty.
	Name        string `json:"name"`
	Table       string `json:"table"`
	Description string `json:"description"`
	// SubjectColumn holds the subject's ID, as text.
	SubjectColumn string `json:"subject_column"`
	// LastActiveColumn holds the subject's last activity (a timestamp,
	// Unix seconds or RFC 3339 text); with it the sweep lists the table's
	// subjects.
	LastActiveColumn string         `json:"last_active_column"`
	Purposes         []string       `json:"purposes"`
	Categories       []pii.Category `json:"categories"`
	// Namespace is the crypto-shredding namespace the table's sealed
	// values are sealed in; they are exported as stored.
	Namespace string `json:"namespace"`
}

// readConfig reads and checks a --config file.
func readConfig(path string) (*fileConfig, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, failf(exitConfig, "--config: %s", statError(err))
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var c fileConfig
	if err := dec.Decode(&c); err != nil {
		return nil, failf(exitConfig, "--config: %s", err)
	}
	if c.Controller.Name == "" {
		return nil, failf(exitConfig, "--config: no controller name")
	}
	seen := map[string]bool{}
	for i := range c.Tables {
		t := &c.Tables[i]
		if t.Name == "" {
			t.Name = t.Table
		}
		for _, id := range []string{t.Table, t.SubjectColumn} {
			if !identifier.MatchString(id) {
				return nil, failf(exitConfig, "--config: table %d: %q is not a plain SQL name (table and subject_column are required)", i+1, id)
			}
		}
		if t.LastActiveColumn != "" && !identifier.MatchString(t.LastActiveColumn) {
			return nil, failf(exitConfig, "--config: table %s: last_active_column %q is not a plain SQL name", t.Name, t.LastActiveColumn)
		}
		if seen[t.Name] {
			return nil, failf(exitConfig, "--config: table name %q is used twice", t.Name)
		}
		seen[t.Name] = true
	}
	return &c, nil
}

// identifier matches the SQL names a --config file may use: a name, or a
// schema and a name.
var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$`)

// apply puts the file's declarations into the kit's Config and makes the
// tables, in db, sources; it returns the tables.
func (c *fileConfig) apply(cfg *gdprkit.Config, db *sql.DB, pg bool) []*table {
	cfg.Controller, cfg.Purposes, cfg.Namespaces = c.Controller, c.Purposes, c.Namespaces
	var tables []*table
	for _, tc := range c.Tables {
		t := &table{cfg: tc, db: db, pg: pg}
		tables = append(tables, t)
		cfg.Sources = append(cfg.Sources, t)
		if tc.LastActiveColumn != "" {
			if cfg.Subjects == nil {
				cfg.Subjects = map[string]retention.SubjectSource{}
			}
			cfg.Subjects[tc.Name] = t
		}
	}
	return tables
}

// table is a table of the service as a source of personal data (exported
// row by row, erased by deleting the subject's rows) and, with a
// last_active_column, as a source of subjects for the sweep.
type table struct {
	cfg tableConfig
	db  *sql.DB
	pg  bool
	// read counts the subjects listed, for the sweep's progress.
	onRead func(n int)
}

// param returns the n-th (1-based) query placeholder.
func (t *table) param(n int) string {
	if t.pg {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}

// Describe says what the table is.
func (t *table) Describe() rights.SourceInfo {
	d := t.cfg.Description
	if d == "" {
		d = "the records of table " + t.cfg.Table
	}
	return rights.SourceInfo{Name: t.cfg.Name, Description: d, Purposes: t.cfg.Purposes, Namespace: t.cfg.Namespace}
}

// tableRecord is one row of a table in an access export: every column as
// text, sealed values as stored.
type tableRecord struct {
	Subject string            `json:"subject" pii:"subject"`
	Table   string            `json:"table"`
	Columns map[string]string `json:"columns"`
}

// Export emits each of the subject's rows.
func (t *table) Export(ctx context.Context, subject string, emit func(any) error) error {
	rows, err := t.db.QueryContext(ctx, fmt.Sprintf("SELECT * FROM %s WHERE %s = %s", t.cfg.Table, t.cfg.SubjectColumn, t.param(1)), subject)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		rec := &tableRecord{Subject: subject, Table: t.cfg.Table, Columns: make(map[string]string, len(cols))}
		for i, c := range cols {
			rec.Columns[c] = text(vals[i])
		}
		if err := emit(rec); err != nil {
			return err
		}
	}
	return rows.Err()
}

// text writes a column value as text.
func text(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case []byte:
		return string(v)
	case time.Time:
		return v.UTC().Format(time.RFC3339Nano)
	default:
		return fmt.Sprint(v)
	}
}

// Erase deletes the subject's rows.
func (t *table) Erase(ctx context.Context, subject string) error {
	_, err := t.db.ExecContext(ctx, fmt.Sprintf("DELETE FROM %s WHERE %s = %s", t.cfg.Table, t.cfg.SubjectColumn, t.param(1)), subject)
	return err
}

// Subjects lists the table's subjects in the order of their IDs, each once,
// with their latest activity.
func (t *table) Subjects(ctx context.Context, after retention.Cursor, limit int) ([]retention.Subject, retention.Cursor, error) {
	q := fmt.Sprintf("SELECT %[1]s, MAX(%[2]s) FROM %[3]s WHERE %[1]s > %[4]s GROUP BY %[1]s ORDER BY %[1]s LIMIT %[5]d",
		t.cfg.SubjectColumn, t.cfg.LastActiveColumn, t.cfg.Table, t.param(1), limit)
	rows, err := t.db.QueryContext(ctx, q, string(after))
	if err != nil {
		return nil, "", err
	}
	defer rows.Close()
	var out []retention.Subject
	for rows.Next() {
		var id string
		var last any
		if err := rows.Scan(&id, &last); err != nil {
			return nil, "", err
		}
		at, err := lastActive(last)
		if err != nil {
			return nil, "", fmt.Errorf("table %s: %s: %w", t.cfg.Name, t.cfg.LastActiveColumn, err)
		}
		out = append(out, retention.Subject{ID: id, LastActive: at, Categories: t.cfg.Categories, Purposes: t.cfg.Purposes})
	}
	if err := rows.Err(); err != nil {
		return nil, "", err
	}
	if t.onRead != nil {
		t.onRead(len(out))
	}
	if len(out) < limit {
		return out, "", nil
	}
	return out, retention.Cursor(out[len(out)-1].ID), nil
}

// count returns the number of the table's subjects.
func (t *table) count(ctx context.Context) (int, error) {
	rows, err := t.db.QueryContext(ctx, fmt.Sprintf("SELECT COUNT(DISTINCT %s) FROM %s", t.cfg.SubjectColumn, t.cfg.Table))
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	if rows.Next() {
		err = rows.Scan(&n)
	}
	if err == nil {
		err = rows.Err()
	}
	return n, err
}

// lastActive reads a last-activity value: a timestamp, Unix seconds, or
// RFC 3339 (or "2006-01-02 15:04:05") text; nothing is zero, which keeps
// the subject.
func lastActive(v any) (time.Time, error) {
	switch v := v.(type) {
	case nil:
		return time.Time{}, nil
	case time.Time:
		return v, nil
	case int64:
		return time.Unix(v, 0).UTC(), nil
	case []byte:
		return lastActive(string(v))
	case string:
		s := strings.TrimSpace(v)
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05.999999999Z07:00", "2006-01-02 15:04:05", "2006-01-02"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t, nil
			}
		}
		return time.Time{}, fmt.Errorf("not a time")
	}
	return time.Time{}, fmt.Errorf("not a time (%T)", v)
}
