package rights

import (
	"encoding"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gdprkit/gdprkit/gdpr/internal/safe"
	"github.com/gdprkit/gdprkit/pii"
)

// An export writes each record twice: as a JSON object whose subject and
// personal fields are labelled with their category,
//
//	{"id":{"value":"c-1","category":"user.unique_id"},"email":{"value":"ada@example.org","category":"user.contact.email"},"plan":"gold"}
//
// and as a CSV row with one column per field. Nested structs are flattened
// into dotted column names ("address.city"); slices, maps and other
// composite values fill one column with their JSON text. A type that can
// hold personal data (pii.MayHold) is written by its structure even when
// it has its own MarshalJSON or MarshalText (see selfMarshals).
//
// A JSON string value and its CSV cell hold the same text; any other JSON
// value's CSV cell holds its JSON text. Two exceptions:
//
//   - A field left out by its omitempty or omitzero option, as
//     encoding/json decides (for a flattened struct, its option leaves out
//     all its columns), has no key in the JSON object and an empty cell in
//     the CSV row, whose columns stay the same for every record. A
//     withheld value is never left out: it is null, whatever it holds.
//   - A CSV cell or column name that a spreadsheet would read as a formula
//     (starting with = + - @, a tab or a carriage return, such as a phone
//     number "+44 ..." or "=HYPERLINK(...)") is prefixed with an
//     apostrophe, as in Record.WriteCSV; the JSON keeps the
//     value exact. Numbers of numeric fields, "-7", are left as they are.

// valueKind says how a leaf value is written.
type valueKind uint8

const (
	kindString valueKind = iota
	kindBytes            // []byte: base64, as encoding/json writes it
	kindInt
	kindUint
	kindFloat
	kindBool
	kindTime   // time.Time: RFC 3339 with nanoseconds
	kindJSON   // a json.Marshaler
	kindText   // an encoding.TextMarshaler
	kindNested // slices, arrays, maps, interfaces, structs kept whole
)

// number reports whether values of kind k are written as JSON numbers
// (not NaN or an infinity, which are strings): their CSV cells cannot be
// formulas, so a negative number stays a number.
func (k valueKind) number() bool { return k == kindInt || k == kindUint || k == kindFloat }

// column is one flattened field of a record type.
type column struct {
	name     string       // dotted JSON key
	path     []int        // field indexes from the record, through pointers
	kind     valueKind    // of the field's type, pointers removed
	subject  bool         // a pii:"subject" field
	personal bool         // a personal field
	category pii.Category // of a personal field
	group    string       // the subject group of a subject or personal field
	level    int          // the struct level that declares it
	scope    []int        // subject columns of its group, innermost level first
	omit     []omitRule   // the omitempty and omitzero options on its path
}

// omitRule leaves a column out of a record's JSON, and its CSV cell
// empty, when the field at path[:n] is empty (omitempty) or zero
// (omitzero), as encoding/json leaves out a field; the field may be the
// column's own or a struct flattened into it.
type omitRule struct {
	n     int
	empty bool
	zero  bool
}

// A value nested in a slice, map or interface is a struct of its own type,
// exported with its own plan, which cannot see the subject fields of the
// record around it. A groupScope carries them down: the subject of a group
// is looked up in the struct that declares the value first, then outwards
// to the record.
type groupScope struct {
	outer *groupScope
	plan  *recordPlan
	v     reflect.Value // a struct value of plan's type
	level int           // the plan level that holds the nested value
}

// subject returns the ID of the subject of group g in scope: that of the
// innermost struct that declares a subject field of the group, "" when
// that field is empty.
func (s *groupScope) subject(g string) (string, bool) {
	for ; s != nil; s = s.outer {
		if id, ok := s.plan.subjectOf(s.v, s.level, g); ok {
			return id, true
		}
	}
	return "", false
}

// labelled reports whether the column's values are labelled with a
// category.
func (c *column) labelled() bool { return c.subject || c.personal }

// labelCategory is the category a column's values are labelled with: the
// subject's identifier is a unique ID.
func (c *column) labelCategory() pii.Category {
	if c.subject {
		return pii.UniqueID
	}
	return c.category
}

// recordPlan is how records of one struct type are exported.
type recordPlan struct {
	portable bool
	columns  []column
	header   []string
	subjects []int // the subject columns
	// groups holds, per struct level, the subject columns of each group in
	// scope at that level, innermost level first.
	groups []map[string][]int
}

// subjectOf returns the subject of group g in scope at level of struct
// value v: the ID held by the subject field of g of the innermost level
// that declares one, and true. A declared subject field that is empty
// gives "" and true: the value belongs to someone unknown, not to whoever
// encloses it, as pii.Walk and Seal (ErrNoSubject) see it. A subject field
// behind a nil pointer is not declared. False when no level in scope
// declares one.
func (p *recordPlan) subjectOf(v reflect.Value, level int, g string) (string, bool) {
	for _, s := range p.groups[level][g] {
		fv, ok := fieldAt(v, p.columns[s].path)
		if !ok {
			continue
		}
		return subjectString(fv), true
	}
	return "", false
}

type planEntry struct {
	plan *recordPlan
	err  error
}

// fullPlans and portablePlans hold the export plans of each struct type,
// with its pii schema.
var (
	fullPlans = pii.NewMemo(func(t reflect.Type) planEntry {
		p, err := buildPlan(t, false)
		return planEntry{p, err}
	})
	portablePlans = pii.NewMemo(func(t reflect.Type) planEntry {
		p, err := buildPlan(t, true)
		return planEntry{p, err}
	})
)

// planCache holds the plans of one source's export that leave out the
// personal fields whose category keep rejects: in a portability export,
// those of a source's data processed on neither consent nor a contract
// (Art. 20(1)(a)). Built per export, since keep is the source's.
type planCache struct {
	portable bool
	keep     func(pii.Category) bool
	plans    map[reflect.Type]planEntry
}

func (c *planCache) of(t reflect.Type) (*recordPlan, error) {
	e, ok := c.plans[t]
	if !ok {
		e.plan, e.err = buildPlanKeeping(t, c.portable, c.keep)
		if c.plans == nil {
			c.plans = map[reflect.Type]planEntry{}
		}
		c.plans[t] = e
	}
	return e.plan, e.err
}

// planOf returns the export plan of struct type t, built once. A portable
// plan keeps only subject fields and personal fields whose origin is
// provided or observed (Art. 20).
func planOf(t reflect.Type, portable bool) (*recordPlan, error) {
	plans := fullPlans
	if portable {
		plans = portablePlans
	}
	e := plans.Of(t)
	return e.plan, e.err
}

type planBuilder struct {
	p      *recordPlan
	keep   func(pii.Category) bool // see planCache
	levels []map[string]int        // per level: group -> subject column
	parent []int                   // per level: the enclosing level, -1 for the record
	onPath []reflect.Type
}

func buildPlan(t reflect.Type, portable bool) (*recordPlan, error) {
	return buildPlanKeeping(t, portable, nil)
}

// buildPlanKeeping is buildPlan leaving out the personal fields whose
// category keep rejects; nil keeps every one.
func buildPlanKeeping(t reflect.Type, portable bool, keep func(pii.Category) bool) (*recordPlan, error) {
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("%v is not a struct", t)
	}
	b := &planBuilder{p: &recordPlan{portable: portable}, keep: keep}
	if err := b.level(t, nil, "", -1); err != nil {
		return nil, err
	}
	b.p.groups = make([]map[string][]int, len(b.levels))
	for id := range b.levels {
		g := map[string][]int{}
		for l := id; l >= 0; l = b.parent[l] {
			for group, s := range b.levels[l] {
				g[group] = append(g[group], s)
			}
		}
		b.p.groups[id] = g
	}
	for i := range b.p.columns {
		c := &b.p.columns[i]
		c.scope = b.p.groups[c.level][c.group]
		c.omit = omitRules(t, c.path)
		b.p.header = append(b.p.header, safe.CSVCell(c.name))
		if c.subject {
			b.p.subjects = append(b.p.subjects, i)
		}
	}
	return b.p, nil
}

// level adds the columns of struct type t, a new level inside parent.
func (b *planBuilder) level(t reflect.Type, path []int, prefix string, parent int) error {
	id := len(b.levels)
	b.levels = append(b.levels, map[string]int{})
	b.parent = append(b.parent, parent)
	b.onPath = append(b.onPath, t)
	defer func() { b.onPath = b.onPath[:len(b.onPath)-1] }()
	return b.fields(t, path, prefix, id)
}

// fields adds the columns of t's fields at level id; embedded structs are
// inlined at the same level.
func (b *planBuilder) fields(t reflect.Type, path []int, prefix string, id int) error {
	s, err := pii.SchemaOf(t)
	if err != nil {
		return err
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := pii.JSONTagOf(f)
		if tag.Skip {
			continue
		}
		key := tag.Name
		fpath := append(slices.Clip(path), i)
		if pf, ok := s.Field(f.Name); ok {
			b.leaf(pf, f.Type, fpath, prefix+key, id)
			continue
		}
		st := structBehind(f.Type)
		if st != nil && slices.Contains(b.onPath, st) {
			st = nil // a type that contains itself: written whole, as JSON
		}
		switch {
		case st != nil && f.Anonymous && !tag.Named:
			b.onPath = append(b.onPath, st)
			err := b.fields(st, fpath, prefix, id)
			b.onPath = b.onPath[:len(b.onPath)-1]
			if err != nil {
				return err
			}
		case st != nil:
			if err := b.level(st, fpath, prefix+key+".", id); err != nil {
				return err
			}
		case !b.p.portable:
			b.p.columns = append(b.p.columns, column{name: prefix + key, path: fpath, kind: kindOf(f.Type), level: id})
		}
	}
	return nil
}

// leaf adds a subject or personal field.
func (b *planBuilder) leaf(f *pii.Field, t reflect.Type, path []int, name string, id int) {
	if b.p.portable && f.Personal() && !f.Tag.Origin.Portable() {
		return
	}
	if b.keep != nil && f.Personal() && !f.Subject() && !b.keep(f.Category()) {
		return
	}
	c := column{name: name, path: path, kind: kindOf(t), subject: f.Subject(), personal: f.Personal(),
		category: f.Category(), group: f.Tag.Group, level: id}
	if c.subject {
		if _, dup := b.levels[id][c.group]; !dup {
			b.levels[id][c.group] = len(b.p.columns)
		}
	}
	b.p.columns = append(b.p.columns, c)
}

// omitRules returns the omitempty and omitzero options of the fields on
// path from struct type t. An embedded struct inlined without a JSON name
// has none, as in encoding/json.
func omitRules(t reflect.Type, path []int) []omitRule {
	var rules []omitRule
	for i, idx := range path {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		f := t.Field(idx)
		t = f.Type
		tag := pii.JSONTagOf(f)
		if f.Anonymous && !tag.Named && structBehind(f.Type) != nil {
			continue
		}
		r := omitRule{n: i + 1, empty: tag.OmitEmpty, zero: tag.OmitZero}
		if r.empty || r.zero {
			rules = append(rules, r)
		}
	}
	return rules
}

// omitted reports whether column c of struct value v is left out under
// its omit rules.
func (c *column) omitted(v reflect.Value) bool {
	for _, r := range c.omit {
		fv, ok := fieldAt(v, c.path[:r.n])
		if !ok {
			continue // behind a nil pointer with no option: null
		}
		if r.empty && isEmptyValue(fv) || r.zero && isZeroValue(fv) {
			return true
		}
	}
	return false
}

// isEmptyValue reports whether v is empty for omitempty, as encoding/json
// decides: false, 0, a nil pointer or interface, an empty string, slice,
// map or array. A struct is never empty.
func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64,
		reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

type isZeroer interface{ IsZero() bool }

var isZeroerType = reflect.TypeFor[isZeroer]()

// isZeroValue reports whether v is zero for omitzero, as encoding/json
// (Go 1.24) decides: by the type's IsZero method when it has one (a
// time.Time), the zero value otherwise.
func isZeroValue(v reflect.Value) bool {
	t := v.Type()
	switch {
	case t.Kind() == reflect.Interface && t.Implements(isZeroerType):
		return v.IsNil() || v.Elem().Kind() == reflect.Pointer && v.Elem().IsNil() || v.Interface().(isZeroer).IsZero()
	case t.Kind() == reflect.Pointer && t.Implements(isZeroerType):
		return v.IsNil() || v.Interface().(isZeroer).IsZero()
	case t == timeType:
		return v.Interface().(time.Time).IsZero()
	case t.Implements(isZeroerType), reflect.PointerTo(t).Implements(isZeroerType):
		return marshaler[isZeroer](v).IsZero()
	}
	return v.IsZero()
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
)

// marshals reports whether t, or a pointer to it, marshals itself.
func marshals(t reflect.Type, m reflect.Type) bool {
	return t.Implements(m) || reflect.PointerTo(t).Implements(m)
}

// selfMarshals reports whether values of t are written by their own
// MarshalJSON or MarshalText. A type that may hold personal data
// (pii.MayHold: a struct with personal fields, or a slice, array, map or
// pointer that leads to one or to an interface) is not, whatever methods
// it has: its marshaller knows nothing of subjects and categories, so it
// would write another subject's values and unlabelled ones. Such a type is
// written by its structure, as if it had no marshaller, the way pii.Walk
// and Seal see it.
func selfMarshals(t reflect.Type, m reflect.Type) bool {
	return marshals(t, m) && !pii.MayHold(t)
}

// structBehind returns the struct type t is or points to, when its fields
// are to be flattened: not a time or a type that marshals itself.
func structBehind(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == timeType || selfMarshals(t, jsonMarshaler) || selfMarshals(t, textMarshaler) {
		return nil
	}
	return t
}

// kindOf decides how values of type t are written.
func kindOf(t reflect.Type) valueKind {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return kindTime
	case selfMarshals(t, jsonMarshaler):
		return kindJSON
	case selfMarshals(t, textMarshaler):
		return kindText
	}
	switch t.Kind() {
	case reflect.String:
		return kindString
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return kindInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return kindUint
	case reflect.Float32, reflect.Float64:
		return kindFloat
	case reflect.Bool:
		return kindBool
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && !selfMarshals(t.Elem(), jsonMarshaler) && !selfMarshals(t.Elem(), textMarshaler) {
			return kindBytes
		}
	}
	return kindNested
}

// fieldAt follows path from struct value v; false when a pointer on the way
// is nil.
func fieldAt(v reflect.Value, path []int) (reflect.Value, bool) {
	for _, i := range path {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(i)
	}
	return v, true
}

// Errors of records an export refuses.
var (
	errOtherSubject = errors.New("the record is not the data subject's: none of its subject fields holds the subject's ID")
	errNoSubject    = errors.New(`the record type has no pii:"subject" field, so the export cannot tell whose record it is`)
)

// encoder writes records as JSON and CSV. It is reused from record to
// record; the buffers grow to the largest record and stay.
type encoder struct {
	subject  string
	portable bool
	plans    *planCache // when set, the plans of a source whose fields are filtered
	json     []byte     // the record's JSON object
	row      []string   // the record's CSV cells
	scratch  []byte
	withheld int // values left out because they are another subject's
}

// planOf returns the plan of struct type t for this encoder's export.
func (e *encoder) planOf(t reflect.Type) (*recordPlan, error) {
	if e.plans != nil {
		return e.plans.of(t)
	}
	return planOf(t, e.portable)
}

// accept checks that the record v (a struct value of plan's type) is the
// subject's: one of its subject fields holds the subject's ID.
func (e *encoder) accept(plan *recordPlan, v reflect.Value) error {
	switch {
	case len(plan.subjects) == 0:
		return errNoSubject
	case !e.ownsRecord(plan, v):
		return errOtherSubject
	}
	return nil
}

// encode writes the record v, accepted, into e.json and e.row.
func (e *encoder) encode(plan *recordPlan, v reflect.Value) {
	e.json = e.json[:0]
	e.row = e.row[:0]
	e.fields(plan, v, nil, 0, true)
}

// fields appends struct value v as a JSON object of plan's columns, the
// subject and personal ones labelled with their category; with row, it
// also appends each column's CSV cell to e.row. outer holds the subjects
// of the structs around v when v is nested in a composite value; nil for
// a record.
func (e *encoder) fields(plan *recordPlan, v reflect.Value, outer *groupScope, depth int, row bool) {
	e.json = append(e.json, '{')
	written := 0
	for i := range plan.columns {
		c := &plan.columns[i]
		fv, ok := fieldAt(v, c.path)
		withheld := ok && c.labelled() && e.withhold(plan, v, c, outer)
		// A withheld value is written as null whatever it holds, so that
		// leaving it out cannot tell whether another subject's value is
		// empty.
		if !withheld && len(c.omit) > 0 && c.omitted(v) {
			if row {
				e.row = append(e.row, "")
			}
			continue
		}
		if written > 0 {
			e.json = append(e.json, ',')
		}
		written++
		e.json = appendJSONString(e.json, c.name)
		e.json = append(e.json, ':')
		if withheld {
			ok = false
			e.withheld++
		}
		if c.labelled() {
			e.json = append(e.json, `{"value":`...)
		}
		start := len(e.json)
		var cell string
		var text bool
		if c.kind == kindNested {
			cell, text = e.value(fv, ok, c.kind, &groupScope{outer: outer, plan: plan, v: v, level: c.level}, depth+1)
		} else {
			cell, text = e.value(fv, ok, c.kind, nil, depth+1)
		}
		if row {
			if !text {
				cell = cellOf(e.json[start:])
			}
			if text || !c.kind.number() {
				cell = safe.CSVCell(cell)
			}
			e.row = append(e.row, cell)
		}
		if c.labelled() {
			e.json = append(e.json, `,"category":`...)
			e.json = appendJSONString(e.json, string(c.labelCategory()))
			e.json = append(e.json, '}')
		}
	}
	e.json = append(e.json, '}')
}

// ownsRecord reports whether one of the record's subject fields holds the
// requester's ID.
func (e *encoder) ownsRecord(plan *recordPlan, v reflect.Value) bool {
	for _, i := range plan.subjects {
		if fv, ok := fieldAt(v, plan.columns[i].path); ok && subjectString(fv) == e.subject {
			return true
		}
	}
	return false
}

// withhold reports whether column c of struct v may belong to another
// subject: Art. 15(4) keeps it out. The subject of c's group is looked up
// in v, then in the structs around it (outer). A value whose group's
// subject is someone else is withheld; so is a value whose innermost
// subject field of its group is empty, and a value in a named group
// (group=) with no subject in scope, since nothing shows it is the
// requester's. A value of the default group with no subject in scope is
// the record's, which is the requester's.
func (e *encoder) withhold(plan *recordPlan, v reflect.Value, c *column, outer *groupScope) bool {
	id, ok := plan.subjectOf(v, c.level, c.group)
	if !ok {
		id, ok = outer.subject(c.group)
	}
	if !ok {
		return c.group != ""
	}
	return id != e.subject
}

func subjectString(v reflect.Value) string {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.String {
		return ""
	}
	return v.String()
}

// cellOf returns the CSV cell of a JSON value: a string's text, nothing
// for null, the JSON text of anything else.
func cellOf(js []byte) string {
	switch {
	case len(js) == 0 || string(js) == "null":
		return ""
	case js[0] == '"':
		var s string
		if json.Unmarshal(js, &s) == nil {
			return s
		}
	}
	return string(js)
}

// value appends v's JSON to e.json and, when v is written as a JSON string,
// returns the string and true; otherwise the caller takes the CSV cell from
// the JSON (cellOf). ok false writes null. scope holds the subjects around
// a composite value.
func (e *encoder) value(v reflect.Value, ok bool, kind valueKind, scope *groupScope, depth int) (string, bool) {
	for ok && v.Kind() == reflect.Pointer {
		if v.IsNil() {
			ok = false
			break
		}
		v = v.Elem()
	}
	if !ok || !v.IsValid() {
		e.json = append(e.json, "null"...)
		return "", true
	}
	switch kind {
	case kindString:
		s := v.String()
		e.json = appendJSONString(e.json, s)
		return s, true
	case kindBytes:
		b := v.Bytes()
		if b == nil {
			e.json = append(e.json, "null"...)
			return "", true
		}
		s := base64.StdEncoding.EncodeToString(b)
		e.json = appendJSONString(e.json, s)
		return s, true
	case kindInt:
		e.json = strconv.AppendInt(e.json, v.Int(), 10)
	case kindUint:
		e.json = strconv.AppendUint(e.json, v.Uint(), 10)
	case kindFloat:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			s := strconv.FormatFloat(f, 'g', -1, 64)
			e.json = appendJSONString(e.json, s)
			return s, true
		}
		e.json = strconv.AppendFloat(e.json, f, 'g', -1, v.Type().Bits())
	case kindBool:
		e.json = strconv.AppendBool(e.json, v.Bool())
	case kindTime:
		e.scratch = v.Interface().(time.Time).AppendFormat(e.scratch[:0], time.RFC3339Nano)
		s := string(e.scratch)
		e.json = appendJSONString(e.json, s)
		return s, true
	case kindText:
		b, err := marshaler[encoding.TextMarshaler](v).MarshalText()
		if err != nil {
			e.json = append(e.json, "null"...)
			return "", true
		}
		s := string(b)
		e.json = appendJSONString(e.json, s)
		return s, true
	case kindJSON:
		b, err := json.Marshal(marshaler[json.Marshaler](v))
		if err != nil || len(b) == 0 {
			e.json = append(e.json, "null"...)
			return "", true
		}
		e.json = append(e.json, b...)
	default:
		e.nested(v, scope, depth)
	}
	return "", false
}

// marshaler returns v as an M, through its address when only the pointer
// implements M and v is addressable, or a copy's address otherwise.
func marshaler[M any](v reflect.Value) M {
	if m, ok := v.Interface().(M); ok {
		return m
	}
	if v.CanAddr() {
		return v.Addr().Interface().(M)
	}
	p := reflect.New(v.Type())
	p.Elem().Set(v)
	return p.Interface().(M)
}

// maxNesting bounds how deep composite values are written.
const maxNesting = 32

// nested appends the JSON of a composite value: structs as labelled
// objects, slices and arrays as arrays, maps as objects with sorted keys.
// scope holds the subjects of the structs around v.
func (e *encoder) nested(v reflect.Value, scope *groupScope, depth int) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			e.json = append(e.json, "null"...)
			return
		}
		v = v.Elem()
	}
	if depth > maxNesting {
		e.json = append(e.json, "null"...)
		return
	}
	if k := kindOf(v.Type()); k != kindNested {
		e.value(v, true, k, scope, depth+1)
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		e.object(v, scope, depth)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			e.json = append(e.json, "null"...)
			return
		}
		e.json = append(e.json, '[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				e.json = append(e.json, ',')
			}
			e.nested(v.Index(i), scope, depth+1)
		}
		e.json = append(e.json, ']')
	case reflect.Map:
		if v.IsNil() {
			e.json = append(e.json, "null"...)
			return
		}
		keys := v.MapKeys()
		names := make([]string, len(keys))
		for i, k := range keys {
			names[i] = mapKeyString(k)
		}
		order := make([]int, len(keys))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return strings.Compare(names[a], names[b]) })
		e.json = append(e.json, '{')
		for n, i := range order {
			if n > 0 {
				e.json = append(e.json, ',')
			}
			e.json = appendJSONString(e.json, names[i])
			e.json = append(e.json, ':')
			e.nested(v.MapIndex(keys[i]), scope, depth+1)
		}
		e.json = append(e.json, '}')
	default:
		e.json = append(e.json, "null"...) // channels, functions, complex numbers
	}
}

// object appends a struct nested in a composite value, labelled as a
// record is, but without the record's checks. A value of another subject
// is withheld as in the record: its group's subject is looked up in the
// struct itself, then in scope.
func (e *encoder) object(v reflect.Value, scope *groupScope, depth int) {
	plan, err := e.planOf(v.Type())
	if err != nil {
		e.json = append(e.json, "null"...)
		return
	}
	e.fields(plan, v, scope, depth, false)
}

func mapKeyString(k reflect.Value) string {
	if k.Kind() == reflect.String {
		return k.String()
	}
	if tm, ok := k.Interface().(encoding.TextMarshaler); ok {
		if b, err := tm.MarshalText(); err == nil {
			return string(b)
		}
	}
	return fmt.Sprint(k.Interface())
}

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, U+2028 and U+2029 escaped for JavaScript,
// invalid UTF-8 replaced by U+FFFD.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
