package piicheck

import (
	"go/ast"
	"go/types"
	"strconv"
	"strings"

	"github.com/gdprkit/gdprkit/pii/internal/fieldname"
)

// checkStruct reports the exported fields of st whose names look personal
// (see package fieldname) and whose type holds a value directly, yet carry
// no pii tag. owner names the struct type, or is empty for a type literal.
func (c *checker) checkStruct(st *ast.StructType, owner string) {
	for _, field := range st.Fields.List {
		if len(field.Names) == 0 {
			continue // embedded: its own fields are checked where it is declared
		}
		if field.Tag != nil {
			if tag, err := strconv.Unquote(field.Tag.Value); err == nil && hasTag(tag) {
				continue
			}
		}
		if !holdsValue(c.pass.TypesInfo.TypeOf(field.Type)) {
			continue
		}
		for _, name := range field.Names {
			if !name.IsExported() {
				continue
			}
			reason, ok := fieldname.LooksPersonal(name.Name)
			if !ok {
				continue
			}
			field := name.Name
			if owner != "" {
				field = owner + "." + field
			}
			c.report(name, "untagged", fieldname.Untagged(field, reason))
		}
	}
}

// holdsValue reports whether a field of type t holds a value itself (text,
// a number, bytes, a time, an IP address, or a pointer, slice, array or map
// of them) rather than a struct with fields of its own, a bool, a function,
// a channel or an interface.
func holdsValue(t types.Type) bool {
	for t != nil {
		t = types.Unalias(t)
		if named, ok := t.(*types.Named); ok && named.Obj().Pkg() != nil {
			path, name := named.Obj().Pkg().Path(), named.Obj().Name()
			switch {
			case path == "time" && name == "Time",
				path == "net/netip" && (name == "Addr" || name == "AddrPort"),
				path == "database/sql" && strings.HasPrefix(name, "Null"):
				return true
			}
		}
		switch u := t.Underlying().(type) {
		case *types.Basic:
			return u.Info()&(types.IsString|types.IsNumeric) != 0
		case *types.Pointer:
			t = u.Elem()
		case *types.Slice:
			t = u.Elem()
		case *types.Array:
			t = u.Elem()
		case *types.Map:
			t = u.Elem()
		default:
			return false
		}
	}
	return false
}
