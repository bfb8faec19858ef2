package shred_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// TestErasureCoversEveryCopy stores many sealed records of a few subjects
// in SQLite, erases one subject, and reads every record back: all of the
// erased subject's records report erasure, all others open. 1,000 records;
// a million with GDPRKIT_LONG=1.
func TestErasureCoversEveryCopy(t *testing.T) {
	records := 1000
	if os.Getenv("GDPRKIT_LONG") == "1" {
		records = 1_000_000
	}
	ctx := context.Background()
	db, _ := dbtest.SQLite(t)
	s := newShredder(t, sqlStore(t, db))
	_, err := db.ExecContext(ctx, `CREATE TABLE contacts (n INTEGER PRIMARY KEY, id TEXT, name TEXT, email TEXT)`)
	require.NoError(t, err)

	// Seal a batch, then write it in a transaction. (On SQLite, sealing for
	// a new subject inside a write transaction on the key store's database
	// would wait for itself: SQLite has one writer.)
	const batch = 10000
	for start := 0; start < records; start += batch {
		var sealed []Contact
		for n := start; n < min(start+batch, records); n++ {
			c := Contact{ID: fmt.Sprint("s-", n%4), Name: fmt.Sprint("Name ", n), Email: fmt.Sprint("n", n, "@example.org")}
			require.NoError(t, s.Seal(ctx, &c))
			sealed = append(sealed, c)
		}
		tx, err := db.BeginTx(ctx, nil)
		require.NoError(t, err)
		insert, err := tx.PrepareContext(ctx, `INSERT INTO contacts (n, id, name, email) VALUES (?, ?, ?, ?)`)
		require.NoError(t, err)
		for i, c := range sealed {
			_, err := insert.ExecContext(ctx, start+i, c.ID, c.Name, c.Email) //piicheck:ignore sealed above, before the transaction
			require.NoError(t, err)
		}
		require.NoError(t, insert.Close())
		require.NoError(t, tx.Commit())
	}

	require.NoError(t, s.Erase(ctx, "s-1"))

	rows, err := db.QueryContext(ctx, `SELECT n, id, name, email FROM contacts ORDER BY n`)
	require.NoError(t, err)
	defer rows.Close()
	erased, opened := 0, 0
	for rows.Next() {
		var n int
		var c Contact
		require.NoError(t, rows.Scan(&n, &c.ID, &c.Name, &c.Email))
		err := s.Open(ctx, &c)
		if c.ID == "s-1" {
			require.ErrorIs(t, err, shred.ErrErased)
			require.Empty(t, c.Email)
			erased++
			continue
		}
		require.NoError(t, err)
		require.Equal(t, fmt.Sprint("n", n, "@example.org"), c.Email)
		opened++
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, records/4, erased)
	assert.Equal(t, records-records/4, opened)
}
