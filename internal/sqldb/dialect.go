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

// typeNames maps the placeholders of Expand to each dialect's type.
var typeNames = map[string][2]string{ // SQLite, Postgres
	"{{int64}}": {"INTEGER", "BIGINT"},
	"{{int16}}": {"INTEGER", "SMALLINT"},
	"{{blob}}":  {"BLOB", "BYTEA"},
}

// Expand returns stmt with its type placeholders replaced by d's column
// types, so that a table is declared once for both dialects:
//
//	{{int64}}  INTEGER in SQLite, BIGINT in PostgreSQL
//	{{int16}}  INTEGER in SQLite, SMALLINT in PostgreSQL
//	{{blob}}   BLOB in SQLite, BYTEA in PostgreSQL
//
// Any other "{{" is an error, as is the Unknown dialect.
func (d Dialect) Expand(stmt string) (string, error) {
	var col int
	switch d {
	case SQLite:
		col = 0
	case Postgres:
		col = 1
	default:
		return "", fmt.Errorf("sqldb: expand for dialect %s", d)
	}
	var b strings.Builder
	for {
		i := strings.Index(stmt, "{{")
		if i < 0 {
			b.WriteString(stmt)
			return b.String(), nil
		}
		j := strings.Index(stmt[i:], "}}")
		if j < 0 {
			return "", fmt.Errorf("sqldb: unclosed placeholder in %q", stmt)
		}
		name := stmt[i : i+j+2]
		types, ok := typeNames[name]
		if !ok {
			return "", fmt.Errorf("sqldb: unknown placeholder %s", name)
		}
		b.WriteString(stmt[:i])
		b.WriteString(types[col])
		stmt = stmt[i+j+2:]
	}
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
