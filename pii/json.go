package pii

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
)

// errCycle is returned for a value that contains itself, which JSON cannot
// show.
var errCycle = errors.New("pii: cycle in value")

// appendJSON writes v as encoding/json would (field names, omitempty, "-",
// embedded structs inlined), with personal fields redacted. A node (pointer
// target, slice or map) met again is written as the string "<shared>", so
// that shared nodes are written once and the work stays linear; one met
// inside itself is an error.
func (r *redactor) appendJSON(buf []byte, v reflect.Value, depth int, ns *nodes) ([]byte, error) {
	if depth > maxDepth {
		return nil, ErrTooDeep
	}
	if !v.IsValid() {
		return append(buf, "null"...), nil
	}
	if !MayHold(v.Type()) {
		if !v.CanInterface() {
			return append(buf, "null"...), nil
		}
		b, err := json.Marshal(v.Interface())
		if err == nil && r != nil && r.text != nil {
			b, err = redactJSONStrings(b, r.forType(v.Type()), r.keys)
		}
		return append(buf, b...), err
	}
	if k, shared := nodeOf(v); shared {
		met, open := ns.enter(k)
		switch {
		case met && open:
			return nil, errCycle
		case met:
			return appendJSONString(buf, sharedMarker), nil
		}
		defer ns.leave(k)
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return append(buf, "null"...), nil
		}
		return r.appendJSON(buf, v.Elem(), depth, ns)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return append(buf, "null"...), nil
		}
		buf = append(buf, '[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				buf = append(buf, ',')
			}
			var err error
			if buf, err = r.appendJSON(buf, v.Index(i), depth+1, ns); err != nil {
				return nil, err
			}
		}
		return append(buf, ']'), nil
	case reflect.Map:
		if v.IsNil() {
			return append(buf, "null"...), nil
		}
		keys := v.MapKeys()
		names := make([]string, len(keys))
		for i, k := range keys {
			names[i] = mapKeyName(k)
		}
		order := make([]int, len(keys))
		for i := range order {
			order[i] = i
		}
		sort.Slice(order, func(a, b int) bool { return names[order[a]] < names[order[b]] })
		buf = append(buf, '{')
		for n, i := range order {
			if n > 0 {
				buf = append(buf, ',')
			}
			buf = appendJSONString(buf, names[i])
			buf = append(buf, ':')
			if shown, ok := r.namedPersonal(names[i]); ok {
				buf = appendJSONString(buf, shown)
				continue
			}
			var err error
			if buf, err = r.appendJSON(buf, v.MapIndex(keys[i]), depth+1, ns); err != nil {
				return nil, err
			}
		}
		return append(buf, '}'), nil
	case reflect.Struct:
		buf = append(buf, '{')
		first := true
		buf, err := r.appendMembers(buf, v, &first, depth, ns)
		if err != nil {
			return nil, err
		}
		return append(buf, '}'), nil
	}
	return nil, fmt.Errorf("pii: cannot encode %v as JSON", v.Type())
}

// appendMembers writes the members of struct v, inlining embedded structs.
func (r *redactor) appendMembers(buf []byte, v reflect.Value, first *bool, depth int, ns *nodes) ([]byte, error) {
	s, err := SchemaOf(v.Type())
	if err != nil {
		return nil, err
	}
	for i := range s.fields {
		f := &s.fields[i]
		fv := v.Field(f.Index)
		if f.json.Skip || (f.json.OmitEmpty && fv.IsZero()) {
			continue
		}
		if f.inline {
			if fv.Kind() == reflect.Pointer {
				if fv.IsNil() {
					continue
				}
				k, _ := nodeOf(fv)
				if met, open := ns.enter(k); met {
					if open {
						return nil, errCycle
					}
					continue // its members were written where it was first met
				}
				fv = fv.Elem()
				buf, err = r.appendMembers(buf, fv, first, depth+1, ns)
				ns.leave(k)
				if err != nil {
					return nil, err
				}
				continue
			}
			if buf, err = r.appendMembers(buf, fv, first, depth+1, ns); err != nil {
				return nil, err
			}
			continue
		}
		var text string
		personal := f.kind == subjectField || f.kind == personalField
		if personal {
			var ok bool
			if text, ok = r.shown(f, fv); !ok {
				continue
			}
		}
		if !*first {
			buf = append(buf, ',')
		}
		*first = false
		buf = appendJSONString(buf, f.Key)
		buf = append(buf, ':')
		if personal {
			buf = appendJSONString(buf, text)
			continue
		}
		if f.named != "" && r != nil && r.keys && !r.allow[f.Key] && !fv.IsZero() {
			buf = appendJSONString(buf, f.named)
			continue
		}
		if buf, err = r.appendJSON(buf, fv, depth+1, ns); err != nil {
			return nil, err
		}
	}
	return buf, nil
}

func mapKeyName(k reflect.Value) string {
	if k.Kind() == reflect.String {
		return k.String()
	}
	return fmt.Sprint(k.Interface())
}

func appendJSONString(buf []byte, s string) []byte {
	b, _ := json.Marshal(s) // a string always encodes
	return append(buf, b...)
}
