package pii

import (
	"encoding"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"time"
)

// leafKind says how a value is turned into a slog.Value without boxing it
// when its kind allows.
type leafKind uint8

const (
	leafAny leafKind = iota // through Interface(): types with methods, composites
	leafString
	leafInt
	leafUint
	leafFloat
	leafBool
	leafTime
	leafDuration
)

var (
	timeType        = reflect.TypeFor[time.Time]()
	durationType    = reflect.TypeFor[time.Duration]()
	logValuerType   = reflect.TypeFor[slog.LogValuer]()
	stringerType    = reflect.TypeFor[fmt.Stringer]()
	textMarshalType = reflect.TypeFor[encoding.TextMarshaler]()
	jsonMarshalType = reflect.TypeFor[json.Marshaler]()
)

// leafOf decides once per field how its values are logged. A type with a
// method that changes how it prints goes through Interface(), as slog and
// fmt would call that method.
func leafOf(t reflect.Type) leafKind {
	switch t {
	case timeType:
		return leafTime
	case durationType:
		return leafDuration
	}
	for _, m := range []reflect.Type{logValuerType, stringerType, textMarshalType, jsonMarshalType} {
		if t.Implements(m) || reflect.PointerTo(t).Implements(m) {
			return leafAny
		}
	}
	switch t.Kind() {
	case reflect.String:
		return leafString
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return leafInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return leafUint
	case reflect.Float32, reflect.Float64:
		return leafFloat
	case reflect.Bool:
		return leafBool
	}
	return leafAny
}

// slogValue turns an ordinary field value into a slog.Value.
func slogValue(k leafKind, v reflect.Value) slog.Value {
	switch k {
	case leafString:
		return slog.StringValue(v.String())
	case leafInt:
		return slog.Int64Value(v.Int())
	case leafUint:
		return slog.Uint64Value(v.Uint())
	case leafFloat:
		return slog.Float64Value(v.Float())
	case leafBool:
		return slog.BoolValue(v.Bool())
	case leafTime:
		return slog.TimeValue(v.Interface().(time.Time))
	case leafDuration:
		return slog.DurationValue(time.Duration(v.Int()))
	}
	if !v.CanInterface() {
		return slog.StringValue("<unexported>")
	}
	return slog.AnyValue(v.Interface())
}
