package pii

import (
	"errors"
	"fmt"
)

// ErrInvalidTag is matched (with errors.Is) by every error about a malformed
// pii tag, an unknown category or option, or an inconsistent set of tags.
var ErrInvalidTag = errors.New("pii: invalid tag")

// TagError reports a pii tag at fault: which type, which field, and why.
type TagError struct {
	Type  string // the struct type, such as "app.User"
	Field string // the Go field name
	Tag   string // the tag text as written
	Err   error  // what is wrong
}

// Error names the type, the field and the fault.
func (e *TagError) Error() string {
	return fmt.Sprintf("pii: %s.%s: tag %q: %v", e.Type, e.Field, e.Tag, e.Err)
}

// Unwrap returns the fault, so errors.Is(err, ErrInvalidTag) holds.
func (e *TagError) Unwrap() []error { return []error{ErrInvalidTag, e.Err} }
