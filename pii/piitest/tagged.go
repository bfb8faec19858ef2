package piitest

import (
	"fmt"
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/internal/fieldname"
)

// PersonalFieldsTagged asserts that the struct type of v (a value, a
// pointer, even a nil one such as (*User)(nil), or a reflect.Type) has
// valid pii tags, and that every exported field whose name looks personal
// carries one, in the type and in the struct types its fields lead to. The
// rules are those of the piicheck analyzer (see package fieldname): a field
// counts when its name looks personal (Email, BillingAddress, DateOfBirth,
// ClientIP, but not FileName, HostName or ServerIP) and its type holds a
// value itself (text, a number, bytes, time.Time, netip.Addr, a
// database/sql null type, or a pointer, slice, array or map of them).
//
// A field described with pii.Register counts as tagged, "-" included. A
// tagged field is not looked into: its tag covers it.
// It returns whether the assertion held.
func PersonalFieldsTagged(t testing.TB, v any, msgAndArgs ...any) bool {
	t.Helper()
	typ, ok := v.(reflect.Type)
	if !ok {
		typ = reflect.TypeOf(v)
	}
	for typ != nil && typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if typ == nil || typ.Kind() != reflect.Struct {
		return fail(t, fmt.Sprintf("PersonalFieldsTagged needs a struct type, not %v", typ), msgAndArgs...)
	}
	if _, err := pii.SchemaOf(typ); err != nil {
		return fail(t, fmt.Sprintf("%v has an invalid pii tag: %v", typ, err), msgAndArgs...)
	}
	var problems []string
	seen := map[reflect.Type]bool{}
	var visit func(reflect.Type)
	visit = func(st reflect.Type) {
		if seen[st] {
			return
		}
		seen[st] = true
		schema, _ := pii.SchemaOf(st) // checked with typ: it is reachable from it
		for i := 0; i < st.NumField(); i++ {
			sf := st.Field(i)
			if !sf.IsExported() || tagged(schema, sf) {
				continue
			}
			if inner := structBehind(sf.Type); inner != nil {
				visit(inner)
				continue
			}
			if sf.Anonymous || !holdsValue(sf.Type) {
				continue
			}
			if reason, ok := fieldname.LooksPersonal(sf.Name); ok {
				field := sf.Name
				if st.Name() != "" {
					field = st.Name() + "." + field
				}
				problems = append(problems, fieldname.Untagged(field, reason))
			}
		}
	}
	visit(typ)
	if len(problems) == 0 {
		return true
	}
	headline := fmt.Sprintf("%v has %s without a pii tag:", typ, plural(len(problems), "personal-looking field"))
	return fail(t, list(headline, problems, len(problems)), msgAndArgs...)
}

// tagged reports whether a field carries a pii tag, on the field or given
// with pii.Register.
func tagged(schema *pii.Schema, sf reflect.StructField) bool {
	if _, ok := sf.Tag.Lookup(pii.TagKey); ok {
		return true
	}
	return schema != nil && schema.Tagged(sf.Name)
}

var (
	netipAddr     = reflect.TypeFor[netip.Addr]()
	netipAddrPort = reflect.TypeFor[netip.AddrPort]()
)

// holdsValue is the piicheck analyzer's rule, on reflect types: text, a
// number, bytes, time.Time, netip.Addr(Port), a database/sql null type, or
// a pointer, slice, array or map of them.
func holdsValue(t reflect.Type) bool {
	for {
		switch {
		case t == timeType, t == netipAddr, t == netipAddrPort,
			t.PkgPath() == "database/sql" && strings.HasPrefix(t.Name(), "Null"):
			return true
		}
		switch t.Kind() {
		case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
			reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
			return true
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			t = t.Elem()
		default:
			return false
		}
	}
}

// structBehind strips pointers, slices, arrays and map values and returns
// the struct type found, or nil. time.Time and the like hold a value and
// are not looked into.
func structBehind(t reflect.Type) reflect.Type {
	for {
		if holdsValue(t) {
			return nil
		}
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			t = t.Elem()
		case reflect.Struct:
			return t
		default:
			return nil
		}
	}
}
