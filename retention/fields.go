package retention

import (
	"errors"
	"fmt"
	"reflect"
	"slices"

	"github.com/gdprkit/gdprkit/pii"
)

// CategoriesOf returns the categories of the personal fields of v (a value
// whose type carries pii tags) that hold a non-zero value, each once, in the
// order met. A RecordSource builds Candidate.Categories with it, so that fields
// already erased are not offered again.
func CategoriesOf(v any) ([]pii.Category, error) {
	var out []pii.Category
	err := pii.Walk(v, func(vis *pii.Visit) error {
		if vis.Field.Personal() && !vis.Value.IsZero() && !slices.Contains(out, vis.Field.Category()) {
			out = append(out, vis.Field.Category())
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("retention: categories of %T: %w", v, err)
	}
	return out, nil
}

// EraseFields sets to their zero value the personal fields of *v whose
// category lies within one of categories (every personal field when none
// are given, as for an Item that names none), through nested structs,
// pointers, slices and maps, and returns how many it changed. v must be a
// non-nil pointer. Subject fields are kept, so the record stays attributable
// to the subject for other rules. A RecordSource's Erase may use it before writing
// the record back; running it twice changes nothing the second time.
func EraseFields(v any, categories ...pii.Category) (int, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return 0, fmt.Errorf("retention: EraseFields needs a non-nil pointer, not %T", v)
	}
	n := 0
	err := pii.Walk(v, func(vis *pii.Visit) error {
		if !vis.Field.Personal() || vis.Value.IsZero() || !within(vis.Field.Category(), categories) {
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
		return n, fmt.Errorf("retention: erase fields of %T: %w", v, err)
	}
	return n, nil
}

func within(c pii.Category, parents []pii.Category) bool {
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
