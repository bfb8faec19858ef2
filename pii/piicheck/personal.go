package piicheck

import (
	"go/ast"
	"go/types"
	"reflect"
	"strings"

	"golang.org/x/tools/go/types/typeutil"

	"github.com/gdprkit/gdprkit/pii"
)

// personalTag reports whether a struct tag marks a personal field, and its
// category. Any pii tag other than "-" and "subject" does: a tag that
// pii.ParseTag rejects (a category registered at run time, a typo) still
// says the author meant the field to be personal.
func personalTag(structTag string) (category string, ok bool) {
	category, _, ok = personalTagPlain(structTag)
	return category, ok
}

// personalTagPlain is personalTag that also tells whether the tag has the
// plain option (personal, never sealed at rest).
func personalTagPlain(structTag string) (category string, plain, ok bool) {
	text, tagged := reflect.StructTag(structTag).Lookup(pii.TagKey)
	if !tagged {
		return "", false, false
	}
	tag, err := pii.ParseTag(text)
	if err == nil {
		return string(tag.Category), tag.Plain, tag.Personal()
	}
	head, rest, _ := strings.Cut(text, ",")
	for _, opt := range strings.Split(rest, ",") {
		plain = plain || opt == "plain"
	}
	return head, plain, head != "" && head != "-" && head != "subject"
}

// hasTag reports whether a struct tag has a pii key at all.
func hasTag(structTag string) bool {
	_, ok := reflect.StructTag(structTag).Lookup(pii.TagKey)
	return ok
}

// finding names the personal field found in a type, as a path of field
// names from the type ("Contact.Email"), with its category.
type finding struct {
	path     string
	category string
}

// typeIndex remembers, for one pass, which types hold personal fields.
type typeIndex struct {
	memo typeutil.Map // *types.Named -> *finding, or none
}

// none is remembered for a type that holds no personal field.
var none = new(finding)

// personalIn returns the first personal field reachable from t through
// struct fields, pointers, slices, arrays and maps, or nil. Interfaces are
// not followed: what they hold is not known before run time.
func (x *typeIndex) personalIn(t types.Type) *finding {
	var busy typeutil.Map // named types on the way down, to stop cycles
	f, _ := x.search(t, &busy)
	return f
}

// search returns what personalIn returns and whether the answer was cut
// short by a cycle, in which case a negative answer is not remembered.
func (x *typeIndex) search(t types.Type, busy *typeutil.Map) (found *finding, cut bool) {
	t = types.Unalias(t)
	if named, ok := t.(*types.Named); ok {
		if v := x.memo.At(named); v != nil {
			if v == none {
				return nil, false
			}
			return v.(*finding), false
		}
		if busy.At(named) != nil {
			return nil, true
		}
		busy.Set(named, true)
		defer busy.Delete(named)
		defer func() {
			switch {
			case found != nil:
				x.memo.Set(named, found)
			case !cut:
				x.memo.Set(named, none)
			}
		}()
	}
	switch u := t.Underlying().(type) {
	case *types.Pointer:
		return x.search(u.Elem(), busy)
	case *types.Slice:
		return x.search(u.Elem(), busy)
	case *types.Array:
		return x.search(u.Elem(), busy)
	case *types.Map:
		if f, c := x.search(u.Key(), busy); f != nil || c {
			cut = c
			if f != nil {
				return f, false
			}
		}
		f, c := x.search(u.Elem(), busy)
		return f, cut || c
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			field, tag := u.Field(i), u.Tag(i)
			if hasTag(tag) {
				if category, ok := personalTag(tag); ok {
					return &finding{path: field.Name(), category: category}, false
				}
				continue // a subject field, or reviewed with pii:"-"
			}
			f, c := x.search(field.Type(), busy)
			cut = cut || c
			if f != nil {
				return &finding{path: field.Name() + "." + f.path, category: f.category}, false
			}
		}
	}
	return nil, cut
}

// personalSelector reports whether e reads a pii-tagged personal field,
// perhaps through parentheses, dereferences, indexing, slicing or a type
// conversion, and returns the field as "Type.Field" with its category.
func personalSelector(info *types.Info, qual types.Qualifier, e ast.Expr) (field string, category string, ok bool) {
	field, category, _, ok = personalField(info, qual, e)
	return field, category, ok
}

// personalField is personalSelector that also tells whether the field's
// tag has the plain option.
func personalField(info *types.Info, qual types.Qualifier, e ast.Expr) (field, category string, plain, ok bool) {
	for {
		switch x := e.(type) {
		case *ast.ParenExpr:
			e = x.X
			continue
		case *ast.StarExpr:
			e = x.X
			continue
		case *ast.UnaryExpr:
			e = x.X
			continue
		case *ast.IndexExpr:
			e = x.X
			continue
		case *ast.SliceExpr:
			e = x.X
			continue
		case *ast.CallExpr:
			if tv, isConv := info.Types[x.Fun]; isConv && tv.IsType() && len(x.Args) == 1 {
				e = x.Args[0]
				continue
			}
			return "", "", false, false
		case *ast.SelectorExpr:
			sel := info.Selections[x]
			if sel == nil || sel.Kind() != types.FieldVal {
				return "", "", false, false
			}
			owner := sel.Recv()
			var st *types.Struct
			idx := sel.Index()
			for i, n := range idx {
				st = structOf(owner)
				if st == nil {
					return "", "", false, false
				}
				if i < len(idx)-1 {
					owner = st.Field(n).Type()
				}
			}
			last := idx[len(idx)-1]
			category, plain, ok := personalTagPlain(st.Tag(last))
			if !ok {
				return "", "", false, false
			}
			return ownerName(owner, qual) + st.Field(last).Name(), category, plain, true
		default:
			return "", "", false, false
		}
	}
}

// structOf returns the struct type behind t and one pointer, or nil.
func structOf(t types.Type) *types.Struct {
	if p, ok := types.Unalias(t).Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, _ := types.Unalias(t).Underlying().(*types.Struct)
	return st
}

// ownerName returns "Type." for a named struct type (behind one pointer),
// and "" for an unnamed one.
func ownerName(t types.Type, qual types.Qualifier) string {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	if named, ok := types.Unalias(t).(*types.Named); ok {
		return typeName(named, qual) + "."
	}
	return ""
}

// typeName returns the name of a named type without type arguments,
// qualified as qual says.
func typeName(named *types.Named, qual types.Qualifier) string {
	obj := named.Obj()
	if obj.Pkg() != nil {
		if q := qual(obj.Pkg()); q != "" {
			return q + "." + obj.Name()
		}
	}
	return obj.Name()
}
