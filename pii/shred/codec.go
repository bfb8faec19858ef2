package shred

import (
	"bytes"
	"context"
	"encoding"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"

	"github.com/gdprkit/gdprkit/pii"
)

// Marshal encodes v as JSON, like encoding/json, with every personal field
// that is not plain sealed in place: its value becomes a sealed string (a
// []byte field, the base64 of one, as encoding/json writes bytes).
// Unlike Seal it seals fields of any type — numbers, times, nested
// structs, slices — for event payloads and documents; a string or []byte
// field is sealed as Seal would seal it, so a value Seal already sealed is
// kept as it is. Subjects are found as Seal finds them, and Marshal fails,
// naming the field, where Seal would. A subject is its field's Go string,
// as Seal and Erase take it, not its JSON form: a subject type with a
// MarshalText or MarshalJSON method must decode back to the same ID (have
// the matching Unmarshal method), or Marshal refuses it with ErrNoSubject.
// Field names follow encoding/json, invalid json tag names included; a
// personal field that encoding/json left out of the object for a reason
// other than omitempty, omitzero or a nil embedded pointer is an error.
//
// A type that may hold personal data (a struct with personal fields, or an
// interface, at any depth: in slices, arrays, maps, behind pointers) and
// marshals itself — json.Marshaler or encoding.TextMarshaler, by value or
// pointer receiver — cannot be looked into: Marshal and Unmarshal refuse it
// with ErrSelfMarshaling, naming it. Tag the field holding it as personal
// instead, so that it is sealed whole.
func (s *Shredder) Marshal(ctx context.Context, v any) ([]byte, error) {
	if err := checkType(reflect.TypeOf(v)); err != nil {
		return nil, err
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("shred: marshal: %w", err)
	}
	o := s.getOp(ctx, "marshal")
	defer s.putOp(o)
	c := codec{o: o, sealing: true}
	out, err := c.value(data, reflect.TypeOf(v), reflect.ValueOf(v), nil, 0)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Unmarshal decodes JSON made by Marshal into v, a pointer, like
// encoding/json, opening the sealed fields on the way. Like Open it goes on
// past fields that fail and reports them all; the fields of an erased
// subject get their replace= text or stay zero, and the error matches
// ErrErased. Decode into a zero value: a field that cannot be opened is
// left as encoding/json leaves a field that is null.
//
// Values behind interface fields are decoded by encoding/json without
// their Go type, so their sealed fields stay sealed.
func (s *Shredder) Unmarshal(ctx context.Context, data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("shred: unmarshal: need a non-nil pointer, not %T", v)
	}
	if err := checkType(rv.Type()); err != nil {
		return err
	}
	o := s.getOp(ctx, "unmarshal")
	defer s.putOp(o)
	c := codec{o: o}
	out, err := c.value(data, rv.Type(), reflect.Value{}, nil, 0)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(out, v); err != nil {
		return fmt.Errorf("shred: unmarshal: %w", err)
	}
	return o.result()
}

// codec rewrites a JSON document, sealing or opening the personal members
// of the Go type it encodes. When sealing it also has the Go value, to
// follow interfaces to their dynamic types.
type codec struct {
	o       *op
	sealing bool
}

// scope maps subject groups to the subject IDs in effect.
type scope []groupSubject

type groupSubject struct{ group, subject string }

func (sc scope) subject(group string) string {
	for i := len(sc) - 1; i >= 0; i-- {
		if sc[i].group == group {
			return sc[i].subject
		}
	}
	return ""
}

const maxDepth = 64

func (c *codec) value(raw []byte, t reflect.Type, v reflect.Value, sc scope, depth int) ([]byte, error) {
	if depth > maxDepth {
		return nil, pii.ErrTooDeep
	}
	if t == nil || isNull(raw) {
		return raw, nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
		if v.IsValid() {
			if v.IsNil() {
				v = reflect.Value{}
			} else {
				v = v.Elem()
			}
		}
	}
	switch t.Kind() {
	case reflect.Interface:
		if !v.IsValid() || v.IsNil() {
			return raw, nil
		}
		e := v.Elem()
		if err := checkType(e.Type()); err != nil {
			return nil, err
		}
		return c.value(raw, e.Type(), e, sc, depth+1)
	case reflect.Struct:
		return c.object(raw, t, v, sc, depth)
	case reflect.Slice, reflect.Array:
		if !pii.MayHold(t.Elem()) {
			return raw, nil
		}
		items, err := splitArray(raw)
		if err != nil || items == nil {
			return raw, err
		}
		for i := range items {
			var ev reflect.Value
			if v.IsValid() && i < v.Len() {
				ev = v.Index(i)
			}
			if items[i], err = c.value(items[i], t.Elem(), ev, sc, depth+1); err != nil {
				return nil, err
			}
		}
		return joinArray(items), nil
	case reflect.Map:
		if !pii.MayHold(t.Elem()) {
			return raw, nil
		}
		kvs, err := splitObject(raw)
		if err != nil || kvs == nil {
			return raw, err
		}
		values := map[string]reflect.Value{}
		if v.IsValid() {
			for it := v.MapRange(); it.Next(); {
				if k, ok := mapKey(it.Key()); ok {
					values[k] = it.Value()
				}
			}
		}
		for i := range kvs {
			if kvs[i].raw, err = c.value(kvs[i].raw, t.Elem(), values[kvs[i].key], sc, depth+1); err != nil {
				return nil, err
			}
		}
		return joinObject(kvs), nil
	}
	return raw, nil
}

// object rewrites the JSON object of a struct.
func (c *codec) object(raw []byte, t reflect.Type, v reflect.Value, sc scope, depth int) ([]byte, error) {
	p, err := planOf(t)
	if err != nil {
		return nil, err
	}
	if !p.personal {
		return raw, nil
	}
	kvs, err := splitObject(raw)
	if err != nil || kvs == nil {
		return raw, err
	}
	// The subjects this object declares. As pii.Walk resolves them, a
	// declared subject field that is empty leaves its group without a
	// subject rather than inheriting the enclosing one, and one behind a
	// nil embedded pointer is not declared. Opening, a subject member
	// missing from the object counts as empty.
	subjects := make([]declared, len(p.subjects))
	fromGo := c.sealing && v.IsValid()
	for j, sm := range p.subjects {
		if !fromGo {
			subjects[j].ok = true
		} else if fv, err := v.FieldByIndexErr(sm.index); err == nil {
			subjects[j] = declared{fv.String(), true}
		}
	}
	members := make([]*member, len(kvs))
	present := 0 // personal members to seal
	for i, kv := range kvs {
		m := p.lookup(kv.key)
		members[i] = m
		if m != nil && m.personal() && !m.field.Tag.Plain {
			present++
		}
		if m != nil && m.subject() {
			if subjects[m.slot].id, err = c.subjectID(m, kv.raw, v); err != nil {
				return nil, err
			}
		}
	}
	if fromGo && present < len(p.sealed) {
		if err := c.missing(p, members, v); err != nil {
			return nil, err
		}
	}
	for i, m := range members {
		if m == nil || m.subject() || m.personal() && m.field.Tag.Plain {
			continue
		}
		msc := sc
		for _, s := range m.scope {
			if d := subjects[s.slot]; d.ok {
				msc = append(msc[:len(msc):len(msc)], groupSubject{s.field.Tag.Group, d.id})
			}
		}
		if m.personal() {
			kvs[i].raw, err = c.field(m, kvs[i].raw, msc.subject(m.field.Tag.Group))
		} else {
			var fv reflect.Value
			if v.IsValid() {
				fv, _ = v.FieldByIndexErr(m.index)
			}
			kvs[i].raw, err = c.value(kvs[i].raw, m.typ, fv, msc, depth+1)
		}
		if err != nil {
			return nil, err
		}
	}
	return joinObject(kvs), nil
}

// missing fails when a personal member of struct value v that encoding/json
// wrote nothing for is not one it may leave out (omitempty, omitzero, or
// behind a nil embedded pointer): the codec cannot tell where the field's
// value went, so it does not pass the JSON on as sealed.
func (c *codec) missing(p *structPlan, members []*member, v reflect.Value) error {
	for _, m := range p.sealed {
		if slices.Contains(members, m) {
			continue
		}
		fv, err := v.FieldByIndexErr(m.index)
		if err != nil || m.omitted(fv) {
			continue
		}
		return &FieldError{Op: c.o.name, Field: m.field.ID, Err: fmt.Errorf("encoding/json wrote no member %q for it, so it cannot be sealed", m.key)}
	}
	return nil
}

// declared is a subject an object declares: ok unless it is not declared
// at all, and then its ID, which may be empty.
type declared struct {
	id string
	ok bool
}

// subjectID returns the subject ID held by subject member m, whose JSON is
// raw: the Go string, as Seal, Open and Erase use it, never the JSON text,
// which a type with a MarshalText or MarshalJSON method, or a ",string"
// option, makes different. Opening, it decodes raw into the field's own
// type, as encoding/json would. Sealing, it reads the Go value, and fails
// unless raw decodes back to the same ID: otherwise Unmarshal would look
// for another subject's key, and data sealed for an erased subject could
// open. Without the Go value (a map entry whose key cannot be matched) it
// decodes raw.
func (c *codec) subjectID(m *member, raw []byte, v reflect.Value) (string, error) {
	id, ok := m.decodeSubject(raw)
	if !c.sealing || !v.IsValid() {
		return id, nil
	}
	fv, err := v.FieldByIndexErr(m.index)
	if err != nil {
		return "", nil // behind a nil embedded pointer: not in the JSON either
	}
	if goID := fv.String(); !ok || goID != id {
		return "", &FieldError{Op: c.o.name, Field: m.field.ID, Err: fmt.Errorf("%w: %v does not decode from its JSON form to the same ID, so Unmarshal could not find the subject's key; give the type an UnmarshalText or UnmarshalJSON method that inverts its marshalling", ErrNoSubject, m.typ)}
	}
	return id, nil
}

// field seals or opens one personal member.
func (c *codec) field(m *member, raw []byte, subject string) ([]byte, error) {
	if isNull(raw) {
		return raw, nil
	}
	kind := textKindOf(m.typ)
	if c.sealing {
		return c.seal(m.field, kind, raw, subject)
	}
	return c.open(m.field, kind, raw, subject), nil
}

func (c *codec) seal(f *pii.Field, kind textKind, raw []byte, subject string) ([]byte, error) {
	o := c.o
	pt := raw
	switch kind {
	case strText:
		var s string
		if json.Unmarshal(raw, &s) != nil {
			break // not a JSON string (a ",string" option): seal the JSON
		}
		if s == "" || looksSealed(s) {
			return raw, nil
		}
		pt = []byte(s)
	case byteText:
		var b []byte
		if err := json.Unmarshal(raw, &b); err != nil {
			return nil, &FieldError{Op: o.name, Field: f.ID, Err: err}
		}
		if len(b) == 0 {
			return raw, nil
		}
		if looksSealed(b) {
			return raw, nil
		}
		pt = b
	}
	if subject == "" {
		return nil, &FieldError{Op: o.name, Field: f.ID, Err: ErrNoSubject}
	}
	h, err := o.key(subject, true)
	if storeFailure(err) {
		return nil, o.storeFail(err)
	}
	if err == nil && h.key.erased {
		err = ErrErased
	}
	if err != nil {
		return nil, &FieldError{Op: o.name, Field: f.ID, Err: err}
	}
	txt, err := o.encrypt(h.key, subject, f.ID, pt)
	if err != nil {
		return nil, &FieldError{Op: o.name, Field: f.ID, Err: err}
	}
	if kind == byteText {
		// As encoding/json writes a []byte that Seal sealed.
		return quoted([]byte(base64.StdEncoding.EncodeToString(txt))), nil
	}
	return quoted(txt), nil
}

// open opens one member, records a failure, and returns the JSON to decode
// in its place.
func (c *codec) open(f *pii.Field, kind textKind, raw []byte, subject string) []byte {
	o := c.o
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return raw // not sealed
	}
	if !looksSealed(s) {
		// A []byte is sealed as encoding/json writes bytes: in base64.
		b, err := base64.StdEncoding.DecodeString(s)
		if kind != byteText || err != nil || !looksSealed(b) {
			return raw
		}
		s = string(b)
	}
	var err error
	var h *heldKey
	if subject == "" {
		err = ErrNoSubject
	} else if h, err = o.key(subject, false); storeFailure(err) {
		o.storeFail(err) // reported once, not for each field
		if kind == strText {
			return raw
		}
		return []byte("null")
	} else if err == nil && h.key.erased {
		err = ErrErased
	}
	var pt []byte
	if err == nil {
		pt, err = decrypt(o, h, f.ID, s)
	}
	if err == nil && kind == notText && !json.Valid(pt) {
		err = fmt.Errorf("%w: not sealed by Marshal", ErrCiphertext)
	}
	switch {
	case errors.Is(err, ErrErased):
		o.fail(f, err)
		return erasedJSON(f, kind)
	case err != nil:
		o.fail(f, err)
		if kind == strText {
			return raw // keep the sealed text, as Open does
		}
		return []byte("null")
	case kind == strText:
		out, _ := json.Marshal(string(pt))
		return out
	case kind == byteText:
		return quoted([]byte(base64.StdEncoding.EncodeToString(pt)))
	}
	return pt
}

// erasedJSON is what an erased member decodes from: its replace= text, or
// null, which leaves the zero value.
func erasedJSON(f *pii.Field, kind textKind) []byte {
	switch {
	case f.Tag.Replace == "":
	case kind == strText:
		out, _ := json.Marshal(f.Tag.Replace)
		return out
	case kind == byteText:
		return quoted([]byte(base64.StdEncoding.EncodeToString([]byte(f.Tag.Replace))))
	}
	return []byte("null")
}

// textKindOf says how a field type's JSON is sealed: as the string or
// bytes Seal would seal, or as JSON text.
func textKindOf(t reflect.Type) textKind {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t.Kind() == reflect.String:
		return strText
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		return byteText
	}
	return notText
}

// mapKey returns the JSON object key of a map key, as encoding/json
// writes it.
func mapKey(k reflect.Value) (string, bool) {
	if k.Kind() == reflect.String {
		return k.String(), true
	}
	if tm, ok := k.Interface().(encoding.TextMarshaler); ok {
		if k.Kind() == reflect.Pointer && k.IsNil() {
			return "", false
		}
		b, err := tm.MarshalText()
		return string(b), err == nil
	}
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(k.Uint(), 10), true
	}
	return "", false
}

func isNull(raw []byte) bool { return string(bytes.TrimSpace(raw)) == "null" }

// quoted returns s, which needs no escaping, as a JSON string.
func quoted(s []byte) []byte {
	out := make([]byte, 0, len(s)+2)
	out = append(out, '"')
	out = append(out, s...)
	return append(out, '"')
}

type keyValue struct {
	key string
	raw []byte
}

// splitObject returns the members of a JSON object in order, or nil when
// raw is not an object.
func splitObject(raw []byte) ([]keyValue, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("shred: %w", err)
	} else if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, nil
	}
	out := []keyValue{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("shred: %w", err)
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("shred: %w", err)
		}
		out = append(out, keyValue{key, v})
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("shred: %w", err)
	}
	return out, nil
}

func joinObject(kvs []keyValue) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, kv := range kvs {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(kv.key)
		b.Write(k)
		b.WriteByte(':')
		b.Write(kv.raw)
	}
	b.WriteByte('}')
	return b.Bytes()
}

// splitArray returns the elements of a JSON array, or nil when raw is not
// an array.
func splitArray(raw []byte) ([][]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("shred: %w", err)
	} else if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, nil
	}
	out := [][]byte{}
	for dec.More() {
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("shred: %w", err)
		}
		out = append(out, v)
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("shred: %w", err)
	}
	return out, nil
}

func joinArray(items [][]byte) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, it := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(it)
	}
	b.WriteByte(']')
	return b.Bytes()
}
