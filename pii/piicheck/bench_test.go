package piicheck_test

import (
	"go/ast"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/gdprkit/gdprkit/pii/piicheck"
)

// BenchmarkAnalyzer runs the analyzer over the leak, untagged and handler
// testdata packages, against the floor any analyzer of calls and struct
// types pays: visiting the same nodes and resolving each call's callee.
// The packages are loaded once, outside the measurement.
func BenchmarkAnalyzer(b *testing.B) {
	gopath := analysistest.TestData()
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax |
			packages.NeedTypes | packages.NeedTypesInfo | packages.NeedTypesSizes,
		Dir: gopath,
		Env: append(os.Environ(), "GOPATH="+gopath, "GO111MODULE=off", "GOWORK=off", "GOFLAGS="),
	}
	pkgs, err := packages.Load(cfg, "leak", "untagged", "handler")
	require.NoError(b, err)
	require.Len(b, pkgs, 3)
	require.Zero(b, packages.PrintErrors(pkgs), "loading the testdata packages")

	newPass := func(p *packages.Package) *analysis.Pass {
		return &analysis.Pass{
			Analyzer: piicheck.Analyzer, Fset: p.Fset, Files: p.Syntax, Pkg: p.Types, TypesInfo: p.TypesInfo,
			TypesSizes: p.TypesSizes,
			ResultOf:   map[*analysis.Analyzer]any{inspect.Analyzer: inspector.New(p.Syntax)},
			Report:     func(analysis.Diagnostic) {},
		}
	}
	b.Run("piicheck", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, p := range pkgs {
				if _, err := piicheck.Analyzer.Run(newPass(p)); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("traversal", func(b *testing.B) {
		filter := []ast.Node{(*ast.CallExpr)(nil), (*ast.StructType)(nil)}
		b.ReportAllocs()
		for b.Loop() {
			calls := 0
			for _, p := range pkgs {
				pass := newPass(p)
				pass.ResultOf[inspect.Analyzer].(*inspector.Inspector).Preorder(filter, func(n ast.Node) {
					if call, ok := n.(*ast.CallExpr); ok && typeutil.StaticCallee(pass.TypesInfo, call) != nil {
						calls++
					}
				})
			}
			if calls == 0 {
				b.Fatal("no calls visited")
			}
		}
	})
}
