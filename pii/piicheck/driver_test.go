package piicheck_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"text/scanner"

	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/gdprkit/gdprkit/pii/piicheck"
)

// This file runs the analyzer over GOPATH-style packages under testdata/src
// and checks its reports against "// want" comments, the way
// golang.org/x/tools/go/analysis/analysistest does. analysistest itself
// loads packages with go/packages, which needs golang.org/x/mod, a module
// go.mod does not require; the testdata keeps analysistest's conventions so
// that switching to analysistest.Run is a one-line change.

// report is one diagnostic, where it was reported and what it said.
type report struct {
	file    string
	line    int
	message string
}

// loader parses and type-checks packages of testdata/src from source, and
// the standard library from export data.
type loader struct {
	root string
	fset *token.FileSet
	std  types.Importer
	pkgs map[string]*loaded
}

type loaded struct {
	pkg   *types.Package
	files []*ast.File
	info  *types.Info
}

func newLoader(t testing.TB) *loader {
	root, err := filepath.Abs(filepath.Join("testdata", "src"))
	require.NoError(t, err)
	fset := token.NewFileSet()
	return &loader{root: root, fset: fset, std: importer.ForCompiler(fset, "gc", nil), pkgs: map[string]*loaded{}}
}

// Import implements types.Importer.
func (l *loader) Import(path string) (*types.Package, error) {
	if _, err := os.Stat(filepath.Join(l.root, filepath.FromSlash(path))); err != nil {
		return l.std.Import(path)
	}
	p, err := l.load(path)
	if err != nil {
		return nil, err
	}
	return p.pkg, nil
}

func (l *loader) load(path string) (*loaded, error) {
	if p, ok := l.pkgs[path]; ok {
		return p, nil
	}
	dir := filepath.Join(l.root, filepath.FromSlash(path))
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var files []*ast.File
	for _, name := range names {
		f, err := parser.ParseFile(l.fset, name, nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
		Uses: map[*ast.Ident]types.Object{}, Implicits: map[ast.Node]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{}, Scopes: map[ast.Node]*types.Scope{},
		Instances: map[*ast.Ident]types.Instance{}, FileVersions: map[*ast.File]string{},
	}
	conf := types.Config{Importer: l, Sizes: types.SizesFor("gc", runtime.GOARCH)}
	pkg, err := conf.Check(path, l.fset, files, info)
	if err != nil {
		return nil, err
	}
	p := &loaded{pkg: pkg, files: files, info: info}
	l.pkgs[path] = p
	return p, nil
}

// analyze runs the analyzer over the testdata packages and checks each
// package's reports against its "// want" comments.
func analyze(t *testing.T, paths ...string) {
	t.Helper()
	l := newLoader(t)
	for _, path := range paths {
		p, err := l.load(path)
		require.NoError(t, err, "loading %s", path)
		var got []report
		pass := &analysis.Pass{
			Analyzer:   piicheck.Analyzer,
			Fset:       l.fset,
			Files:      p.files,
			Pkg:        p.pkg,
			TypesInfo:  p.info,
			TypesSizes: types.SizesFor("gc", runtime.GOARCH),
			ResultOf:   map[*analysis.Analyzer]any{inspect.Analyzer: inspector.New(p.files)},
			Report: func(d analysis.Diagnostic) {
				pos := l.fset.Position(d.Pos)
				got = append(got, report{pos.Filename, pos.Line, d.Message})
			},
		}
		_, err = piicheck.Analyzer.Run(pass)
		require.NoError(t, err, "analyzing %s", path)
		checkWants(t, l.fset, p.files, got)
	}
}

// expectation is one regular expression of a "// want" comment.
type expectation struct {
	rx      *regexp.Regexp
	matched bool
}

// checkWants matches each report with an expectation on its line: every
// report must be expected and every expectation met.
func checkWants(t *testing.T, fset *token.FileSet, files []*ast.File, got []report) {
	t.Helper()
	type key struct {
		file string
		line int
	}
	want := map[key][]*expectation{}
	for _, f := range files {
		for _, group := range f.Comments {
			for _, c := range group.List {
				text := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(c.Text, "//"), "/*"), "*/")
				if i := strings.Index(text, "// want"); i >= 0 {
					text = text[i+len("// "):]
				}
				rest, ok := strings.CutPrefix(strings.TrimSpace(text), "want")
				if !ok {
					continue
				}
				pos := fset.Position(c.Pos())
				delta, rxs := parseWant(t, pos, rest)
				k := key{pos.Filename, pos.Line + delta}
				for _, rx := range rxs {
					want[k] = append(want[k], &expectation{rx: rx})
				}
			}
		}
	}
	for _, r := range got {
		found := false
		for _, e := range want[key{r.file, r.line}] {
			if !e.matched && e.rx.MatchString(r.message) {
				e.matched, found = true, true
				break
			}
		}
		if !found {
			t.Errorf("%s:%d: unexpected report: %s", filepath.Base(r.file), r.line, r.message)
		}
	}
	for k, es := range want {
		for _, e := range es {
			if !e.matched {
				t.Errorf("%s:%d: no report matching %q", filepath.Base(k.file), k.line, e.rx)
			}
		}
	}
}

// parseWant reads `+N` (the line the expectations are for, counted from
// the comment's) and quoted regular expressions.
func parseWant(t *testing.T, pos token.Position, text string) (delta int, rxs []*regexp.Regexp) {
	var sc scanner.Scanner
	sc.Init(strings.NewReader(text))
	sc.Mode = scanner.ScanStrings | scanner.ScanRawStrings | scanner.ScanInts
	sc.Error = func(_ *scanner.Scanner, msg string) { t.Errorf("%s: in want comment: %s", pos, msg) }
	for tok := sc.Scan(); tok != scanner.EOF; tok = sc.Scan() {
		switch tok {
		case '+':
			require.Equal(t, rune(scanner.Int), sc.Scan(), "%s: want +N", pos)
			delta, _ = strconv.Atoi(sc.TokenText())
		case scanner.String, scanner.RawString:
			pattern, err := strconv.Unquote(sc.TokenText())
			require.NoError(t, err, "%s", pos)
			rx, err := regexp.Compile(pattern)
			require.NoError(t, err, "%s: bad pattern", pos)
			rxs = append(rxs, rx)
		default:
			t.Errorf("%s: unexpected %s in want comment", pos, sc.TokenText())
		}
	}
	return delta, rxs
}
