package gdprkit

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/gdprkit/gdprkit/internal/sqldb"
)

// ErrForeignTx is returned by WithTx for a transaction begun on another
// *sql.DB than the one named.
var ErrForeignTx = sqldb.ErrForeignTx

// WithTx returns a context that carries tx, a transaction the caller
// began on db and commits or rolls back: every write the library makes on
// db with that context joins tx. So a signup's row (Table), its consent
// grant (Kit.Ledger), the key created for the new subject, the blind
// indexes and the journal entries commit together with the caller's own
// writes, or none of them does:
//
//	tx, err := db.BeginTx(ctx, nil)
//	...
//	defer tx.Rollback()
//	txctx, err := gdprkit.WithTx(ctx, db, tx)
//	...
//	err = customers.Insert(txctx, &c)
//	_, err = kit.Ledger().Grant(txctx, act)
//	err = tx.Commit()
//
// Reads with the context see the transaction's writes. Stores on another
// database do not join: with Config.KeyDB, a key created for a new subject
// is committed in the key database at once, so a rolled-back signup leaves
// a key under which nothing is sealed (an erasure of the subject shreds it
// like any other). Entries of the audit journal are chained: the journal's
// head stays locked until tx ends, so keep such transactions short. The
// library retries its own transactions after a serialisation failure or a
// busy database; in the caller's, such a failure is returned for the
// caller to retry the whole transaction. It fails with ErrForeignTx when
// tx was begun on another *sql.DB.
func WithTx(ctx context.Context, db *sql.DB, tx *sql.Tx) (context.Context, error) {
	out, err := sqldb.WithTx(ctx, db, tx)
	if err != nil {
		return nil, fmt.Errorf("gdprkit: WithTx: %w", err)
	}
	return out, nil
}

// WithTx is WithTx on the kit's database: the usual way to make the kit's
// writes and the tables' join a transaction of the caller.
func (k *Kit) WithTx(ctx context.Context, tx *sql.Tx) (context.Context, error) {
	return WithTx(ctx, k.db, tx)
}
