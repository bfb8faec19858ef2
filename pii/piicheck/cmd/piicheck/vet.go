package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"

	"github.com/gdprkit/gdprkit/pii/piicheck"
)

// vetConfig is the part of the unit description go vet writes for a vet
// tool (cmd/go's vetConfig) that the analyzer needs.
type vetConfig struct {
	ID          string
	ImportPath  string
	GoVersion   string
	GoFiles     []string
	ImportMap   map[string]string
	PackageFile map[string]string
	VetxOnly    bool
	VetxOutput  string
	Stdout      string
}

// vetUnit checks the unit that go vet describes in args, the way
// unitchecker does, but cheaper: go vet runs the tool on every dependency
// of the packages it checks, standard library included, for facts, and
// unitchecker type-checks each of them from source to pass their types on.
// The analyzer uses no facts, so a dependency needs no work at all, and the
// checked package's imports are read from the compiler's export data, which
// go vet has built already. It returns the exit status and false when args
// do not describe a unit with flags it knows (then the standard driver
// takes over).
func vetUnit(args []string) (int, bool) {
	if len(args) == 0 || !strings.HasSuffix(args[len(args)-1], ".cfg") {
		return 0, false
	}
	fs := flag.NewFlagSet("piicheck", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	piicheck.Analyzer.Flags.VisitAll(func(f *flag.Flag) { fs.Var(f.Value, f.Name, f.Usage) })
	asJSON := fs.Bool("json", false, "")
	context := fs.Int("c", -1, "")
	if err := fs.Parse(args[:len(args)-1]); err != nil || fs.NArg() != 0 {
		return 0, false
	}
	data, err := os.ReadFile(args[len(args)-1])
	if err != nil {
		return 0, false
	}
	var cfg vetConfig
	if err := json.Unmarshal(data, &cfg); err != nil || len(cfg.GoFiles) == 0 {
		return 0, false
	}
	if cfg.VetxOnly {
		// A dependency: no facts to compute. An empty file lets go vet
		// cache the step.
		if cfg.VetxOutput != "" {
			_ = os.WriteFile(cfg.VetxOutput, nil, 0o666)
		}
		return 0, true
	}
	stdout := io.Writer(os.Stdout)
	if cfg.Stdout != "" {
		f, err := os.Create(cfg.Stdout)
		if err != nil {
			fmt.Fprintln(os.Stderr, "piicheck:", err)
			return 1, true
		}
		defer f.Close()
		stdout = f
	}
	code := check(&cfg, *asJSON, *context, stdout)
	if cfg.VetxOutput != "" {
		_ = os.WriteFile(cfg.VetxOutput, nil, 0o666)
	}
	return code, true
}

// check type-checks the unit and runs the analyzer over it.
func check(cfg *vetConfig, asJSON bool, context int, stdout io.Writer) int {
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range cfg.GoFiles {
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		files = append(files, f)
	}
	compiled := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		file, ok := cfg.PackageFile[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %q", path)
		}
		return os.Open(file)
	})
	tc := &types.Config{
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if p, ok := cfg.ImportMap[path]; ok {
				path = p
			}
			if path == "unsafe" {
				return types.Unsafe, nil
			}
			return compiled.Import(path)
		}),
		Sizes:     types.SizesFor("gc", goarch()),
		GoVersion: cfg.GoVersion,
	}
	info := &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Defs:         map[*ast.Ident]types.Object{},
		Uses:         map[*ast.Ident]types.Object{},
		Implicits:    map[ast.Node]types.Object{},
		Instances:    map[*ast.Ident]types.Instance{},
		Scopes:       map[ast.Node]*types.Scope{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		FileVersions: map[*ast.File]string{},
	}
	pkg, err := tc.Check(cfg.ImportPath, fset, files, info)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var diags []analysis.Diagnostic
	pass := func(a *analysis.Analyzer, results map[*analysis.Analyzer]any) *analysis.Pass {
		return &analysis.Pass{
			Analyzer: a, Fset: fset, Files: files, Pkg: pkg, TypesInfo: info, TypesSizes: tc.Sizes,
			ResultOf: results, Report: func(d analysis.Diagnostic) { diags = append(diags, d) },
			ReadFile: os.ReadFile,
		}
	}
	ins, err := inspect.Analyzer.Run(pass(inspect.Analyzer, nil))
	if err == nil {
		_, err = piicheck.Analyzer.Run(pass(piicheck.Analyzer, map[*analysis.Analyzer]any{inspect.Analyzer: ins}))
	}
	sort.SliceStable(diags, func(i, j int) bool { return diags[i].Pos < diags[j].Pos })
	if asJSON {
		return printJSON(stdout, fset, cfg.ID, diags, err)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "piicheck:", err)
		return 1
	}
	for _, d := range diags {
		printPlain(fset, d, context)
	}
	if len(diags) > 0 {
		return 1
	}
	return 0
}

// printPlain writes a diagnostic as go vet's tools do: "file:line:col:
// message", with context lines when asked.
func printPlain(fset *token.FileSet, d analysis.Diagnostic, context int) {
	posn := fset.Position(d.Pos)
	fmt.Fprintf(os.Stderr, "%s: %s\n", posn, d.Message)
	if context < 0 {
		return
	}
	end := fset.Position(d.End)
	if !end.IsValid() {
		end = posn
	}
	data, _ := os.ReadFile(posn.Filename)
	lines := strings.Split(string(data), "\n")
	for i := posn.Line - context; i <= end.Line+context; i++ {
		if 1 <= i && i <= len(lines) {
			fmt.Fprintf(os.Stderr, "%d\t%s\n", i, lines[i-1])
		}
	}
}

// printJSON writes the diagnostics in the JSON form of go vet -json.
func printJSON(out io.Writer, fset *token.FileSet, id string, diags []analysis.Diagnostic, err error) int {
	type diagnostic struct {
		Category string `json:"category,omitempty"`
		Posn     string `json:"posn"`
		End      string `json:"end"`
		Message  string `json:"message"`
	}
	tree := map[string]map[string]any{}
	switch {
	case err != nil:
		tree[id] = map[string]any{"piicheck": map[string]string{"error": err.Error()}}
	case len(diags) > 0:
		list := make([]diagnostic, len(diags))
		for i, d := range diags {
			end := d.End
			if !end.IsValid() {
				end = d.Pos
			}
			list[i] = diagnostic{Category: d.Category, Posn: fset.Position(d.Pos).String(),
				End: fset.Position(end).String(), Message: d.Message}
		}
		tree[id] = map[string]any{"piicheck": list}
	}
	data, _ := json.MarshalIndent(tree, "", "\t")
	fmt.Fprintf(out, "%s\n", data)
	return 0
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// goarch is the architecture go vet builds for.
func goarch() string {
	if a := os.Getenv("GOARCH"); a != "" {
		return a
	}
	return runtimeGOARCH
}
