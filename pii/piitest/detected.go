package piitest

import (
	"fmt"
	"testing"
)

// NoDetectedPII asserts that package detect finds no personal data in
// output: no e-mail address, phone number, IP address, payment card, IBAN
// or MAC address. Loopback and unspecified IP addresses (127.0.0.1, ::1,
// 0.0.0.0) identify nobody and are let through; to let other known,
// impersonal values through, remove them from output first.
//
// The failure message lists what was found, with its byte offset and a
// masked excerpt of output. It returns whether the assertion held.
func NoDetectedPII[T Text](t testing.TB, output T, msgAndArgs ...any) bool {
	t.Helper()
	text := string(output)
	hits := detected(text)
	if len(hits) == 0 {
		return true
	}
	headline := fmt.Sprintf("output holds %s:", plural(len(hits), "piece")+" of personal data")
	return fail(t, list(headline, describe(text, hits), len(hits)), msgAndArgs...)
}
