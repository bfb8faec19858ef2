package piicheck_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCommand builds cmd/piicheck and runs it as go vet runs it, and on its
// own, over the testdata packages. Here the analyzer reads the types of
// imported packages (model) from export data, not from source, so the test
// also proves that struct tags survive compilation.
func TestCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and runs go vet; skipped with -short")
	}
	goCmd, err := exec.LookPath("go")
	require.NoError(t, err, "the go command is needed to build piicheck")
	bin := filepath.Join(t.TempDir(), "piicheck")
	out, err := exec.Command(goCmd, "build", "-o", bin, "./cmd/piicheck").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	gopath, err := filepath.Abs("testdata")
	require.NoError(t, err)
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

	t.Run("vettool", func(t *testing.T) {
		packages := []string{"leak", "suppress", "untagged", "clean"}
		stdout, stderr, code := run(goCmd, append([]string{"vet", "-vettool=" + bin, "-json"}, packages...)...)
		require.Equal(t, 0, code, "go vet -json: %s", stderr)
		got := decodeVetJSON(t, stdout)
		l := newLoader(t)
		for _, path := range packages {
			p, err := l.load(path)
			require.NoError(t, err)
			checkWants(t, l.fset, p.files, got[path])
		}
	})

	t.Run("standalone", func(t *testing.T) {
		stdout, stderr, code := run(bin, "leak")
		assert.Equal(t, 1, code, "reports make the exit status 1")
		assert.Contains(t, stdout+stderr,
			"leak.go:21:14: fmt.Println: u (model.User) holds personal field Email (user.contact.email) and is passed unredacted; pass pii.Redact(u) instead")

		stdout, stderr, code = run(bin, "clean")
		assert.Equal(t, 0, code, "nothing to report: %s%s", stdout, stderr)
		assert.Empty(t, stdout+stderr)
	})

	t.Run("usage", func(t *testing.T) {
		_, stderr, code := run(bin)
		assert.Equal(t, 2, code)
		assert.Contains(t, stderr, "usage: piicheck")

		stdout, stderr, code := run(bin, "help", "piicheck")
		assert.Equal(t, 0, code)
		assert.Contains(t, stdout+stderr, "personal-looking fields without a pii tag")
		assert.Contains(t, stdout+stderr, "slog-handler")
	})
}

// decodeVetJSON reads the objects go vet -json writes, one per package:
// {"pkg": {"piicheck": [{"posn": "file:line:col", "message": "..."}]}}.
func decodeVetJSON(t *testing.T, text string) map[string][]report {
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
			return got
		}
		require.NoError(t, err, "go vet -json output:\n%s", text)
		for pkg, byAnalyzer := range v {
			for _, d := range byAnalyzer["piicheck"] {
				// posn is file:line:col.
				rest, _, _ := cutLast(d.Posn, ":")
				file, lineText, _ := cutLast(rest, ":")
				line, err := strconv.Atoi(lineText)
				require.NoError(t, err, "position %q", d.Posn)
				got[pkg] = append(got[pkg], report{file, line, d.Message})
			}
		}
	}
}

func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}
