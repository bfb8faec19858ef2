package retention

import (
	"context"
	"slices"
	"time"

	"github.com/gdprkit/gdprkit/pii"
)

// Eraser destroys a data subject's keys, which makes every value sealed
// under them unreadable (crypto-shredding). *shred.Shredder satisfies it.
// Erase must be idempotent: erasing an erased subject succeeds.
type Eraser interface {
	Erase(ctx context.Context, subject string) error
}

// Subject is one data subject a SubjectSource offers to the sweeper: when
// the subject was last active, and what kinds of data, for which purposes,
// the service holds about them.
type Subject struct {
	ID string
	// LastActive is the subject's last activity; zero when unknown, which
	// keeps the subject.
	LastActive time.Time
	// Categories and Purposes describe the subject's data. Leaving either
	// empty means "could be any", so more rules apply and the keys are kept
	// longer, never shorter. Categories may be keys or aliases; one that
	// names no registered category keeps the subject and is reported as an
	// error.
	Categories []pii.Category
	Purposes   []string
}

// covers reports whether rule r applies to some of s's data, whose
// categories resolved to keys are cats.
func (s *Subject) covers(r *Rule, cats []pii.Category) bool {
	if r.Purpose != "" && len(s.Purposes) > 0 && !slices.Contains(s.Purposes, r.Purpose) {
		return false
	}
	if r.Category == "" || len(cats) == 0 {
		return true
	}
	for _, c := range cats {
		if c.Within(r.Category) {
			return true
		}
	}
	return false
}

// SubjectSource lists data subjects, for shredding the keys of those
// inactive beyond every rule. Subjects pages like RecordSource.Candidates: up to
// limit subjects after cursor after, in a stable order, and the cursor to
// continue from (zero at the end).
type SubjectSource interface {
	Subjects(ctx context.Context, after Cursor, limit int) ([]Subject, Cursor, error)
}
