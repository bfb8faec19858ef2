package piicheck_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis/analysistest"
)

// TestCommand builds cmd/piicheck and runs it as go vet runs it, and on its
// own, over the testdata packages, and checks that both print the reports
// analysistest checks against the "// want" comments. Under go vet the
// analyzer reads the types of imported packages (model) from export data,
// not from source, so the test also proves that struct tags survive
// compilation.
func TestCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and runs go vet; skipped with -short")
	}
	goCmd, err := exec.LookPath("go")
	require.NoError(t, err, "the go command is needed to build piicheck")
	bin := filepath.Join(t.TempDir(), "piicheck")
	out, err := exec.Command(goCmd, "build", "-o", bin, "./cmd/piicheck").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	gopath := analysistest.TestData()
	run := func(name string, args ...string) (stdout, stderr string, code int) {
		cmd := exec.Command(name, args...)
		cmd.Dir = gopath
		cmd.Env = append(os.Environ(), "GO111MODULE=off", "GOPATH="+gopath, "GOFLAGS=", "GOWORK=off")
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return o.String(), e.String(), exit.ExitCode()
		}
		require.NoError(t, err, "running %s %s", name, args)
		return o.String(), e.String(), 0
	}

	packages := []string{"leak", "suppress", "untagged", "clean", "sqlsink"}

	t.Run("vettool", func(t *testing.T) {
		want := expected(t, packages...)
		stdout, stderr, code := run(goCmd, append([]string{"vet", "-vettool=" + bin, "-json"}, packages...)...)
		require.Equal(t, 0, code, "go vet -json: %s", stderr)
		assert.Equal(t, want, decodeJSON(t, stdout))
	})

	t.Run("standalone", func(t *testing.T) {
		want := expected(t, packages...)
		stdout, stderr, code := run(bin, append([]string{"-json"}, packages...)...)
		require.Equal(t, 0, code, "piicheck -json: %s", stderr)
		assert.Equal(t, want, decodeJSON(t, stdout))

		stdout, stderr, code = run(bin, "leak")
		assert.Equal(t, 3, code, "reports make the exit status 3")
		assert.Contains(t, stdout+stderr,
			"leak.go:21:14: fmt.Println: u (model.User) holds personal field Email (user.contact.email) and is passed unredacted; pass pii.Redact(u) instead")

		stdout, stderr, code = run(bin, "clean")
		assert.Equal(t, 0, code, "nothing to report: %s%s", stdout, stderr)
		assert.Empty(t, stdout+stderr)
	})

	// The -slog-handler flag is checked here, on the command, against the
	// "// want" comments of its package: an analysistest run of its own
	// would load the standard library from source once more.
	t.Run("flag", func(t *testing.T) {
		stdout, stderr, code := run(goCmd, "vet", "-vettool="+bin, "-slog-handler", "-json", "handlerflag")
		require.Equal(t, 0, code, "go vet -slog-handler -json: %s", stderr)
		vet := decodeJSON(t, stdout)["handlerflag"]
		matchWants(t, filepath.Join(gopath, "src", "handlerflag"), vet)

		stdout, stderr, code = run(bin, "-slog-handler", "-json", "handlerflag")
		require.Equal(t, 0, code, "piicheck -slog-handler -json: %s", stderr)
		assert.Equal(t, vet, decodeJSON(t, stdout)["handlerflag"], "on its own as under go vet")

		stdout, _, _ = run(bin, "-json", "handlerflag")
		assert.Greater(t, len(decodeJSON(t, stdout)["handlerflag"]), len(vet), "without the flag, more is reported")
	})

	t.Run("usage", func(t *testing.T) {
		_, stderr, code := run(bin)
		assert.Equal(t, 1, code)
		assert.Contains(t, stderr, "Usage: piicheck")

		stdout, stderr, code := run(bin, "-h")
		assert.Equal(t, 0, code)
		assert.Contains(t, stdout+stderr, "personal-looking fields without a pii tag")
		assert.Contains(t, stdout+stderr, "-slog-handler")
	})
}

// A report is one diagnostic as the -json output of go vet and of
// piicheck shows it: "file:line:column: message".
type report = string

// expected returns the reports of the analyzer over the packages, as
// analysistest found them (checked against the "// want" comments), by
// package, sorted.
func expected(t *testing.T, packages ...string) map[string][]report {
	t.Helper()
	got := map[string][]report{}
	for _, pkg := range packages {
		for p, reports := range reportsOf(t, analyzed(t, pkg), pkg) {
			got[p] = reports
		}
	}
	require.NotEmpty(t, got, "the packages have reports to compare")
	return got
}

// reportsOf returns the reports of one package of a run, sorted.
func reportsOf(t *testing.T, r run, pkgPath string) map[string][]report {
	t.Helper()
	got := map[string][]report{}
	for _, res := range r.results {
		pkg := res.Action.Package
		if pkg.PkgPath != pkgPath {
			continue
		}
		for _, d := range res.Diagnostics {
			got[pkg.PkgPath] = append(got[pkg.PkgPath], pkg.Fset.Position(d.Pos).String()+": "+d.Message)
		}
	}
	for _, reports := range got {
		slices.Sort(reports)
	}
	return got
}

// decodeJSON reads the objects go vet -json and piicheck -json write, one
// per package: {"pkg": {"piicheck": [{"posn": "file:line:col", "message": "..."}]}}.
func decodeJSON(t *testing.T, text string) map[string][]report {
	t.Helper()
	var kept []string
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "#") {
			kept = append(kept, line) // "# pkg" headers are not JSON
		}
	}
	got := map[string][]report{}
	dec := json.NewDecoder(strings.NewReader(strings.Join(kept, "\n")))
	for {
		var v map[string]map[string][]struct{ Posn, Message string }
		err := dec.Decode(&v)
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "-json output:\n%s", text)
		for pkg, byAnalyzer := range v {
			for _, d := range byAnalyzer["piicheck"] {
				got[pkg] = append(got[pkg], d.Posn+": "+d.Message)
			}
		}
	}
	for _, reports := range got {
		slices.Sort(reports)
	}
	return got
}

// wantComment is a "// want" comment with one pattern, as analysistest
// reads them.
var wantComment = regexp.MustCompile("// want `([^`]*)`")

// matchWants checks reports ("file:line:col: message") against the
// "// want" comments of the Go files in dir: one report per comment, on its
// line, matching its pattern, and no other report.
func matchWants(t *testing.T, dir string, reports []report) {
	t.Helper()
	wants := map[string]*regexp.Regexp{} // "file.go:line" -> pattern
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	require.NoError(t, err)
	for _, file := range files {
		data, err := os.ReadFile(file)
		require.NoError(t, err)
		for i, line := range strings.Split(string(data), "\n") {
			if m := wantComment.FindStringSubmatch(line); m != nil {
				wants[fmt.Sprintf("%s:%d", filepath.Base(file), i+1)] = regexp.MustCompile(m[1])
			}
		}
	}
	require.NotEmpty(t, wants, "the package states what it expects")
	seen := map[string]bool{}
	for _, r := range reports {
		posn, msg, _ := strings.Cut(r, ": ")
		parts := strings.Split(filepath.Base(posn), ":")
		require.Len(t, parts, 3, "position of %q", r)
		at := parts[0] + ":" + parts[1]
		if re, ok := wants[at]; assert.True(t, ok, "unexpected report %s", r) {
			assert.Regexp(t, re, msg, "report at %s", at)
			assert.False(t, seen[at], "two reports at %s", at)
			seen[at] = true
		}
	}
	for at := range wants {
		assert.True(t, seen[at], "no report at %s", at)
	}
}
