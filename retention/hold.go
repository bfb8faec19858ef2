package retention

import (
	"context"
	"time"

	"github.com/gdprkit/gdprkit/pii"
)

// Hold is a legal hold: data it covers is never acted on while it is in
// force, whatever the rules say (Art. 17(3)(e): the establishment, exercise
// or defence of legal claims; or a duty to preserve evidence).
//
// Its scope is a subject, a category (and every category within it), both,
// or — with neither — all data. Case ties holds placed for one legal matter
// together, so they can be released together. A record that lists no
// categories is covered by every hold on its subject, including category
// holds: nothing shows it is free of the held category.
type Hold struct {
	// ID identifies the hold; Holds.Place assigns one when empty.
	ID string
	// Case is the legal matter the hold serves, such as "LIT-2025-014". It
	// is journalled: give a reference, never personal data.
	Case string
	// Subject is the data subject held; "" for every subject.
	Subject string
	// Category is the category held (with those within it); "" for every
	// category.
	Category pii.Category
	// Reason says why, for the Auditor and the people who review holds.
	// Required. Do not put personal data in it.
	Reason string
	// Placed is when the hold took effect, Expires when it lapses by itself
	// (zero: never) and Released when it was lifted (zero: not yet).
	Placed, Expires, Released time.Time
}

// Active reports whether the hold is in force at instant at.
func (h *Hold) Active(at time.Time) bool {
	return !at.Before(h.Placed) &&
		(h.Expires.IsZero() || at.Before(h.Expires)) &&
		(h.Released.IsZero() || at.Before(h.Released))
}

// Covers reports whether the hold's scope includes category c of subject's
// data. An empty c (a record listing no categories) is covered by every
// hold on the subject. Both c and the hold's category may be keys or
// aliases ("email" is user.contact.email). A category that names no
// registered one is covered by every hold on the subject: nothing shows
// it is free of the held category. Holds.Check reports it as an error.
func (h *Hold) Covers(subject string, c pii.Category) bool {
	if h.Subject != "" && h.Subject != subject {
		return false
	}
	if h.Category == "" || c == "" || c.Within(h.Category) {
		return true
	}
	held, ok := resolveCategory(h.Category)
	if !ok {
		return true
	}
	key, ok := resolveCategory(c)
	return !ok || key.Within(held)
}

// Touches reports whether the hold's scope overlaps category c of
// subject's data: it covers c (Covers), or it holds a category within c.
// A hold on user.contact.address.city touches user.contact.address, since
// acting on all of a subject's addresses would act on the held cities. Ask
// it before acting on a category as a whole, such as a data source whose
// purposes declare broad categories; the sweeper, which acts on the
// categories of a record's fields, asks Covers. Categories resolve as for
// Covers.
func (h *Hold) Touches(subject string, c pii.Category) bool {
	if h.Covers(subject, c) {
		return true
	}
	if h.Subject != "" && h.Subject != subject {
		return false
	}
	held, ok := resolveCategory(h.Category)
	if !ok {
		return true
	}
	key, ok := resolveCategory(c)
	return !ok || held.Within(key)
}

// coversKey is Covers for a category already resolved to its key, held by
// a hold whose category is resolved too (see newHoldIndex).
func (h *Hold) coversKey(subject string, key pii.Category) bool {
	return (h.Subject == "" || h.Subject == subject) && (h.Category == "" || key == "" || key.Within(h.Category))
}

// HoldStore keeps legal holds. Implementations: MemoryStore and SQLStore;
// package retentiontest checks another.
//
// PlaceHold stores a new hold (ErrHoldExists when its ID is taken).
// ReleaseHold marks a hold released at instant at and returns it
// (ErrHoldNotFound, ErrHoldReleased). ActiveHolds returns the holds in force
// at instant at.
//
// RemoveHold and UnreleaseHold undo the other two, so that Holds can keep
// a placement or release all-or-nothing when the Auditor refuses it:
// RemoveHold deletes the hold with the ID, unless it was released since
// (ErrHoldNotFound, ErrHoldReleased); UnreleaseHold puts back in force the
// hold released at instant at (ErrHoldNotFound when no hold with the ID
// was released then). Neither is journalled: use Holds to place and
// release holds.
type HoldStore interface {
	PlaceHold(ctx context.Context, h Hold) error
	ReleaseHold(ctx context.Context, id string, at time.Time) (Hold, error)
	ActiveHolds(ctx context.Context, at time.Time) ([]Hold, error)
	RemoveHold(ctx context.Context, id string) error
	UnreleaseHold(ctx context.Context, id string, at time.Time) error
}

// holdIndex answers "is this held?" for a batch of candidates. Its holds'
// categories are resolved to keys; a hold whose category names no
// registered one (put in the store other than through Holds.Place) holds
// all of its subject's data.
type holdIndex struct {
	all       []*Hold            // no subject: apply to everyone
	bySubject map[string][]*Hold // holds on one subject
}

func newHoldIndex(holds []Hold) holdIndex {
	var ix holdIndex
	for i := range holds {
		h := &holds[i]
		if h.Category != "" {
			h.Category, _ = resolveCategory(h.Category)
		}
		if h.Subject == "" {
			ix.all = append(ix.all, h)
			continue
		}
		if ix.bySubject == nil {
			ix.bySubject = map[string][]*Hold{}
		}
		ix.bySubject[h.Subject] = append(ix.bySubject[h.Subject], h)
	}
	return ix
}

// empty reports whether no hold is in force.
func (ix *holdIndex) empty() bool { return len(ix.all) == 0 && len(ix.bySubject) == 0 }

// covers reports whether a hold covers category key of subject's data;
// key is resolved ("" for a record listing no categories).
func (ix *holdIndex) covers(subject string, key pii.Category) bool {
	for _, h := range ix.all {
		if h.coversKey(subject, key) {
			return true
		}
	}
	for _, h := range ix.bySubject[subject] {
		if h.coversKey(subject, key) {
			return true
		}
	}
	return false
}

// coversSubject reports whether a hold covers any of s's data. A category
// that names no registered one is covered by every hold on the subject.
func (ix *holdIndex) coversSubject(s *Subject) bool {
	if len(s.Categories) == 0 {
		return ix.covers(s.ID, "")
	}
	for _, c := range s.Categories {
		key, ok := resolveCategory(c)
		if !ok {
			key = ""
		}
		if ix.covers(s.ID, key) {
			return true
		}
	}
	return false
}
