package piicheck

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/types/typeutil"
)

// checkSQL reports the arguments of a database/sql call that carry a
// personal field whose tag does not say plain, read out of a value that
// the enclosing function does not seal first (a call of a Seal or Reseal
// method of package pii/shred with the value, or a pointer to it, as an
// argument).
func (c *checker) checkSQL(call *ast.CallExpr, sink string, args []ast.Expr, stack []ast.Node) {
	for _, arg := range args {
		o, ok := c.derived(arg)
		if !ok || o.plain {
			continue
		}
		if root := c.rootVar(arg); root != nil && c.sealedIn(enclosingFunc(stack), root) {
			continue
		}
		msg := fmt.Sprintf("%s: %s writes personal field %s (%s) unsealed; seal the value first (shred.Seal) or write it through a typed table, or tag the field plain",
			sink, shorten(types.ExprString(arg)), o.field, o.category)
		c.report(arg, "unsealed", msg, call.Pos())
	}
}

// enclosingFunc returns the body of the innermost function around the
// node the stack leads to.
func enclosingFunc(stack []ast.Node) *ast.BlockStmt {
	for i := len(stack) - 1; i >= 0; i-- {
		switch f := stack[i].(type) {
		case *ast.FuncDecl:
			return f.Body
		case *ast.FuncLit:
			return f.Body
		}
	}
	return nil
}

// rootVar returns the variable a field read starts from (u in u.Email,
// u.Contact.Address or (*u).Email), or nil.
func (c *checker) rootVar(e ast.Expr) *types.Var {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.SelectorExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.UnaryExpr:
			e = x.X
		case *ast.CallExpr:
			if tv, ok := c.pass.TypesInfo.Types[x.Fun]; ok && tv.IsType() && len(x.Args) == 1 {
				e = x.Args[0]
				continue
			}
			return nil
		case *ast.Ident:
			v, _ := c.pass.TypesInfo.Uses[x].(*types.Var)
			return v
		default:
			return nil
		}
	}
}

// sealedIn reports whether body calls a Seal or Reseal method of package
// pii/shred with v, or a pointer to it, as an argument.
func (c *checker) sealedIn(body *ast.BlockStmt, v *types.Var) bool {
	if body == nil {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		fn := typeutil.StaticCallee(c.pass.TypesInfo, call)
		if fn == nil || fn.Pkg() == nil || !strings.HasSuffix(fn.Pkg().Path(), "/pii/shred") ||
			(fn.Name() != "Seal" && fn.Name() != "Reseal") {
			return true
		}
		for _, arg := range call.Args {
			if c.rootVar(arg) == v {
				found = true
			}
		}
		return !found
	})
	return found
}
