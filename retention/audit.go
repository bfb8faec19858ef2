package retention

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/gdprkit/gdprkit/pii"
)

// Auditor records what the sweeper did and which holds were placed and
// released, as evidence. An adapter to an audit journal (the gdpr package's,
// for instance) satisfies it in a few lines.
//
// The sweeper records an action after the source confirmed it and before
// the checkpoint moves, so an interrupted sweep may record an action twice,
// never not at all. Record must copy what it keeps of e.Categories: the
// sweeper reuses the slice.
type Auditor interface {
	Record(ctx context.Context, e AuditEvent) error
}

// AuditKind says what an AuditEvent records.
type AuditKind uint8

const (
	// Acted: the sweeper had a source erase, anonymise or flag a record, or
	// the Eraser shred a subject (AuditEvent.Action says which).
	Acted AuditKind = iota + 1
	// HoldPlaced: a legal hold took effect (AuditEvent.Hold).
	HoldPlaced
	// HoldReleased: a legal hold was lifted (AuditEvent.Hold).
	HoldReleased
)

var eventKindNames = [...]string{Acted: "acted", HoldPlaced: "hold_placed", HoldReleased: "hold_released"}

// String names the kind.
func (k AuditKind) String() string {
	if int(k) < len(eventKindNames) && eventKindNames[k] != "" {
		return eventKindNames[k]
	}
	return "unknown"
}

// AuditEvent is one record handed to the Auditor. It carries identifiers
// (subject and record IDs, rule and source names, categories), never
// personal values.
type AuditEvent struct {
	Kind AuditKind
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

// MemoryAuditor is an Auditor in memory, for tests and development. Safe for
// concurrent use.
type MemoryAuditor struct {
	mu     sync.Mutex // guards events
	events []AuditEvent
}

// NewMemoryAuditor returns an empty MemoryAuditor.
func NewMemoryAuditor() *MemoryAuditor { return &MemoryAuditor{} }

// Record appends e.
func (j *MemoryAuditor) Record(_ context.Context, e AuditEvent) error {
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
func (j *MemoryAuditor) Events() []AuditEvent {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.events)
}
