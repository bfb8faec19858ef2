package retention

import (
	"context"
	"time"

	"github.com/gdprkit/gdprkit/pii"
)

// Cursor is a source's opaque position. The zero Cursor is the start; a
// source returns the zero Cursor as the next one when it has no more
// candidates. The sweeper stores cursors, so they must stay meaningful
// across restarts (a primary key or a time and key, never an offset into a
// changing result).
type Cursor string

// Candidate is one record a RecordSource offers to the sweeper: whose it is, what
// it holds, what it is kept for, and when the events its rules count from
// happened.
type Candidate struct {
	// Subject is the data subject's ID.
	Subject string
	// Record identifies the record within its source.
	Record string
	// Purpose is what the record is kept for; "" when it serves no specific
	// purpose (only rules without a purpose apply then).
	Purpose string
	// Categories lists the categories of personal data the record still
	// holds. A source leaves out categories already erased or anonymised,
	// so they are not acted on again, and leaves out records with none
	// left. A candidate listing none stands for a record whose categories
	// the source does not track: it is judged as a whole, by the rules
	// without a category, and acted on as a whole (Item.Categories nil).
	Categories []pii.Category
	// Trigger times. A zero time means "unknown"; a rule counting from an
	// unknown time cannot expire the record.
	Collected, LastActive, ContractEnd time.Time
	// Events holds the times of caller-defined triggers, by name.
	Events map[string]time.Time
}

// Time returns when trigger t happened for the record, or the zero time.
func (c *Candidate) Time(t Trigger) time.Time {
	switch t {
	case Collection:
		return c.Collected
	case LastActivity:
		return c.LastActive
	case ContractEnd:
		return c.ContractEnd
	}
	return c.Events[string(t)]
}

// Item is one record the sweeper asks a source to act on, and the
// categories to act on under one rule. A record with categories expired
// under two rules comes as two items.
type Item struct {
	// Subject and Record are the candidate's.
	Subject, Record string
	// Categories are the categories to erase, anonymise or review; nil when
	// the record listed none, meaning the record as a whole.
	Categories []pii.Category
	// Rule is the name of the rule that expired them, Due when it did.
	Rule string
	Due  time.Time
}

// RecordSource is a store of personal data the sweeper keeps within its
// retention rules.
//
// Candidates returns up to limit records after cursor after, in a stable
// order, and the cursor to continue from (zero when there are no more). The
// sweeper is done with the returned slice when it asks for the next batch,
// so a source may reuse it.
//
// Erase erases the given categories of the given records (the whole record
// when an item names none). It must be idempotent: after an interruption
// the sweeper may hand the same items again. It must not keep items after
// it returns: the sweeper reuses them.
type RecordSource interface {
	Candidates(ctx context.Context, after Cursor, limit int) ([]Candidate, Cursor, error)
	Erase(ctx context.Context, items []Item) error
}

// Anonymiser is a RecordSource that can anonymise, for rules whose action is
// Anonymise. Anonymise must be idempotent, as Erase is.
type Anonymiser interface {
	Anonymise(ctx context.Context, items []Item) error
}

// Reviewer is a RecordSource that wants to hear of records flagged for review,
// for example to queue them for a person. Sources that are not Reviewers
// see flagged records only in the report and the Auditor.
type Reviewer interface {
	Review(ctx context.Context, items []Item) error
}
