// Command piicheck reports personal data that reaches logs, formatted text
// or error messages unredacted, and struct fields whose names look personal
// but carry no pii tag. The rules are those of package
// github.com/gdprkit/gdprkit/pii/piicheck.
//
// As a vet tool:
//
//	go install github.com/gdprkit/gdprkit/pii/piicheck/cmd/piicheck
//	go vet -vettool=$(which piicheck) ./...
//
// On its own, with the packages and flags go vet takes:
//
//	piicheck ./...
//	piicheck -json ./...
//
// Run on its own, piicheck hands over to "go vet -vettool" with itself as
// the tool, so both forms load packages the same way, print the same
// reports and exit with the same status (1 when something is reported).
// "piicheck help" describes the analyzer and its flags.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/gdprkit/gdprkit/pii/piicheck"
)

func main() {
	args := os.Args[1:]
	if calledByVet(args) {
		unitchecker.Main(piicheck.Analyzer) // does not return
	}
	os.Exit(vet(args))
}

// calledByVet reports whether the arguments are those go vet passes its
// tool: a unit's config file, or a query for the tool's version or flags.
// "help" is answered the same way.
func calledByVet(args []string) bool {
	if len(args) == 0 {
		return false
	}
	if last := args[len(args)-1]; strings.HasSuffix(last, ".cfg") || args[0] == "help" {
		return true
	}
	for _, a := range args {
		if a == "-flags" || a == "--flags" || strings.HasPrefix(a, "-V") || strings.HasPrefix(a, "--V") {
			return true
		}
	}
	return false
}

const usage = `usage: piicheck [go vet flags] packages
       go vet -vettool=$(which piicheck) packages
       piicheck help`

// vet runs go vet with this executable as its tool and returns the exit
// status to leave with.
func vet(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, usage)
		return 2
	}
	self, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "piicheck: cannot find its own executable to hand to go vet: %v\n", err)
		return 1
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		fmt.Fprintln(os.Stderr, "piicheck: run on its own, piicheck needs the go command on PATH (it runs go vet -vettool=piicheck)")
		return 1
	}
	cmd := exec.Command(goCmd, append([]string{"vet", "-vettool=" + self}, args...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode()
		}
		fmt.Fprintf(os.Stderr, "piicheck: running go vet: %v\n", err)
		return 1
	}
	return 0
}
