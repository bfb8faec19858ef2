package piicheck_test

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/gdprkit/gdprkit/pii/piicheck"
)

// The analyzer is usually run by go vet or the piicheck command. Here it is
// run by hand over one file, to show what it reports.
func Example() {
	const src = `package app

import "fmt"

type User struct {
	ID    string ` + "`pii:\"subject\"`" + `
	Email string ` + "`pii:\"email\"`" + `
	Phone string
	Plan  string
}

func signup(u User) {
	fmt.Println("new user", u.ID, u.Plan) // fine
	fmt.Println("new user", u)            // the whole user
	fmt.Printf("mail to %s\n", u.Email)   // the e-mail address
}
`
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "app.go", src, parser.ParseComments)
	if err != nil {
		fmt.Println(err)
		return
	}
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
		Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "gc", nil)}
	pkg, err := conf.Check("app", fset, []*ast.File{file}, info)
	if err != nil {
		fmt.Println(err)
		return
	}
	var reports []string
	pass := &analysis.Pass{
		Analyzer: piicheck.Analyzer, Fset: fset, Files: []*ast.File{file}, Pkg: pkg, TypesInfo: info,
		ResultOf: map[*analysis.Analyzer]any{inspect.Analyzer: inspector.New([]*ast.File{file})},
		Report: func(d analysis.Diagnostic) {
			reports = append(reports, fmt.Sprintf("%s: %s", fset.Position(d.Pos), d.Message))
		},
	}
	if _, err := piicheck.Analyzer.Run(pass); err != nil {
		fmt.Println(err)
		return
	}
	sort.Strings(reports)
	for _, r := range reports {
		fmt.Println(r)
	}
	// Output:
	// app.go:14:26: fmt.Println: u (User) holds personal field Email (user.contact.email) and is passed unredacted; pass pii.Redact(u) instead
	// app.go:15:29: fmt.Printf: personal field User.Email (user.contact.email) is passed unredacted; log the value that holds it through pii.Redact, or leave the field out
	// app.go:8:2: field User.Phone looks personal (phone) but has no pii tag: tag it pii:"phone", or pii:"-" if it holds no personal data
}
