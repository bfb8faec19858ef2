package pii

import (
	"reflect"
	"sync"
	"sync/atomic"

	"github.com/gdprkit/gdprkit/pii/internal/fieldname"
)

// keyVerdict is what an attribute key says about its value: the text shown
// in its place when the key names personal data, or "".
type keyVerdict struct {
	shown string
}

// keyCacheLimit bounds the keys remembered: keys are few in practice, but a
// program that builds them from data must not grow the cache without end.
const keyCacheLimit = 4096

var (
	keyCache   atomic.Pointer[map[string]keyVerdict]
	keyCacheMu sync.Mutex
)

// personalKey returns the placeholder for the value of an attribute or
// field whose key names personal data ("email", "user_email", "userEmail",
// "ip-address", "name"), and whether it does. The word lists are those the
// piicheck analyzer and piitest use for field names. Answers are cached;
// a cached lookup does not allocate.
func personalKey(key string) (string, bool) {
	if m := keyCache.Load(); m != nil {
		if v, ok := (*m)[key]; ok {
			return v.shown, v.shown != ""
		}
	}
	var v keyVerdict
	if reason, ok := fieldname.LooksPersonalKey(key); ok {
		v.shown = keyPlaceholder(fieldname.Category(reason))
	}
	keyCacheMu.Lock()
	defer keyCacheMu.Unlock()
	old := keyCache.Load()
	if old == nil || len(*old) < keyCacheLimit {
		next := make(map[string]keyVerdict, 1+lenOf(old))
		if old != nil {
			for k, x := range *old {
				next[k] = x
			}
		}
		next[key] = v
		keyCache.Store(&next)
	}
	return v.shown, v.shown != ""
}

func lenOf(m *map[string]keyVerdict) int {
	if m == nil {
		return 0
	}
	return len(*m)
}

// keyPlaceholder is the placeholder for a value whose key names personal
// data of the category alias (empty when the words do not settle it).
func keyPlaceholder(alias string) string {
	if alias == "" {
		return "[redacted]"
	}
	if c, ok := LookupCategory(alias); ok {
		return placeholder(c)
	}
	return "[redacted:" + alias + "]"
}

// holdsValue reports whether a field of type t holds a value itself (text,
// a number, bytes, a time, or a pointer, slice, array or map of them), as
// the piicheck analyzer reads field types: such a field under a key that
// names personal data is hidden by a Handler.
func holdsValue(t reflect.Type) bool {
	for {
		if t == timeType {
			return true
		}
		switch t.Kind() {
		case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
			reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
			reflect.Float32, reflect.Float64:
			return true
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			t = t.Elem()
		default:
			return false
		}
	}
}

// reviewedKeys maps a type to the keys of the fields tagged pii:"-" that
// its values may reach (nil when there are none): a reviewed field is shown
// whatever its name.
var reviewedKeys sync.Map // reflect.Type -> map[string]bool

// forType returns r, or a copy of r that also allows the keys of the
// reviewed fields values of type t may reach.
func (r *redactor) forType(t reflect.Type) *redactor {
	if r == nil || !r.keys || t == nil {
		return r
	}
	keys, ok := reviewedKeys.Load(t)
	if !ok {
		found := map[string]bool{}
		collectReviewed(t, found, map[reflect.Type]bool{})
		if len(found) == 0 {
			found = nil
		}
		keys, _ = reviewedKeys.LoadOrStore(t, found)
	}
	reviewed := keys.(map[string]bool)
	if len(reviewed) == 0 {
		return r
	}
	out := *r
	out.allow = make(map[string]bool, len(r.allow)+len(reviewed))
	for k := range r.allow {
		out.allow[k] = true
	}
	for k := range reviewed {
		out.allow[k] = true
	}
	return &out
}

func collectReviewed(t reflect.Type, into map[string]bool, seen map[reflect.Type]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return
	}
	seen[t] = true
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		if tag, ok := sf.Tag.Lookup(TagKey); ok && tag == "-" {
			into[JSONTagOf(sf).Name] = true
			continue
		}
		collectReviewed(sf.Type, into, seen)
	}
}
