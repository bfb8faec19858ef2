// Package sqldb is the shared plumbing of the module's database/sql stores:
// the SQL dialects (SQLite and PostgreSQL), placeholder rebinding, versioned
// migrations, and the classification of driver errors, without importing a
// driver.
package sqldb
