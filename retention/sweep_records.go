package retention

import (
	"context"
	"fmt"

	"github.com/gdprkit/gdprkit/pii"
)

// handled marks a verdict already turned into an item.
const handled VerdictState = 255

// recordPass sweeps one Source. Its buffers are reused from batch to batch,
// so judging a candidate does not allocate.
type recordPass struct {
	s       *Sweeper
	r       *Report
	name    string
	src     RecordSource
	dry     bool
	tallies []Tally // by rule position

	verdicts []Verdict
	tables   tableCache
	arena    []pii.Category // backs the items' Categories
	erase    []Item
	anon     []Item
	review   []Item
	counts   []int // items per rule position in this batch
	unknown  unknownCategories
}

// batch reads, judges and acts on one batch, and returns the next cursor.
func (p *recordPass) batch(ctx context.Context, cur Cursor, guard func(context.Context) error) (Cursor, error) {
	cands, next, err := p.src.Candidates(ctx, cur, p.s.batch)
	if err != nil {
		return "", &SweepError{Source: p.name, Op: "candidates", Err: err}
	}
	now := p.s.now()
	holds, err := p.s.activeHolds(ctx, p.name, now)
	if err != nil {
		return "", err
	}
	p.arena, p.erase, p.anon, p.review = p.arena[:0], p.erase[:0], p.anon[:0], p.review[:0]
	if p.counts == nil {
		p.counts = make([]int, len(p.tallies))
	}
	clear(p.counts)
	n := &p.r.Verdicts
	for i := range cands {
		c := &cands[i]
		p.verdicts = p.s.policy.evaluate(c, now, p.verdicts, &p.tables)
		for j := range p.verdicts {
			v := &p.verdicts[j]
			switch v.State {
			case Unruled:
				n.Unruled++
			case UnknownCategory:
				n.Unknown++
				p.unknown.add(v.Category)
			case Undetermined:
				n.Undetermined++
			case Retained:
				n.Retained++
			case Expired:
				if !holds.empty() && holds.covers(c.Subject, v.Category) {
					n.Held++
					p.tallies[v.rule].Held++
					v.State = handled
				} else {
					n.Due++
				}
			}
		}
		p.collect(c)
	}
	p.r.Records += len(cands)
	if !p.dry && len(p.erase)+len(p.anon)+len(p.review) > 0 {
		if err := guard(ctx); err != nil {
			return "", &SweepError{Source: p.name, Op: "checkpoint", Err: err}
		}
		if err := p.act(ctx); err != nil {
			return "", err
		}
	}
	for i, k := range p.counts {
		p.tallies[i].Items += k
	}
	return next, nil
}

// collect turns c's expired verdicts into items, one per deciding rule. A
// dry run only counts them.
func (p *recordPass) collect(c *Candidate) {
	vs := p.verdicts
	for j := range vs {
		if vs[j].State != Expired {
			continue
		}
		p.counts[vs[j].rule]++
		rule, start := vs[j].Rule, len(p.arena)
		for k := j; k < len(vs); k++ {
			if vs[k].State == Expired && vs[k].Rule == rule {
				if !p.dry && vs[k].Category != "" {
					p.arena = append(p.arena, vs[k].Category)
				}
				vs[k].State = handled
			}
		}
		if p.dry {
			continue
		}
		item := Item{Subject: c.Subject, Record: c.Record, Rule: rule.Name, Due: vs[j].Due}
		if end := len(p.arena); end > start {
			item.Categories = p.arena[start:end:end]
		}
		switch rule.Action {
		case Erase:
			p.erase = append(p.erase, item)
		case Anonymise:
			p.anon = append(p.anon, item)
		case Review:
			p.review = append(p.review, item)
		}
	}
}

// act has the source carry out the batch's items and journals them.
func (p *recordPass) act(ctx context.Context) error {
	anonymiser, canAnon := p.src.(Anonymiser)
	if len(p.anon) > 0 && !canAnon {
		return &SweepError{Source: p.name, Op: "anonymise",
			Err: fmt.Errorf("%w: rule %q wants anonymisation but the source is not an Anonymiser", ErrUnsupportedAction, p.anon[0].Rule)}
	}
	if len(p.erase) > 0 {
		if err := p.src.Erase(ctx, p.erase); err != nil {
			return &SweepError{Source: p.name, Op: "erase", Err: err}
		}
	}
	if len(p.anon) > 0 {
		if err := anonymiser.Anonymise(ctx, p.anon); err != nil {
			return &SweepError{Source: p.name, Op: "anonymise", Err: err}
		}
	}
	if reviewer, ok := p.src.(Reviewer); ok && len(p.review) > 0 {
		if err := reviewer.Review(ctx, p.review); err != nil {
			return &SweepError{Source: p.name, Op: "review", Err: err}
		}
	}
	at := p.s.now()
	for _, list := range [...]struct {
		action Action
		items  []Item
	}{{Erase, p.erase}, {Anonymise, p.anon}, {Review, p.review}} {
		for i := range list.items {
			it := &list.items[i]
			e := AuditEvent{Kind: Acted, At: at, Action: list.action, Source: p.name, Rule: it.Rule,
				Subject: it.Subject, Record: it.Record, Categories: it.Categories}
			if err := p.s.journal.Record(ctx, e); err != nil {
				return &SweepError{Source: p.name, Op: "journal", Err: err}
			}
		}
	}
	return nil
}

// flush adds the pass's tallies, and its unknown categories as an error,
// to the report.
func (p *recordPass) flush() {
	p.unknown.report(p.r, p.name)
	for i, t := range p.tallies {
		if t.Items == 0 && t.Held == 0 {
			continue
		}
		rule := &p.s.policy.rules[i]
		t.Source, t.Rule, t.Action = p.name, rule.Name, rule.Action
		p.r.Tallies = append(p.r.Tallies, t)
	}
}

// unknownCategories counts the categories a pass met that name no
// registered category, and remembers the first.
type unknownCategories struct {
	n     int
	first pii.Category
}

func (u *unknownCategories) add(c pii.Category) {
	if u.n == 0 {
		u.first = c
	}
	u.n++
}

// report adds a *SweepError for the unknown categories to r, if any.
func (u *unknownCategories) report(r *Report, source string) {
	if u.n == 0 {
		return
	}
	r.Errors = append(r.Errors, &SweepError{Source: source, Op: "categories",
		Err: fmt.Errorf("%w %q (%d in all); that data was kept; register the category with pii.RegisterCategory or fix the source",
			ErrUnknownCategory, string(u.first), u.n)})
}
