package sqlsink

import (
	"context"
	"database/sql"

	"github.com/gdprkit/gdprkit/pii/shred"
)

type Customer struct {
	ID    string `pii:"subject"`
	Email string `pii:"email"`
	IP    string `pii:"ip,plain"`
	Plan  string
}

func writes(ctx context.Context, db *sql.DB, tx *sql.Tx, conn *sql.Conn, st *sql.Stmt, c Customer) {
	db.Exec("INSERT INTO c VALUES (?, ?)", c.ID, c.Email)                 // want `sql.DB.Exec: c.Email writes personal field Customer.Email \(user.contact.email\) unsealed`
	tx.ExecContext(ctx, "UPDATE c SET email = ?", c.Email)                // want `sql.Tx.ExecContext: c.Email writes personal field`
	conn.QueryRowContext(ctx, "SELECT 1 FROM c WHERE email = ?", c.Email) // want `sql.Conn.QueryRowContext: c.Email writes personal field`
	st.Query(c.Email)                                                     // want `sql.Stmt.Query: c.Email writes personal field`
	email := c.Email
	db.QueryContext(ctx, "SELECT 1 FROM c WHERE email = ?", email) // want `sql.DB.QueryContext: email writes personal field Customer.Email`
	db.QueryRow("SELECT 1 FROM c WHERE email = ?", c.Email)        //piicheck:ignore the column holds a blind index computed from this value upstream

	// Not reported: plain fields, subject IDs, ordinary fields.
	db.Exec("INSERT INTO c VALUES (?, ?, ?)", c.ID, c.IP, c.Plan)
}

func sealedFirst(ctx context.Context, db *sql.DB, s *shred.Shredder, c Customer) error {
	if err := s.Seal(ctx, &c); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, "INSERT INTO c VALUES (?, ?)", c.ID, c.Email)
	return err
}
