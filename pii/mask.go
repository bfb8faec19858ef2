package pii

import (
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"
)

// redactor renders personal values in a Style. A nil *Tokenizer makes Hash
// fall back to Full.
type redactor struct {
	tok *Tokenizer
}

// shown returns what stands in place of a subject or personal field's value,
// and false when the field is to be dropped.
func (r *redactor) shown(f *Field, v reflect.Value) (string, bool) {
	style := f.Tag.Redact
	if f.kind == subjectField && !f.Tag.RedactSet {
		return v.String(), true
	}
	if style == Drop {
		return "", false
	}
	text := plainText(v)
	if text == "" {
		return "", true
	}
	category := f.Tag.Category
	if f.kind == subjectField {
		category = UniqueID
	}
	switch style {
	case Mask:
		return MaskText(category, text), true
	case Last4:
		return lastFour(text), true
	case Hash:
		if r != nil && r.tok != nil {
			return r.tok.Token(category, text), true
		}
	}
	if f.full == "" {
		return placeholder(category), true
	}
	return f.full, true
}

// plainText is the text of a personal value, for masking and tokens.
func plainText(v reflect.Value) string {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	switch {
	case v.Kind() == reflect.String:
		return v.String()
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8:
		return string(v.Bytes())
	case v.IsZero():
		return ""
	case v.CanInterface():
		return fmt.Sprint(v.Interface())
	}
	return ""
}

// MaskText hides the content of a personal value and keeps its shape: an
// e-mail address keeps the first letter of its local part and of its domain
// and the top-level domain ("a****@e******.com"); other text keeps its
// separators (space, '-', '+', '.', '/', ':') and turns everything else into
// '*'.
func MaskText(c Category, s string) string {
	if c.Within(Email) {
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

// lastFour keeps the last four characters and stars the rest; a value of
// four characters or fewer is starred whole.
func lastFour(s string) string {
	n := utf8.RuneCountInString(s)
	if n <= 4 {
		return strings.Repeat("*", n)
	}
	cut := len(s)
	for i := 0; i < 4; i++ {
		_, size := utf8.DecodeLastRuneInString(s[:cut])
		cut -= size
	}
	return strings.Repeat("*", n-4) + s[cut:]
}
