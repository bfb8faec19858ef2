package pii

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
)

// mode is how fmt was asked to print: %v, %+v or %#v (%s prints as %v).
type mode uint8

const (
	modePlain mode = iota
	modePlus
	modeSharp
)

func fmtMode(f fmt.State, verb rune) mode {
	switch {
	case verb == 'v' && f.Flag('#'):
		return modeSharp
	case verb == 'v' && f.Flag('+'):
		return modePlus
	}
	return modePlain
}

var verbs = [...]string{modePlain: "%v", modePlus: "%+v", modeSharp: "%#v"}

// appendFmt prints v as fmt would, with personal fields redacted. Nested
// pointers print as &{…} rather than as addresses; a node (pointer target,
// slice or map) met again prints as <shared>, or <cycle> inside itself, so
// that shared nodes are shown once and the work stays linear.
func (r *redactor) appendFmt(buf []byte, v reflect.Value, m mode, depth int, ns *nodes) []byte {
	if depth > maxDepth {
		return append(buf, "<too deep>"...)
	}
	if !v.IsValid() {
		return append(buf, "<nil>"...)
	}
	if !MayHold(v.Type()) {
		if !v.CanInterface() {
			return append(buf, "<unexported>"...)
		}
		return fmt.Appendf(buf, verbs[m], v.Interface())
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			if m == modeSharp {
				return fmt.Appendf(buf, "(%v)(nil)", v.Type())
			}
			return append(buf, "<nil>"...)
		}
		k, _ := nodeOf(v)
		if met, open := ns.enter(k); met {
			return append(buf, marker(open)...)
		}
		buf = append(buf, '&')
		buf = r.appendFmt(buf, v.Elem(), m, depth, ns)
		ns.leave(k)
		return buf
	case reflect.Interface:
		if v.IsNil() {
			return append(buf, "<nil>"...)
		}
		return r.appendFmt(buf, v.Elem(), m, depth, ns)
	case reflect.Slice, reflect.Array:
		k, shared := nodeOf(v)
		if shared {
			if met, open := ns.enter(k); met {
				return append(buf, marker(open)...)
			}
			defer ns.leave(k)
		}
		if m == modeSharp {
			buf = append(buf, v.Type().String()...)
			buf = append(buf, '{')
		} else {
			buf = append(buf, '[')
		}
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				buf = append(buf, separator(m)...)
			}
			buf = r.appendFmt(buf, v.Index(i), m, depth+1, ns)
		}
		if m == modeSharp {
			return append(buf, '}')
		}
		return append(buf, ']')
	case reflect.Map:
		k, shared := nodeOf(v)
		if shared {
			if met, open := ns.enter(k); met {
				return append(buf, marker(open)...)
			}
			defer ns.leave(k)
		}
		if m == modeSharp {
			buf = append(buf, v.Type().String()...)
			buf = append(buf, '{')
		} else {
			buf = append(buf, "map["...)
		}
		for i, key := range sortedKeys(v) {
			if i > 0 {
				buf = append(buf, separator(m)...)
			}
			buf = fmt.Appendf(buf, verbs[m], key.Interface())
			buf = append(buf, ':')
			buf = r.appendFmt(buf, v.MapIndex(key), m, depth+1, ns)
		}
		if m == modeSharp {
			return append(buf, '}')
		}
		return append(buf, ']')
	case reflect.Struct:
		return r.appendStruct(buf, v, m, depth, ns)
	}
	return fmt.Appendf(buf, verbs[m], v.Interface())
}

func (r *redactor) appendStruct(buf []byte, v reflect.Value, m mode, depth int, ns *nodes) []byte {
	s, err := SchemaOf(v.Type())
	if err != nil {
		return append(buf, "%!(REDACTION-ERROR "+err.Error()+")"...)
	}
	if m == modeSharp {
		buf = append(buf, v.Type().String()...)
	}
	buf = append(buf, '{')
	first := true
	for i := range s.fields {
		f := &s.fields[i]
		fv := v.Field(f.Index)
		var text string
		personal := f.kind == subjectField || f.kind == personalField
		if personal {
			var ok bool
			if text, ok = r.shown(f, fv); !ok {
				continue
			}
		}
		if !first {
			buf = append(buf, separator(m)...)
		}
		first = false
		if m != modePlain {
			buf = append(buf, f.Name...)
			buf = append(buf, ':')
		}
		switch {
		case personal && m == modeSharp:
			buf = strconv.AppendQuote(buf, text)
		case personal:
			buf = append(buf, text...)
		default:
			buf = r.appendFmt(buf, fv, m, depth+1, ns)
		}
	}
	return append(buf, '}')
}

// Markers stand in for a node met again in one rendering: inside itself (a
// cycle), or along another path, where it was shown already.
const (
	cycleMarker  = "<cycle>"
	sharedMarker = "<shared>"
)

func marker(open bool) string {
	if open {
		return cycleMarker
	}
	return sharedMarker
}

func separator(m mode) string {
	if m == modeSharp {
		return ", "
	}
	return " "
}

// sortedKeys returns the keys of map v in the order fmt prints them.
func sortedKeys(v reflect.Value) []reflect.Value {
	keys := v.MapKeys()
	sort.Slice(keys, func(i, j int) bool {
		return fmt.Sprint(keys[i].Interface()) < fmt.Sprint(keys[j].Interface())
	})
	return keys
}
