package piicheck

import (
	"go/types"
	"strings"
)

// modulePath is the import path of this library. Its types that format
// themselves (pii.Redacted and the like) redact by construction.
const modulePath = "github.com/gdprkit/gdprkit"

// redactsItself reports whether values of type t may be passed to a sink of
// the given kind although t holds personal fields:
//
//   - a type of this library with a LogValue, Format or MarshalJSON method
//     (pii.Redacted) passes every sink;
//   - for log/slog, a type with a LogValue method: slog resolves it before
//     any handler sees the value, and the analyzer checks that method's body
//     like any other code;
//   - for fmt, log and errors, a type with a Format method, for the same
//     reasons.
//
// String and Error methods are not trusted: they build text with string
// operations the analyzer does not follow.
func redactsItself(t types.Type, kind sinkKind) bool {
	logValue := hasMethod(t, "LogValue", isLogValue)
	format := hasMethod(t, "Format", isFormat)
	if fromLibrary(t) && (logValue || format || hasMethod(t, "MarshalJSON", isMarshalJSON)) {
		return true
	}
	switch kind {
	case slogSink:
		return logValue
	case fmtSink:
		return format
	}
	return false
}

func fromLibrary(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
		return false
	}
	path := named.Obj().Pkg().Path()
	return path == modulePath || strings.HasPrefix(path, modulePath+"/")
}

// hasMethod reports whether the method set of t (not of *t) has a method of
// that name whose signature passes check.
func hasMethod(t types.Type, name string, check func(*types.Signature) bool) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, false, nil, name)
	fn, ok := obj.(*types.Func)
	return ok && check(fn.Signature())
}

// isLogValue matches func() slog.Value.
func isLogValue(sig *types.Signature) bool {
	return sig.Params().Len() == 0 && sig.Results().Len() == 1 &&
		isNamed(sig.Results().At(0).Type(), "log/slog", "Value")
}

// isFormat matches func(fmt.State, rune).
func isFormat(sig *types.Signature) bool {
	if sig.Params().Len() != 2 || sig.Results().Len() != 0 {
		return false
	}
	r, ok := types.Unalias(sig.Params().At(1).Type()).(*types.Basic)
	return isNamed(sig.Params().At(0).Type(), "fmt", "State") && ok && r.Kind() == types.Int32
}

// isMarshalJSON matches func() ([]byte, error).
func isMarshalJSON(sig *types.Signature) bool {
	if sig.Params().Len() != 0 || sig.Results().Len() != 2 {
		return false
	}
	s, ok := types.Unalias(sig.Results().At(0).Type()).(*types.Slice)
	return ok && types.Identical(s.Elem(), types.Typ[types.Byte]) &&
		types.Identical(sig.Results().At(1).Type(), types.Universe.Lookup("error").Type())
}

func isNamed(t types.Type, pkg, name string) bool {
	named, ok := types.Unalias(t).(*types.Named)
	return ok && named.Obj().Pkg() != nil && named.Obj().Pkg().Path() == pkg && named.Obj().Name() == name
}
