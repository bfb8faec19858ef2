package pii

import (
	"reflect"
)

// Minimize returns a copy of v that keeps only the personal fields whose
// category lies within one of the allowed categories (Category.Within), as a
// purpose's data-minimisation rule asks (Art. 5(1)(c)). Other personal
// fields are set to their zero value; subject fields and non-personal fields
// are kept. Nested pointers, slices and maps that hold personal data are
// copied, so v itself is never changed; one that v reaches along several
// paths is copied once and shared alike in the copy. A pointer cycle is cut
// in the copy with a nil pointer.
func Minimize[T any](v T, allowed ...Category) (T, error) {
	rv := reflect.ValueOf(&v).Elem()
	out := reflect.New(rv.Type()).Elem()
	m := minimizer{allowed: allowed}
	if err := m.copy(out, rv, 0); err != nil {
		var zero T
		return zero, err
	}
	return out.Interface().(T), nil
}

type minimizer struct {
	allowed []Category
	path    []uintptr
	// copies maps each pointer, slice and map copied to its copy, so that
	// a node shared in v is copied once and shared in the copy, and the
	// work stays linear in the size of v.
	copies map[nodeKey]reflect.Value
}

// copied returns the copy already made of src's node, if any.
func (m *minimizer) copied(src reflect.Value) (nodeKey, reflect.Value, bool) {
	k, ok := nodeOf(src)
	if !ok {
		return k, reflect.Value{}, false
	}
	c, ok := m.copies[k]
	return k, c, ok
}

func (m *minimizer) remember(k nodeKey, c reflect.Value) {
	if m.copies == nil {
		m.copies = map[nodeKey]reflect.Value{}
	}
	m.copies[k] = c
}

func (m *minimizer) keep(c Category) bool {
	for _, a := range m.allowed {
		if c.Within(a) {
			return true
		}
	}
	return false
}

// copy sets dst (settable, same type as src) to a minimised copy of src.
func (m *minimizer) copy(dst, src reflect.Value, depth int) error {
	if depth > maxDepth {
		return ErrTooDeep
	}
	if !mayContain(src.Type()) && src.Kind() != reflect.Interface {
		dst.Set(src)
		return nil
	}
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return nil
		}
		p := src.Pointer()
		for _, q := range m.path {
			if q == p {
				dst.SetZero() // a cycle: the copy ends here with a nil pointer
				return nil
			}
		}
		k, c, done := m.copied(src)
		if done {
			dst.Set(c)
			return nil
		}
		m.path = append(m.path, p)
		defer func() { m.path = m.path[:len(m.path)-1] }()
		n := reflect.New(src.Type().Elem())
		if err := m.copy(n.Elem(), src.Elem(), depth); err != nil {
			return err
		}
		m.remember(k, n)
		dst.Set(n)
	case reflect.Interface:
		if src.IsNil() {
			return nil
		}
		inner := src.Elem()
		n := reflect.New(inner.Type()).Elem()
		if err := m.copy(n, inner, depth); err != nil {
			return err
		}
		dst.Set(n)
	case reflect.Slice:
		if src.IsNil() {
			return nil
		}
		k, c, done := m.copied(src)
		if done {
			dst.Set(c)
			return nil
		}
		n := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		if src.Len() > 0 {
			m.remember(k, n) // before filling it: a cycle through it closes on the copy
		}
		for i := 0; i < src.Len(); i++ {
			if err := m.copy(n.Index(i), src.Index(i), depth+1); err != nil {
				return err
			}
		}
		dst.Set(n)
	case reflect.Array:
		for i := 0; i < src.Len(); i++ {
			if err := m.copy(dst.Index(i), src.Index(i), depth+1); err != nil {
				return err
			}
		}
	case reflect.Map:
		if src.IsNil() {
			return nil
		}
		k, c, done := m.copied(src)
		if done {
			dst.Set(c)
			return nil
		}
		n := reflect.MakeMapWithSize(src.Type(), src.Len())
		if src.Len() > 0 {
			m.remember(k, n) // before filling it: a cycle through it closes on the copy
		}
		iter := src.MapRange()
		for iter.Next() {
			e := reflect.New(src.Type().Elem()).Elem()
			if err := m.copy(e, iter.Value(), depth+1); err != nil {
				return err
			}
			n.SetMapIndex(iter.Key(), e)
		}
		dst.Set(n)
	case reflect.Struct:
		dst.Set(src)
		s, err := SchemaOf(src.Type())
		if err != nil {
			return err
		}
		for i := range s.fields {
			f := &s.fields[i]
			switch {
			case f.kind == personalField && !m.keep(f.Tag.Category):
				dst.Field(f.Index).SetZero()
			case f.kind == containerField && f.holds:
				if err := m.copy(dst.Field(f.Index), src.Field(f.Index), depth+1); err != nil {
					return err
				}
			}
		}
	default:
		dst.Set(src)
	}
	return nil
}
