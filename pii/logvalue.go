package pii

import (
	"log/slog"
	"reflect"
)

// logValue turns v into a slog.Value with personal fields redacted: structs
// become groups, other containers that hold personal data a view, rendered
// when the handler writes it. A node (pointer target, slice or map) met
// again becomes "<shared>", or "<cycle>" inside itself.
func (r *redactor) logValue(v reflect.Value, depth int, ns *nodes) slog.Value {
	switch v.Kind() {
	case reflect.Invalid:
		return slog.AnyValue(nil)
	case reflect.Pointer:
		if v.IsNil() {
			return slog.AnyValue(nil)
		}
		k, _ := nodeOf(v)
		if met, open := ns.enter(k); met {
			return slog.StringValue(marker(open))
		}
		out := r.logValue(v.Elem(), depth, ns)
		ns.leave(k)
		return out
	case reflect.Interface:
		if v.IsNil() {
			return slog.AnyValue(nil)
		}
		return r.logValue(v.Elem(), depth, ns)
	}
	if depth > maxDepth {
		return slog.StringValue("<too deep>")
	}
	if v.Kind() != reflect.Struct {
		if !MayHold(v.Type()) {
			return slogValue(leafOf(v.Type()), v)
		}
		// A view renders with nodes of its own, when the handler writes
		// it, and perhaps more than once; a slice or map met again here is
		// not rendered again.
		if k, shared := nodeOf(v); shared {
			if met, open := ns.enter(k); met {
				return slog.StringValue(marker(open))
			}
			ns.leave(k)
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
		if f.json.Skip {
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
			attrs = append(attrs, slog.Attr{Key: key, Value: r.logValue(fv, depth+1, ns)})
		default:
			attrs = append(attrs, slog.Attr{Key: f.Key, Value: slogValue(f.leaf, fv)})
		}
	}
	return slog.GroupValue(attrs...)
}
