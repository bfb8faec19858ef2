package pii

import (
	"log/slog"
	"reflect"
	"sync"
)

var needsCache sync.Map // reflect.Type -> bool

// logValue turns v into a slog.Value with personal fields redacted: structs
// become groups, other containers that hold personal data a view.
func (r *redactor) logValue(v reflect.Value, depth int, path []uintptr) slog.Value {
	for {
		switch v.Kind() {
		case reflect.Invalid:
			return slog.AnyValue(nil)
		case reflect.Pointer:
			if v.IsNil() {
				return slog.AnyValue(nil)
			}
			if onPath(path, v.Pointer()) {
				return slog.StringValue("<cycle>")
			}
			path = append(path, v.Pointer())
			v = v.Elem()
			continue
		case reflect.Interface:
			if v.IsNil() {
				return slog.AnyValue(nil)
			}
			v = v.Elem()
			continue
		}
		break
	}
	if depth > maxDepth {
		return slog.StringValue("<too deep>")
	}
	if v.Kind() != reflect.Struct {
		if !MayHold(v.Type()) {
			return slogValue(leafOf(v.Type()), v)
		}
		return slog.AnyValue(view{v: v, r: r})
	}
	s, err := SchemaOf(v.Type())
	if err != nil {
		return slog.StringValue("!REDACTION-ERROR: " + err.Error())
	}
	if !s.personal {
		return slogValue(leafOf(v.Type()), v)
	}
	attrs := make([]slog.Attr, 0, len(s.fields))
	for i := range s.fields {
		f := &s.fields[i]
		if f.noJSON {
			continue
		}
		fv := v.Field(f.Index)
		switch {
		case f.kind == subjectField || f.kind == personalField:
			if text, ok := r.shown(f, fv); ok {
				attrs = append(attrs, slog.String(f.Key, text))
			}
		case f.kind == containerField && f.holds:
			key := f.Key
			if f.inline {
				key = ""
			}
			attrs = append(attrs, slog.Attr{Key: key, Value: r.logValue(fv, depth+1, path)})
		default:
			attrs = append(attrs, slog.Attr{Key: f.Key, Value: slogValue(f.leaf, fv)})
		}
	}
	return slog.GroupValue(attrs...)
}

func onPath(path []uintptr, p uintptr) bool {
	for _, q := range path {
		if q == p {
			return true
		}
	}
	return false
}
