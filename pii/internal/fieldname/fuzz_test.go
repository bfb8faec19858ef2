package fieldname

import (
	"strings"
	"testing"
)

// FuzzLooksPersonal checks that no identifier makes LooksPersonal panic,
// and that a reason is made of the identifier's own words.
func FuzzLooksPersonal(f *testing.F) {
	for _, s := range []string{"Email", "ServerIPAddress", "date_of_birth", "EMail", "IPs", "ÄußereAdresse", "", "__", "a1B2c3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		reason, ok := LooksPersonal(name)
		if !ok {
			if reason != "" {
				t.Fatalf("LooksPersonal(%q) = %q, false", name, reason)
			}
			return
		}
		words := strings.Join(split(name), " ")
		for _, w := range strings.Fields(reason) {
			if !strings.Contains(words, w) {
				t.Fatalf("LooksPersonal(%q) = %q: %q is not among the words %q", name, reason, w, words)
			}
		}
		_ = Category(reason)
	})
}
