package pii

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
)

// CategoriesOf returns the categories of the personal fields of v (a value
// whose type carries pii tags) that hold a non-zero value, through nested
// structs, pointers, slices and maps, each once, in the order met. Where
// Schema.Categories tells what a type may hold, CategoriesOf tells what a
// value does: a retention Source builds its candidates' categories with it,
// so that fields already erased are not offered again.
func CategoriesOf(v any) ([]Category, error) {
	var out []Category
	err := Walk(v, func(vis *Visit) error {
		if vis.Field.Personal() && !vis.Value.IsZero() && !slices.Contains(out, vis.Field.Category()) {
			out = append(out, vis.Field.Category())
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("pii: categories of %T: %w", v, err)
	}
	return out, nil
}

// EraseFields sets to their zero value the personal fields of *v whose
// category lies within one of categories (every personal field when none
// are given), through nested structs, pointers, slices and maps, and
// returns how many it changed. It is Minimize's counterpart in place, with
// the categories to drop rather than those to keep. v must be a non-nil
// pointer. Subject fields are kept, so the record stays attributable to the
// subject. Running it twice changes nothing the second time.
func EraseFields(v any, categories ...Category) (int, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return 0, fmt.Errorf("pii: EraseFields needs a non-nil pointer, not %T", v)
	}
	n := 0
	err := Walk(v, func(vis *Visit) error {
		if !vis.Field.Personal() || vis.Value.IsZero() || !withinAny(vis.Field.Category(), categories) {
			return nil
		}
		if !vis.Value.CanSet() {
			return errors.New("field " + vis.Field.ID + " cannot be set")
		}
		vis.Value.SetZero()
		n++
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("pii: erase fields of %T: %w", v, err)
	}
	return n, nil
}

// withinAny reports whether c lies within one of parents; true when there
// are none.
func withinAny(c Category, parents []Category) bool {
	if len(parents) == 0 {
		return true
	}
	for _, p := range parents {
		if c.Within(p) {
			return true
		}
	}
	return false
}
