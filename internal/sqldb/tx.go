package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
)

// ErrForeignTx is returned by WithTx for a transaction begun on another
// *sql.DB than the one it is bound to.
var ErrForeignTx = errors.New("sqldb: the transaction was not begun on this *sql.DB")

// txKey is the context key of the caller's transaction.
type txKey struct{}

// callerTx is a caller's transaction and the database it was begun on.
type callerTx struct {
	db *sql.DB
	tx *sql.Tx
}

// WithTx returns a context that carries tx, a transaction the caller owns
// on db: every statement a store on db runs with that context joins tx
// (DB.ExecContext, DB.QueryContext, DB.QueryRowContext and InTx), so that
// it commits or rolls back with the caller's own writes. Stores on other
// databases are not affected. It fails with ErrForeignTx when tx can be
// told to belong to another *sql.DB.
func WithTx(ctx context.Context, db *sql.DB, tx *sql.Tx) (context.Context, error) {
	if db == nil || tx == nil {
		return nil, errors.New("sqldb: WithTx needs a *sql.DB and a *sql.Tx")
	}
	if owner, ok := txOwner(tx); ok && owner != db {
		return nil, ErrForeignTx
	}
	return context.WithValue(ctx, txKey{}, callerTx{db, tx}), nil
}

// txOwner returns the *sql.DB tx was begun on, when database/sql lets it be
// told.
func txOwner(tx *sql.Tx) (*sql.DB, bool) {
	f := reflect.ValueOf(tx).Elem().FieldByName("db")
	if !f.IsValid() || f.Type() != reflect.TypeFor[*sql.DB]() {
		return nil, false
	}
	return (*sql.DB)(f.UnsafePointer()), true
}

// WithoutTx returns a context whose statements join no caller's
// transaction: for writes that must commit on their own whatever the
// caller does, such as a key shared by every subject.
func WithoutTx(ctx context.Context) context.Context {
	if ctx.Value(txKey{}) == nil {
		return ctx
	}
	return context.WithValue(ctx, txKey{}, callerTx{})
}

// HasTx reports whether ctx carries a caller's transaction, on any
// database.
func HasTx(ctx context.Context) bool {
	c, _ := ctx.Value(txKey{}).(callerTx)
	return c.tx != nil
}

// TxOf returns the caller's transaction ctx carries for db, or nil.
func TxOf(ctx context.Context, db *sql.DB) *sql.Tx {
	c, _ := ctx.Value(txKey{}).(callerTx)
	if c.tx == nil || c.db != db {
		return nil
	}
	return c.tx
}

// Tx returns the caller's transaction on d that ctx carries, or nil.
func (d *DB) Tx(ctx context.Context) *sql.Tx { return TxOf(ctx, d.DB) }

// ExecContext runs query in the caller's transaction on d when ctx carries
// one (WithTx), on the pool otherwise.
func (d *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if tx := d.Tx(ctx); tx != nil {
		return tx.ExecContext(ctx, query, args...)
	}
	return d.DB.ExecContext(ctx, query, args...)
}

// QueryContext runs query in the caller's transaction on d when ctx
// carries one (WithTx), on the pool otherwise.
func (d *DB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if tx := d.Tx(ctx); tx != nil {
		return tx.QueryContext(ctx, query, args...)
	}
	return d.DB.QueryContext(ctx, query, args...)
}

// QueryRowContext runs query in the caller's transaction on d when ctx
// carries one (WithTx), on the pool otherwise.
func (d *DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if tx := d.Tx(ctx); tx != nil {
		return tx.QueryRowContext(ctx, query, args...)
	}
	return d.DB.QueryRowContext(ctx, query, args...)
}
