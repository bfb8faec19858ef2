package piicheck

import (
	"go/types"
	"strings"
)

// sinkKind groups the sinks by what makes a value safe to pass them.
type sinkKind uint8

const (
	// fmtSink formats with package fmt (fmt, log, errors): a value whose
	// type has a Format method is shown the way that method says.
	fmtSink sinkKind = iota + 1
	// slogSink hands values to log/slog, which resolves a LogValue method
	// before any handler sees the value.
	slogSink
	// sqlSink writes values to a database through database/sql: personal
	// fields must be sealed first, unless their tag says plain.
	sqlSink
)

// sinks lists the functions and methods whose arguments end up in logs,
// error messages or formatted text, by package path, receiver type name
// (empty for functions) and name.
var sinks = func() map[string]sinkKind {
	m := map[string]sinkKind{}
	add := func(kind sinkKind, prefix string, names string) {
		for _, n := range strings.Fields(names) {
			m[prefix+n] = kind
		}
	}
	// Sprint and Append build text without showing it: what they return
	// is followed to the sink it reaches (see derived).
	add(fmtSink, "fmt.", "Print Printf Println Fprint Fprintf Fprintln Errorf")
	add(fmtSink, "errors.", "New")
	const logFuncs = "Print Printf Println Fatal Fatalf Fatalln Panic Panicf Panicln Output"
	add(fmtSink, "log.", logFuncs)
	add(fmtSink, "log.Logger.", logFuncs)
	const levels = "Debug DebugContext Info InfoContext Warn WarnContext Error ErrorContext Log LogAttrs"
	add(slogSink, "log/slog.", levels+" Any AnyValue Bool BoolValue Duration DurationValue "+
		"Float64 Float64Value Group GroupValue Int IntValue Int64 Int64Value String StringValue "+
		"Time TimeValue Uint64 Uint64Value NewRecord")
	add(slogSink, "log/slog.Logger.", levels+" With")
	add(slogSink, "log/slog.Record.", "Add AddAttrs")
	const sqlMethods = "Exec ExecContext Query QueryContext QueryRow QueryRowContext"
	for _, recv := range []string{"DB", "Tx", "Stmt"} {
		add(sqlSink, "database/sql."+recv+".", sqlMethods)
	}
	add(sqlSink, "database/sql.Conn.", "ExecContext QueryContext QueryRowContext")
	return m
}()

// sinkOf reports whether fn is a sink, and its kind and display name
// ("fmt.Printf", "slog.Logger.Info").
func sinkOf(fn *types.Func) (kind sinkKind, name string, ok bool) {
	if fn.Pkg() == nil {
		return 0, "", false
	}
	path := fn.Pkg().Path()
	short := fn.Pkg().Name() + "."
	key := path + "."
	if recv := fn.Signature().Recv(); recv != nil {
		t := recv.Type()
		if p, isPtr := t.(*types.Pointer); isPtr {
			t = p.Elem()
		}
		named, isNamed := types.Unalias(t).(*types.Named)
		if !isNamed {
			return 0, "", false
		}
		key += named.Obj().Name() + "."
		short += named.Obj().Name() + "."
	}
	kind, ok = sinks[key+fn.Name()]
	return kind, short + fn.Name(), ok
}

// formatIndex returns the position of the format argument of a printf-like
// sink, or -1.
func formatIndex(sink string) int {
	switch sink {
	case "fmt.Fprintf", "fmt.Appendf":
		return 1
	case "fmt.Printf", "fmt.Sprintf", "fmt.Errorf", "log.Printf", "log.Fatalf", "log.Panicf",
		"log.Logger.Printf", "log.Logger.Fatalf", "log.Logger.Panicf":
		return 0
	}
	return -1
}

// typeOnlyArgs returns the positions, counted from the first argument after
// the format, of the arguments the format prints with %T or %p: their type
// or address, not their value. ok is false when the format takes widths or
// arguments by index ('*', "[n]"), which this does not follow.
func typeOnlyArgs(format string) (positions map[int]bool, ok bool) {
	positions = map[int]bool{}
	arg := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0123456789.", format[i]) >= 0 {
			i++
		}
		if i == len(format) {
			break
		}
		switch format[i] {
		case '%':
			continue
		case '*', '[':
			return nil, false
		case 'T', 'p':
			positions[arg] = true
		}
		arg++
	}
	return positions, true
}
