package pii_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"testing"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type hiddenCustomer struct {
	ID    string `pii:"subject"`
	Email string `pii:"email"`
}

// Tagged data behind an unexported field cannot be read by reflection, so
// it could only ever be printed in clear: the schema refuses it.
type hiddenValue struct {
	user hiddenCustomer
	N    int
}
type hiddenPointer struct {
	user *hiddenCustomer
	N    int
}
type hiddenSlice struct {
	users []hiddenCustomer
	N     int
}
type hiddenMap struct {
	users map[string]*hiddenCustomer
	N     int
}
type hiddenSkipped struct {
	user hiddenCustomer `pii:"-"`
	N    int
}

// A pii:"-" field whose type holds tagged fields would be shown in clear
// by every redactor: the schema refuses it too.
type skippedValue struct {
	Actor hiddenCustomer `pii:"-"`
	N     int
}
type skippedPointer struct {
	Actor *hiddenCustomer `pii:"-"`
	N     int
}
type skippedSlice struct {
	Actors []hiddenCustomer `pii:"-"`
	N      int
}
type skippedMap struct {
	Actors map[string][]*hiddenCustomer `pii:"-"`
	N      int
}

// enclosing holds a faulty type in an exported field: the fault is its too.
type enclosing struct {
	Session *skippedValue
}

func hiddenShapes() map[string]struct {
	value any
	field string
} {
	c := hiddenCustomer{ID: "u-7", Email: "hidden@example.org"}
	return map[string]struct {
		value any
		field string
	}{
		"unexported value":   {hiddenValue{user: c, N: 42}, "pii_test.hiddenValue.user"},
		"unexported pointer": {hiddenPointer{user: &c, N: 42}, "pii_test.hiddenPointer.user"},
		"unexported slice":   {hiddenSlice{users: []hiddenCustomer{c}, N: 42}, "pii_test.hiddenSlice.users"},
		"unexported map":     {hiddenMap{users: map[string]*hiddenCustomer{"k": &c}, N: 42}, "pii_test.hiddenMap.users"},
		"unexported skipped": {hiddenSkipped{user: c, N: 42}, "pii_test.hiddenSkipped.user"},
		"skipped value":      {skippedValue{Actor: c, N: 42}, "pii_test.skippedValue.Actor"},
		"skipped pointer":    {&skippedPointer{Actor: &c, N: 42}, "pii_test.skippedPointer.Actor"},
		"skipped slice":      {skippedSlice{Actors: []hiddenCustomer{c}, N: 42}, "pii_test.skippedSlice.Actors"},
		"skipped map":        {skippedMap{Actors: map[string][]*hiddenCustomer{"k": {&c}}, N: 42}, "pii_test.skippedMap.Actors"},
		"nested":             {enclosing{Session: &skippedValue{Actor: c, N: 42}}, "pii_test.skippedValue.Actor"},
	}
}

func TestHiddenTaggedFieldsAreSchemaErrors(t *testing.T) {
	for name, tc := range hiddenShapes() {
		t.Run(name, func(t *testing.T) {
			err := pii.Check(tc.value)
			require.ErrorIs(t, err, pii.ErrInvalidTag)
			var te *pii.TagError
			require.ErrorAs(t, err, &te)
			assert.ErrorContains(t, err, tc.field, "the error names the type and the field")
			assert.True(t, pii.MayHold(reflect.TypeOf(tc.value)), "a faulty type counts as holding personal data")
			assert.ErrorIs(t, pii.Walk(tc.value, func(*pii.Visit) error { return nil }), pii.ErrInvalidTag,
				"Walk, and so shred, sees the fault")
		})
	}
}

func TestHiddenTaggedFieldsNeverPrintInClear(t *testing.T) {
	for name, tc := range hiddenShapes() {
		t.Run(name, func(t *testing.T) {
			var outs []string
			for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
				outs = append(outs, fmt.Sprintf(verb, pii.Redact(tc.value)))
			}
			outs = append(outs, pii.Redact(tc.value).String())
			b, err := json.Marshal(pii.Redact(tc.value))
			assert.Error(t, err, "JSON fails rather than shows the value")
			outs = append(outs, string(b))
			for _, h := range []func(*bytes.Buffer) slog.Handler{
				func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
				func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
			} {
				var buf bytes.Buffer
				slog.New(pii.NewHandler(h(&buf), nil)).Info("m", "v", tc.value, slog.Group("g", "v", tc.value))
				outs = append(outs, buf.String())
				buf.Reset()
				slog.New(h(&buf)).Info("m", "v", pii.Redact(tc.value))
				outs = append(outs, buf.String())
			}
			for _, out := range outs {
				assert.NotContains(t, out, "hidden@example.org")
			}
		})
	}
}
