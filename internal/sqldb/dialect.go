package sqldb

import (
	"database/sql"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Dialect is a SQL dialect the stores speak.
type Dialect uint8

const (
	// Unknown means the dialect could not be told from the driver.
	Unknown Dialect = iota
	// SQLite is SQLite 3 (modernc.org/sqlite or another driver).
	SQLite
	// Postgres is PostgreSQL and the databases compatible with its protocol.
	Postgres
)

// String names the dialect.
func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case Postgres:
		return "postgres"
	}
	return "unknown"
}

// Detect tells the dialect from the type of db's driver.
func Detect(db *sql.DB) (Dialect, error) {
	t := reflect.TypeOf(db.Driver())
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	name := strings.ToLower(t.PkgPath() + "." + t.Name())
	switch {
	case strings.Contains(name, "sqlite"):
		return SQLite, nil
	case strings.Contains(name, "pgx"), strings.Contains(name, "pq."), strings.Contains(name, "postgres"):
		return Postgres, nil
	}
	return Unknown, fmt.Errorf("sqldb: cannot tell the SQL dialect of driver %s; use SQLite or PostgreSQL", name)
}

// Rebind rewrites the '?' placeholders of query for the dialect: PostgreSQL
// wants $1, $2, … Question marks inside single-quoted literals are kept.
func (d Dialect) Rebind(query string) string {
	if d != Postgres || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n, quoted := 0, false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Blob returns the column type for binary data.
func (d Dialect) Blob() string {
	if d == Postgres {
		return "BYTEA"
	}
	return "BLOB"
}

// DB is a *sql.DB with its dialect, and queries written with '?' placeholders.
type DB struct {
	*sql.DB
	Dialect Dialect
}

// Open wraps db, telling its dialect from the driver.
func Open(db *sql.DB) (*DB, error) {
	if db == nil {
		return nil, fmt.Errorf("sqldb: nil *sql.DB")
	}
	d, err := Detect(db)
	if err != nil {
		return nil, err
	}
	return &DB{DB: db, Dialect: d}, nil
}
