package pii

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
)

// redactedText wraps an attribute value for a Handler's TextRedactor: each
// way a handler may write it (JSON, text, fmt) writes the value as it would
// be written unwrapped, with its text rewritten.
type redactedText struct {
	v      any
	r      *redactor
	noKeys bool // leave object members alone whatever their keys
}

// MarshalJSON writes the value as slog's JSONHandler does (an error as its
// message), with every string, keys included, rewritten, and the value of
// every object member whose key names personal data hidden. Bytes are
// written as text rather than base64.
func (t redactedText) MarshalJSON() ([]byte, error) {
	if err, ok := t.v.(error); ok {
		if _, jm := t.v.(json.Marshaler); !jm {
			return appendJSONString(nil, t.r.text.RedactString(err.Error())), nil
		}
	}
	if bs, ok := byteSlice(t.v); ok {
		// As text, not base64, which would hide what is in it from the
		// redactor and from no one else.
		return appendJSONString(nil, t.r.text.RedactString(string(bs))), nil
	}
	if w, ok := t.v.(view); ok {
		return w.MarshalJSON() // rewrites its text itself
	}
	b, err := json.Marshal(t.v)
	if err != nil {
		return nil, err
	}
	return redactJSONStrings(b, t.r.forType(reflect.TypeOf(t.v)), !t.noKeys)
}

// byteSlice returns v's bytes if its type is a slice of bytes.
func byteSlice(v any) ([]byte, bool) {
	if _, ok := v.(json.Marshaler); ok {
		return nil, false
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Uint8 {
		return rv.Bytes(), true
	}
	return nil, false
}

// MarshalText writes the value as slog's TextHandler does, rewritten.
func (t redactedText) MarshalText() ([]byte, error) {
	var s string
	if tm, ok := t.v.(encoding.TextMarshaler); ok {
		b, err := tm.MarshalText()
		if err != nil {
			return nil, err
		}
		s = string(b)
	} else if bs, ok := byteSlice(t.v); ok {
		s = strconv.Quote(string(bs))
	} else if composite(t.v) {
		// Written as JSON, so that members whose keys name personal
		// data are hidden as in the JSON handler.
		b, err := t.MarshalJSON()
		if err != nil {
			return nil, err
		}
		return b, nil
	} else {
		s = fmt.Sprintf("%+v", t.v)
	}
	return []byte(t.r.text.RedactString(s)), nil
}

// Format prints the value as fmt would with the same verb and flags,
// rewritten.
func (t redactedText) Format(f fmt.State, verb rune) {
	io.WriteString(f, t.r.text.RedactString(fmt.Sprintf(fmt.FormatString(f, verb), t.v)))
}

// redactJSONStrings rewrites every string of a JSON text, object keys
// included, keeping its structure and order; the value of an object member
// whose key names personal data becomes a placeholder, whole.
func redactJSONStrings(b []byte, r *redactor, keys bool) ([]byte, error) {
	text := r.text
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	type level struct {
		object bool
		n      int // tokens written at this level
	}
	var (
		out    []byte
		levels []level
		hide   string // the placeholder for the next value, when its key names personal data
		skip   int    // the depth of a hidden composite value being skipped
	)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if skip > 0 {
			if d, ok := tok.(json.Delim); ok {
				if d == '{' || d == '[' {
					skip++
				} else {
					skip--
				}
			}
			continue
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			levels = levels[:len(levels)-1]
			out = append(out, byte(d))
			continue
		}
		isKey := false
		if n := len(levels); n > 0 {
			l := &levels[n-1]
			switch {
			case l.n > 0 && l.object && l.n%2 == 1:
				out = append(out, ':')
			case l.n > 0:
				out = append(out, ',')
			}
			isKey = l.object && l.n%2 == 0
			l.n++
		}
		if hide != "" {
			out = appendJSONString(out, hide)
			hide = ""
			if d, ok := tok.(json.Delim); ok && (d == '{' || d == '[') {
				skip = 1
			}
			continue
		}
		if s, ok := tok.(string); ok && isKey && keys {
			if shown, personal := r.namedPersonal(s); personal {
				hide = shown
			}
		}
		switch x := tok.(type) {
		case json.Delim:
			out = append(out, byte(x))
			levels = append(levels, level{object: x == '{'})
		case string:
			out = appendJSONString(out, text.RedactString(x))
		case json.Number:
			out = append(out, x...)
		case bool:
			out = strconv.AppendBool(out, x)
		case nil:
			out = append(out, "null"...)
		}
	}
}

// composite reports whether v is a struct, map, slice or array (or a
// pointer to one) that prints itself no other way: no String, Error or
// Format method.
func composite(v any) bool {
	switch v.(type) {
	case fmt.Stringer, error, fmt.Formatter, view:
		return false
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Struct, reflect.Map, reflect.Slice, reflect.Array:
		return true
	}
	return false
}
