// Package audit keeps the audit journal: an append-only, hash-chained,
// content-free record of what was decided and done about personal data.
//
// [Journal] is append-only, hash-chained and content-free. Each [Entry]
// holds an event kind, a purpose, an outcome, reason codes, a time, an actor
// and a reference; the subject appears only as a keyed token
// ([pii.Tokenizer]), and every other field must be a code (no spaces, '@' or
// '+'), so a personal value cannot slip in. Each entry's hash is SHA-256 over
// the previous hash and the entry's canonical encoding; [Journal.Verify]
// reads every entry in the store and names the first one changed, removed,
// out of place or beyond the stored head ([ChainError]).
// Keep a [Head] outside the database and check against it with
// [Journal.VerifyHead] to detect a rewrite of the whole tail. The Guard
// journals its denials (allowed decisions too with its JournalAllowed
// option), objections and restrictions; the breach log its reports and
// notifications; the rights desk every step of a request; other packages
// record their own kinds ("consent.granted").
//
// # Batches
//
// [Journal.RecordBatch] journals a batch of decisions, of any size, as one
// entry ([KindDecisionBatch]): its Ref is the root of a Merkle tree (RFC
// 9162 shape) over the decisions sorted by subject token, its reasons the
// counts. The entry holds no token; the returned [BatchTree] proves that a
// given subject's decision is in the batch ([BatchTree.Prove],
// [VerifyInclusion]), from leaves that hold tokens only and may be kept
// for auditors.
//
// # Stores
//
// The journal lives in a [MemoryStore] or a [SQLStore]. The SQL store takes
// a *sql.DB on SQLite or PostgreSQL and holds across instances: an append
// locks the one-row head table, so appends from many instances form one
// chain. The head row next to the entries means that removing the last
// entries is detected too; [Journal.VerifyHead] checks against a head kept
// elsewhere. What callers use ([Journal]) is kept apart from what stores
// implement ([Store]); [github.com/gdprkit/gdprkit/gdpr/audit/audittest] is
// the conformance suite another store runs.
package audit
