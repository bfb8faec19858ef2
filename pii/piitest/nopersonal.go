package piitest

import (
	"fmt"
	"testing"
)

// NoPersonalValues asserts that output holds none of the personal values
// of v: the non-empty values of its pii-tagged personal fields, found with
// pii.Walk through nested structs, pointers, slices, maps and interfaces,
// in each text form they may take (see the package documentation), with
// ASCII letters matched regardless of case. Subject IDs are not looked for:
// logs are expected to name whom a line is about. Pass several values as a
// slice ([]any{user, order}).
//
// It fails when v holds no personal value of MinValueLen characters or
// more, since it would then check nothing. The failure message names each
// field found, its byte offset, and an excerpt of output with the values
// masked. It returns whether the assertion held.
func NoPersonalValues[T Text](t testing.TB, output T, v any, msgAndArgs ...any) bool {
	t.Helper()
	needles, ok := lookFor(t, v, msgAndArgs...)
	if !ok {
		return false
	}
	text := string(output)
	hits := search(text, needles)
	if len(hits) == 0 {
		return true
	}
	headline := fmt.Sprintf("output holds %s of %T:", plural(len(hits), "personal value"), v)
	return fail(t, list(headline, describe(text, hits), len(hits)), msgAndArgs...)
}

// lookFor returns the personal values of v to look for, or reports a
// failure when there are none (the assertion would check nothing) or v's
// tags are invalid.
func lookFor(t testing.TB, v any, msgAndArgs ...any) ([]needle, bool) {
	t.Helper()
	needles, err := personalValues(v)
	if err != nil {
		return nil, fail(t, fmt.Sprintf("cannot read the personal values of %T: %v", v, err), msgAndArgs...)
	}
	if len(needles) == 0 {
		return nil, fail(t, fmt.Sprintf("%T holds no personal value of %d characters or more, so there is nothing to look for: fill the fixture's personal fields with distinctive values", v, MinValueLen), msgAndArgs...)
	}
	return needles, true
}
