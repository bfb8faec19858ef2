package retention

import (
	"errors"
	"time"
)

// Report is what one sweep (or dry run) did, or would do.
type Report struct {
	// DryRun is true for a report of DryRun: nothing was acted on.
	DryRun bool
	// Started and Finished bound the sweep, by the sweeper's clock.
	Started, Finished time.Time
	// Records is the number of candidates read from sources; Verdicts counts
	// their categories (a record listing none counts once) by outcome.
	Records  int
	Verdicts Counts
	// Subjects is the number of subjects read from subject sources;
	// SubjectVerdicts counts them by outcome.
	Subjects        int
	SubjectVerdicts Counts
	// Tallies counts, per source and rule, the items acted on and those due
	// but held, in source order and then rule order; rules with nothing to
	// count are left out.
	Tallies []Tally
	// Busy lists the sources skipped because another sweeper held them.
	Busy []string
	// Errors holds a *SweepError per source that failed; that source's
	// checkpoint stays before the failed batch. Other sources are swept.
	// A source that listed unknown categories has one too (Op
	// "categories", ErrUnknownCategory); its sweep went on, keeping that
	// data.
	Errors []error
}

// Counts counts verdicts by outcome.
type Counts struct {
	// Due: expired and acted on (or, in a dry run, to be acted on).
	Due int
	// Held: expired but covered by a legal hold, so left alone.
	Held int
	// Retained: within the retention period.
	Retained int
	// Undetermined: the deciding rule counts from an unknown time.
	Undetermined int
	// Unruled: no rule applies.
	Unruled int
	// Unknown: the category names no registered pii category; the data is
	// kept and the source is reported in Errors (ErrUnknownCategory).
	Unknown int
}

// Tally counts what one rule did in one source.
type Tally struct {
	Source string
	Rule   string
	Action Action // the rule's action; Shred for subject sources
	// Items is the number of items acted on (or, in a dry run, to be acted
	// on): records for a rule, subjects for Shred.
	Items int
	// Held is the number of categories (subjects, for Shred) due under the
	// rule but held.
	Held int
}

// Err joins the report's errors; nil when every source was swept.
func (r *Report) Err() error { return errors.Join(r.Errors...) }

// Tally returns the tally of rule in source, zero when there is none.
func (r *Report) Tally(source, rule string) Tally {
	for _, t := range r.Tallies {
		if t.Source == source && t.Rule == rule {
			return t
		}
	}
	return Tally{Source: source, Rule: rule}
}

// Acted sums the items of every tally with action a.
func (r *Report) Acted(a Action) int {
	n := 0
	for _, t := range r.Tallies {
		if t.Action == a {
			n += t.Items
		}
	}
	return n
}
