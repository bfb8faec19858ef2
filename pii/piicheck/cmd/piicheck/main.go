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
// On its own, with package patterns as go build takes them:
//
//	piicheck ./...
//	piicheck -json ./...
//	piicheck -slog-handler ./...
//
// Both forms print the same reports. Run on its own, piicheck loads the
// packages itself, test files included (-test=false leaves them out), and
// exits with status 3 when it reports something and 1 when it cannot load
// or check a package; under go vet the status is go vet's, 1 in both cases.
// With -json it prints the reports as JSON and exits 0 unless it fails.
// "piicheck -h" describes the analyzer and its flags.
//
// Under go vet the analyzer needs nothing from the packages the checked
// ones import but their types: piicheck does no work for them (go vet asks
// every vet tool about every dependency, standard library included) and
// reads the types of imports from the export data go vet has built.
package main

import (
	"os"
	"runtime"

	"golang.org/x/tools/go/analysis/singlechecker"

	"github.com/gdprkit/gdprkit/pii/piicheck"
)

const runtimeGOARCH = runtime.GOARCH

func main() {
	if code, ok := vetUnit(os.Args[1:]); ok {
		os.Exit(code)
	}
	singlechecker.Main(piicheck.Analyzer)
}
