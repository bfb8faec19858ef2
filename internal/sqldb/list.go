package sqldb

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// In returns the condition "column is one of values" and its arguments, as
// one parameter wherever the dialect allows: a JSON array read by
// json_each on SQLite, a text[] on PostgreSQL. A statement with one list
// parameter is the same text whatever the list's length, so it is parsed
// quickly and its plan may be reused; it also stays below the databases'
// limits on parameters. On SQLite, a list holding a value that is not
// valid UTF-8 (which JSON cannot carry) is spelled out in placeholders.
// Rebind the statement as usual.
func (d Dialect) In(column string, values []string) (string, []any) {
	switch {
	case d == Postgres:
		return column + " = ANY(CAST(? AS text[]))", []any{pgArray(values)}
	case allUTF8(values):
		list, err := json.Marshal(values)
		if err == nil {
			return column + " IN (SELECT value FROM json_each(?))", []any{string(list)}
		}
	}
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = v
	}
	return column + " IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(values)), ", ") + ")", args
}

func allUTF8(values []string) bool {
	for _, v := range values {
		if !utf8.ValidString(v) {
			return false
		}
	}
	return true
}

// pgArray writes values as a PostgreSQL array literal of quoted elements.
func pgArray(values []string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, v := range values {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		for j := 0; j < len(v); j++ {
			if v[j] == '"' || v[j] == '\\' {
				b.WriteByte('\\')
			}
			b.WriteByte(v[j])
		}
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}
