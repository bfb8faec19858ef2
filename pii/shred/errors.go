package shred

import (
	"errors"
	"strings"
)

// ErrErased reports that a subject's key was destroyed by Erase: what it
// sealed can no longer be read, and nothing new is sealed for the subject
// until Renew gives it a fresh key. Every error that reports erasure matches
// it with errors.Is and has a method Erased() bool that returns true, so
// packages that must not import shred can detect erasure with errors.As.
var ErrErased error = erasedError{}

type erasedError struct{}

// Error says what happened.
func (erasedError) Error() string { return "shred: the subject's key was erased" }

// Erased reports erasure to code that cannot import this package.
func (erasedError) Erased() bool { return true }

var (
	// ErrNoKey reports that the key store holds no key for a subject: it was
	// never sealed for, in this store and namespace. Store implementations
	// return it from Get.
	ErrNoKey = errors.New("shred: no key for the subject in the key store")

	// ErrUnknownCategory reports a BlindIndex category that is not the key
	// of a registered pii category.
	ErrUnknownCategory = errors.New("shred: not the key of a registered pii category")

	// ErrNoSubject reports a personal field with no data subject in scope: no
	// subject field of its group, in its struct or an enclosing one, holds an
	// ID.
	ErrNoSubject = errors.New("shred: no data subject in scope for the field (set the pii:\"subject\" field of its group)")

	// ErrUnsupported reports a personal field whose type cannot be sealed in
	// place: only strings and byte slices (and pointers to them) can. Seal
	// such values with Marshal.
	ErrUnsupported = errors.New("shred: only string and []byte fields can be sealed in place; use Marshal for other types")

	// ErrNotSettable reports a personal field that cannot be changed in
	// place, because the value was passed by value rather than by pointer.
	ErrNotSettable = errors.New("shred: field cannot be set; pass a pointer")

	// ErrMalformed reports a value that carries the sealed prefix but is not
	// a well-formed ciphertext.
	ErrMalformed = errors.New("shred: malformed ciphertext")

	// ErrCiphertext reports a ciphertext that does not open under the
	// subject's key for the field: it was altered, or moved from another
	// subject, field or namespace.
	ErrCiphertext = errors.New("shred: ciphertext does not open under the subject's key for this field (altered, or moved from another subject or field)")

	// ErrUnwrap reports a wrapped key that the key-encryption key does not
	// open: the KEK is wrong, or the wrapped key was copied from another
	// subject's row.
	ErrUnwrap = errors.New("shred: wrapped key does not open under the key-encryption key (wrong KEK, or a key copied from another subject's row)")

	// ErrUnknownKEK reports a key wrapped by a key-encryption key that is
	// neither ShredderConfig.KEK nor one of ShredderConfig.OldKEKs.
	ErrUnknownKEK = errors.New("shred: key wrapped by an unknown key-encryption key; add it to ShredderConfig.OldKEKs")

	// ErrSelfMarshaling reports, from Marshal and Unmarshal, a type that may
	// hold personal data (a struct with personal fields, an interface) and
	// marshals itself: it implements json.Marshaler or
	// encoding.TextMarshaler, with a value or a pointer receiver. The codec
	// cannot find the personal fields in the JSON such a type writes, and
	// does not pass it on in clear. Tag the field holding it as personal, so
	// that it is sealed as a whole, or drop the method.
	ErrSelfMarshaling = errors.New("shred: the type may hold personal data but marshals itself, so the codec cannot seal it")

	// ErrKeyExists is returned by Store.Create when the store already holds
	// a record (a key or a tombstone) for the namespace and reference.
	ErrKeyExists = errors.New("shred: key store already holds a record for the subject")

	// ErrConflict is returned by Store.Update when the record changed since
	// it was read (its version differs).
	ErrConflict = errors.New("shred: key record changed concurrently")

	// ErrInvalidConfig is matched by errors about a ShredderConfig that
	// cannot work.
	ErrInvalidConfig = errors.New("shred: invalid config")
)

// FieldError reports a personal field that could not be sealed or opened.
// Field is the field's pii ID ("pkg/path.Type.Field"); the subject's ID is
// deliberately not part of the message, which may end up in logs.
type FieldError struct {
	Op    string // "seal", "open", "reseal", "marshal" or "unmarshal"
	Field string // the pii Field.ID
	Err   error  // the cause: ErrErased, ErrNoSubject, ErrCiphertext, …
}

// Error names the operation, the field and the cause.
func (e *FieldError) Error() string {
	return "shred: " + e.Op + " " + e.Field + ": " + strings.TrimPrefix(e.Err.Error(), "shred: ")
}

// Unwrap returns the cause, so errors.Is(err, ErrErased) holds.
func (e *FieldError) Unwrap() error { return e.Err }

// Erased reports whether the field could not be opened because its
// subject's key was erased.
func (e *FieldError) Erased() bool { return errors.Is(e.Err, ErrErased) }

// StoreError reports that a subject's key could not be had: the key store
// failed to read or create it (a connection lost, a timeout, a canceled
// context), or the key-encryption key failed to unwrap it. It concerns
// every field of the subject rather than any one of them, so a call reports
// it once, naming no field, however many fields it stopped. Err is the
// cause, for errors.Is and errors.As.
type StoreError struct {
	Op  string // "seal", "open", "reseal", "marshal" or "unmarshal"
	Err error
}

// Error names the operation and the cause.
func (e *StoreError) Error() string {
	return "shred: " + e.Op + ": key store: " + strings.TrimPrefix(e.Err.Error(), "shred: ")
}

// Unwrap returns the cause.
func (e *StoreError) Unwrap() error { return e.Err }

// FieldErrors is returned when several fields failed; Open and Unmarshal go
// on past a field that fails and report them all.
type FieldErrors []*FieldError

// Error lists the field errors.
func (es FieldErrors) Error() string {
	var b strings.Builder
	for i, e := range es {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the field errors, for errors.Is and errors.As.
func (es FieldErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Erased reports whether any of the fields was erased.
func (es FieldErrors) Erased() bool {
	for _, e := range es {
		if e.Erased() {
			return true
		}
	}
	return false
}

// fieldErrors returns nil, the single error, or all of them.
func fieldErrors(es []*FieldError) error {
	switch len(es) {
	case 0:
		return nil
	case 1:
		return es[0]
	}
	return FieldErrors(append([]*FieldError(nil), es...))
}
