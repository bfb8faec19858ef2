// Package gdprkit is the tour of a library that makes a Go service handle
// personal data the way the GDPR asks, by construction. It holds no code;
// the work is done by its packages:
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
// default, PostgreSQL the choice for many instances. Run
// `go run ./examples/quickstart` for the whole tour.
package gdprkit
