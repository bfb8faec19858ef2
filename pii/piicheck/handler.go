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
// slog.New(h) where h is pii.NewHandler(...) (or a variable assigned
// nothing else), With or WithGroup of such a logger, a call of a function
// of the package that returns nothing else, or a variable, an unexported
// struct field or a parameter of an unexported function that is assigned
// or passed nothing else.
func (c *checker) redactingLogger(e ast.Expr, depth int) bool {
	if depth > maxFlow {
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
			return len(e.Args) == 1 && c.isNewHandler(e.Args[0], depth+1)
		case isFunc(fn, "log/slog", "Logger", "With"), isFunc(fn, "log/slog", "Logger", "WithGroup"):
			sel, ok := e.Fun.(*ast.SelectorExpr)
			return ok && c.redactingLogger(sel.X, depth+1)
		case fn.Pkg() == c.pass.Pkg:
			results := c.returned(fn)
			return len(results) > 0 && all(results, func(r ast.Expr) bool { return c.redactingLogger(r, depth+1) })
		}
	case *ast.Ident:
		v, ok := info.Uses[e].(*types.Var)
		if !ok || v.Exported() && v.Parent() == c.pass.Pkg.Scope() {
			return false // another package may assign an exported variable
		}
		if values, ok := c.passed(v); ok {
			return len(values) > 0 && all(values, func(x ast.Expr) bool { return x != nil && c.redactingLogger(x, depth+1) })
		}
		values := c.assignments()[v]
		return len(values) > 0 && all(values, func(x ast.Expr) bool { return x != nil && c.redactingLogger(x, depth+1) })
	case *ast.SelectorExpr:
		sel := info.Selections[e]
		if sel == nil || sel.Kind() != types.FieldVal {
			return false
		}
		field, ok := sel.Obj().(*types.Var)
		if !ok || field.Exported() || field.Pkg() != c.pass.Pkg {
			return false // another package may set an exported field
		}
		values := c.assignments()[field]
		return len(values) > 0 && all(values, func(x ast.Expr) bool { return x != nil && c.redactingLogger(x, depth+1) })
	}
	return false
}

func all(xs []ast.Expr, f func(ast.Expr) bool) bool {
	for _, x := range xs {
		if !f(x) {
			return false
		}
	}
	return true
}

// isNewHandler reports whether e calls pii.NewHandler, or is a variable
// assigned nothing but such a call.
func (c *checker) isNewHandler(e ast.Expr, depth int) bool {
	if depth > maxFlow {
		return false
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		fn := typeutil.StaticCallee(c.pass.TypesInfo, x)
		return fn != nil && isFunc(fn, modulePath+"/pii", "", "NewHandler")
	case *ast.Ident:
		v, ok := c.pass.TypesInfo.Uses[x].(*types.Var)
		if !ok || v.Exported() && v.Parent() == c.pass.Pkg.Scope() {
			return false
		}
		values := c.assignments()[v]
		return len(values) > 0 && all(values, func(x ast.Expr) bool { return x != nil && c.isNewHandler(x, depth+1) })
	}
	return false
}

// passed returns, for a parameter of an unexported function or method of
// the package that is only ever called (never used as a value), the
// arguments passed to it at every call; ok is false for other variables.
// An argument that cannot be told (a spread slice) is nil.
func (c *checker) passed(v *types.Var) (args []ast.Expr, ok bool) {
	c.buildCalls()
	p, isParam := c.params[v]
	if !isParam || p.fn.Exported() || c.escapes[p.fn] {
		return nil, false
	}
	for _, call := range c.calls[p.fn] {
		if p.index >= len(call.Args) || call.Ellipsis.IsValid() && p.index >= len(call.Args)-1 {
			args = append(args, nil)
			continue
		}
		args = append(args, call.Args[p.index])
	}
	return args, true
}

// returned returns the results of the return statements of a function of
// the package with one result, or nil when there is none to read.
func (c *checker) returned(fn *types.Func) []ast.Expr {
	c.buildCalls()
	decl := c.decls[fn]
	if decl == nil || decl.Body == nil || fn.Signature().Results().Len() != 1 {
		return nil
	}
	var out []ast.Expr
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(n.Results) != 1 {
				out = append(out, nil)
				return false
			}
			out = append(out, n.Results[0])
		}
		return true
	})
	for _, r := range out {
		if r == nil {
			return nil
		}
	}
	return out
}

// param places a parameter in its function's signature.
type param struct {
	fn    *types.Func
	index int
}

// buildCalls indexes, once per pass, the package's function declarations,
// their parameters, the static calls of each and the functions used other
// than by calling them.
func (c *checker) buildCalls() {
	if c.calls != nil {
		return
	}
	info := c.pass.TypesInfo
	c.calls = map[*types.Func][]*ast.CallExpr{}
	c.escapes = map[*types.Func]bool{}
	c.params = map[*types.Var]param{}
	c.decls = map[*types.Func]*ast.FuncDecl{}
	called := map[*ast.Ident]bool{}
	for _, file := range c.pass.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				fn, _ := info.Defs[n.Name].(*types.Func)
				if fn == nil {
					return true
				}
				c.decls[fn] = n
				sig := fn.Signature()
				for i := 0; i < sig.Params().Len(); i++ {
					c.params[sig.Params().At(i)] = param{fn: fn, index: i}
				}
			case *ast.CallExpr:
				if fn := typeutil.StaticCallee(info, n); fn != nil {
					c.calls[fn] = append(c.calls[fn], n)
					switch f := ast.Unparen(n.Fun).(type) {
					case *ast.Ident:
						called[f] = true
					case *ast.SelectorExpr:
						called[f.Sel] = true
					case *ast.IndexExpr: // a generic function instantiated
						if id, ok := f.X.(*ast.Ident); ok {
							called[id] = true
						}
					}
				}
			}
			return true
		})
	}
	for id, obj := range info.Uses {
		fn, ok := obj.(*types.Func)
		if !ok || fn.Pkg() != c.pass.Pkg {
			continue
		}
		if !called[id] {
			c.escapes[fn] = true
		}
	}
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
		switch x := ast.Unparen(id).(type) {
		case *ast.Ident:
			if v, ok := info.ObjectOf(x).(*types.Var); ok {
				c.assigned[v] = append(c.assigned[v], value)
			}
		case *ast.SelectorExpr:
			if sel := info.Selections[x]; sel != nil && sel.Kind() == types.FieldVal {
				if v, ok := sel.Obj().(*types.Var); ok {
					c.assigned[v] = append(c.assigned[v], value)
				}
			}
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
			case *ast.CompositeLit:
				st, ok := typeOfLit(info, n)
				if !ok {
					return true
				}
				for i, elt := range n.Elts {
					if kv, ok := elt.(*ast.KeyValueExpr); ok {
						if key, ok := kv.Key.(*ast.Ident); ok {
							if v, ok := info.ObjectOf(key).(*types.Var); ok && v.IsField() {
								c.assigned[v] = append(c.assigned[v], kv.Value)
							}
						}
					} else if i < st.NumFields() {
						c.assigned[st.Field(i)] = append(c.assigned[st.Field(i)], elt)
					}
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

// typeOfLit returns the struct type a composite literal builds.
func typeOfLit(info *types.Info, lit *ast.CompositeLit) (*types.Struct, bool) {
	t := info.TypeOf(lit)
	if t == nil {
		return nil, false
	}
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	return st, ok
}
