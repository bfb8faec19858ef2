// Package schema holds the tables of package gdpr and its subpackages,
// migrated as one component so that databases created before the
// subpackages existed keep their bookkeeping.
package schema

import (
	"context"
	"database/sql"

	"github.com/gdprkit/gdprkit/internal/sqldb"
)

// Component names the tables' entry in the migrations table.
const Component = "gdpr"

// Migrations creates the objections, restrictions and breaches tables
// (version 1); the requests table (version 2): the request as a JSON
// document, with its state, subject token and deadline in columns of their
// own for the listings; and the disclosures to recipients and the outbox
// of the notices owed them under Art. 19 (version 3). Every store of the
// gdpr packages runs all of them.
var Migrations = []sqldb.Migration{{
	Version: 1,
	SQL: []string{
		`CREATE TABLE gdprkit_objections (
			subject TEXT NOT NULL,
			purpose TEXT NOT NULL,
			at_us {{int64}} NOT NULL,
			PRIMARY KEY (subject, purpose)
		)`,
		`CREATE TABLE gdprkit_restrictions (
			subject TEXT PRIMARY KEY,
			ground {{int16}} NOT NULL,
			at_us {{int64}} NOT NULL
		)`,
		`CREATE TABLE gdprkit_breaches (id TEXT PRIMARY KEY, doc TEXT NOT NULL)`,
	},
}, {
	Version: 2,
	SQL: []string{
		`CREATE TABLE gdprkit_requests (
			id TEXT PRIMARY KEY,
			state TEXT NOT NULL,
			subject_token TEXT NOT NULL,
			due_us {{int64}},
			doc TEXT NOT NULL
		)`,
		`CREATE INDEX gdprkit_requests_state ON gdprkit_requests (state, due_us)`,
		`CREATE INDEX gdprkit_requests_subject ON gdprkit_requests (subject_token)`,
	},
}, {
	Version: 3,
	SQL: []string{
		`CREATE TABLE gdprkit_disclosures (
			subject_token TEXT NOT NULL,
			recipient TEXT NOT NULL,
			purpose TEXT NOT NULL,
			categories TEXT NOT NULL,
			at_us {{int64}} NOT NULL
		)`,
		`CREATE INDEX gdprkit_disclosures_subject ON gdprkit_disclosures (subject_token, at_us)`,
		`CREATE TABLE gdprkit_notices (
			id TEXT PRIMARY KEY,
			request_id TEXT NOT NULL,
			subject TEXT NOT NULL,
			attempts {{int64}} NOT NULL,
			next_us {{int64}} NOT NULL,
			delivered_us {{int64}},
			lease_owner TEXT,
			lease_until_us {{int64}},
			last_error TEXT NOT NULL,
			doc TEXT NOT NULL
		)`,
		`CREATE INDEX gdprkit_notices_due ON gdprkit_notices (delivered_us, next_us)`,
	},
}}

// Open wraps db and brings the tables up to date.
func Open(ctx context.Context, db *sql.DB) (*sqldb.DB, error) {
	sdb, err := sqldb.Open(db)
	if err != nil {
		return nil, err
	}
	if err := sqldb.Migrate(ctx, sdb, Component, Migrations); err != nil {
		return nil, err
	}
	return sdb, nil
}
