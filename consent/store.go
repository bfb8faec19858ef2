package consent

import (
	"context"
	"time"
)

// Store keeps the ledger's events and notices. The Ledger is what
// applications call; a Store is what it is built on. MemoryStore and
// SQLStore are the two provided; package consenttest checks any other.
type Store interface {
	EventStore
	NoticeStore
}

// EventStore keeps events, append-only. Implementations are safe for
// concurrent use, also by several processes sharing one database: the
// guarantees below must hold across all of them.
type EventStore interface {
	// Append stores events, all of one subject, as that subject's next
	// events, atomically: it sets each event's Seq to one more than the
	// last stored for the subject, in order, so that a subject's sequence
	// numbers run 1, 2, 3, … without gaps or repeats however many writers
	// race. In the same transaction it keeps the subject's times in
	// sequence order: an event whose At is before the latest At stored for
	// the subject (or before an earlier event of the batch) is stored, and
	// returned, with that later At instead. So a subject's At never
	// decreases with Seq, whatever the writers' clocks. Stored events are
	// never changed or deleted.
	Append(ctx context.Context, events []Event) error
	// Latest returns the subject's event for purpose that decides its
	// state at instant at: of the events whose At is not after at, the one
	// with the highest Seq (as Append keeps At in Seq order, the last of
	// them). ok is false when there is none.
	Latest(ctx context.Context, subject, purpose string, at time.Time) (e Event, ok bool, err error)
	// Last returns the subject's event for purpose with the highest Seq,
	// whatever its At: the event that decides the final state. ok is false
	// when there is none.
	Last(ctx context.Context, subject, purpose string) (e Event, ok bool, err error)
	// Events returns the subject's events for purpose, or for every purpose
	// when purpose is empty, in Seq order.
	Events(ctx context.Context, subject, purpose string) ([]Event, error)
	// Purposes returns the purposes the subject has events for, sorted.
	Purposes(ctx context.Context, subject string) ([]string, error)
}

// NoticeStore keeps published notice versions, append-only.
type NoticeStore interface {
	// AddNotice stores n. A version already stored for the purpose is an
	// error matching ErrNoticeExists.
	AddNotice(ctx context.Context, n Notice) error
	// Notices returns the purpose's versions ordered by Effective, then
	// Version.
	Notices(ctx context.Context, purpose string) ([]Notice, error)
	// Superseding returns the earliest Material version of purpose that
	// took effect after version did and not after at: the change that makes
	// consent given under version Outdated at instant at. A version that was
	// never stored counts as older than every stored one. ok is false when
	// there is none.
	Superseding(ctx context.Context, purpose, version string, at time.Time) (n Notice, ok bool, err error)
}
