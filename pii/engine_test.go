package pii_test

import (
	"encoding/json"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jsonTagged has one field per kind of json tag: valid names, names
// encoding/json rejects (and replaces with the Go name), "-", "-," and
// options alone.
type jsonTagged struct {
	Plain      string
	Named      string `json:"named"`
	Punct      string `json:"a-b.c$"`
	Space      string `json:"with space"`
	Unicode    string `json:"größe"`
	Quote      string `json:"a\"b"`
	Apostrophe string `json:"a'b"`
	Backslash  string `json:"a\\b"`
	Backquote  string "json:\"a`b\""
	Comma      string `json:"a;b,omitempty"`
	OptsOnly   string `json:",omitempty"`
	Dash       string `json:"-,"`
	Skipped    string `json:"-"`
}

// TestJSONTagOfMatchesEncodingJSON checks the key JSONTagOf gives every
// kind of json tag against the key encoding/json writes.
func TestJSONTagOfMatchesEncodingJSON(t *testing.T) {
	v := jsonTagged{}
	rt := reflect.TypeOf(v)
	rv := reflect.ValueOf(&v).Elem()
	for i := 0; i < rt.NumField(); i++ {
		rv.Field(i).SetString(rt.Field(i).Name)
	}
	raw, err := json.Marshal(v)
	require.NoError(t, err)
	var written map[string]string
	require.NoError(t, json.Unmarshal(raw, &written))
	want := map[string]string{}
	for key, goName := range written {
		want[goName] = key
	}
	for i := 0; i < rt.NumField(); i++ {
		sf := rt.Field(i)
		tag := pii.JSONTagOf(sf)
		key, ok := want[sf.Name]
		assert.Equal(t, !ok, tag.Skip, "skip of %s", sf.Name)
		if ok {
			assert.Equal(t, key, tag.Name, "key of %s", sf.Name)
			assert.Equal(t, key != sf.Name || sf.Name == "Named", tag.Named, "named of %s", sf.Name)
		}
	}
	o := pii.JSONTagOf(reflect.StructField{Name: "X", Tag: `json:"x,omitzero,string,omitempty"`})
	assert.Equal(t, pii.JSONTag{Name: "x", Named: true, OmitEmpty: true, OmitZero: true, Quoted: true}, o)
}

// TestJSONTagOfValidNames checks encoding/json's rule for names given in
// a tag, which decides whether the tag names the field at all.
func TestJSONTagOfValidNames(t *testing.T) {
	tagged := func(name string) pii.JSONTag {
		return pii.JSONTagOf(reflect.StructField{Name: "F", Tag: reflect.StructTag("json:" + strconv.Quote(name))})
	}
	for _, name := range []string{"email", "e-mail", "a b", "x.y", "naïve", "$ref", "a@b"} {
		assert.Equal(t, pii.JSONTag{Name: name, Named: true}, tagged(name), name)
	}
	for _, name := range []string{"", "user's", `a"b`, `a\b`, "a`b"} {
		assert.Equal(t, pii.JSONTag{Name: "F"}, tagged(name), name)
	}
}

type memoTarget struct {
	Email string `pii:"email"`
}

// TestMemoBuildsOncePerType checks that a Memo computes its value once per
// type, also under concurrent first use, and keeps values apart by type.
func TestMemoBuildsOncePerType(t *testing.T) {
	var builds atomic.Int32
	m := pii.NewMemo(func(t reflect.Type) string {
		builds.Add(1)
		return t.String()
	})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			assert.Equal(t, "pii_test.memoTarget", m.Of(reflect.TypeFor[memoTarget]()))
		}()
	}
	wg.Wait()
	before := builds.Load()
	assert.Equal(t, "pii_test.memoTarget", m.Of(reflect.TypeFor[memoTarget]()))
	assert.Equal(t, "[]pii_test.memoTarget", m.Of(reflect.TypeFor[[]memoTarget]()))
	assert.Equal(t, before+1, builds.Load(), "a cached type is not built again")
	assert.Equal(t, "int", m.Of(reflect.TypeFor[int]()))
	assert.Equal(t, "int", m.Of(reflect.TypeFor[int]()))
	assert.Equal(t, before+2, builds.Load())
}

type flatRecord struct {
	ID    string `pii:"subject"`
	Email string `pii:"email"`
	Note  string
}

type nestedRecord struct {
	ID    string `pii:"subject"`
	Inner *flatRecord
}

// FlatBase is embedded: its subject is promoted.
type FlatBase struct {
	ID string `pii:"subject"`
}

type embeddingRecord struct {
	FlatBase
	Phone string `pii:"phone"`
}

// TestSchemaFlat checks which types Walk meets only in their own fields.
func TestSchemaFlat(t *testing.T) {
	for _, tc := range []struct {
		v    any
		flat bool
	}{
		{flatRecord{}, true},
		{nestedRecord{}, false},
		{embeddingRecord{}, false},
		{struct{ A any }{}, false},
		{struct{ A []string }{}, true},
	} {
		s, err := pii.SchemaOf(reflect.TypeOf(tc.v))
		require.NoError(t, err)
		assert.Equal(t, tc.flat, s.Flat(), "%T", tc.v)
	}
}
