// Package gdprkit makes a Go service handle personal data the way the GDPR
// asks, by construction. [Open] wires the whole library on one *sql.DB
// (SQLite or PostgreSQL) from a [Config] that fits on one screen, and
// returns a [Kit]:
//
//	kit, err := gdprkit.Open(ctx, db, gdprkit.Config{
//		KEK: kek, Controller: controller, Purposes: purposes,
//		Notices: notices, Sources: sources, Verifier: verifier,
//	})
//
// What the Kit guarantees:
//
//   - Every store is created and migrated by Open, on SQLite or PostgreSQL,
//     and any number of Kits on one database behave as one.
//   - Keys are persistent: the journal's subject tokens come from a key
//     created once in the key store ([NamespaceJournal]), wrapped by the KEK
//     and loaded by every instance, so tokens survive restarts.
//   - One erasure path: a data subject's request, an operator's
//     [Kit.Erase] and a retention sweep ([Kit.Sweep], whose eraser is
//     Kit.Erase) all run rights.Desk.Erase: consents withdrawn, keys
//     shredded in every namespace, every source erased, Art. 17(3)
//     exceptions and legal holds honoured, one certificate. A subject is
//     erased once; a later sweep does not erase it again, but for what a
//     legal hold kept, which it erases once the hold is released.
//   - One journal: Guard decisions, consent changes made through
//     [Kit.Grant] and [Kit.Withdraw], requests and erasures, legal holds,
//     sweeps and breaches all go to [Kit.Journal].
//   - Declared once: each purpose's Retention becomes a retention rule
//     ([PurposeRules]); notices are published at every Open, idempotently.
//   - Access exports carry the consent history ([SourceConsentHistory]).
//   - Tables sealed by construction: a [Table] of a tagged struct seals
//     personal fields on every write, opens them on every read, keeps blind
//     indexes in step, and is a request source by itself ([NewTable]).
//   - The caller's transaction: with the context of [Kit.WithTx] (or
//     [WithTx]), every write the library makes — table rows, consent
//     events, the key of a new subject, journal entries — joins the
//     caller's *sql.Tx.
//
// A service that processes personal data for many controllers (Art. 28)
// opens a [Processor] instead ([OpenProcessor]) and a Kit per controller
// with [Processor.Tenant]: each tenant's data lives in a database of its
// own ([SQLiteTenants], [PostgresTenants]) under a key-encryption key of
// its own, so that [Processor.EraseTenant] makes all of it unreadable by
// destroying one key.
//
// The accessors ([Kit.Guard], [Kit.Ledger], [Kit.Desk], [Kit.Shredder],
// [Kit.Holds], [Kit.Sweeper], [Kit.Breaches], [Kit.Register], …) hand out
// the parts for everything else. The parts are the packages:
//
//   - pii: struct tags mark personal fields with their GDPR data category;
//     values are redacted in log/slog, fmt and JSON, pseudonymised with keyed
//     tokens, and minimised to what a purpose needs.
//   - pii/detect: finds e-mail addresses, phone numbers, IP and MAC
//     addresses, payment cards and IBANs in free text, and redacts them.
//   - pii/shred: crypto-shredding. Personal fields are sealed under a Tink key
//     of their data subject; erasing the subject destroys the key and every
//     copy of the data becomes unreadable.
//   - pii/piitest: assertions for tests (no personal value in a log buffer, a
//     value is sealed, personal-looking fields are tagged).
//   - pii/piicheck: a go vet analyzer that reports personal values reaching
//     logs or errors unredacted, and personal-looking fields without a tag.
//   - consent: a provable, append-only consent ledger; consent/tcf decodes
//     IAB TCF v2.2 and v2.3 consent strings.
//   - gdpr: lawful bases, the purpose register (Art. 30 record), and the
//     Guard that checks a lawful basis before processing, with objections
//     and restrictions.
//   - gdpr/audit: the append-only, hash-chained, content-free audit journal.
//   - gdpr/rights: data-subject requests with their deadlines, portable
//     exports and erasure across data sources.
//   - gdpr/breach: the breach log and its notification clock.
//   - retention: retention rules, legal holds, and a sweeper that erases
//     what has expired.
//
// Stores take a *sql.DB: SQLite (modernc.org/sqlite) is the embedded
// default, PostgreSQL the choice for many instances. The library imports no
// database driver; the service does. Run `go run ./examples/quickstart` for
// the whole tour.
package gdprkit
