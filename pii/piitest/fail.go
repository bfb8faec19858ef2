package piitest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// maxListed bounds the findings a failure message lists.
const maxListed = 10

// fail reports a failure through testify, so that it reads like testify's
// own (Error Trace, Error, Messages), and returns false.
func fail(t testing.TB, msg string, msgAndArgs ...any) bool {
	t.Helper()
	return assert.Fail(t, msg, msgAndArgs...)
}

// list formats a headline and at most maxListed items, one per line, and
// says how many of total were left out.
func list(headline string, items []string, total int) string {
	var b strings.Builder
	b.WriteString(headline)
	for _, item := range items[:min(len(items), maxListed)] {
		b.WriteString("\n\t")
		b.WriteString(item)
	}
	if total > maxListed {
		fmt.Fprintf(&b, "\n\t... and %d more", total-maxListed)
	}
	return b.String()
}

// plural returns "1 field" or "2 fields".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
