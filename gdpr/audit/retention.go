package audit

import (
	"context"

	"github.com/gdprkit/gdprkit/gdpr/internal/safe"
	"github.com/gdprkit/gdprkit/retention"
)

// Retention kinds: what RetentionAuditor records.
const (
	KindRetentionActed        Kind = "retention.acted"         // a sweep erased, anonymised, flagged or shredded; reasons: the action, then the source, rule and categories that are codes
	KindRetentionHoldPlaced   Kind = "retention.hold_placed"   // a legal hold took effect; Ref: its case reference, or its ID
	KindRetentionHoldReleased Kind = "retention.hold_released" // a legal hold was lifted; Ref: as placed
)

// RetentionAuditor returns a retention.Auditor that records the sweeper's
// actions and the placing and lifting of legal holds in j, so that they
// join the one hash-chained journal with every other part's events. Give
// it as SweeperConfig.Auditor and HoldsConfig.Auditor.
//
// The journal holds codes only: a source, rule or category name that is
// not a code (it has a space, say) is left out of the reasons rather than
// failing the sweep. The record's ID is left out too: it may name the
// subject, whom the journal knows only by token. A hold's case reference such as
// "LIT-2025-014" is kept as its Ref; a reference that is not a code is
// refused with ErrInvalidEvent, and the hold is then not placed.
func RetentionAuditor(j *Journal) retention.Auditor { return retentionAuditor{j} }

type retentionAuditor struct{ j *Journal }

func (a retentionAuditor) Record(ctx context.Context, e retention.AuditEvent) error {
	ev := Event{Outcome: OutcomeDone}
	switch e.Kind {
	case retention.Acted:
		ev.Kind, ev.Subject = KindRetentionActed, e.Subject
		ev.Reasons = append(ev.Reasons, e.Action.String())
		for _, r := range []string{e.Source, e.Rule} {
			if safe.Code(r, false) {
				ev.Reasons = append(ev.Reasons, r)
			}
		}
		for _, c := range e.Categories {
			if safe.Code(string(c), false) {
				ev.Reasons = append(ev.Reasons, string(c))
			}
		}
	case retention.HoldPlaced, retention.HoldReleased:
		ev.Kind = KindRetentionHoldPlaced
		if e.Kind == retention.HoldReleased {
			ev.Kind = KindRetentionHoldReleased
		}
		if e.Hold != nil {
			ev.Subject, ev.Ref = e.Hold.Subject, e.Hold.Case
			if ev.Ref == "" {
				ev.Ref = e.Hold.ID
			}
			if safe.Code(string(e.Hold.Category), false) {
				ev.Reasons = append(ev.Reasons, string(e.Hold.Category))
			}
		}
	default:
		ev.Kind = Kind("retention." + e.Kind.String())
	}
	_, err := a.j.Record(ctx, ev)
	return err
}
