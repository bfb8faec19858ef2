// Package rights answers data-subject requests (Arts. 15–22 GDPR): access,
// portability, erasure, rectification, restriction and objection, within
// their time limits and across the application's data sources, with
// evidence in the audit journal.
//
// [Desk] answers requests under Arts. 15–22 ([Right]) across the
// application's data sources. [Desk.Receive] records a [Request] and asks
// the caller's [Verifier] whether the requester is the data subject (Art.
// 12(6)). The time limit ([Deadline]) is one calendar month counted as
// Regulation 1182/71 counts months (31 January gives 28 or 29 February),
// ending with the day in the controller's time zone, optionally moved past
// weekends and holidays; [Desk.Extend] adds up to two further months,
// with reasons, within the first month. [Desk.Open] and
// [Desk.Overdue] list what is pending.
//
// When identity moves the clock: the month runs from receipt (Art.
// 12(3)), whether or not the requester could be identified then, so a
// request waiting for identity information is due and listed by
// [Desk.Overdue] like any other ([ClockFromReceipt], the default).
// [DeskConfig].IdentityClock may choose [ClockFromVerification], the UK
// ICO's reading of Art. 12(3) with 12(6): the month starts again when the
// information that identifies the requester arrives; until then the
// request is still due one month after receipt, when Art. 12(4) requires
// telling the subject why no action was taken. The journal records when
// identity information was requested and when it arrived, content-free.
// So ask for identity only when there is reasonable doubt, and verify as
// soon as it arrives: [Desk.Verify] takes the call as the arrival;
// [Desk.VerifyAt] takes the instant it arrived, for information checked
// later.
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
// [Desk.Export] streams access and portability exports as a ZIP archive:
// per source and record type a JSON file, every personal value labelled
// with its category, and a CSV file with the same records; a README in
// the subject's language (English, German or French, matched with
// golang.org/x/text/language; English for any other) that states in plain
// words (Art. 12(1)) the purposes, their legal bases, the categories, the
// recipients with their countries and the safeguards of transfers, how
// long the data is kept ("2 years", not "P2Y"), where it came from, the
// automated decisions declared, and the rights, with the supervisory
// authority of [DeskConfig].Authority (Art. 77); and manifest.json ([Manifest]) with every
// file's SHA-256 and size and the information of Art. 15(1) and (2) drawn
// from the register. Memory stays flat: each file is spooled, encrypted
// under a key held in memory only, to a temporary file.
//
// [Desk.Erase] withdraws every consent the subject has given in the
// consent ledger ([DeskConfig].Consents, a [ConsentWithdrawer] such as
// *consent.Ledger), so that the Guard denies consent-based processing of
// the subject from then on; shreds the subject's key in every namespace
// (the consent ledger's too); asks every source to erase; retries each
// step with a backoff up to a bound per run; and completes only when every
// source, key and the withdrawal is done or exempt under Art. 17(3) (a
// legal hold through [HoldChecker], or the source's [Retainer]). An
// exception keeps only the data it needs (Art. 17(3): "to the extent that
// processing is necessary"): the held categories of the sources that hold
// them, the rest erased by sources that are a [PartEraser]; and what is
// kept then serves only the exception's purposes, since the Guard denies
// the subject every other purpose ([gdpr.Guard.Keep]);
// otherwise the request stays in progress and the next [Desk.Erase] or
// [Desk.Resume] goes on. The consents are withdrawn whatever the
// exemptions, since an Art. 17(3) exception keeps data for its own purpose,
// not for consent-based processing; a withdrawal that finds nothing
// granted is done, so a step tried again is harmless. It returns
// a content-free [Certificate] holding the journal's head and the number
// of consents withdrawn.
// [Desk.Restrict] and [Desk.Object] go through the Guard, which
// honours them at once, and on to the sources; [Desk.Rectify] passes
// corrections to the sources without storing them.
//
// Recipients are told (Art. 19). [Desk.RecordDisclosure] records, without
// personal values (the subject's journal token, the recipient, the
// purpose, the categories, the time), each disclosure of a subject's data
// to a recipient the register declares. When a rectification, erasure or
// restriction request is fulfilled, a [Notice] for every such recipient
// is queued in an outbox ([DeskConfig].Recipients, a [RecipientStore] in
// the database), before the completion is stored; [Desk.DeliverNotices],
// called periodically on any instance, claims due notices under a lease,
// hands them to the service's [RecipientNotifier] and confirms them, or
// tries again after a growing wait. Delivery is at least once: a notice
// whose instance died before confirming is delivered again when its lease
// runs out, with the same ID. The subject learns the recipients on
// request ([Request].Recipients lists them in an access export;
// [Desk.Recipients]).
//
// Requests live in a [MemoryStore] or a [SQLStore] (SQLite or PostgreSQL,
// holding across instances: a request update locks its row). What callers
// use ([Desk]) is kept apart from what stores implement ([Store], checked by
// the conformance suite [github.com/gdprkit/gdprkit/gdpr/rights/rightstest]),
// and from what the application implements: [Source] (with [Rectifier],
// [Restricter], [Objector], [Retainer]), [Verifier], and the key namespaces
// ([gdpr.Namespace]).
//
// # Design choices
//
//   - Requests are answered by one type, Desk, with a method per right;
//     sources are registered once, with what the manifest says about them,
//     instead of per request.
//   - An extension is counted from the first limit's day, the earlier of
//     the two readings of Art. 12(3) at month ends.
//   - An export checks that every record names the requester, and leaves
//     out fields of other people in them (group= fields, Art. 15(4)), and
//     values whose own subject field is empty.
//   - Crypto-shredding namespaces are named in DeskConfig and sources
//     refer to them, so that a source under an Art. 17(3) exception keeps
//     the key that seals it; exemptions are decided before anything is
//     destroyed, and undecided ones destroy nothing they might cover.
//   - A completed erasure forgets the subject's ID: the request keeps only
//     the token the journal uses.
package rights
