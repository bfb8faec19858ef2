package main

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// answerRequests answers an access request with an export, erases the
// customer, and shows that every copy is unreadable and the journal verifies.
func (t *tour) answerRequests() error {
	heading("Answer the data subject: an export, then erasure with a certificate")
	// The kit's desk knows the customers table (kit.go) and the consent
	// history; an erasure withdraws every consent the customer gave.
	desk, shredder, journal := t.kit.Desk(), t.kit.Shredder("shop"), t.kit.Journal()
	access, err := desk.Receive(t.ctx, rights.Request{Right: rights.RightAccess, Subject: "cus_1815", Language: "de"})
	if err != nil {
		return err
	}
	var archive bytes.Buffer
	manifest, err := desk.Export(t.ctx, access.ID, &archive)
	if err != nil {
		return err
	}
	fmt.Printf("   access request received %s, due %s; the ZIP (%d bytes) holds:\n",
		access.ReceivedAt.Format(time.DateOnly), access.Due.Format(time.DateOnly), archive.Len())
	for _, f := range manifest.Files {
		fmt.Printf("     %-28s %5d bytes  sha256 %.16s…\n", f.Path, f.Size, f.SHA256)
	}
	fmt.Printf("     %-28s the request, these hashes, %d purposes with bases, recipients, retention; the rights\n",
		rights.ManifestName, len(manifest.Processing.Purposes))

	// Copies taken before the erasure: a backup of the data file and an
	// event in the outbox.
	backupPath := filepath.Join(t.dir, "app-backup.db")
	if err := t.backup(backupPath); err != nil {
		return err
	}
	var event string
	if err := t.db.QueryRowContext(t.ctx, "SELECT payload FROM events").Scan(&event); err != nil {
		return err
	}

	erasure, err := desk.Receive(t.ctx, rights.Request{Right: rights.RightErasure, Subject: "cus_1815"})
	if err != nil {
		return err
	}
	cert, err := desk.Erase(t.ctx, erasure.ID)
	if err != nil {
		return err
	}
	fmt.Printf("   erased: keys shredded in %v, source %s %s, consents withdrawn %d; certificate for subject token %s\n",
		cert.Shredded(), cert.Sources[0].Name, cert.Sources[0].State, cert.Withdrawn(), cert.SubjectToken)
	st, err := t.kit.Ledger().Status(t.ctx, "cus_1815", "newsletter", time.Time{})
	if err != nil {
		return err
	}
	fmt.Printf("   consent ledger: newsletter %s since the erasure\n", st.State)

	_, err = t.customers.Get(t.ctx, "cus_1815")
	fmt.Printf("   live table:    row gone=%v\n", errors.Is(err, gdprkit.ErrNotFound))
	backupDB, err := sql.Open("sqlite", sqliteDSN(backupPath))
	if err != nil {
		return err
	}
	defer backupDB.Close()
	// The backup's customers table, read with the live keys.
	backup, err := gdprkit.NewTable[Customer](t.ctx, backupDB, gdprkit.TableConfig{Name: "customers", Keys: shredder})
	if err != nil {
		return err
	}
	restored, err := backup.Get(t.ctx, "cus_1815")
	//piicheck:ignore the tour shows the replacement text an erased field reads as
	fmt.Printf("   backup file:   erased=%v, name reads %q, e-mail reads %q\n", errors.Is(err, shred.ErrErased), restored.Name, restored.Email)
	var replayed Customer
	err = shredder.Unmarshal(t.ctx, []byte(event), &replayed)
	//piicheck:ignore the tour shows that an erased field reads empty
	fmt.Printf("   event replay:  erased=%v, e-mail reads %q\n", errors.Is(err, shred.ErrErased), replayed.Email)
	fmt.Printf("   journal verifies: %v, up to the certificate: %v\n",
		journal.Verify(t.ctx) == nil, journal.VerifyHead(t.ctx, cert.Journal) == nil)
	return nil
}

// backup copies the data file, as a nightly backup would.
func (t *tour) backup(path string) error {
	if _, err := t.db.ExecContext(t.ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return err
	}
	src, err := os.Open(filepath.Join(t.dir, "app.db"))
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
