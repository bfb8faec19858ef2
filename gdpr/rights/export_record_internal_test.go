package rights

import (
	"encoding/json"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzAppendJSONString: every string becomes valid JSON that decodes to the
// string itself, invalid UTF-8 replaced by U+FFFD.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "ada@example.org", "a\"b\\c", "line\nbreak\r\t", "\x00\x1f\x7f", "\u2028\u2029", "\xff\xfe", "日本語", "<script>&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := appendJSONString([]byte("x"), s)
		require.Equal(t, byte('x'), out[0], "appends")
		require.True(t, json.Valid(out[1:]), "%q gives invalid JSON %q", s, out[1:])
		var back string
		require.NoError(t, json.Unmarshal(out[1:], &back))
		std, err := json.Marshal(s) // encoding/json replaces each invalid byte, as appendJSONString does
		require.NoError(t, err)
		var want string
		require.NoError(t, json.Unmarshal(std, &want))
		assert.Equal(t, want, back)
		if utf8.ValidString(s) {
			assert.Equal(t, s, back)
		}
		assert.True(t, utf8.Valid(out))
		assert.NotContains(t, string(out), "\u2028", "line separators are escaped for JavaScript")
	})
}

func TestTypeFileName(t *testing.T) {
	for in, want := range map[string]string{
		"Customer": "customer", "OrderLine": "order_line", "HTTPRequest": "http_request", "UserID": "user_id",
		"Pair[int,string]": "pair_int_string", "": "record", "v2Event": "v2_event",
	} {
		assert.Equal(t, want, typeFileName(in), in)
	}
}

func TestCellOf(t *testing.T) {
	assert.Equal(t, "", cellOf([]byte("null")))
	assert.Equal(t, "a\"b", cellOf([]byte(`"a\"b"`)))
	assert.Equal(t, "12", cellOf([]byte("12")))
	assert.Equal(t, `{"a":1}`, cellOf([]byte(`{"a":1}`)))
}

// Inlined is embedded with a json tag whose name encoding/json rejects:
// it is inlined as if untagged.
type Inlined struct {
	City string `json:"city"`
}

// jsonNamed has a field for each kind of json tag, valid names and names
// encoding/json rejects and replaces with the Go name.
type jsonNamed struct {
	ID         string `json:"id" pii:"subject"`
	Plain      string
	Punct      string `json:"a-b.c$" pii:"email"`
	Apostrophe string `json:"user's" pii:"name"`
	Quote      string `json:"a\"b"`
	Backslash  string `json:"a\\b,omitempty"`
	OptsOnly   string `json:",omitempty"`
	Dash       string `json:"-,"`
	Skipped    string `json:"-"`
	Inlined    `json:"in'lined"`
}

// TestExportNamesFieldsAsEncodingJSON checks the export's column names
// against the keys encoding/json writes, for every kind of json tag: a
// name encoding/json rejects is the Go field name, as in redaction and
// sealing.
func TestExportNamesFieldsAsEncodingJSON(t *testing.T) {
	v := jsonNamed{ID: "i", Plain: "p", Punct: "u", Apostrophe: "a", Quote: "q", Backslash: "b", OptsOnly: "o",
		Dash: "d", Inlined: Inlined{City: "c"}}
	raw, err := json.Marshal(v)
	require.NoError(t, err)
	var written map[string]any
	require.NoError(t, json.Unmarshal(raw, &written))
	var want []string
	for k := range written {
		want = append(want, k)
	}
	p, err := planOf(reflect.TypeOf(v), false)
	require.NoError(t, err)
	var got []string
	for _, c := range p.columns {
		got = append(got, c.name)
	}
	assert.ElementsMatch(t, want, got)
}
