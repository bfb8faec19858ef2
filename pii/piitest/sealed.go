package piitest

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// Sealed asserts that every personal field of v that is not plain holds a
// ciphertext, as shred.Shredder.Seal leaves it: a string or []byte field
// (or a pointer to one) is empty or has the sealed form shred.IsSealed
// recognises. A personal field of any other type fails the assertion, since
// Seal cannot seal it in place: mark it plain, or keep the value with
// shred.Shredder.Marshal. Sealed checks the form only; whether a ciphertext
// opens for its subject and field is for shred.Shredder.Open to say.
//
// It fails when v holds no non-empty personal field to be sealed, since it
// would then check nothing. It returns whether the assertion held.
func Sealed(t testing.TB, v any, msgAndArgs ...any) bool {
	t.Helper()
	var problems []string
	checked := 0
	err := pii.Walk(v, func(vis *pii.Visit) error {
		f := vis.Field
		if !f.Personal() || f.Tag.Plain {
			return nil
		}
		text, ok := textOf(vis.Value)
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s (%s) is a %v, which Seal cannot seal in place: mark it plain, or keep it with Shredder.Marshal",
				fieldLabel(vis), f.Category(), f.Type))
		case text == "":
		case shred.IsSealed(text):
			checked++
		default:
			checked++
			problems = append(problems, fmt.Sprintf("%s (%s) holds clear text %q", fieldLabel(vis), f.Category(), shape(f.Category(), text)))
		}
		return nil
	})
	switch {
	case err != nil:
		return fail(t, fmt.Sprintf("cannot read the personal fields of %T: %v", v, err), msgAndArgs...)
	case len(problems) > 0:
		headline := fmt.Sprintf("%T is not sealed:", v)
		return fail(t, list(headline, problems, len(problems)), msgAndArgs...)
	case checked == 0:
		return fail(t, fmt.Sprintf("%T holds no non-empty personal field to be sealed, so there is nothing to check", v), msgAndArgs...)
	}
	return true
}

// textOf returns the text held by a string or []byte value, or a pointer
// to one (a nil pointer holds ""), and whether v is such a value.
func textOf(v reflect.Value) (string, bool) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			k := v.Type().Elem()
			return "", k.Kind() == reflect.String || k.Kind() == reflect.Slice && k.Elem().Kind() == reflect.Uint8
		}
		v = v.Elem()
	}
	switch {
	case v.Kind() == reflect.String:
		return v.String(), true
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8:
		return string(v.Bytes()), true
	}
	return "", false
}
