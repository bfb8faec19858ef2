package shred

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/gdprkit/gdprkit/pii"
)

// structPlan tells the codec where a struct's subject and personal fields,
// and the values that may hold more, sit in the struct's JSON object. It
// follows encoding/json's naming: json tags, "-", and the fields of
// embedded structs promoted into the object. Built once per type.
type structPlan struct {
	members  map[string]*member // by JSON key
	subjects []*member          // the subject members, in declaration order
	sealed   []*member          // the personal members that are not plain
	personal bool               // the type may hold personal data
}

// member is one JSON key of a struct's object that the codec cares about.
type member struct {
	key   string
	index []int        // the Go field's index path
	typ   reflect.Type // the Go field's type
	field *pii.Field   // the subject or personal field; nil for a container
	slot  int          // for a subject: its position in structPlan.subjects
	// holder, for a subject, is a struct type with one field "ID" of the
	// subject's type and its json options, to decode the subject member
	// exactly as encoding/json decodes the field.
	holder reflect.Type
	// omitEmpty and omitZero are the json options that let encoding/json
	// leave the member out.
	omitEmpty, omitZero bool
	// scope lists the subject members in effect for this member, weakest
	// first: those promoted from other embedded structs, then those of the
	// struct that declares it and of the structs embedding that one,
	// outermost first, as pii.Walk resolves subjects.
	scope []*member
}

func (m *member) subject() bool  { return m.field != nil && m.field.Subject() }
func (m *member) personal() bool { return m.field != nil && m.field.Personal() }

type planEntry struct {
	plan *structPlan
	err  error
}

// plans holds the structPlan of each struct type, with its schema.
var plans = pii.NewMemo(func(t reflect.Type) planEntry {
	p, err := buildPlan(t)
	return planEntry{p, err}
})

// planOf returns the plan of struct type t.
func planOf(t reflect.Type) (*structPlan, error) {
	e := plans.Of(t)
	return e.plan, e.err
}

type candidate struct {
	key       string
	tagged    bool
	quoted    bool // the ",string" option
	omitEmpty bool
	omitZero  bool
	index     []int
	sf        reflect.StructField
	decl      reflect.Type // the struct declaring the field
}

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// typeError is a per-type check's verdict, nil for none.
type typeError struct{ err error }

// selfMarshalers holds selfMarshals' verdict on each type.
var selfMarshalers = pii.NewMemo(func(t reflect.Type) typeError {
	switch {
	case t.Kind() == reflect.Interface:
	case marshaler(t) && pii.MayHold(t):
		return typeError{fmt.Errorf("%w: %v implements json.Marshaler or encoding.TextMarshaler; tag the field holding it as personal, to seal it whole, or remove the method", ErrSelfMarshaling, t)}
	case t.Kind() == reflect.Map && pii.MayHold(t.Key()):
		return typeError{fmt.Errorf("%w: %v has keys that may hold personal data, which are not sealed", ErrSelfMarshaling, t)}
	}
	return typeError{}
})

// selfMarshals returns ErrSelfMarshaling, naming t, when values of type t
// may hold personal data and marshal themselves (as a JSON value, or as a
// map key), so that the codec cannot look into them. Interface types are
// judged by the dynamic types they hold.
func selfMarshals(t reflect.Type) error {
	return selfMarshalers.Of(t).err
}

// checkedTypes holds checkType's verdict on each type.
var checkedTypes = pii.NewMemo(func(t reflect.Type) typeError {
	return typeError{scanType(t, map[reflect.Type]bool{})}
})

// checkType returns ErrSelfMarshaling when t, or a type the codec would
// have to look into below it (the containers of personal data in its
// structs, slices, arrays, maps and pointers), marshals itself. A personal
// field is sealed whole and a subject field is read as a whole, so their
// types are not looked into; interfaces are checked when their dynamic type
// is met.
func checkType(t reflect.Type) error {
	if t == nil {
		return nil
	}
	return checkedTypes.Of(t).err
}

func scanType(t reflect.Type, seen map[reflect.Type]bool) error {
	if seen[t] || !pii.MayHold(t) {
		return nil
	}
	seen[t] = true
	if err := selfMarshals(t); err != nil {
		return err
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return scanType(t.Elem(), seen)
	case reflect.Struct:
		p, err := planOf(t)
		if err != nil {
			return err
		}
		for _, m := range p.members {
			if m.field == nil {
				if err := scanType(m.typ, seen); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// marshaler reports whether t, or a pointer to t, marshals itself.
func marshaler(t reflect.Type) bool {
	if t.Implements(jsonMarshaler) || t.Implements(textMarshaler) {
		return true
	}
	pt := reflect.PointerTo(t)
	return t.Kind() != reflect.Pointer && (pt.Implements(jsonMarshaler) || pt.Implements(textMarshaler))
}

func buildPlan(t reflect.Type) (*structPlan, error) {
	schema, err := pii.SchemaOf(t)
	if err != nil {
		return nil, err
	}
	p := &structPlan{members: map[string]*member{}, personal: schema.Personal()}
	if !p.personal {
		return p, nil
	}
	if err := selfMarshals(t); err != nil {
		return nil, err
	}
	var cands []candidate
	collect(t, nil, map[reflect.Type]bool{}, &cands)
	byKey := map[string][]candidate{}
	var order []string
	for _, c := range cands {
		if _, ok := byKey[c.key]; !ok {
			order = append(order, c.key)
		}
		byKey[c.key] = append(byKey[c.key], c)
	}
	for _, key := range order {
		c, ok := dominant(byKey[key])
		if !ok {
			continue
		}
		m := &member{key: key, index: c.index, typ: c.sf.Type, omitEmpty: c.omitEmpty, omitZero: c.omitZero}
		ds, err := pii.SchemaOf(c.decl)
		if err != nil {
			return nil, err
		}
		if f, ok := ds.Field(c.sf.Name); ok {
			m.field = f
		} else if !pii.MayHold(c.sf.Type) {
			continue
		}
		if m.subject() {
			tag := `json:"id"`
			if c.quoted {
				tag = `json:"id,string"`
			}
			m.holder = reflect.StructOf([]reflect.StructField{{Name: "ID", Type: c.sf.Type, Tag: reflect.StructTag(tag)}})
			m.slot = len(p.subjects)
			p.subjects = append(p.subjects, m)
		}
		if m.personal() && !m.field.Tag.Plain {
			p.sealed = append(p.sealed, m)
		}
		p.members[key] = m
	}
	for _, m := range p.members {
		// As pii.Walk resolves subjects: those promoted from embedded
		// structs that do not enclose m come first, then those of the
		// structs that enclose m, outermost first, so the innermost wins.
		var enclosing []*member
		for _, s := range p.subjects {
			if sp := s.index[:len(s.index)-1]; len(sp) < len(m.index) && slices.Equal(sp, m.index[:len(sp)]) {
				enclosing = append(enclosing, s)
			} else {
				m.scope = append(m.scope, s)
			}
		}
		slices.SortStableFunc(enclosing, func(a, b *member) int { return len(a.index) - len(b.index) })
		m.scope = append(m.scope, enclosing...)
	}
	return p, nil
}

// decodeSubject decodes the JSON of subject member m into the field's Go
// type, and returns the ID it holds; false when it does not decode.
func (m *member) decodeSubject(raw []byte) (string, bool) {
	if isNull(raw) {
		return "", true
	}
	doc := make([]byte, 0, len(raw)+8)
	doc = append(doc, `{"id":`...)
	doc = append(append(doc, raw...), '}')
	h := reflect.New(m.holder)
	if json.Unmarshal(doc, h.Interface()) != nil {
		return "", false
	}
	return h.Elem().Field(0).String(), true
}

// collect lists the JSON members of struct t, descending into embedded
// structs without a JSON name as encoding/json does.
func collect(t reflect.Type, index []int, onPath map[reflect.Type]bool, out *[]candidate) {
	if onPath[t] {
		return
	}
	onPath[t] = true
	defer delete(onPath, t)
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := pii.JSONTagOf(sf)
		if tag.Skip {
			continue
		}
		idx := append(slices.Clone(index), i)
		if sf.Anonymous {
			ft := sf.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if !sf.IsExported() && ft.Kind() != reflect.Struct {
				continue
			}
			if !tag.Named && ft.Kind() == reflect.Struct {
				collect(ft, idx, onPath, out)
				continue
			}
		}
		if !sf.IsExported() {
			continue
		}
		*out = append(*out, candidate{key: tag.Name, tagged: tag.Named, quoted: tag.Quoted,
			omitEmpty: tag.OmitEmpty, omitZero: tag.OmitZero, index: idx, sf: sf, decl: t})
	}
}

// omitted reports whether encoding/json may leave out member m, of value
// fv, for its omitempty or omitzero option.
func (m *member) omitted(fv reflect.Value) bool {
	if m.omitEmpty {
		switch fv.Kind() {
		case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
			if fv.Len() == 0 {
				return true
			}
		case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
			reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
			if fv.IsZero() {
				return true
			}
		}
	}
	if m.omitZero {
		if fv.Kind() == reflect.Pointer && fv.IsNil() {
			return true
		}
		if !fv.CanInterface() {
			return fv.IsZero()
		}
		if z, ok := fv.Interface().(interface{ IsZero() bool }); ok {
			return z.IsZero()
		}
		if fv.CanAddr() {
			if z, ok := fv.Addr().Interface().(interface{ IsZero() bool }); ok {
				return z.IsZero()
			}
		}
		return fv.IsZero()
	}
	return false
}

// dominant picks the field encoding/json uses for a key: the shallowest,
// and among equally shallow ones the only tagged one; none when ambiguous.
func dominant(cs []candidate) (candidate, bool) {
	depth := len(cs[0].index)
	for _, c := range cs {
		depth = min(depth, len(c.index))
	}
	var top []candidate
	for _, c := range cs {
		if len(c.index) == depth {
			top = append(top, c)
		}
	}
	if len(top) == 1 {
		return top[0], true
	}
	var tagged []candidate
	for _, c := range top {
		if c.tagged {
			tagged = append(tagged, c)
		}
	}
	if len(tagged) == 1 {
		return tagged[0], true
	}
	return candidate{}, false
}

// lookup finds the member for a JSON key, exactly or, as encoding/json
// does when decoding, ignoring case.
func (p *structPlan) lookup(key string) *member {
	if m, ok := p.members[key]; ok {
		return m
	}
	for k, m := range p.members {
		if strings.EqualFold(k, key) {
			return m
		}
	}
	return nil
}
