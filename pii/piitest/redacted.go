package piitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"

	"github.com/gdprkit/gdprkit/pii"
)

// Redacted asserts that v shows none of its personal values (as
// NoPersonalValues looks for them) wherever the library promises to redact
// it: pii.Redact(v) formatted by fmt with %v, %+v, %#v and %s, marshalled by
// encoding/json, and logged by slog's JSON and text handlers; and v itself
// logged through pii.NewHandler over each of those handlers. It fails when v
// holds no personal value of MinValueLen characters or more. It returns
// whether the assertion held.
func Redacted(t testing.TB, v any, msgAndArgs ...any) bool {
	t.Helper()
	return redacted(t, v, renderings, msgAndArgs...)
}

// redacted is Redacted with the ways of writing v out given.
func redacted(t testing.TB, v any, render func(any) []rendering, msgAndArgs ...any) bool {
	t.Helper()
	needles, ok := lookFor(t, v, msgAndArgs...)
	if !ok {
		return false
	}
	var items []string
	total := 0
	for _, r := range render(v) {
		if r.err != nil {
			items = append(items, fmt.Sprintf("%s: %v", r.name, r.err))
			total++
			continue
		}
		hits := search(r.text, needles)
		for _, item := range describe(r.text, hits) {
			items = append(items, r.name+": "+item)
		}
		total += len(hits)
	}
	if total == 0 {
		return true
	}
	headline := fmt.Sprintf("%T is not redacted:", v)
	return fail(t, list(headline, items, total), msgAndArgs...)
}

// rendering is v written out one way.
type rendering struct {
	name string
	text string
	err  error
}

// renderings writes v out every way the library redacts it.
func renderings(v any) []rendering {
	r := pii.Redact(v)
	out := []rendering{
		{name: "fmt %v", text: fmt.Sprintf("%v", r)},
		{name: "fmt %+v", text: fmt.Sprintf("%+v", r)},
		{name: "fmt %#v", text: fmt.Sprintf("%#v", r)},
		{name: "fmt %s", text: fmt.Sprintf("%s", r)},
	}
	b, err := json.Marshal(r)
	out = append(out, rendering{name: "encoding/json", text: string(b), err: err})
	for _, h := range []struct {
		name string
		new  func(*bytes.Buffer) slog.Handler
	}{
		{"slog JSON handler", func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, noTime) }},
		{"slog text handler", func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, noTime) }},
	} {
		var buf bytes.Buffer
		slog.New(h.new(&buf)).Info("redacted", "value", r)
		out = append(out, rendering{name: h.name + ", pii.Redact(v)", text: buf.String()})
		buf.Reset()
		slog.New(pii.NewHandler(h.new(&buf), nil)).Info("redacted", "value", v)
		out = append(out, rendering{name: h.name + " under pii.NewHandler, v", text: buf.String()})
	}
	return out
}

// noTime leaves the record's time out of the output, so that it cannot
// match a personal time value.
var noTime = &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}}
