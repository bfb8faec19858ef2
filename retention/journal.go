package retention

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/gdprkit/gdprkit/pii"
)

// Journal records what the sweeper did and which holds were placed and
// released, as evidence. An adapter to an audit journal (the gdpr package's,
// for instance) satisfies it in a few lines.
//
// The sweeper records an action after the source confirmed it and before
// the checkpoint moves, so an interrupted sweep may record an action twice,
// never not at all. Record must copy what it keeps of e.Categories: the
// sweeper reuses the slice.
type Journal interface {
	Record(ctx context.Context, e Event) error
}

// EventKind says what an Event records.
type EventKind uint8

const (
	// Acted: the sweeper had a source erase, anonymise or flag a record, or
	// the Eraser shred a subject (Event.Action says which).
	Acted EventKind = iota + 1
	// HoldPlaced: a legal hold took effect (Event.Hold).
	HoldPlaced
	// HoldReleased: a legal hold was lifted (Event.Hold).
	HoldReleased
)

var eventKindNames = [...]string{Acted: "acted", HoldPlaced: "hold_placed", HoldReleased: "hold_released"}

// String names the kind.
func (k EventKind) String() string {
	if int(k) < len(eventKindNames) && eventKindNames[k] != "" {
		return eventKindNames[k]
	}
	return "unknown"
}

// Event is one journal entry. It carries identifiers (subject and record
// IDs, rule and source names, categories), never personal values.
type Event struct {
	Kind EventKind
	At   time.Time
	// For Acted: the action, the source (or subject source), the rule that
	// expired the data, and the record and categories acted on (the record
	// is empty for Shred).
	Action     Action
	Source     string
	Rule       string
	Subject    string
	Record     string
	Categories []pii.Category
	// For HoldPlaced and HoldReleased: the hold.
	Hold *Hold
}

// MemoryJournal is a Journal in memory, for tests and development. Safe for
// concurrent use.
type MemoryJournal struct {
	mu     sync.Mutex
	events []Event
}

// NewMemoryJournal returns an empty MemoryJournal.
func NewMemoryJournal() *MemoryJournal { return &MemoryJournal{} }

// Record appends e.
func (j *MemoryJournal) Record(_ context.Context, e Event) error {
	e.Categories = slices.Clone(e.Categories)
	if e.Hold != nil {
		h := *e.Hold
		e.Hold = &h
	}
	j.mu.Lock()
	j.events = append(j.events, e)
	j.mu.Unlock()
	return nil
}

// Events returns a copy of the events recorded so far, oldest first.
func (j *MemoryJournal) Events() []Event {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.events)
}
