// Package safe holds the checks the gdpr packages share on text they write
// into journals, records and spreadsheets.
package safe

import "strings"

// Code reports whether s is 1 to 64 bytes of lower-case letters, digits
// and ". _ -", and, when wide, also upper-case letters, ':' and '/'. Codes
// hold no spaces, '@' or '+', so no e-mail address, sentence or formatted
// phone number fits in one.
func Code(s string, wide bool) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '.', c == '_', c == '-':
		case wide && (c >= 'A' && c <= 'Z' || c == ':' || c == '/'):
		default:
			return false
		}
	}
	return true
}

// CSVCell keeps spreadsheets from evaluating a cell as a formula: a cell
// that starts with = + - @, a tab or a carriage return is prefixed with a
// quote.
func CSVCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
