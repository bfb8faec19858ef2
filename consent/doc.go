// Package consent keeps the evidence that a data subject consented, and
// answers whether consent holds: an append-only ledger of grants,
// withdrawals and expiries per subject and purpose, each with the notice
// version and language the subject was shown, the method, the source and
// the proof (Art. 7(1) GDPR: the controller must be able to demonstrate
// consent).
//
// # Recording and asking
//
//	ledger, err := consent.New(consent.LedgerConfig{Store: store, Sealer: shredder, Validity: 365 * 24 * time.Hour})
//	_, err = ledger.Grant(ctx, consent.Act{
//		Subject:  "user-42",
//		Purposes: []string{"newsletter"},
//		Notice:   "2025-03",
//		Language: language.German,
//		Method:   consent.MethodCheckbox,
//		Source:   "web/signup",
//		Proof:    consent.Proof{IP: ip, UserAgent: ua},
//	})
//	st, err := ledger.Status(ctx, "user-42", "newsletter", time.Now())
//	if st.Given() { … }
//
// A withdrawal needs only the subject and the purposes, and holds from the
// moment Withdraw returns, for every Ledger on the same store, when asked
// about now (Art. 7(3): as easy to withdraw as to give). WithdrawAll
// withdraws every purpose whose last event, in sequence order, is not
// already a withdrawal.
//
// # Status at any instant
//
// Status answers for any instant, past or future, from the history alone.
// A subject's events are numbered 1, 2, 3, … by the store (Event.Seq), under
// a unique key, in one transaction; the same transaction stamps no event
// earlier than the subject's previous one, so times never decrease along
// the sequence, even when instances' clocks disagree (an event from a slow
// clock takes the time of the event before it).
//
// Asked about now (a zero instant), Status is decided by the last event in
// sequence order, whatever its time: once Withdraw returns, every Ledger
// answers Withdrawn, even one whose clock runs behind the instance that
// withdrew. Asked about an explicit instant t, Status is decided by the
// last event stamped not after t, which, as times follow the sequence, is
// the same on every instance and never changes once every clock has passed
// t; an event stamped by a clock running ahead counts only from its
// stamp, so an explicit "now" taken from a slower clock may not yet see it.
//
// A grant holds (Granted) until the next withdrawal (Withdrawn) or expiry
// event, until its validity ends (Expired: LedgerConfig.Validity,
// LedgerConfig.PurposeValidity or Act.Expires), or until a notice version
// published as a material change takes effect (Outdated), whichever comes
// first. Publish registers notice versions, idempotently, so a service may
// publish its notices at every start-up; once a purpose has them, a grant
// must name one (ErrUnknownNotice) that no material change has superseded
// by the time of the grant (ErrSupersededNotice).
//
// # Campaigns: many subjects at once
//
// StatusEach answers Status for now for a list of subjects with one read
// of the store, and Granted streams, in batches with one query each, every
// subject whose consent to a purpose holds now: what a campaign sends to.
// Both decide by the last event in sequence order, by the same rule as
// Status, and hold one batch in memory at a time. The stores answer them
// through BatchStore (LastEach, LastGrants), which MemoryStore and SQLStore
// implement; on SQL an index on (purpose, subject, seq, …) lets LastGrants
// walk one purpose's subjects in order.
//
// # Proof and erasure
//
// Proof holds the personal details of an act (IP address, user agent, the
// raw artefact such as a TC string), tagged with pii tags. Logged through
// log/slog or printed with fmt, events and proofs show them redacted. With
// a Sealer (the pii/shred Shredder), the ledger seals them under the
// subject's key before storing and opens them when History reads them;
// once the key is erased, History still returns every event, with the
// proof's personal details zeroed and Proof.Erased set: the content-free
// fact that consent was given or withdrawn survives erasure.
//
// Precisely, what remains of a subject after its key is erased is, for each
// event: the subject ID as given to the ledger (Event.Subject; in SQL, the
// subject column, which keys the rows so that Status can be answered), the
// purpose, kind, sequence number and times, the notice version, language,
// method and source. With a Sealer, the proof's IP address, user agent and
// artefact remain only as ciphertext no key opens; without one they remain
// as given, which is why production ledgers need a Sealer. These records are
// the evidence that the controller must be able to demonstrate consent
// (Art. 7(1)) and that a withdrawal must be honoured, kept as long as needed to
// comply with that obligation and for legal claims, which erasure does not
// override (Art. 17(3)(b) and (e)). Source and the subject ID are written as
// given: use pseudonymous subject IDs (an account number or a random ID,
// never an e-mail address, phone number or name) and sources that name a
// channel, not a person, so that what remains identifies nobody once the
// records linking the ID to the person are erased.
//
// SQLStore sends the subject ID to the database only as a statement
// parameter, and issues no statement that the server refuses in normal
// operation (a lost race for a sequence number is detected from the rows
// inserted, not from a key violation), so the ID does not reach the
// server's error log; a server configured to log statements with their
// parameters (PostgreSQL's log_statement, log_min_duration_statement) logs
// it, as it logs every parameter.
//
// # Stores
//
// LedgerConfig.Store is required: New refuses a missing store
// (ErrInvalidConfig) rather than keep consent in memory unasked.
// MemoryStore (NewMemoryStore) serves tests and single-process tools; SQLStore keeps the
// ledger in SQLite or PostgreSQL through database/sql, for any number of
// instances. Both are append-only: no event or notice is ever updated or
// deleted, and in SQL, triggers make the database refuse it. Package
// consenttest is the conformance suite every Store passes.
//
// # Children
//
// AgeOfConsent gives the Art. 8 age of digital consent of each EU and EEA
// state and the United Kingdom; below it, a parent must give or authorise
// consent to an information society service offered directly to a child.
// A grant carries what is known of the subject's age (Act.Age): the
// country, an age band (from a birth month or an age check) and whether a
// holder of parental responsibility consented, with who that is in
// Proof.ParentalResponsibility (Art. 8(2)). The ledger stores the country,
// the band and the marker with the event, never the birth month, and
// Status returns them, so that the gdpr Guard can refuse a child's consent
// below the age of the child's country.
//
// # What the ledger stamps
//
// Events are stamped by the Ledger's clock (LedgerConfig.Now); callers
// cannot back-date them. Times are kept to the microsecond, as in every
// gdprkit table: the Ledger drops a finer part of its clock, of a requested
// expiry and of a notice's Effective time, so memory and SQL stores agree. A grant's end is stored with it (Event.Expires), so
// a later change of LedgerConfig.Validity does not rewrite history. A
// withdrawal is never refused because its proof cannot be sealed (see
// Ledger.Withdraw).
package consent
