package sqldb

import (
	"errors"
	"strings"
)

// sqlState is satisfied by PostgreSQL driver errors (pgconn.PgError).
type sqlState interface{ SQLState() string }

// sqliteCode is satisfied by modernc.org/sqlite errors.
type sqliteCode interface{ Code() int }

// Unique reports whether err is a violation of a unique or primary-key
// constraint.
func Unique(err error) bool {
	if err == nil {
		return false
	}
	var pg sqlState
	if errors.As(err, &pg) {
		return pg.SQLState() == "23505"
	}
	var lite sqliteCode
	if errors.As(err, &lite) {
		c := lite.Code()
		return c == 2067 || c == 1555 // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// Retryable reports whether err is a transient conflict worth retrying: a
// serialisation failure or deadlock on PostgreSQL, a busy or locked database
// on SQLite.
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	var pg sqlState
	if errors.As(err, &pg) {
		s := pg.SQLState()
		return s == "40001" || s == "40P01"
	}
	var lite sqliteCode
	if errors.As(err, &lite) {
		c := lite.Code() & 0xff
		return c == 5 || c == 6 // SQLITE_BUSY, SQLITE_LOCKED
	}
	return false
}
