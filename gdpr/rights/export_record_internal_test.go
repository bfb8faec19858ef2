package rights

import (
	"encoding/json"
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
