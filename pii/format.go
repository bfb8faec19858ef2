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
// pointers print as &{…} rather than as addresses.
func (r *redactor) appendFmt(buf []byte, v reflect.Value, m mode, depth int, path []uintptr) []byte {
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
		if onPath(path, v.Pointer()) {
			return append(buf, "<cycle>"...)
		}
		buf = append(buf, '&')
		return r.appendFmt(buf, v.Elem(), m, depth+1, append(path, v.Pointer()))
	case reflect.Interface:
		if v.IsNil() {
			return append(buf, "<nil>"...)
		}
		return r.appendFmt(buf, v.Elem(), m, depth+1, path)
	case reflect.Slice, reflect.Array:
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
			buf = r.appendFmt(buf, v.Index(i), m, depth+1, path)
		}
		if m == modeSharp {
			return append(buf, '}')
		}
		return append(buf, ']')
	case reflect.Map:
		if m == modeSharp {
			buf = append(buf, v.Type().String()...)
			buf = append(buf, '{')
		} else {
			buf = append(buf, "map["...)
		}
		for i, k := range sortedKeys(v) {
			if i > 0 {
				buf = append(buf, separator(m)...)
			}
			buf = fmt.Appendf(buf, verbs[m], k.Interface())
			buf = append(buf, ':')
			buf = r.appendFmt(buf, v.MapIndex(k), m, depth+1, path)
		}
		if m == modeSharp {
			return append(buf, '}')
		}
		return append(buf, ']')
	case reflect.Struct:
		return r.appendStruct(buf, v, m, depth, path)
	}
	return fmt.Appendf(buf, verbs[m], v.Interface())
}

func (r *redactor) appendStruct(buf []byte, v reflect.Value, m mode, depth int, path []uintptr) []byte {
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
			buf = r.appendFmt(buf, fv, m, depth+1, path)
		}
	}
	return append(buf, '}')
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
