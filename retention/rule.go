package retention

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gdprkit/gdprkit/pii"
)

// Rule says how long data of a category, kept for a purpose, may be kept,
// counted from which event, and what happens then.
//
// An empty Category matches every category (and records that list none);
// an empty Purpose matches every purpose. A rule with both empty is the
// catch-all. See Policy for which rule decides when several match.
type Rule struct {
	// Name identifies the rule in reports and the Auditor. Required and
	// unique within a Policy.
	Name string
	// Category is a pii category key, alias or parent key (such as
	// "user.contact"); the rule covers it and every category within it
	// (pii.Category.Within).
	Category pii.Category
	// Purpose is the processing purpose the data is kept for.
	Purpose string
	// Period is how long the data may be kept after the trigger.
	Period Period
	// From is the trigger the period counts from; empty means Collection.
	From Trigger
	// Action is what happens when the period has run out: Erase, Anonymise
	// or Review.
	Action Action
	// Basis says why the period is what it is, for the record of processing
	// and a subject's access request ("§ 147 AO: ten years"). Optional.
	Basis string
}

// scope is the key on which two rules conflict.
type scope struct {
	category pii.Category
	purpose  string
	from     Trigger
}

func (r *Rule) scope() scope { return scope{r.Category, r.Purpose, r.From} }

// String describes the scope for a RuleConflictError.
func (s scope) String() string {
	c, p := string(s.category), s.purpose
	if c == "" {
		c = "any category"
	}
	if p == "" {
		p = "any purpose"
	}
	return fmt.Sprintf("%s for %s from %s", c, p, s.from)
}

// normalize checks r and returns it with its category resolved to a key
// and its trigger defaulted. label names the rule in errors.
func (r Rule) normalize(label string) (Rule, error) {
	fail := func(field string, err error) (Rule, error) {
		return Rule{}, &RuleError{Rule: label, Field: field, Err: err}
	}
	if strings.TrimSpace(r.Name) == "" {
		return fail("Name", errors.New("empty; every rule needs a name for reports and the Auditor"))
	}
	if r.Category != "" {
		c, ok := resolveCategory(r.Category)
		if !ok {
			return fail("Category", fmt.Errorf("unknown category %q; register it with pii.RegisterCategory", string(r.Category)))
		}
		r.Category = c
	}
	if r.Purpose != strings.TrimSpace(r.Purpose) {
		return fail("Purpose", fmt.Errorf("%q has surrounding space", r.Purpose))
	}
	if err := r.Period.Validate(); err != nil {
		return fail("Period", err)
	}
	if r.From == "" {
		r.From = Collection
	}
	if err := r.From.validate(); err != nil {
		return fail("From", err)
	}
	switch r.Action {
	case Erase, Anonymise, Review:
	case Shred:
		return fail("Action", errors.New("shred is taken for subjects inactive beyond every rule, not per rule; use erase"))
	case 0:
		return fail("Action", errors.New("missing; want Erase, Anonymise or Review"))
	default:
		return fail("Action", fmt.Errorf("unknown action %d", uint8(r.Action)))
	}
	return r, nil
}

// rank orders rules by specificity: category and purpose over category over
// purpose over neither, then a deeper category key over its parent.
func (r *Rule) rank() int {
	level := 0
	switch {
	case r.Category != "" && r.Purpose != "":
		level = 3
	case r.Category != "":
		level = 2
	case r.Purpose != "":
		level = 1
	}
	depth := 0
	if r.Category != "" {
		depth = strings.Count(string(r.Category), ".") + 1
	}
	return level<<8 | depth
}

// resolveCategory resolves a category key or alias to its key. A key that
// is not registered itself but is the parent of registered ones (such as
// "user.contact") is accepted too.
func resolveCategory(c pii.Category) (pii.Category, bool) {
	if key, ok := pii.LookupCategory(string(c)); ok {
		return key, true
	}
	for _, info := range pii.Categories() {
		if info.Key.Within(c) {
			return c, true
		}
	}
	return "", false
}
