package piicheck

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// Analyzer reports personal values that reach logs, formatted text or error
// messages unredacted, and struct fields whose names look personal but carry
// no pii tag. See the package documentation for the rules.
var Analyzer = &analysis.Analyzer{
	Name: "piicheck",
	Doc: `report personal data reaching logs or errors unredacted, and personal-looking fields without a pii tag

A value whose type holds pii-tagged personal fields, or a personal field
itself or a value derived from one (through local variables, concatenation,
fmt.Sprintf, string functions and literals), passed to fmt printing, log,
log/slog, fmt.Errorf or errors.New, is reported unless it goes through
pii.Redact. A personal field that is not plain, written through database/sql
without being sealed first, is reported. An exported struct field whose name
looks personal (Email, BillingAddress, DateOfBirth, ...) and has no pii tag
is reported. Silence a report with a comment "//piicheck:ignore <reason>" on
its line or the line before.`,
	URL:      "https://pkg.go.dev/github.com/gdprkit/gdprkit/pii/piicheck",
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

// checker holds the state of one pass.
type checker struct {
	pass      *analysis.Pass
	qual      types.Qualifier
	index     typeIndex
	ignores   suppressions
	generated map[*token.File]bool
	assigned  map[*types.Var][]ast.Expr // built on first use
	// redacted holds the calls whose arguments reach a logger that writes
	// through pii.NewHandler: logger calls and the attribute constructors
	// nested in their arguments.
	redacted map[*ast.CallExpr]bool
	// The package's functions, built on first use (see buildCalls).
	calls   map[*types.Func][]*ast.CallExpr
	escapes map[*types.Func]bool
	params  map[*types.Var]param
	decls   map[*types.Func]*ast.FuncDecl
}

func run(pass *analysis.Pass) (any, error) {
	c := &checker{
		pass:      pass,
		qual:      types.RelativeTo(pass.Pkg),
		ignores:   collectSuppressions(pass),
		generated: map[*token.File]bool{},
		redacted:  map[*ast.CallExpr]bool{},
	}
	for _, f := range pass.Files {
		if ast.IsGenerated(f) {
			c.generated[pass.Fset.File(f.Pos())] = true
		}
	}
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	filter := []ast.Node{(*ast.CallExpr)(nil), (*ast.StructType)(nil)}
	ins.WithStack(filter, func(n ast.Node, push bool, stack []ast.Node) bool {
		if !push {
			return true
		}
		switch n := n.(type) {
		case *ast.CallExpr:
			c.checkCall(n, stack)
		case *ast.StructType:
			if c.generated[pass.Fset.File(n.Pos())] {
				return true
			}
			owner := ""
			if len(stack) >= 2 {
				if spec, ok := stack[len(stack)-2].(*ast.TypeSpec); ok {
					owner = spec.Name.Name
				}
			}
			c.checkStruct(n, owner)
		}
		return true
	})
	return nil, nil
}

// checkCall reports the personal arguments of a call to a sink. stack
// holds the nodes that enclose it.
func (c *checker) checkCall(call *ast.CallExpr, stack []ast.Node) {
	fn := typeutil.StaticCallee(c.pass.TypesInfo, call)
	if fn == nil {
		return
	}
	kind, sink, ok := sinkOf(fn)
	if !ok {
		return
	}
	args := call.Args
	if call.Ellipsis.IsValid() && len(args) > 0 {
		args = args[:len(args)-1] // a spread []any: its elements are not known here
	}
	if kind == sqlSink {
		c.checkSQL(call, sink, args, stack)
		return
	}
	handled := kind == slogSink && (trustHandler || c.redacted[call] || c.writesThroughHandler(call))
	if handled {
		c.markNested(args)
	}
	typeOnly := c.typeOnly(call, sink)
	for i, arg := range args {
		if typeOnly[i] {
			continue // printed with %T or %p
		}
		if msg := c.leak(arg, kind, sink, handled); msg != "" {
			// A directive above a call spread over several lines covers
			// all its arguments.
			c.report(arg, "leak", msg, call.Pos())
		}
	}
}

// typeOnly returns the positions, among the call's arguments, of those a
// printf-like sink prints with %T or %p, when its format is a constant.
func (c *checker) typeOnly(call *ast.CallExpr, sink string) map[int]bool {
	at := formatIndex(sink)
	if at < 0 || at >= len(call.Args) {
		return nil
	}
	tv := c.pass.TypesInfo.Types[call.Args[at]]
	if tv.Value == nil || tv.Value.Kind() != constant.String {
		return nil
	}
	positions, ok := typeOnlyArgs(constant.StringVal(tv.Value))
	if !ok {
		return nil
	}
	out := make(map[int]bool, len(positions))
	for p := range positions {
		out[at+1+p] = true
	}
	return out
}

// writesThroughHandler reports whether call is a method call on a
// *slog.Logger that writes through pii.NewHandler.
func (c *checker) writesThroughHandler(call *ast.CallExpr) bool {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	if s := c.pass.TypesInfo.Selections[sel]; s == nil || s.Kind() != types.MethodVal {
		return false
	}
	return c.redactingLogger(sel.X, 0)
}

// markNested marks the attribute constructors among args (slog.Any,
// slog.Group and the like, nested to any depth) as going to the same
// redacting logger. The inspector visits them after their enclosing call.
func (c *checker) markNested(args []ast.Expr) {
	for _, arg := range args {
		call, ok := ast.Unparen(arg).(*ast.CallExpr)
		if !ok {
			continue
		}
		if fn := typeutil.StaticCallee(c.pass.TypesInfo, call); fn != nil && fn.Pkg() != nil && fn.Pkg().Path() == "log/slog" {
			c.redacted[call] = true
		}
	}
}

// leak returns the report for an argument that carries personal data to a
// sink unredacted, or "". handled says the sink is a log/slog call whose
// handler redacts values of types with personal fields: only personal
// fields read out of their struct are reported then.
func (c *checker) leak(arg ast.Expr, kind sinkKind, sink string, handled bool) string {
	info := c.pass.TypesInfo
	t := info.TypeOf(arg)
	if t == nil || redactsItself(t, kind) {
		return ""
	}
	if field, category, ok := personalSelector(info, c.qual, arg); ok {
		return fmt.Sprintf("%s: personal field %s (%s) is passed unredacted; log the value that holds it through pii.Redact, or leave the field out",
			sink, field, category)
	}
	if !handled {
		if f := c.index.personalIn(t); f != nil {
			expr := shorten(types.ExprString(arg))
			return fmt.Sprintf("%s: %s (%s) holds personal field %s (%s) and is passed unredacted; pass pii.Redact(%s) instead",
				sink, expr, types.TypeString(t, c.qual), f.path, f.category, expr)
		}
	}
	if o, ok := c.derived(arg); ok {
		return fmt.Sprintf("%s: %s carries personal field %s (%s) through %s, unredacted; log the value that holds it through pii.Redact, or leave the field out",
			sink, shorten(types.ExprString(arg)), o.field, o.category, o.via)
	}
	return ""
}

// report reports a finding at node unless a directive by node, or by one
// of the other positions, silences it.
func (c *checker) report(node ast.Node, category, msg string, also ...token.Pos) {
	if c.ignores.covers(c.pass.Fset, append(also, node.Pos())...) {
		return
	}
	c.pass.Report(analysis.Diagnostic{Pos: node.Pos(), End: node.End(), Category: category, Message: msg})
}

// shorten cuts long expressions for messages.
func shorten(s string) string {
	const max = 40
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}
