// Package gdpr makes a service ask before it processes personal data, and
// keep an answer it can prove later.
//
// # Purposes and the register
//
// A [Purpose] declares why data is processed: its lawful basis ([Basis],
// Art. 6(1)(a)–(f)), the Art. 9(2) [Condition] when it touches special
// categories, the [pii.Category] values it may touch, its retention as an
// ISO 8601 period ([ParsePeriod]), its recipients with country and transfer
// safeguard ([Recipient], [Safeguard]), and whether it is direct marketing,
// automated decision-making (Art. 22), about children (Art. 8), storage or
// legal claims (Art. 18(2)). [NewRegister] and [Register.Add] refuse a
// declaration that is incomplete or inconsistent and say why, field by
// field ([PurposeError]): special categories without an Art. 9 condition,
// a transfer outside the EEA without a safeguard or with an adequacy
// decision the country does not have ([Adequate]), legitimate interests
// without a balancing test, direct marketing on a basis other than consent
// or legitimate interests, consent from children without an age rule, and
// more (see [Purpose.Check]).
//
// [Register.Record] writes the record of processing activities of Art.
// 30(1), exported with [Record.WriteJSON] and [Record.WriteCSV].
//
// # The Guard
//
// [Guard.Allow] decides, before processing, whether a lawful basis holds for
// a subject and a purpose at this instant, and returns a [Decision] with the
// basis and the [Reason]. A denial is a [*DenialError] matching
// [ErrNoLawfulBasis] and a specific sentinel ([ErrUnknownPurpose],
// [ErrRestricted], [ErrObjected], [ErrNoConsent], [ErrNoContract]); any other
// error means the Guard could not decide, and processing must not go ahead
// either. The checks, in order:
//
//   - the purpose is registered;
//   - processing of the subject's data is not restricted (Art. 18), unless
//     the purpose is storage or legal claims;
//   - the subject has not objected (Art. 21) to the purpose when it rests
//     on public task or legitimate interests, nor to direct marketing —
//     that purpose or [AllDirectMarketing] — which is absolute;
//   - consent holds, read from the consent ledger ([ConsentReader]), when
//     the purpose rests on consent or on explicit consent (Art. 9(2)(a));
//   - the caller's [ContractFunc] confirms a contract when the purpose
//     rests on one. Legal obligation, vital interests and public task hold
//     as declared.
//
// Nothing is cached: a withdrawal, objection ([Guard.Object]) or restriction
// ([Guard.Restrict]) takes effect on the next call, on every instance that
// shares the stores. An allowed call does not allocate. [Minimize] and
// [AllowValue] hand the purpose only the fields within its categories.
//
// # The audit journal
//
// [Journal] is append-only, hash-chained and content-free. Each [Entry]
// holds an event kind, a purpose, an outcome, reason codes, a time, an actor
// and a reference; the subject appears only as a keyed token
// ([pii.Tokenizer]), and every other field must be a code (no spaces, '@' or
// '+'), so a personal value cannot slip in. Each entry's hash is SHA-256 over
// the previous hash and the entry's canonical encoding; [Journal.Verify]
// names the first entry changed, removed or out of place ([ChainError]).
// Keep a [Head] outside the database and check against it with
// [Journal.VerifyHead] to detect a rewrite of the whole tail. The Guard
// journals its denials (allowed decisions too with
// [GuardConfig].JournalAllowed), objections and restrictions; the breach
// register its reports and notifications; Rights every step of a request;
// other packages record their own kinds ("consent.granted").
//
// # The breach register
//
// [BreachRegister] documents breaches (Art. 33(5)) with what a notification
// must say (Art. 33(3)), starts the notification clock at awareness (72
// hours by default, [BreachConfig].Deadline), tells whether the authority
// and the subjects must be notified ([Breach.NotifyAuthority],
// [Breach.NotifySubjects]), refuses a late notification without reasons for
// the delay, and lists the overdue ones ([BreachRegister.Overdue]).
//
// # Data-subject requests
//
// [Rights] answers requests under Arts. 15–22 ([Right]) across the
// application's data sources. [Rights.Receive] records a [Request] and asks
// the caller's [Verifier] whether the requester is the data subject (Art.
// 12(6)). The time limit ([Deadline]) is one calendar month counted as
// Regulation 1182/71 counts months (31 January gives 28 or 29 February),
// ending with the day in the controller's time zone, optionally moved past
// weekends and holidays; [Rights.Extend] adds up to two further months,
// with reasons, within the first month. [Rights.Open] and
// [Rights.Overdue] list what is pending.
//
// When identity moves the clock: a request verified on receipt is due one
// month after receipt. A request whose requester cannot be identified yet
// waits, with no time limit running, until the information asked for
// arrives and [Rights.Verify] succeeds; the month runs from then (the UK
// ICO's reading of Art. 12(3) with 12(6)). So ask for identity only when
// there is reasonable doubt, and verify as soon as it arrives: Verify takes
// the call as the arrival; [Rights.VerifyAt] takes the instant it arrived,
// for information checked later.
//
// A [Source] is a place that holds personal data: it describes itself
// ([SourceInfo]: name, where the data came from, the purposes it serves,
// the crypto-shredding [Namespace] that seals it), exports a subject's
// pii-tagged records one by one, and erases them; it may also rectify
// ([Rectifier]), restrict ([Restricter]), act on objections ([Objector])
// and claim an Art. 17(3) exception ([Retainer]). Each request keeps a
// [Step] per source (and per namespace for an erasure): state, attempts,
// the last error with personal values masked, the exception. One instance
// works on a request at a time: a run holds a lease on its row.
//
// [Rights.Export] streams access and portability exports as a ZIP archive:
// per source and record type a JSON file, every personal value labelled
// with its category, and a CSV file with the same records; a README in
// the subject's language (English, German or French, matched with
// golang.org/x/text/language); and manifest.json ([Manifest]) with every
// file's SHA-256 and size and the information of Art. 15(1) and (2) drawn
// from the register. Memory stays flat: each file is spooled, encrypted
// under a key held in memory only, to a temporary file.
//
// [Rights.Erase] withdraws every consent the subject has given in the
// consent ledger ([RightsConfig].Consents, a [ConsentWithdrawer] such as
// *consent.Ledger), so that the Guard denies consent-based processing of
// the subject from then on; shreds the subject's key in every namespace
// (the consent ledger's too); asks every source to erase; retries each
// step with a backoff up to a bound per run; and completes only when every
// source, key and the withdrawal is done or exempt under Art. 17(3) (a
// legal hold through [HoldChecker], or the source's [Retainer]);
// otherwise the request stays in progress and the next [Rights.Erase] or
// [Rights.Resume] goes on. The consents are withdrawn whatever the
// exemptions, since an Art. 17(3) exception keeps data for its own purpose,
// not for consent-based processing; a withdrawal that finds nothing
// granted is done, so a step tried again is harmless. It returns
// a content-free [Certificate] holding the journal's head and the number
// of consents withdrawn.
// [Rights.Restrict] and [Rights.Object] go through the Guard, which
// honours them at once, and on to the sources; [Rights.Rectify] passes
// corrections to the sources without storing them.
//
// # Stores
//
// Objections, restrictions, breaches and requests live in a [MemoryStore]
// or a [SQLStore]; the journal in a [MemoryJournalStore] or a
// [SQLJournalStore].
// The SQL stores take a *sql.DB on SQLite or PostgreSQL, create their tables
// (prefixed gdprkit_) and hold across instances: a journal append locks the
// one-row head table, so appends from many instances form one chain; a
// breach or request update locks its row. What callers use (Guard,
// Journal, BreachRegister, Rights) is kept apart from what stores
// implement ([ObjectionStore], [RestrictionStore], [JournalStore],
// [BreachStore], [RequestStore]).
//
// # Changes from the design sketch
//
//   - Allow returns (Decision, error): the error carries the denial for
//     errors.Is, the Decision carries the basis, reason, instant and, for
//     consent, the notice version the consent was given under (Art. 7(1)).
//   - Art. 9(2) conditions and the Art. 10 authority are part of a purpose;
//     explicit consent makes the Guard read the ledger whatever the Art. 6
//     basis.
//   - Minimize and AllowValue are functions, not methods, because they are
//     generic.
//   - Objections and restrictions are recorded through the Guard, which
//     checks that the right to object applies and journals the change.
//   - Purposes can be added but not changed or removed: a running Guard
//     never sees a purpose change under it. The register is copy-on-write,
//     so lookups take no lock.
//   - The journal keeps a head row next to the entries, so removing the
//     last entries is detected too, and offers VerifyHead for a head kept
//     elsewhere.
//   - The breach register has a SQL store as well as the memory one.
//   - Data-subject requests are answered by one type, Rights, with a
//     method per right; sources are registered once, with what the
//     manifest says about them, instead of per request.
//   - An extension is counted from the first limit's day, the earlier of
//     the two readings of Art. 12(3) at month ends.
//   - An export checks that every record names the requester, and leaves
//     out fields of other people in them (group= fields, Art. 15(4)).
//   - Crypto-shredding namespaces are named in RightsConfig and sources
//     refer to them, so that a source under an Art. 17(3) exception keeps
//     the key that seals it; exemptions are decided before anything is
//     destroyed, and undecided ones destroy nothing they might cover.
//   - A completed erasure forgets the subject's ID: the request keeps only
//     the token the journal uses.
//   - An erasure ends consent-based processing as well: it withdraws the
//     subject's consents in the ledger, by consent.MethodSystem, as a step
//     of its own, rather than leaving them granted under shredded proofs.
package gdpr
