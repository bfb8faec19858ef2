package pii

import (
	"fmt"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// redactor renders personal values in a Style. A nil *Tokenizer makes Hash
// fall back to Full. A Handler's redactor also rewrites free text (text,
// when set) and hides values by their keys (keys, except those in allow);
// Redact's does neither.
type redactor struct {
	tok   *Tokenizer
	text  TextRedactor
	keys  bool
	allow map[string]bool
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

// maskHidden stands in for every hidden part of a masked value. It has a
// fixed width, so that a mask does not tell how long the value was.
const maskHidden = "***"

// MaskText hides a personal value and keeps only the part of its shape
// that helps to tell cases apart without telling who it is:
//
//   - an e-mail address keeps its domain: "***@example.com" (the local
//     part and its length are hidden);
//   - an IP address keeps its network: the first three bytes of an IPv4
//     address ("203.0.113.***") and the first three groups (/48) of an
//     IPv6 address ("2001:db8:85a3::***");
//   - anything else, and a value of those categories that does not parse,
//     becomes "***", whatever its length.
func MaskText(c Category, s string) string {
	switch {
	case c.Within(Email):
		if i := strings.LastIndexByte(s, '@'); i >= 0 && i+1 < len(s) {
			return maskHidden + "@" + s[i+1:]
		}
	case c.Within(IPAddress):
		if a, err := netip.ParseAddr(strings.TrimSpace(s)); err == nil {
			a = a.Unmap()
			if a.Is4() {
				b := a.As4()
				return strconv.Itoa(int(b[0])) + "." + strconv.Itoa(int(b[1])) + "." + strconv.Itoa(int(b[2])) + "." + maskHidden
			}
			p, _ := a.Prefix(48)
			return strings.TrimSuffix(p.Addr().String(), "::") + "::" + maskHidden
		}
	}
	return maskHidden
}

// lastFour keeps the last four characters of a value of eight or more
// behind a fixed "****"; a shorter value is hidden whole, so that the part
// shown is never the larger part and the length is not told.
func lastFour(s string) string {
	n := utf8.RuneCountInString(s)
	if n < 8 {
		return "****"
	}
	cut := len(s)
	for i := 0; i < 4; i++ {
		_, size := utf8.DecodeLastRuneInString(s[:cut])
		cut -= size
	}
	return "****" + s[cut:]
}
