package piicheck

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// origin is the personal field a value was derived from, and how.
type origin struct {
	field    string // "Type.Field"
	category string
	plain    bool   // the field's tag says plain: personal, never sealed
	via      string // how it got here: "local email", "concatenation", ...
}

// maxFlow bounds how far values are followed through variables.
const maxFlow = 16

// derived reports whether the value of e holds a personal field read out of
// its struct, directly (u.Email) or through local variables assigned from
// one, string concatenation, fmt.Sprint, Sprintf, Sprintln and Append*,
// string functions of package strings and strconv.Quote, and map, slice,
// array and struct literals holding one. Values of types that hold personal
// fields are the type rule's business, not this one's.
func (c *checker) derived(e ast.Expr) (origin, bool) {
	return c.flow(e, 0, map[*types.Var]bool{})
}

func (c *checker) flow(e ast.Expr, depth int, seen map[*types.Var]bool) (origin, bool) {
	if depth > maxFlow {
		return origin{}, false
	}
	info := c.pass.TypesInfo
	if field, category, plain, ok := personalField(info, c.qual, e); ok {
		return origin{field: field, category: category, plain: plain}, true
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		v, ok := info.Uses[x].(*types.Var)
		if !ok || v.IsField() || v.Parent() == nil || v.Parent() == c.pass.Pkg.Scope() || seen[v] {
			return origin{}, false // only local variables are followed
		}
		seen[v] = true
		for _, value := range c.assignments()[v] {
			if value == nil {
				continue
			}
			if o, ok := c.flow(value, depth+1, seen); ok {
				if o.via == "" {
					o.via = "local " + v.Name()
				}
				return o, true
			}
		}
	case *ast.BinaryExpr:
		if x.Op != token.ADD {
			return origin{}, false
		}
		for _, side := range []ast.Expr{x.X, x.Y} {
			if o, ok := c.flow(side, depth+1, seen); ok {
				if o.via == "" {
					o.via = "concatenation"
				}
				return o, true
			}
		}
	case *ast.UnaryExpr:
		if x.Op == token.AND {
			return c.flow(x.X, depth+1, seen)
		}
	case *ast.IndexExpr:
		return c.flow(x.X, depth+1, seen)
	case *ast.CompositeLit:
		if c.index.personalIn(info.TypeOf(x)) != nil {
			return origin{}, false // a tagged value: the type rule applies
		}
		for _, elt := range x.Elts {
			parts := []ast.Expr{elt}
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				parts = []ast.Expr{kv.Key, kv.Value}
				if _, isStruct := info.TypeOf(x).Underlying().(*types.Struct); isStruct {
					parts = parts[1:]
				}
			}
			for _, p := range parts {
				if o, ok := c.flow(p, depth+1, seen); ok {
					if o.via == "" {
						o.via = "a literal"
					}
					return o, true
				}
			}
		}
	case *ast.CallExpr:
		fn := typeutil.StaticCallee(info, x)
		if fn == nil || !passesText(fn) {
			return origin{}, false
		}
		typeOnly := c.typeOnly(x, shortName(fn))
		for i, arg := range x.Args {
			if typeOnly[i] {
				continue
			}
			if fn.Pkg().Path() == "fmt" {
				if t := info.TypeOf(arg); t != nil && !redactsItself(t, fmtSink) {
					if f := c.index.personalIn(t); f != nil {
						return origin{field: types.TypeString(t, c.qual) + "." + f.path, category: f.category, via: shortName(fn)}, true
					}
				}
			}
			if o, ok := c.flow(arg, depth+1, seen); ok {
				if o.via == "" {
					o.via = shortName(fn)
				}
				return o, true
			}
		}
	}
	return origin{}, false
}

// passesText reports whether fn returns text built from its arguments:
// fmt's Sprint and Append functions, the string functions of package
// strings and strconv.Quote.
func passesText(fn *types.Func) bool {
	if fn.Pkg() == nil || fn.Signature().Recv() != nil {
		return false
	}
	switch fn.Pkg().Path() {
	case "fmt":
		switch fn.Name() {
		case "Sprint", "Sprintf", "Sprintln", "Append", "Appendf", "Appendln":
			return true
		}
	case "strings":
		res := fn.Signature().Results()
		if res.Len() == 0 {
			return false
		}
		switch t := res.At(0).Type().Underlying().(type) {
		case *types.Basic:
			return t.Kind() == types.String
		case *types.Slice:
			b, ok := t.Elem().Underlying().(*types.Basic)
			return ok && b.Kind() == types.String
		}
	case "strconv":
		return fn.Name() == "Quote" || fn.Name() == "QuoteToASCII"
	}
	return false
}

func shortName(fn *types.Func) string {
	return fn.Pkg().Name() + "." + fn.Name()
}
