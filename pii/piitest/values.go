package piitest

import (
	"encoding"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gdprkit/gdprkit/pii"
)

// needle is one personal value to look for, in every text form it may take
// in output.
type needle struct {
	field    string // "User.Email"
	category pii.Category
	forms    []string
}

// personalValues returns the non-empty personal values held by v, through
// pii.Walk, each with the text forms it takes in logs and responses: as
// written, JSON- and Go-quoted, and for some types in other spellings (see
// textForms). Values shorter than MinValueLen are left out.
func personalValues(v any) ([]needle, error) {
	var out []needle
	err := pii.Walk(v, func(vis *pii.Visit) error {
		if !vis.Field.Personal() {
			return nil
		}
		n := needle{field: fieldLabel(vis), category: vis.Field.Category()}
		seen := map[string]bool{}
		textForms(vis.Value, n.category, func(form string) {
			if utf8.RuneCountInString(form) >= MinValueLen && !seen[form] {
				seen[form] = true
				n.forms = append(n.forms, form)
			}
		})
		if len(n.forms) > 0 {
			out = append(out, n)
		}
		return nil
	})
	return out, err
}

// fieldLabel names a visited field as "Type.Field".
func fieldLabel(vis *pii.Visit) string {
	if vis.Owner.IsValid() && vis.Owner.Type().Name() != "" {
		return vis.Owner.Type().Name() + "." + vis.Field.Name
	}
	return vis.Field.Name
}

var (
	timeType          = reflect.TypeFor[time.Time]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// textForms calls add with each way the value v (of category c) may be
// written out:
//
//   - text: as is, with JSON escapes ("\u003c", "\"") and with Go quoting
//     (%q, slog's text handler); phone numbers also with '+' and digits only;
//   - []byte: as text when it is valid UTF-8, in base64 (encoding/json) and
//     in hex (%x);
//   - numbers: in decimal;
//   - time.Time: to the second, in RFC 3339 ("2006-01-02T15:04:05", which
//     JSON, slog and their sub-second variants all start with) and in Go's
//     default layout ("2006-01-02 15:04:05", %v); and the date alone when
//     the clock reads midnight (a date of birth);
//   - types with a MarshalText method (net.IP, netip.Addr): its text;
//   - pointers, interfaces, slices, arrays, map values and struct fields:
//     the forms of what they hold.
func textForms(v reflect.Value, c pii.Category, add func(string)) {
	if !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			textForms(v.Elem(), c, add)
		}
		return
	}
	if v.Type() == timeType {
		t := v.Interface().(time.Time)
		if !t.IsZero() {
			add(t.Format("2006-01-02T15:04:05"))
			add(t.Format(time.DateTime))
			if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
				add(t.Format(time.DateOnly))
			}
		}
		return
	}
	if v.Type().Implements(textMarshalerType) && v.CanInterface() {
		if text, err := v.Interface().(encoding.TextMarshaler).MarshalText(); err == nil && len(text) > 0 {
			add(string(text))
			return
		}
	}
	switch v.Kind() {
	case reflect.String:
		stringForms(v.String(), c, add)
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b := make([]byte, v.Len())
			reflect.Copy(reflect.ValueOf(b), v)
			if len(b) > 0 {
				if utf8.Valid(b) {
					stringForms(string(b), c, add)
				}
				add(base64.StdEncoding.EncodeToString(b))
				add(hex.EncodeToString(b))
			}
			return
		}
		for i := 0; i < v.Len(); i++ {
			textForms(v.Index(i), c, add)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			textForms(iter.Value(), c, add)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				textForms(v.Field(i), c, add)
			}
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		add(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		add(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		add(strconv.FormatFloat(v.Float(), 'g', -1, v.Type().Bits()))
	}
}

func stringForms(s string, c pii.Category, add func(string)) {
	if strings.TrimSpace(s) == "" {
		return
	}
	add(s)
	if quoted, err := json.Marshal(s); err == nil {
		add(string(quoted[1 : len(quoted)-1]))
	}
	quoted := strconv.Quote(s)
	add(quoted[1 : len(quoted)-1])
	if c.Within(pii.Phone) {
		add(pii.Normalize(c, s))
	}
}
