package piitest

// Text is what the assertions search: a string or a byte slice, such as a
// log buffer's contents (buf.String(), buf.Bytes()) or an HTTP response
// body (rec.Body.String()).
type Text interface {
	~string | ~[]byte
}

// MinValueLen is the shortest personal value, in characters, that the
// assertions look for. Shorter values (a gender "F", an age "42") occur by
// chance in any text, so searching for them would fail tests for nothing:
// give fixtures distinctive values instead.
const MinValueLen = 4
