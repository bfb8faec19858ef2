package shred

import (
	"reflect"

	"github.com/gdprkit/gdprkit/pii"
)

// fieldFunc handles one subject or personal field: its schema entry, its
// value, and the subject in effect for its group.
type fieldFunc func(f *pii.Field, v reflect.Value, subject string) error

// visitor adapts a fieldFunc to pii.Walk.
func (o *op) visitor(fn fieldFunc) func(*pii.Visit) error {
	return func(vis *pii.Visit) error { return fn(vis.Field, vis.Value, vis.Subject) }
}

// walk calls fn for every subject and personal field of v, as pii.Walk
// does, taking the short way for a pointer to a flat struct.
func (o *op) walk(v any, fn fieldFunc) error {
	if p, sv, ok := flatTarget(v); ok {
		return o.each(p, sv, fn)
	}
	return pii.Walk(v, o.visitor(fn))
}

// flatPlan is how the Shredder visits the fields of a flat struct type
// (pii.Schema.Flat), the common case: straight from the cached schema,
// with the subjects pii.Walk finds for them, and without the walker's
// allocations. Any other type goes through pii.Walk.
type flatPlan struct {
	flat     bool
	fields   []*pii.Field // subject and personal fields, in declaration order
	subjects []*pii.Field
	group    []int // for each field, the position in subjects of its group's subject, or -1
}

// flatPlans holds the flatPlan of each struct type, with its schema.
var flatPlans = pii.NewMemo(buildFlatPlan)

// flatTarget returns the plan and the struct when v is a non-nil pointer to
// a flat struct.
func flatTarget(v any) (*flatPlan, reflect.Value, bool) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return nil, reflect.Value{}, false
	}
	p := flatPlans.Of(rv.Type().Elem())
	return p, rv.Elem(), p.flat
}

func buildFlatPlan(t reflect.Type) *flatPlan {
	s, err := pii.SchemaOf(t)
	if err != nil || !s.Flat() {
		return &flatPlan{} // pii.Walk reports the error, or walks the type
	}
	p := &flatPlan{fields: s.Fields(), flat: true}
	for _, f := range p.fields {
		if f.Subject() {
			p.subjects = append(p.subjects, f)
		}
	}
	for _, f := range p.fields {
		g := -1
		for j, sf := range p.subjects {
			if sf.Tag.Group == f.Tag.Group {
				g = j
			}
		}
		p.group = append(p.group, g)
	}
	return p
}

// each calls fn for the fields of flat struct sv.
func (o *op) each(p *flatPlan, sv reflect.Value, fn fieldFunc) error {
	subjects := p.subjectsOf(sv)
	for i, f := range p.fields {
		if err := fn(f, sv.Field(f.Index), subjects.of(p.group[i])); err != nil {
			return err
		}
	}
	return nil
}

// groupSubjects holds the subject IDs of a flat struct value, by the
// position of their subject field in flatPlan.subjects.
type groupSubjects struct {
	few  [4]string
	more []string
}

func (g *groupSubjects) of(i int) string {
	switch {
	case i < 0:
		return ""
	case i < len(g.few):
		return g.few[i]
	}
	return g.more[i-len(g.few)]
}

// subjectsOf reads the subject fields of struct value sv.
func (p *flatPlan) subjectsOf(sv reflect.Value) groupSubjects {
	var g groupSubjects
	for i, f := range p.subjects {
		id := sv.Field(f.Index).String()
		if i < len(g.few) {
			g.few[i] = id
		} else {
			g.more = append(g.more, id)
		}
	}
	return g
}
