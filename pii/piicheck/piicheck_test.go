package piicheck_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/gdprkit/gdprkit/pii/piicheck"
)

// The tests run the analyzer over the GOPATH-style packages under
// testdata/src and check its reports against their "// want" comments.
// testdata/src/github.com/gdprkit/gdprkit/pii (and pii/shred) stand in for
// the packages of this module.
//
// analysistest loads the packages and everything they import from source,
// the standard library included, which takes most of the time. The
// packages are therefore analyzed once, together, and each test reports
// the failures in its own package.

// testPackages are the testdata packages analyzed with the default flags.
var testPackages = []string{"leak", "model", "untagged", "suppress", "handler", "clean", "sqlsink"}

// run is one analysistest run: its results, and its failures by package.
type run struct {
	results  []*analysistest.Result
	failures map[string][]string
}

// recorder collects analysistest's failures instead of failing a test.
type recorder struct{ failures *[]string }

func (r recorder) Errorf(format string, args ...any) {
	*r.failures = append(*r.failures, fmt.Sprintf(format, args...))
}

var (
	defaultOnce sync.Once
	defaultRun  run
)

func analyze(patterns ...string) run {
	var failures []string
	results := analysistest.Run(recorder{&failures}, analysistest.TestData(), piicheck.Analyzer, patterns...)
	r := run{results: results, failures: map[string][]string{}}
	for _, f := range failures {
		r.failures[packageOf(f, patterns)] = append(r.failures[packageOf(f, patterns)], f)
	}
	return r
}

// packageOf tells which package a failure is about, by the file it names,
// or "" when it names none.
func packageOf(failure string, patterns []string) string {
	for _, p := range patterns {
		if strings.HasPrefix(failure, p+"/") || strings.Contains(failure, string(filepath.Separator)+p+string(filepath.Separator)) {
			return p
		}
	}
	return ""
}

// analyzed returns the run with the default flags, failing t with the
// failures of pkg (and those of no package).
func analyzed(t *testing.T, pkg string) run {
	t.Helper()
	defaultOnce.Do(func() { defaultRun = analyze(testPackages...) })
	check(t, defaultRun, pkg)
	return defaultRun
}

func check(t *testing.T, r run, pkg string) {
	t.Helper()
	for _, f := range slices.Concat(r.failures[pkg], r.failures[""]) {
		t.Error(f)
	}
	require.NotEmpty(t, r.results, "the packages were analyzed")
}

func TestLeaks(t *testing.T) {
	analyzed(t, "leak")
	analyzed(t, "model")
}

func TestUntaggedFields(t *testing.T) { analyzed(t, "untagged") }

// TestSuppressions covers directives with and without a reason; a directive
// without one is itself reported, by the "// want +1" comment above it.
func TestSuppressions(t *testing.T) { analyzed(t, "suppress") }

// TestRedactingHandler covers loggers that write through pii.NewHandler:
// built in place, kept in variables and struct fields, passed to functions
// and returned by them, and those that cannot be trusted.
func TestRedactingHandler(t *testing.T) { analyzed(t, "handler") }

// TestClean has nothing to report: a value passed through pii.Redact, and a
// subject identifier, are not personal data shown.
func TestClean(t *testing.T) { analyzed(t, "clean") }

// TestUnsealedSQL covers personal fields written through database/sql
// without being sealed: reported, silenced with a reason, sealed first.
func TestUnsealedSQL(t *testing.T) { analyzed(t, "sqlsink") }

// TestFailuresAreAttributed makes sure a failure in a package's file is
// reported by that package's test.
func TestFailuresAreAttributed(t *testing.T) {
	require.Equal(t, "leak", packageOf("leak/flow.go:12: no diagnostic was reported", testPackages))
	require.Equal(t, "handler", packageOf("/x/testdata/src/handler/fields.go:3:1: oops", testPackages))
	require.Equal(t, "", packageOf("loading failed", testPackages))
}
