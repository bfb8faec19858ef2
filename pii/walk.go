package pii

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
)

// maxDepth bounds how deep Walk and the redactors descend through nested
// structs, slices, arrays and maps. Pointers and interfaces do not count: a
// node met again is not followed (see nodes), so they cannot run away.
const maxDepth = 64

// ErrTooDeep is returned by Walk for values nested deeper than 64 levels of
// structs, slices, arrays and maps.
var ErrTooDeep = errors.New("pii: value nested too deeply")

// Visit is one subject or personal field met by Walk.
type Visit struct {
	Field *Field
	// Value is the field's value. It is settable when Walk was given a
	// pointer, including fields inside map values and interfaces, which Walk
	// copies out and stores back after the callback.
	Value reflect.Value
	// Subject is the data subject's ID in effect for the field's group: from
	// a subject field of the same struct, or inherited from an enclosing one.
	// Empty when no subject is known.
	Subject string
	// Owner is the struct value that holds the field.
	Owner reflect.Value
}

// scope maps subject groups to the subject IDs in effect.
type scope []groupSubject

type groupSubject struct{ group, subject string }

func (s scope) subject(group string) string {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i].group == group {
			return s[i].subject
		}
	}
	return ""
}

// Walk calls fn for every subject and personal field in v, depth first, in
// declaration order, following pointers, slices, arrays, maps and
// interfaces. Pass a pointer to let fn change fields. Each node, the target
// of a pointer, a map or a slice's elements, is visited once per call, so
// that a cycle ends and a value whose nodes are shared (a DAG) is walked in
// time linear in its size: a node reached along two paths is visited along
// the first only, with the subjects in effect there. Walk stops at the first error
// fn returns, and returns it. The *Visit is reused between calls: do not keep
// it. Walk allocates nothing of its own for a struct without maps or
// interfaces.
func Walk(v any, fn func(*Visit) error) error {
	if v == nil {
		return nil
	}
	w := walkers.Get().(*walker)
	w.fn = fn
	err := w.value(reflect.ValueOf(v), nil, 0)
	*w = walker{stack: w.stack[:0]}
	walkers.Put(w)
	return err
}

var walkers = sync.Pool{New: func() any { return new(walker) }}

type walker struct {
	fn    func(*Visit) error
	nodes nodes          // nodes met, each visited once
	stack []groupSubject // backing store of the scopes on the way down
	visit Visit
}

func (w *walker) value(v reflect.Value, sc scope, depth int) error {
	if depth > maxDepth {
		return ErrTooDeep
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		if w.met(v) {
			return nil
		}
		return w.value(v.Elem(), sc, depth)
	case reflect.Interface:
		if v.IsNil() {
			return nil
		}
		inner := v.Elem()
		if inner.Kind() == reflect.Pointer || !v.CanSet() || !mayContain(inner.Type()) {
			return w.value(inner, sc, depth)
		}
		copied := reflect.New(inner.Type()).Elem()
		copied.Set(inner)
		if err := w.value(copied, sc, depth); err != nil {
			return err
		}
		v.Set(copied)
		return nil
	case reflect.Slice, reflect.Array:
		if !mayContain(v.Type().Elem()) || v.Kind() == reflect.Slice && w.met(v) {
			return nil
		}
		for i := 0; i < v.Len(); i++ {
			if err := w.value(v.Index(i), sc, depth+1); err != nil {
				return err
			}
		}
		return nil
	case reflect.Map:
		elem := v.Type().Elem()
		if !mayContain(elem) || v.Len() == 0 || w.met(v) {
			return nil
		}
		iter := v.MapRange()
		for iter.Next() {
			copied := reflect.New(elem).Elem()
			copied.Set(iter.Value())
			if err := w.value(copied, sc, depth+1); err != nil {
				return err
			}
			v.SetMapIndex(iter.Key(), copied)
		}
		return nil
	case reflect.Struct:
		return w.strct(v, sc, depth)
	}
	return nil
}

// met reports whether the node of v (a pointer, map or slice) was met
// before in this walk, and records it.
func (w *walker) met(v reflect.Value) bool {
	k, ok := nodeOf(v)
	if !ok {
		return false
	}
	met, _ := w.nodes.enter(k)
	return met
}

func (w *walker) strct(v reflect.Value, sc scope, depth int) error {
	s, err := SchemaOf(v.Type())
	if err != nil {
		return err
	}
	if !s.personal {
		return nil
	}
	sc = s.scope(v, sc, &w.stack)
	for i := range s.fields {
		f := &s.fields[i]
		if f.kind == ordinaryField {
			continue
		}
		fv := v.Field(f.Index)
		switch f.kind {
		case containerField:
			if f.holds {
				if err := w.value(fv, sc, depth+1); err != nil {
					return err
				}
			}
		case subjectField, personalField:
			w.visit = Visit{Field: f, Value: fv, Subject: sc.subject(f.Tag.Group), Owner: v}
			if err := w.fn(&w.visit); err != nil {
				return err
			}
		}
	}
	return nil
}

// scope returns the subjects in effect inside struct value v: those of its
// own subject fields and of the embedded structs they are promoted from,
// over those inherited. An empty subject field counts: its group then has
// no subject. The result is appended to
// *stack after the inherited entries, so that scopes down one path share
// one buffer; inherited must be a prefix of *stack or nil.
func (s *Schema) scope(v reflect.Value, inherited scope, stack *[]groupSubject) scope {
	out := inherited
	for _, ref := range s.subjects {
		fv, err := v.FieldByIndexErr(ref.index)
		if err != nil {
			continue // through a nil embedded pointer
		}
		// A declared but empty subject field leaves its group without a
		// subject: the value belongs to someone unknown, not to whoever
		// encloses it.
		id := fv.String()
		if len(out) == len(inherited) {
			// First subject of this struct: extend the shared buffer,
			// whose first entries are the inherited ones. Entries past
			// them belong to subtrees already walked.
			out = (*stack)[:len(inherited)]
		}
		out = append(out, groupSubject{ref.group, id})
	}
	if len(out) > len(inherited) {
		*stack = out
	}
	return out
}

// SubjectOf returns the data subject's ID of the default group held by v (a
// struct or a pointer to one), or an error when v has no subject field or it
// is empty.
func SubjectOf(v any) (string, error) {
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return "", fmt.Errorf("pii: SubjectOf %T: not a struct", v)
	}
	s, err := SchemaOf(rv.Type())
	if err != nil {
		return "", err
	}
	var stack []groupSubject
	if id := s.scope(rv, nil, &stack).subject(""); id != "" {
		return id, nil
	}
	return "", fmt.Errorf("pii: SubjectOf %T: no subject field, or it is empty", v)
}
