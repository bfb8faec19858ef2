package piicheck

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/types/typeutil"
)

// trustHandler is the -slog-handler flag: every log/slog logger of the
// program writes through pii.NewHandler.
var trustHandler bool

func init() {
	Analyzer.Flags.BoolVar(&trustHandler, "slog-handler", false,
		"every log/slog logger writes through pii.NewHandler (for instance after slog.SetDefault(slog.New(pii.NewHandler(...)))): "+
			"values whose types hold personal fields may go to log/slog; personal fields read out of a struct are still reported, "+
			"since the handler cannot tell them from other strings")
}

// redactingLogger reports whether the *slog.Logger that e evaluates to
// writes through pii.NewHandler, as far as the package shows: e is
// slog.New(pii.NewHandler(...)), With or WithGroup of such a logger, or a
// variable assigned nothing but such a logger.
func (c *checker) redactingLogger(e ast.Expr, depth int) bool {
	const maxDepth = 16 // variables assigned from variables, and so on
	if depth > maxDepth {
		return false
	}
	info := c.pass.TypesInfo
	switch e := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		fn := typeutil.StaticCallee(info, e)
		switch {
		case fn == nil:
			return false
		case isFunc(fn, "log/slog", "", "New"):
			return len(e.Args) == 1 && c.isNewHandler(e.Args[0])
		case isFunc(fn, "log/slog", "Logger", "With"), isFunc(fn, "log/slog", "Logger", "WithGroup"):
			sel, ok := e.Fun.(*ast.SelectorExpr)
			return ok && c.redactingLogger(sel.X, depth+1)
		}
	case *ast.Ident:
		v, ok := info.Uses[e].(*types.Var)
		if !ok || v.Exported() && v.Parent() == c.pass.Pkg.Scope() {
			return false // another package may assign an exported variable
		}
		values := c.assignments()[v]
		return len(values) == 1 && values[0] != nil && c.redactingLogger(values[0], depth+1)
	}
	return false
}

// isNewHandler reports whether e calls pii.NewHandler.
func (c *checker) isNewHandler(e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn := typeutil.StaticCallee(c.pass.TypesInfo, call)
	return fn != nil && isFunc(fn, modulePath+"/pii", "", "NewHandler")
}

// assignments maps each variable of the package to the expressions
// assigned to it; a nil expression stands for an assignment whose value is
// not known (a multi-value call, a range, ++, or taking its address).
func (c *checker) assignments() map[*types.Var][]ast.Expr {
	if c.assigned != nil {
		return c.assigned
	}
	info := c.pass.TypesInfo
	c.assigned = map[*types.Var][]ast.Expr{}
	record := func(id ast.Expr, value ast.Expr) {
		ident, ok := ast.Unparen(id).(*ast.Ident)
		if !ok {
			return
		}
		if v, ok := info.ObjectOf(ident).(*types.Var); ok {
			c.assigned[v] = append(c.assigned[v], value)
		}
	}
	for _, file := range c.pass.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for i, lhs := range n.Lhs {
					var value ast.Expr
					if len(n.Lhs) == len(n.Rhs) && (n.Tok == token.ASSIGN || n.Tok == token.DEFINE) {
						value = n.Rhs[i]
					}
					record(lhs, value)
				}
			case *ast.ValueSpec:
				for i, name := range n.Names {
					var value ast.Expr
					if len(n.Names) == len(n.Values) {
						value = n.Values[i]
					}
					record(name, value)
				}
			case *ast.RangeStmt:
				record(n.Key, nil)
				if n.Value != nil {
					record(n.Value, nil)
				}
			case *ast.IncDecStmt:
				record(n.X, nil)
			case *ast.UnaryExpr:
				if n.Op == token.AND {
					record(n.X, nil)
				}
			}
			return true
		})
	}
	return c.assigned
}

// isFunc reports whether fn is the function pkg.name, or the method
// recv.name of a named type of package pkg.
func isFunc(fn *types.Func, pkg, recv, name string) bool {
	if fn.Pkg() == nil || fn.Pkg().Path() != pkg || fn.Name() != name {
		return false
	}
	r := fn.Signature().Recv()
	if r == nil {
		return recv == ""
	}
	t := r.Type()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Name() == recv
}
