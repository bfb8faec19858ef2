package retention

import "context"

// subjectPass sweeps one SubjectSource: it shreds the keys of subjects
// inactive beyond every rule that applies to them, unless a hold covers
// any of their data.
type subjectPass struct {
	s       *Sweeper
	r       *Report
	name    string
	src     SubjectSource
	dry     bool
	tallies []Tally // by rule position
	due     []dueSubject
	unknown unknownCategories
}

func (p *subjectPass) batch(ctx context.Context, cur Cursor, guard func(context.Context) error) (Cursor, error) {
	subjects, next, err := p.src.Subjects(ctx, cur, p.s.batch)
	if err != nil {
		return "", &SweepError{Source: p.name, Op: "subjects", Err: err}
	}
	now := p.s.now()
	holds, err := p.s.activeHolds(ctx, p.name, now)
	if err != nil {
		return "", err
	}
	n := &p.r.SubjectVerdicts
	p.r.Subjects += len(subjects)
	p.due = p.due[:0]
	for i := range subjects {
		sub := &subjects[i]
		v := p.s.policy.EvaluateSubject(sub, now)
		switch {
		case v.State == UnknownCategory:
			n.Unknown++
			p.unknown.add(v.Category)
		case v.State == Unruled:
			n.Unruled++
		case v.State == Undetermined:
			n.Undetermined++
		case v.State == Retained:
			n.Retained++
		case holds.coversSubject(sub):
			n.Held++
			p.tallies[v.rule].Held++
		default:
			n.Due++
			p.due = append(p.due, dueSubject{sub, v.rule})
		}
	}
	if !p.dry && len(p.due) > 0 {
		if err := guard(ctx); err != nil {
			return "", &SweepError{Source: p.name, Op: "checkpoint", Err: err}
		}
	}
	for _, d := range p.due {
		if !p.dry {
			if err := p.s.eraser.Erase(ctx, d.subject.ID); err != nil {
				return "", &SweepError{Source: p.name, Op: "shred", Err: err}
			}
			e := AuditEvent{Kind: Acted, At: p.s.now(), Action: Shred, Source: p.name, Rule: p.s.policy.rules[d.rule].Name,
				Subject: d.subject.ID, Categories: d.subject.Categories}
			if err := p.s.journal.Record(ctx, e); err != nil {
				return "", &SweepError{Source: p.name, Op: "journal", Err: err}
			}
		}
		p.tallies[d.rule].Items++
	}
	return next, nil
}

// dueSubject is a subject whose keys are due to be shredded, and the rule
// that ran out last.
type dueSubject struct {
	subject *Subject
	rule    int
}

func (p *subjectPass) flush() {
	p.unknown.report(p.r, p.name)
	for i, t := range p.tallies {
		if t.Items == 0 && t.Held == 0 {
			continue
		}
		t.Source, t.Rule, t.Action = p.name, p.s.policy.rules[i].Name, Shred
		p.r.Tallies = append(p.r.Tallies, t)
	}
}
