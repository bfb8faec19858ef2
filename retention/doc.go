// Package retention keeps personal data no longer than necessary
// (Art. 5(1)(e) GDPR): retention rules per category and purpose, legal holds
// that suspend them, and a sweeper that erases, anonymises or flags expired
// data without anyone having to remember to.
//
// # Rules and periods
//
// A Rule names a scope (a pii category, a purpose, both, or neither), an ISO
// 8601 Period (P6Y, P13M, P2W, PT24H, P1Y2M10DT2H30M), the Trigger it counts
// from (Collection, LastActivity, ContractEnd or a caller-defined event) and
// an Action (Erase, Anonymise, Review). Periods are calendar-aware: P1M from
// 31 January ends on the last day of February, P1D keeps the wall-clock time
// across a daylight-saving change while PT24H adds 24 elapsed hours.
//
// NewPolicy checks and compiles rules. When several match, the most
// specific decides — category and purpose over category over purpose over
// the catch-all, a deeper category key over its parent — and among equally
// specific rules (same scope, different triggers) the one that keeps the data
// longest. Two rules with the same scope and trigger are a conflict, even
// when they agree: one scope and trigger, one rule, so a reader never has to
// guess which applies.
//
// # Legal holds
//
// A Hold covers a subject, a category, both, or everything, for a legal
// matter (Case), with a reason and an optional expiry. Held data is never
// acted on. Holds places and releases holds and journals each change.
// Categories may be given by key or alias everywhere; an unknown category
// is an error from Holds.Check, and data in one is kept by the sweeper
// (state UnknownCategory) and reported. Hold.Covers matches a category
// within the hold's, as the sweeper needs for one field; Hold.Touches and
// Holds.Check match overlap either way, as an erasure needs before it
// destroys a key that seals several categories.
//
// # The sweeper
//
// A RecordSource offers Candidates in batches — records naming their subject, the
// categories they still hold, their purpose and trigger times — and erases
// (or, as an Anonymiser, anonymises) what the sweeper hands back. The
// Sweeper judges every category of every candidate, leaves held data alone,
// acts, journals each action, and moves the source's checkpoint after each
// batch. An interrupted sweep resumes at the first batch not checkpointed;
// sources' actions are idempotent, so a repeated batch changes nothing
// twice and nothing is skipped. DryRun reports what a sweep would do without
// acting or moving checkpoints. A Waiter (Limiter) paces the sweep.
//
// Checkpoints are leased per source through a CheckpointStore, so that many
// instances may run the sweeper against one database and each batch is acted
// on by one of them: taking the lease, renewing it right before acting on a
// batch, and moving the cursor are each one conditional UPDATE that the
// database arbitrates (SQLStore). Each pass takes the lease under its own
// token (the Owner and a random suffix), so a lease is never re-entered:
// two passes of one Sweeper, or two instances given the same Owner, cannot
// act on one batch. A sweeper that stalled beyond its lease and was taken
// over finds out before acting and stops.
//
// # Shredding inactive subjects
//
// A SubjectSource lists data subjects with their last activity and the kinds
// of data held about them. A subject inactive beyond every rule that applies
// to any of its data, and not held, has its keys destroyed through the
// Eraser (crypto-shredding, pii/shred), which makes all of its sealed data
// unreadable at once.
//
// # Erasure, holds and evidence
//
// Erasure has two levels. A rule's Erase asks the source to erase the
// expired categories of one record (with pii.EraseFields, say); shredding the
// subject's keys, which destroys everything the subject has, happens only
// when every rule for the subject has run out, so Shred is not a rule
// action: it would destroy data other rules still require.
//
// Holds are conservative: a record listing no categories is covered by every
// category hold that reaches its subject, as nothing shows it is free of
// that category; a subject is kept when a hold covers any of its data. Holds
// are read at the start of each batch; a hold placed while a batch is being
// acted on takes effect from the next batch. A candidate whose deciding rule
// counts from an unknown time is kept (Undetermined) and counted, never
// guessed at.
//
// The Auditor receives each action after the source confirms it and before
// the checkpoint moves: an interruption can record an action twice, never
// lose it. This package does not import pii/shred or gdpr: it defines Eraser
// and Auditor, which *shred.Shredder and an adapter to an audit journal
// satisfy.
//
// # Stores
//
// MemoryStore and SQLStore (SQLite and PostgreSQL, via database/sql with a
// driver the caller imports) keep holds and checkpoints; both pass one
// conformance suite.
package retention
