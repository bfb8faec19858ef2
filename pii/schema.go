package pii

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// Schema is the field plan of one struct type: which fields are personal,
// which hold the data subject's ID, and which lead to nested values that may
// hold more. It is built once per type by reflection, checked, cached, and
// then read without further lookups.
type Schema struct {
	typ      reflect.Type
	fields   []Field // every exported field, in declaration order
	personal bool    // the type holds personal data, directly or nested
	flat     bool    // see Flat
	// subjects locates the subject fields in effect in the struct: those
	// promoted from embedded structs first, then its own, so that its own win.
	subjects []subjectRef
}

// subjectRef locates a subject field, possibly inside embedded structs.
type subjectRef struct {
	index []int
	group string
}

// Field is one entry of a Schema.
type Field struct {
	// Name is the Go field name and Key the name used in JSON and logs
	// (from the json tag when there is one).
	Name, Key string
	// ID names the field across the program, "pkg/path.Type.Field"; sealed
	// values are bound to it.
	ID    string
	Index int          // position in the struct, for reflect.Value.Field
	Type  reflect.Type // the field's declared type
	Tag   Tag          // the parsed pii tag; zero for container fields

	kind     fieldKind
	leaf     leafKind // how an ordinary value is turned into a slog.Value
	inline   bool     // embedded struct: its fields appear at this level in JSON and logs
	embedded bool     // an anonymous (embedded) field
	holds    bool     // container whose values may hold personal data
	json     JSONTag  // the json tag, read as encoding/json reads it
	full     string   // the placeholder shown in Full style
	named    string   // an untagged field whose key names personal data: the placeholder a Handler shows
}

type fieldKind uint8

const (
	ordinaryField  fieldKind = iota // not personal; shown as it is
	subjectField                    // holds a data subject's ID
	personalField                   // personal data
	containerField                  // leads to nested values that may hold personal data
)

// Subject reports whether the field holds a data subject's ID.
func (f *Field) Subject() bool { return f.kind == subjectField }

// Personal reports whether the field holds personal data itself.
func (f *Field) Personal() bool { return f.kind == personalField }

// Category returns the category of a personal field.
func (f *Field) Category() Category { return f.Tag.Category }

// Type returns the struct type the schema describes.
func (s *Schema) Type() reflect.Type { return s.typ }

// Personal reports whether values of the type may hold personal data,
// directly or in nested values (an interface field counts as "may").
func (s *Schema) Personal() bool { return s.personal }

// Fields returns the subject and personal fields declared directly in the
// type, in declaration order. Nested structs have schemas of their own.
func (s *Schema) Fields() []*Field {
	var out []*Field
	for i := range s.fields {
		if k := s.fields[i].kind; k == subjectField || k == personalField {
			out = append(out, &s.fields[i])
		}
	}
	return out
}

// Field returns the direct subject or personal field with the given Go name.
func (s *Schema) Field(name string) (*Field, bool) {
	for i := range s.fields {
		if f := &s.fields[i]; f.Name == name && (f.kind == subjectField || f.kind == personalField) {
			return f, true
		}
	}
	return nil, false
}

// Tagged reports whether the named direct field carries a pii tag, written
// on the field or given with Register: subject, a category, or "-"
// (reviewed, not personal).
func (s *Schema) Tagged(name string) bool {
	for i := range s.fields {
		if f := &s.fields[i]; f.Name == name {
			return f.kind == subjectField || f.kind == personalField || f.Tag.Skip
		}
	}
	return false
}

// Categories returns the categories of every personal field reachable from
// the type through nested structs, pointers, slices, arrays and maps, each
// once, in the order first met. Interface fields are not followed.
func (s *Schema) Categories() []Category {
	var out []Category
	seen := map[*Schema]bool{}
	var visit func(*Schema)
	visit = func(s *Schema) {
		if seen[s] {
			return
		}
		seen[s] = true
		for i := range s.fields {
			f := &s.fields[i]
			switch f.kind {
			case personalField:
				if !containsCategory(out, f.Tag.Category) {
					out = append(out, f.Tag.Category)
				}
			case containerField:
				if st := structBehind(f.Type); st != nil {
					if inner, err := SchemaOf(st); err == nil {
						visit(inner)
					}
				}
			}
		}
	}
	visit(s)
	return out
}

func containsCategory(list []Category, c Category) bool {
	for _, x := range list {
		if x == c {
			return true
		}
	}
	return false
}

// Flat reports whether every subject and personal field that Walk meets in
// a value of the type is one of the type's own fields (Fields), with the
// subject of its group read from the type's own subject field: no struct's
// subjects are promoted into it and no field leads to nested values that
// may hold personal data. Code that visits the fields of many values may
// take a short way for such a type.
func (s *Schema) Flat() bool { return s.flat }

var (
	buildMu    sync.Mutex // serialises schema builds; lookups never take it
	registered = map[reflect.Type]map[string]string{}
)

// SchemaOf returns the schema of struct type t (or of the struct a pointer
// type points to), building and checking it on first use. A tag error is
// returned every time the type is asked for. Safe for concurrent use; a
// cached lookup does not allocate.
func SchemaOf(t reflect.Type) (*Schema, error) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("pii: %v is not a struct type", t)
	}
	info := structInfo(t)
	return info.schema, info.err
}

// structInfo returns the engine's entry for struct type t, building the
// schemas of t and of the struct types reachable from it on first use.
func structInfo(t reflect.Type) *typeInfo {
	if info, ok := loadInfo(t); ok {
		return info
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	if info, ok := loadInfo(t); ok {
		return info
	}
	b := builder{built: map[reflect.Type]*Schema{}}
	if _, err := b.build(t); err != nil {
		// An invalid type may hold anything: MayHold says yes.
		return storeInfo(t, &typeInfo{err: err, mayHold: true})
	}
	b.resolve()
	for _, bs := range b.built {
		b.promote(bs, map[*Schema]bool{})
	}
	for _, bs := range b.built {
		bs.flat = bs.isFlat()
	}
	for bt, bs := range b.built {
		storeInfo(bt, &typeInfo{schema: bs, mayHold: bs.personal})
	}
	info, _ := loadInfo(t)
	return info
}

// isFlat decides Flat, once subjects are promoted.
func (s *Schema) isFlat() bool {
	for _, r := range s.subjects {
		if len(r.index) != 1 {
			return false
		}
	}
	for i := range s.fields {
		if f := &s.fields[i]; f.kind == containerField && f.holds {
			return false
		}
	}
	return true
}

// SchemaFor is SchemaOf for the type parameter T.
func SchemaFor[T any]() (*Schema, error) {
	return SchemaOf(reflect.TypeFor[T]())
}

// Check builds the schemas of the types of the given values and returns the
// first tag error. Call it at start-up (or in a test) to fail early.
func Check(values ...any) error {
	for _, v := range values {
		if _, err := SchemaOf(reflect.TypeOf(v)); err != nil {
			return err
		}
	}
	return nil
}

// Register describes a struct type that cannot carry tags, such as
// generated code, with the same tag grammar: fields maps Go field names to
// tag text, and takes precedence over tags written on the type. Call it
// before the type is first used; registering a type whose schema was
// already built is an error.
func Register[T any](fields map[string]string) error {
	t := reflect.TypeFor[T]()
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return fmt.Errorf("pii: Register %v: not a struct type", t)
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	if _, built := loadInfo(t); built {
		return fmt.Errorf("pii: Register %v: the type's schema was already built; register it before first use", t)
	}
	for name := range fields {
		sf, ok := t.FieldByName(name)
		switch {
		case !ok || strings.Contains(name, "."):
			return &TagError{Type: t.String(), Field: name, Tag: fields[name], Err: errors.New("no such field")}
		case len(sf.Index) != 1:
			return &TagError{Type: t.String(), Field: name, Tag: fields[name],
				Err: errors.New("the field is promoted from an embedded struct; register that struct type instead")}
		}
	}
	copied := make(map[string]string, len(fields))
	for k, v := range fields {
		copied[k] = v
	}
	registered[t] = copied
	return nil
}

// builder builds the schemas of a type and of every struct type reachable
// from it, handling recursive types by registering a schema before filling it.
type builder struct {
	built map[reflect.Type]*Schema
}

func (b *builder) build(t reflect.Type) (*Schema, error) {
	if s, ok := b.built[t]; ok {
		return s, nil
	}
	if info, ok := loadInfo(t); ok {
		return info.schema, info.err
	}
	s := &Schema{typ: t}
	b.built[t] = s
	typeName := t.String()
	if t.PkgPath() != "" {
		typeName = t.PkgPath() + "." + t.Name()
	}
	overrides := registered[t]
	subjects := map[string]string{} // group -> field name
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		text, tagged := sf.Tag.Lookup(TagKey)
		if o, ok := overrides[sf.Name]; ok {
			text, tagged = o, true
		}
		fail := func(err error) error {
			return &TagError{Type: t.String(), Field: sf.Name, Tag: text, Err: err}
		}
		if !sf.IsExported() {
			if tagged && text != "-" {
				return nil, fail(errors.New("unexported fields cannot be read; export the field or remove the tag"))
			}
			if st := structBehind(sf.Type); st != nil && holdsTags(st, map[reflect.Type]bool{}) {
				if sf.Anonymous {
					return nil, fail(errors.New("an embedded struct of unexported type holds pii-tagged fields, which cannot be sealed or redacted through it; export the type or name the field"))
				}
				return nil, fail(fmt.Errorf("unexported field of type %v, which holds pii-tagged fields: they cannot be read through it, so they could be neither sealed nor redacted; export the field", sf.Type))
			}
			continue
		}
		f := Field{Name: sf.Name, ID: typeName + "." + sf.Name, Index: i, Type: sf.Type}
		f.json = JSONTagOf(sf)
		f.Key = f.json.Name
		f.leaf = leafOf(sf.Type)
		f.inline = sf.Anonymous && embeddedStruct(sf.Type) && !f.json.Named
		f.embedded = sf.Anonymous
		if tagged {
			tag, err := ParseTag(text)
			if err != nil {
				return nil, fail(err)
			}
			f.Tag = tag
			if tag.Skip {
				if st := structBehind(sf.Type); st != nil && holdsTags(st, map[reflect.Type]bool{}) {
					return nil, fail(fmt.Errorf(`"-" marks the field as not personal, but its type %v holds pii-tagged fields, which would then be shown and stored in clear; remove the tag`, sf.Type))
				}
				s.fields = append(s.fields, f)
				continue
			}
			if tag.Subject {
				if sf.Type.Kind() != reflect.String {
					return nil, fail(fmt.Errorf("subject must be a string field, not %v", sf.Type))
				}
				if other, dup := subjects[tag.Group]; dup {
					return nil, fail(fmt.Errorf("second subject in group %q (first is %s)", tag.Group, other))
				}
				subjects[tag.Group] = sf.Name
				f.kind = subjectField
			} else {
				f.kind = personalField
				f.full = placeholder(tag.Category)
			}
			s.fields = append(s.fields, f)
			continue
		}
		if !mayContain(sf.Type) {
			if shown, ok := personalKey(f.Key); ok && holdsValue(sf.Type) {
				f.named = shown
			}
			s.fields = append(s.fields, f)
			continue
		}
		if st := structBehind(sf.Type); st != nil {
			if _, err := b.build(st); err != nil {
				return nil, err
			}
		}
		f.kind = containerField
		s.fields = append(s.fields, f)
	}
	return s, nil
}

// resolve decides, for every schema built, whether it holds personal data and
// which container fields lead to some, by reachability over the type graph.
func (b *builder) resolve() {
	for _, s := range b.built {
		s.personal = b.reaches(s, map[*Schema]bool{})
	}
	for _, s := range b.built {
		for i := range s.fields {
			if f := &s.fields[i]; f.kind == containerField {
				f.holds = b.holds(f.Type)
			}
		}
	}
}

// promote fills s.subjects: the subject fields of embedded structs, which
// Go promotes to the embedding struct, then s's own.
func (b *builder) promote(s *Schema, seen map[*Schema]bool) []subjectRef {
	if s.subjects != nil || seen[s] {
		return s.subjects
	}
	seen[s] = true
	var refs []subjectRef
	for i := range s.fields {
		f := &s.fields[i]
		if !f.embedded {
			continue
		}
		inner := b.lookup(structBehind(f.Type))
		if inner == nil || (f.Type.Kind() != reflect.Struct && f.Type.Kind() != reflect.Pointer) {
			continue
		}
		for _, r := range b.promote(inner, seen) {
			refs = append(refs, subjectRef{index: append([]int{f.Index}, r.index...), group: r.group})
		}
	}
	for i := range s.fields {
		if f := &s.fields[i]; f.kind == subjectField {
			refs = append(refs, subjectRef{index: []int{f.Index}, group: f.Tag.Group})
		}
	}
	if refs == nil {
		refs = []subjectRef{}
	}
	s.subjects = refs
	return refs
}

// reaches reports whether a personal field or an interface can be reached
// from s.
func (b *builder) reaches(s *Schema, seen map[*Schema]bool) bool {
	if seen[s] {
		return false
	}
	seen[s] = true
	for i := range s.fields {
		f := &s.fields[i]
		switch f.kind {
		case personalField:
			return true
		case containerField:
			if hasInterface(f.Type) {
				return true
			}
			if inner := b.lookup(structBehind(f.Type)); inner != nil && b.reaches(inner, seen) {
				return true
			}
		}
	}
	return false
}

// holds reports whether values of a container type may hold personal data.
func (b *builder) holds(t reflect.Type) bool {
	if hasInterface(t) {
		return true
	}
	inner := b.lookup(structBehind(t))
	return inner != nil && inner.personal
}

// lookup finds the schema of struct type t, built in this round or before.
func (b *builder) lookup(t reflect.Type) *Schema {
	if t == nil {
		return nil
	}
	if s, ok := b.built[t]; ok {
		return s
	}
	if info, ok := loadInfo(t); ok {
		return info.schema
	}
	return nil
}

// mayContain reports whether values of type t can lead to a struct or an
// interface, the only places personal fields live.
func mayContain(t reflect.Type) bool {
	return hasInterface(t) || structBehind(t) != nil
}

// structBehind strips pointers, slices, arrays and map values and returns the
// struct type found, or nil.
func structBehind(t reflect.Type) reflect.Type {
	for {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			t = t.Elem()
		case reflect.Struct:
			return t
		default:
			return nil
		}
	}
}

func hasInterface(t reflect.Type) bool {
	for {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			t = t.Elem()
		case reflect.Interface:
			return true
		default:
			return false
		}
	}
}

// embeddedStruct reports whether an embedded field's type is a struct or a
// pointer to one, the two that encoding/json inlines.
func embeddedStruct(t reflect.Type) bool {
	return t.Kind() == reflect.Struct || t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct
}

// holdsTags reports whether struct type t, or a struct reachable from it,
// has a field with a pii tag other than "-", written or registered. The
// caller holds buildMu.
func holdsTags(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	for _, text := range registered[t] {
		if text != "-" {
			return true
		}
	}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if text, ok := sf.Tag.Lookup(TagKey); ok && text != "-" {
			return true
		}
		if st := structBehind(sf.Type); st != nil && holdsTags(st, seen) {
			return true
		}
	}
	return false
}

// placeholder is the text shown for a personal value in Full style:
// "[redacted:email]", with the category's first alias when it has one.
func placeholder(c Category) string {
	if info := c.Info(); len(info.Aliases) > 0 {
		return "[redacted:" + info.Aliases[0] + "]"
	}
	return "[redacted:" + string(c) + "]"
}
