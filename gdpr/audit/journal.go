package audit

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"time"

	"github.com/gdprkit/gdprkit/gdpr/internal/safe"
	"github.com/gdprkit/gdprkit/pii"
)

// Kind names the kind of a journal event as "area.event", such as
// "guard.decision" or "breach.notified". Kinds are codes: lower-case
// letters, digits and ". _ -".
type Kind string

// Kinds of events this package journals. Other packages and services add
// their own in the same form ("consent.granted", "request.received",
// "erasure.done").
const (
	KindDecision          Kind = "guard.decision"      // a Guard decision
	KindObjection         Kind = "objection.added"     // Guard.Object
	KindObjectionLifted   Kind = "objection.removed"   // Guard.LiftObjection
	KindRestriction       Kind = "restriction.added"   // Guard.Restrict
	KindRestrictionLifted Kind = "restriction.removed" // Guard.LiftRestriction
	KindBreach            Kind = "breach.recorded"     // BreachRegister.Report
	KindBreachUpdated     Kind = "breach.updated"      // BreachRegister.Update
	KindBreachNotified    Kind = "breach.notified"     // BreachRegister.Notify
)

// Outcome is how an event ended, as a code.
type Outcome string

// Outcomes.
const (
	OutcomeAllowed Outcome = "allowed" // a decision that allowed processing
	OutcomeDenied  Outcome = "denied"  // a decision that denied it
	OutcomeDone    Outcome = "done"    // an action that took effect
	OutcomeFailed  Outcome = "failed"  // an action that failed
)

// Event is what a caller records in the journal. It holds no personal
// values: the subject's ID is replaced by its pseudonymous token before it
// is stored, and every other field is a code (see Journal.Record).
type Event struct {
	Kind Kind
	// Subject is the data subject's ID, or "" for an event about no single
	// subject. Only its token (pii.Tokenizer) is stored.
	Subject string
	// Purpose is the purpose ID concerned, a "*" group such as
	// "*direct-marketing" (every purpose of direct marketing), or "".
	Purpose string
	Outcome Outcome
	// Reasons are codes saying why, such as "consent-withdrawn".
	Reasons []string
	// Actor is who acted: a service, role or operator code such as
	// "svc:billing" or "role:dpo", never a person's name or address.
	// JournalConfig.Actor when empty.
	Actor string
	// Ref refers to another record by its ID, such as a breach, a request
	// or the case a legal hold serves ("LIT-2025-014"): letters of either
	// case, digits and ". _ - : /", never personal data.
	Ref string
}

// Entry is one stored journal entry: the event, its sequence number and time,
// and the hash chain. Hash is SHA-256 over Prev and the canonical encoding of
// the other fields (the sequence number excepted: the chain fixes the order).
type Entry struct {
	Seq     uint64    `json:"seq"`
	At      time.Time `json:"at"`
	Kind    Kind      `json:"kind"`
	Subject string    `json:"subject,omitempty"` // the subject's token
	Purpose string    `json:"purpose,omitempty"`
	Outcome Outcome   `json:"outcome"`
	Reasons []string  `json:"reasons,omitempty"`
	Actor   string    `json:"actor,omitempty"`
	Ref     string    `json:"ref,omitempty"`
	Prev    Hash      `json:"prev"`
	Hash    Hash      `json:"hash"`
}

// Head is the end of the chain: the last sequence number and its hash. The
// empty journal's head is zero.
type Head struct {
	Seq  uint64 `json:"seq"`
	Hash Hash   `json:"hash"`
}

// Store keeps journal entries. What callers use is Journal; stores
// implement this. MemoryStore and SQLStore implement it; package
// audittest checks another implementation.
type Store interface {
	// Append adds one entry after the current head, as one atomic step
	// across every instance sharing the store: it reads the head, calls
	// next with it, stores the entry next returns and makes it the head.
	// next may be called again if the step is retried.
	Append(ctx context.Context, next func(head Head) (Entry, error)) (Entry, error)
	// Scan calls fn for each entry with a sequence number above after, in
	// order, until fn returns an error, which Scan then returns. It reports
	// entries as stored, damaged ones included.
	Scan(ctx context.Context, after uint64, fn func(Entry) error) error
	// Head returns the head as the store records it.
	Head(ctx context.Context) (Head, error)
}

// JournalConfig configures a Journal.
type JournalConfig struct {
	// Store keeps the entries. Required.
	Store Store
	// Tokenizer turns subject IDs into the tokens stored. Required: the
	// journal never stores an identifier in clear.
	Tokenizer *pii.Tokenizer
	// Actor is recorded for events that name none, such as "svc:shop".
	Actor string
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Journal is the audit journal: append-only, hash-chained, content-free.
// Every privacy event (a Guard denial, an objection, a breach, a consent
// change, a request) can be recorded as an Event; Verify proves later that no
// entry was changed, removed or reordered.
type Journal struct {
	store Store
	tok   *pii.Tokenizer
	actor string
	now   func() time.Time
}

// ErrInvalidEvent is matched by errors about an Event that cannot be
// journalled, such as a reason that is not a code.
var ErrInvalidEvent = errors.New("audit: invalid journal event")

// NewJournal returns a journal over cfg.Store.
func NewJournal(cfg JournalConfig) (*Journal, error) {
	if cfg.Store == nil {
		return nil, configError("NewJournal", "JournalConfig.Store is nil")
	}
	if cfg.Tokenizer == nil {
		return nil, configError("NewJournal", "JournalConfig.Tokenizer is nil: subjects are journalled as tokens only")
	}
	if cfg.Actor != "" && !safe.Code(cfg.Actor, true) {
		return nil, configError("NewJournal", "JournalConfig.Actor is not a code (1 to 64 letters, digits and . _ - : /)")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Journal{store: cfg.Store, tok: cfg.Tokenizer, actor: cfg.Actor, now: cfg.Now}, nil
}

// Token returns the token under which subject appears in the journal, to
// find the entries about one subject.
func (j *Journal) Token(subject string) string {
	if subject == "" {
		return ""
	}
	return j.tok.Token(pii.UniqueID, subject)
}

// Record appends ev to the journal and returns the stored entry. The
// subject is stored as its token; Kind, Outcome and each reason must be
// codes (lower-case letters, digits and ". _ -"); Actor and Ref may also
// hold upper-case letters, ':' and '/'. Nothing else fits, so a personal
// value cannot slip in by mistake.
func (j *Journal) Record(ctx context.Context, ev Event) (Entry, error) {
	if ev.Actor == "" {
		ev.Actor = j.actor
	}
	if err := ev.check(); err != nil {
		return Entry{}, err
	}
	e := Entry{
		At:      j.now().UTC().Truncate(time.Microsecond),
		Kind:    ev.Kind,
		Subject: j.Token(ev.Subject),
		Purpose: ev.Purpose,
		Outcome: ev.Outcome,
		Reasons: slices.Clone(ev.Reasons),
		Actor:   ev.Actor,
		Ref:     ev.Ref,
	}
	stored, err := j.store.Append(ctx, func(head Head) (Entry, error) {
		e.Seq = head.Seq + 1
		e.Prev = head.Hash
		e.Hash = e.digest()
		return e, nil
	})
	if err != nil {
		return Entry{}, fmt.Errorf("audit: journal %s: %w", ev.Kind, err)
	}
	return stored, nil
}

func (ev *Event) check() error {
	bad := func(field, want string) error {
		return fmt.Errorf("audit: journal event %s: %s is not %s: %w", ev.Kind, field, want, ErrInvalidEvent)
	}
	const code, wide = "a code (1 to 64 lower-case letters, digits and . _ -)", "a code (1 to 64 letters, digits and . _ - : /)"
	if !safe.Code(string(ev.Kind), false) {
		return fmt.Errorf("audit: journal event: Kind %q is not %s: %w", ev.Kind, code, ErrInvalidEvent)
	}
	if ev.Purpose != "" && !safe.Code(strings.TrimPrefix(ev.Purpose, "*"), false) {
		return bad("Purpose", code)
	}
	if !safe.Code(string(ev.Outcome), false) {
		return bad("Outcome", code)
	}
	for i, r := range ev.Reasons {
		if !safe.Code(r, false) {
			return bad(fmt.Sprintf("Reasons[%d]", i), code)
		}
	}
	if ev.Actor != "" && !safe.Code(ev.Actor, true) {
		return bad("Actor", wide)
	}
	if ev.Ref != "" && !safe.Code(ev.Ref, true) {
		return bad("Ref", wide)
	}
	return nil
}

// Head returns the end of the chain. Keep it somewhere the journal's
// database cannot change (a signed log line, a ticket, another system): a
// later Verify against it shows that nothing up to it was rewritten.
func (j *Journal) Head(ctx context.Context) (Head, error) {
	h, err := j.store.Head(ctx)
	if err != nil {
		return Head{}, fmt.Errorf("audit: journal head: %w", err)
	}
	return h, nil
}

// Entries returns the entries after sequence number after, in order. The
// iteration stops at the first error, which it yields.
func (j *Journal) Entries(ctx context.Context, after uint64) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		err := j.store.Scan(ctx, after, func(e Entry) error {
			if !yield(e, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(Entry{}, fmt.Errorf("audit: journal entries: %w", err))
		}
	}
}

// errStop ends a Scan early.
var errStop = errors.New("stop")
