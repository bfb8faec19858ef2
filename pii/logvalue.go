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
			return r.ordinary(leafOf(v.Type()), v)
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
		if r != nil && r.text != nil {
			// The view writes personal fields in their styles; the free
			// text around them is rewritten, keys left alone.
			return slog.AnyValue(redactedText{v: view{v: v, r: r}, r: r, noKeys: true})
		}
		return slog.AnyValue(view{v: v, r: r})
	}
	s, err := SchemaOf(v.Type())
	if err != nil {
		return slog.StringValue("!REDACTION-ERROR: " + err.Error())
	}
	if !s.personal {
		return r.ordinary(leafOf(v.Type()), v)
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
		case f.named != "" && r != nil && r.keys && !r.allow[f.Key] && !fv.IsZero():
			attrs = append(attrs, slog.String(f.Key, f.named))
		default:
			attrs = append(attrs, slog.Attr{Key: f.Key, Value: r.ordinary(f.leaf, fv)})
		}
	}
	return slog.GroupValue(attrs...)
}

// ordinary turns a value without personal fields into a slog.Value, its
// text rewritten by the free-text redactor when there is one.
func (r *redactor) ordinary(k leafKind, v reflect.Value) slog.Value {
	out := slogValue(k, v)
	if r == nil || r.text == nil {
		return out
	}
	switch out.Kind() {
	case slog.KindString:
		return slog.StringValue(r.text.RedactString(out.String()))
	case slog.KindAny, slog.KindLogValuer:
		out, _ = r.value(out)
	}
	return out
}
