package piicheck_test

import (
	"go/ast"
	"go/types"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/gdprkit/gdprkit/pii/piicheck"
)

// BenchmarkAnalyzer runs the analyzer over the leak and untagged testdata
// packages, against the floor any analyzer of calls and struct types pays:
// visiting the same nodes and resolving each call's callee.
func BenchmarkAnalyzer(b *testing.B) {
	l := newLoader(b)
	var pkgs []*loaded
	for _, path := range []string{"leak", "untagged", "handler"} {
		p, err := l.load(path)
		require.NoError(b, err)
		pkgs = append(pkgs, p)
	}
	newPass := func(p *loaded) *analysis.Pass {
		return &analysis.Pass{
			Analyzer: piicheck.Analyzer, Fset: l.fset, Files: p.files, Pkg: p.pkg, TypesInfo: p.info,
			TypesSizes: types.SizesFor("gc", runtime.GOARCH),
			ResultOf:   map[*analysis.Analyzer]any{inspect.Analyzer: inspector.New(p.files)},
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
