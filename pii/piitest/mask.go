package piitest

import (
	"strings"
	"unicode/utf8"

	"github.com/gdprkit/gdprkit/pii"
)

// shape hides a value found in a text for a failure message and keeps its
// shape, so that the reader can tell which value it was in the excerpt: an
// e-mail address keeps the first letter of its local part and of its
// domain and the top-level domain ("a****@e******.com"); other text keeps
// its separators (space, '-', '+', '.', '/', ':') and turns everything else
// into '*'. Logs use pii.MaskText, which keeps less.
func shape(c pii.Category, s string) string {
	if c.Within(pii.Email) {
		if local, domain, ok := strings.Cut(s, "@"); ok {
			host, tld := domain, ""
			if i := strings.LastIndexByte(domain, '.'); i > 0 {
				host, tld = domain[:i], domain[i:]
			}
			return keepFirst(local) + "@" + keepFirst(host) + tld
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if strings.ContainsRune(" -+./:", r) {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
	}
	return b.String()
}

func keepFirst(s string) string {
	if s == "" {
		return ""
	}
	_, size := utf8.DecodeRuneInString(s)
	return s[:size] + strings.Repeat("*", utf8.RuneCountInString(s)-1)
}
