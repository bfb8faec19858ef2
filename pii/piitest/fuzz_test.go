package piitest

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzNoPersonalValues checks that no output or value makes the assertion
// panic, and that a value found verbatim in the output always fails it.
func FuzzNoPersonalValues(f *testing.F) {
	f.Add(`{"note":"contact ada@example.org now"}`, "ada@example.org")
	f.Add("line\none\t\x00\xff end", "\xff end")
	f.Add("ÄÖÜ äöü ß", "äöü ß")
	f.Add("", "    ")
	f.Fuzz(func(t *testing.T, output, value string) {
		type Note struct {
			Text string `pii:"content"`
		}
		r := &recorder{}
		held := NoPersonalValues(r, output, Note{Text: value})
		if held != (len(r.failures) == 0) {
			t.Fatalf("returned %v with failures %q", held, r.failures)
		}
		if strings.TrimSpace(value) != "" && utf8.RuneCountInString(value) >= MinValueLen && strings.Contains(output, value) && held {
			t.Fatalf("%q holds %q, yet the assertion held", output, value)
		}
		r = &recorder{}
		if NoDetectedPII(r, output) != (len(r.failures) == 0) {
			t.Fatalf("NoDetectedPII disagrees with its failures %q", r.failures)
		}
	})
}
