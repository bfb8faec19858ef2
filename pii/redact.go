package pii

import (
	"fmt"
	"log/slog"
	"reflect"
)

// Redacted wraps a value so that it shows no personal data when logged with
// log/slog, printed with fmt (%v, %+v, %#v, %s) or encoded with
// encoding/json. Each personal field is shown in its tag's Style; subject
// and ordinary fields are shown as they are; fields tagged json:"-" are left
// out of logs and JSON. The wrapped value is read, never changed or copied.
//
// Unexported fields are not shown. Map keys are shown as they are: do not
// key maps by personal data. A node that the value reaches along more than
// one path (the target of a shared pointer, a shared slice or map) is shown
// where it is first met and as "<shared>" after that, and one reached from
// inside itself as "<cycle>" (JSON: an error), so that the work stays
// linear in the size of the value.
type Redacted struct {
	v any
	r *redactor
}

// Redact wraps v for logging and printing. Hash-style fields fall back to
// Full; use a Redactor with a Tokenizer for tokens.
func Redact(v any) Redacted { return Redacted{v: v} }

// Redactor redacts with settings: a Tokenizer for the Hash style.
type Redactor struct {
	r redactor
}

// NewRedactor returns a Redactor that computes Hash-style tokens with tok
// (nil: Hash falls back to Full).
func NewRedactor(tok *Tokenizer) *Redactor {
	return &Redactor{r: redactor{tok: tok}}
}

// Redact wraps v for logging and printing with the Redactor's settings.
func (rd *Redactor) Redact(v any) Redacted { return Redacted{v: v, r: &rd.r} }

// Value returns the value Redact wrapped.
func (d Redacted) Value() any { return d.v }

// LogValue implements slog.LogValuer: a struct becomes a group of its
// fields, personal ones redacted.
func (d Redacted) LogValue() slog.Value {
	var ns nodes
	return d.r.logValue(reflect.ValueOf(d.v), 0, &ns)
}

// Format implements fmt.Formatter for the verbs v, s (with + and #).
func (d Redacted) Format(f fmt.State, verb rune) {
	var ns nodes
	f.Write(d.r.appendFmt(nil, reflect.ValueOf(d.v), fmtMode(f, verb), 0, &ns))
}

// String returns the redacted value as %v prints it.
func (d Redacted) String() string {
	var ns nodes
	return string(d.r.appendFmt(nil, reflect.ValueOf(d.v), modePlain, 0, &ns))
}

// MarshalJSON implements json.Marshaler: the value as encoding/json would
// write it, with personal fields redacted.
func (d Redacted) MarshalJSON() ([]byte, error) {
	var ns nodes
	return d.r.appendJSON(nil, reflect.ValueOf(d.v), 0, &ns)
}

// view is a redacted nested value inside a slog group: it marshals to JSON
// and prints redacted, but is not a LogValuer (so slog does not resolve it
// again).
type view struct {
	v reflect.Value
	r *redactor
}

func (w view) MarshalJSON() ([]byte, error) {
	var ns nodes
	return w.r.appendJSON(nil, w.v, 0, &ns)
}

func (w view) Format(f fmt.State, verb rune) {
	var ns nodes
	f.Write(w.r.appendFmt(nil, w.v, fmtMode(f, verb), 0, &ns))
}

// MayHold reports whether values of type t may hold personal data: structs
// with personal fields (or whose tags are invalid), and pointers, slices,
// arrays, maps or interfaces that may lead to them. The answer is cached per
// type.
func MayHold(t reflect.Type) bool {
	if t == nil {
		return false
	}
	return infoOf(t).mayHold
}
