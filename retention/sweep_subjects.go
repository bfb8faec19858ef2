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
}

func (p *subjectPass) batch(ctx context.Context, cur Cursor) (Cursor, error) {
	subjects, next, err := p.src.Subjects(ctx, cur, p.s.batch)
	if err != nil {
		return "", &SourceError{Source: p.name, Op: "subjects", Err: err}
	}
	now := p.s.now()
	holds, err := p.s.activeHolds(ctx, p.name, now)
	if err != nil {
		return "", err
	}
	n := &p.r.SubjectVerdicts
	p.r.Subjects += len(subjects)
	for i := range subjects {
		sub := &subjects[i]
		v := p.s.policy.EvaluateSubject(sub, now)
		switch v.State {
		case Unruled:
			n.Unruled++
			continue
		case Undetermined:
			n.Undetermined++
			continue
		case Retained:
			n.Retained++
			continue
		}
		if holds.coversSubject(sub) {
			n.Held++
			p.tallies[v.rule].Held++
			continue
		}
		n.Due++
		if !p.dry {
			if err := p.s.eraser.Erase(ctx, sub.ID); err != nil {
				return "", &SourceError{Source: p.name, Op: "shred", Err: err}
			}
			e := Event{Kind: Acted, At: p.s.now(), Action: Shred, Source: p.name, Rule: v.Rule.Name,
				Subject: sub.ID, Categories: sub.Categories}
			if err := p.s.journal.Record(ctx, e); err != nil {
				return "", &SourceError{Source: p.name, Op: "journal", Err: err}
			}
		}
		p.tallies[v.rule].Items++
	}
	return next, nil
}

func (p *subjectPass) flush() {
	for i, t := range p.tallies {
		if t.Items == 0 && t.Held == 0 {
			continue
		}
		t.Source, t.Rule, t.Action = p.name, p.s.policy.rules[i].Name, Shred
		p.r.Tallies = append(p.r.Tallies, t)
	}
}
