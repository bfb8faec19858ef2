package pii

import (
	"reflect"
	"strings"
	"sync"
	"unicode"
)

// The engine keeps what is known of each type in one cache: for a struct
// type its Schema (or the tag error), for every type whether it may hold
// personal data, and the values other packages derive from them (Memo).
// Nothing else in the module caches by type.

// typeInfo is the engine's entry for one type.
type typeInfo struct {
	schema  *Schema // struct types: the checked schema, nil on error
	err     error   // struct types: the tag error
	mayHold bool    // see MayHold
	derived sync.Map
}

var types sync.Map // reflect.Type -> *typeInfo

func loadInfo(t reflect.Type) (*typeInfo, bool) {
	if e, ok := types.Load(t); ok {
		return e.(*typeInfo), true
	}
	return nil, false
}

func storeInfo(t reflect.Type, info *typeInfo) *typeInfo {
	e, _ := types.LoadOrStore(t, info)
	return e.(*typeInfo)
}

// infoOf returns the entry of t (not nil), making it on first use.
func infoOf(t reflect.Type) *typeInfo {
	if info, ok := loadInfo(t); ok {
		return info
	}
	if t.Kind() == reflect.Struct {
		return structInfo(t)
	}
	needs := hasInterface(t)
	if st := structBehind(t); st != nil && !needs {
		needs = structInfo(st).mayHold
	}
	return storeInfo(t, &typeInfo{mayHold: needs})
}

// Memo is a value computed from a type, by a function of what pii knows
// of it (SchemaOf, MayHold), once per type, and kept with the type's schema
// in pii's one cache of types. Packages that read values by their pii tags
// (sealing, exports) keep their per-type plans this way, so that every
// reader of a type's fields works from the same schema. Create it once, in
// a package variable.
type Memo[V any] struct {
	build func(reflect.Type) V
}

// NewMemo returns a Memo that computes its value for a type with
// build. build may call Of of other Memo values (and of this one, for
// other types), but not of this one for the type being built.
func NewMemo[V any](build func(t reflect.Type) V) *Memo[V] {
	return &Memo[V]{build: build}
}

// Of returns the value derived from t, computing it on first use. Safe for
// concurrent use: concurrent first calls may each compute the value, and
// all return the one kept. A nil t is computed every time.
func (d *Memo[V]) Of(t reflect.Type) V {
	if t == nil {
		return d.build(nil)
	}
	info := infoOf(t)
	if v, ok := info.derived.Load(d); ok {
		return v.(V)
	}
	v, _ := info.derived.LoadOrStore(d, d.build(t))
	return v.(V)
}

// JSONTag is a struct field's json tag, read as encoding/json reads it.
type JSONTag struct {
	// Name is the field's key in a JSON object: the name the tag gives
	// when it is a valid one, the Go field name otherwise.
	Name string
	// Named reports whether the tag gives a valid name (an embedded
	// struct with one is not inlined).
	Named bool
	// Skip reports whether the tag is "-": the field is left out.
	Skip bool
	// OmitEmpty, OmitZero and Quoted report the omitempty, omitzero and
	// string options.
	OmitEmpty, OmitZero, Quoted bool
}

// JSONTagOf reads the json tag of sf as encoding/json does. A name with a
// character encoding/json does not accept in a key (a quotation mark,
// apostrophe, backquote, backslash or comma, or a control character) is
// ignored, and the Go field name used.
func JSONTagOf(sf reflect.StructField) JSONTag {
	tag, ok := sf.Tag.Lookup("json")
	if !ok {
		return JSONTag{Name: sf.Name}
	}
	if tag == "-" {
		return JSONTag{Name: sf.Name, Skip: true}
	}
	name, opts, _ := strings.Cut(tag, ",")
	j := JSONTag{Name: name, Named: validJSONName(name)}
	if !j.Named {
		j.Name = sf.Name
	}
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		switch o {
		case "omitempty":
			j.OmitEmpty = true
		case "omitzero":
			j.OmitZero = true
		case "string":
			j.Quoted = true
		}
	}
	return j
}

// validJSONName applies encoding/json's rule for a key given in a json
// tag: a non-empty string of Unicode letters, digits and the ASCII
// punctuation !#$%&()*+-./:;<=>?@[]^_{|}~ and space. encoding/json ignores
// any other name and uses the field's.
func validJSONName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if !strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", r) && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
