package retention

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gdprkit/gdprkit/pii"
)

// Policy is a checked, compiled set of rules. It is immutable and safe for
// concurrent use.
//
// Precedence: for data of category C kept for purpose P, the rules that
// match are those whose category is empty or contains C (C.Within) and
// whose purpose is empty or P. Among them the most specific decides:
//
//  1. a rule with category and purpose, over one with a category only,
//     over one with a purpose only, over the catch-all;
//  2. at the same level, the deeper category key over its parent
//     ("user.contact.email" over "user.contact").
//
// Rules equally specific share category and purpose and differ only in
// their trigger; among them the longest retention wins: the one whose
// period ends last for the record. When one of them counts from a time the
// record does not know, the record cannot expire.
//
// Two rules with the same category, purpose and trigger are a conflict
// (ErrRuleConflict), even when they agree: one scope and trigger have one rule.
//
// Rules are compiled into a table by category and purpose, so judging a
// candidate costs one map lookup per category and does not allocate. The
// table is keyed by category keys and their aliases, so an alias ("email")
// is judged as its key (user.contact.email) at the same cost.
type Policy struct {
	rules    []Rule
	purposes []string                   // the purposes rules name, in order
	purpose  map[string]int             // index into purposes, when there are many
	root     *catTable                  // for categories below no rule's category
	cats     map[pii.Category]*catTable // rule categories and registered ones
}

// catTable holds the deciding groups for one category key: groups[i] for
// purposes[i], and the last for any other purpose, or none. key is the
// category key it judges, which an alias resolves to.
type catTable struct {
	key    pii.Category
	groups []*group
}

// group is the set of equally specific rules that decide for a category
// and purpose; nil when no rule applies.
type group struct {
	rules []*Rule
	index []int // the rules' positions in Policy.rules
}

// NewPolicy checks and compiles rules. Errors are *RuleError (matching
// ErrInvalidRule) or *RuleConflictError (matching ErrRuleConflict), joined when
// there are several.
func NewPolicy(rules ...Rule) (*Policy, error) {
	p := &Policy{rules: make([]Rule, 0, len(rules)), cats: map[pii.Category]*catTable{}}
	var errs []error
	names := map[string]bool{}
	scopes := map[scope]string{}
	for i, r := range rules {
		label := fmt.Sprintf("%q", r.Name)
		if strings.TrimSpace(r.Name) == "" {
			label = fmt.Sprintf("#%d", i)
		}
		n, err := r.normalize(label)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if names[n.Name] {
			errs = append(errs, &RuleError{Rule: label, Field: "Name", Err: fmt.Errorf("duplicate name")})
			continue
		}
		names[n.Name] = true
		if first, dup := scopes[n.scope()]; dup {
			errs = append(errs, &RuleConflictError{First: first, Second: n.Name, Scope: n.scope().String()})
			continue
		}
		scopes[n.scope()] = n.Name
		p.rules = append(p.rules, n)
	}
	if len(errs) == 1 {
		return nil, errs[0]
	}
	if len(errs) > 1 {
		return nil, errors.Join(errs...)
	}
	p.compile()
	return p, nil
}

// compile fills the lookup tables: one per category some rule names, and
// one per registered category as a shortcut; each maps the purposes rules
// name, and "any other purpose", to the deciding group.
func (p *Policy) compile() {
	for i := range p.rules {
		if r := &p.rules[i]; r.Purpose != "" && !slices.Contains(p.purposes, r.Purpose) {
			p.purposes = append(p.purposes, r.Purpose)
		}
	}
	if len(p.purposes) > linearPurposes {
		p.purpose = make(map[string]int, len(p.purposes))
		for i, purpose := range p.purposes {
			p.purpose[purpose] = i
		}
	}
	groups := map[string]*group{} // shared by equal rule sets
	table := func(c pii.Category) *catTable {
		t := &catTable{key: c, groups: make([]*group, len(p.purposes)+1)}
		for i, purpose := range p.purposes {
			t.groups[i] = p.decide(c, purpose, true, groups)
		}
		t.groups[len(p.purposes)] = p.decide(c, "", false, groups)
		return t
	}
	p.root = table("")
	for i := range p.rules {
		if c := p.rules[i].Category; c != "" && p.cats[c] == nil {
			p.cats[c] = table(c)
		}
	}
	for _, info := range pii.Categories() {
		if p.cats[info.Key] == nil {
			p.cats[info.Key] = table(info.Key)
		}
	}
	for _, info := range pii.Categories() {
		for _, a := range info.Aliases {
			if p.cats[pii.Category(a)] == nil {
				p.cats[pii.Category(a)] = p.cats[info.Key]
			}
		}
	}
}

// linearPurposes is the number of purposes up to which a linear scan finds
// a purpose faster than a map.
const linearPurposes = 8

// purposeIndex returns the column of purpose in the tables: its index in
// p.purposes, or the last column for any other purpose.
func (p *Policy) purposeIndex(purpose string) int {
	if purpose == "" {
		return len(p.purposes)
	}
	if p.purpose != nil {
		if i, ok := p.purpose[purpose]; ok {
			return i
		}
		return len(p.purposes)
	}
	for i, x := range p.purposes {
		if x == purpose {
			return i
		}
	}
	return len(p.purposes)
}

// decide returns the group of the most specific rules matching category c
// and purpose (when hasPurpose), or nil.
func (p *Policy) decide(c pii.Category, purpose string, hasPurpose bool, groups map[string]*group) *group {
	var best []*Rule
	var index []int
	bestRank := -1
	for i := range p.rules {
		r := &p.rules[i]
		if r.Category != "" && (c == "" || !c.Within(r.Category)) {
			continue
		}
		if r.Purpose != "" && (!hasPurpose || r.Purpose != purpose) {
			continue
		}
		switch rank := r.rank(); {
		case rank > bestRank:
			best, index, bestRank = []*Rule{r}, []int{i}, rank
		case rank == bestRank:
			best, index = append(best, r), append(index, i)
		}
	}
	if best == nil {
		return nil
	}
	var key strings.Builder
	for _, r := range best {
		key.WriteString(r.Name)
		key.WriteByte(0)
	}
	if g, ok := groups[key.String()]; ok {
		return g
	}
	g := &group{rules: best, index: index}
	groups[key.String()] = g
	return g
}

// table returns the lookup table for category c: its own, or that of its
// nearest ancestor with one.
func (p *Policy) table(c pii.Category) *catTable {
	for k := c; k != ""; {
		if t, ok := p.cats[k]; ok {
			return t
		}
		i := strings.LastIndexByte(string(k), '.')
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return p.root
}

// lookup returns the lookup table for category c, a key or an alias, with
// c's key; nil when c names no registered category. Keys and aliases
// registered before NewPolicy take one map lookup; others (registered
// later, or parents that no rule names, such as "user") are resolved
// each time.
func (p *Policy) lookup(c pii.Category) *catTable {
	if t, ok := p.cats[c]; ok {
		return t
	}
	key, ok := resolveCategory(c)
	if !ok {
		return nil
	}
	if t := p.table(key); t.key != key {
		return &catTable{key: key, groups: t.groups}
	} else {
		return t
	}
}

// Rules returns the policy's rules as checked: categories resolved to
// their keys and empty triggers set to Collection.
func (p *Policy) Rules() []Rule { return slices.Clone(p.rules) }

// Match returns the rules that decide for data of category c kept for
// purpose (either may be empty), most specific first as described on
// Policy: usually one, several when equally specific rules differ in
// trigger, none when no rule applies.
func (p *Policy) Match(c pii.Category, purpose string) []Rule {
	if resolved, ok := pii.LookupCategory(string(c)); ok {
		c = resolved
	}
	g := p.table(c).groups[p.purposeIndex(purpose)]
	if g == nil {
		return nil
	}
	out := make([]Rule, len(g.rules))
	for i, r := range g.rules {
		out[i] = *r
	}
	return out
}

// VerdictState is where one category of a record stands against the policy.
type VerdictState uint8

const (
	// Unruled: no rule applies; the data is kept.
	Unruled VerdictState = iota
	// Undetermined: a deciding rule counts from a time the record does not
	// know; the data is kept until the source supplies it.
	Undetermined
	// Retained: the deciding rule's period has not run out.
	Retained
	// Expired: the deciding rule's period has run out; its action is due.
	Expired
	// UnknownCategory: the category is neither a registered key, nor an
	// alias, nor the parent of registered keys; the data is kept and the
	// sweeper reports it as an error (ErrUnknownCategory).
	UnknownCategory
)

var stateNames = [...]string{Unruled: "unruled", Undetermined: "undetermined", Retained: "retained", Expired: "expired",
	UnknownCategory: "unknown category"}

// String names the state.
func (s VerdictState) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("state(%d)", uint8(s))
}

// Verdict is the policy's judgement of one category of a record.
type Verdict struct {
	// Category is the category judged, resolved to its key ("email" to
	// user.contact.email); "" for a record that lists none; as listed when
	// UnknownCategory.
	Category pii.Category
	// Rule is the deciding rule (nil when Unruled). It belongs to the
	// Policy: do not modify it.
	Rule *Rule
	// Due is when the rule's period runs out (zero unless Retained or
	// Expired).
	Due   time.Time
	State VerdictState

	group *group
	rule  int // the deciding rule's position in Policy.rules
}

// Evaluate judges every category of c at instant now, appending one
// Verdict per category (one for the record as a whole when it lists none)
// to out[:0] and returning it. Pass the previous result back as out to
// judge many candidates without allocating.
func (p *Policy) Evaluate(c *Candidate, now time.Time, out []Verdict) []Verdict {
	return p.evaluate(c, now, out, nil)
}

// tableCache remembers the tables of recently met categories. Category
// strings usually share their bytes (they are the pii constants), so a hit
// costs a pointer comparison where the map would hash the key.
type tableCache [16]struct {
	cat   pii.Category
	table *catTable
}

func (tc *tableCache) slot(c pii.Category) int {
	return (len(c) ^ int(c[len(c)-1])) & (len(tc) - 1)
}

// unknownTable marks an unknown category in a tableCache.
var unknownTable = new(catTable)

// cachedTable is lookup through cache tc, which may be nil.
func (p *Policy) cachedTable(c pii.Category, tc *tableCache) *catTable {
	if tc == nil || c == "" {
		return p.lookup(c)
	}
	e := &tc[tc.slot(c)]
	if e.table == nil || e.cat != c {
		e.cat, e.table = c, p.lookup(c)
		if e.table == nil {
			e.table = unknownTable
		}
	}
	if e.table == unknownTable {
		return nil
	}
	return e.table
}

func (p *Policy) evaluate(c *Candidate, now time.Time, out []Verdict, tc *tableCache) []Verdict {
	out = out[:0]
	column := p.purposeIndex(c.Purpose)
	if len(c.Categories) == 0 {
		out = append(out, Verdict{})
		p.judge(c, p.root.groups[column], now, &out[0])
		return out
	}
outer:
	for _, cat := range c.Categories {
		out = append(out, Verdict{})
		v := &out[len(out)-1]
		t := p.cachedTable(cat, tc)
		if t == nil {
			v.Category, v.State = cat, UnknownCategory
			continue
		}
		g := t.groups[column]
		for i := range out[:len(out)-1] {
			if out[i].group == g && out[i].State != UnknownCategory { // judged already for another category
				*v = out[i]
				v.Category = t.key
				continue outer
			}
		}
		v.Category = t.key
		p.judge(c, g, now, v)
	}
	return out
}

// judge applies group g to c, filling in v.
func (p *Policy) judge(c *Candidate, g *group, now time.Time, v *Verdict) {
	v.group = g
	if g == nil {
		return
	}
	for i, r := range g.rules {
		from := c.Time(r.From)
		if from.IsZero() {
			v.Rule, v.rule, v.Due, v.State = r, g.index[i], time.Time{}, Undetermined
			return
		}
		if due := r.Period.AddTo(from); v.Rule == nil || due.After(v.Due) {
			v.Rule, v.rule, v.Due = r, g.index[i], due
		}
	}
	v.State = Retained
	if !now.Before(v.Due) {
		v.State = Expired
	}
}

// EvaluateSubject judges whether subject s has been inactive beyond every
// rule that applies to any of its data, at instant now. Every rule whose
// category contains one of s.Categories (any rule with a category, when s
// lists none) and whose purpose is one of s.Purposes (any purpose, when s
// lists none) applies, not only the most specific: the subject's keys may
// go only when nothing of the subject may be kept. Each period counts from
// s.LastActive. The verdict's Rule is the rule that runs out last.
// Categories may be keys or aliases; when one names no registered
// category the verdict is UnknownCategory, with that Category, and the
// subject is kept.
func (p *Policy) EvaluateSubject(s *Subject, now time.Time) Verdict {
	var buf [8]pii.Category
	cats := buf[:0]
	for _, c := range s.Categories {
		key, ok := resolveCategory(c)
		if !ok {
			return Verdict{Category: c, State: UnknownCategory}
		}
		cats = append(cats, key)
	}
	var v Verdict
	for i := range p.rules {
		r := &p.rules[i]
		if !s.covers(r, cats) {
			continue
		}
		if s.LastActive.IsZero() {
			return Verdict{Rule: r, rule: i, State: Undetermined}
		}
		if due := r.Period.AddTo(s.LastActive); v.Rule == nil || due.After(v.Due) {
			v.Rule, v.rule, v.Due = r, i, due
		}
	}
	if v.Rule == nil {
		return v
	}
	v.State = Retained
	if !now.Before(v.Due) {
		v.State = Expired
	}
	return v
}
