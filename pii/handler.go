package pii

import (
	"context"
	"log/slog"
	"reflect"
)

// TextRedactor rewrites free text, hiding the personal data it finds. The
// pii/detect package's TextRedactor is one.
type TextRedactor interface {
	RedactString(string) string
}

// HandlerOptions configures NewHandler. The zero value is ready to use.
type HandlerOptions struct {
	// Tokenizer computes tokens for Hash-style fields; without it they are
	// shown in Full style.
	Tokenizer *Tokenizer
	// Text, when set, also rewrites the message and the text of every
	// attribute value, for personal data that no tag marks: strings, and
	// errors, Stringers, slices, maps, structs and other values as the
	// wrapped handler would write them (in JSON, every string, keys
	// included; byte slices as text rather than base64). Numbers, booleans,
	// times and durations are left alone.
	Text TextRedactor
}

// Handler is a slog.Handler that redacts personal data before passing each
// record on: an attribute whose value holds personal fields (a tagged struct,
// a pointer, slice or map of them, or an interface holding one) is replaced by
// its redacted form, in groups and in With attributes alike. slog's own keys
// (time, level, message, source) are left alone. Records without personal
// data are passed on untouched.
type Handler struct {
	next slog.Handler
	r    redactor
	text TextRedactor
}

// NewHandler wraps next. opts may be nil.
func NewHandler(next slog.Handler, opts *HandlerOptions) *Handler {
	h := &Handler{next: next}
	if opts != nil {
		h.r.tok = opts.Tokenizer
		h.text = opts.Text
	}
	return h
}

// Enabled reports whether the wrapped handler handles records at level.
func (h *Handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

// Handle redacts the record's attributes and passes it on.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	changed := h.text != nil
	if !changed {
		r.Attrs(func(a slog.Attr) bool {
			changed = h.needs(a.Value)
			return !changed
		})
	}
	if !changed {
		return h.next.Handle(ctx, r)
	}
	msg := r.Message
	if h.text != nil {
		msg = h.text.RedactString(msg)
	}
	out := slog.NewRecord(r.Time, r.Level, msg, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

// WithAttrs redacts attrs once and passes them on.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	redacted := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		redacted[i] = h.attr(a)
	}
	return &Handler{next: h.next.WithAttrs(redacted), r: h.r, text: h.text}
}

// WithGroup passes the group on.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{next: h.next.WithGroup(name), r: h.r, text: h.text}
}

// needs reports whether a value must be rewritten.
func (h *Handler) needs(v slog.Value) bool {
	switch v.Kind() {
	case slog.KindAny:
		return MayHold(reflect.TypeOf(v.Any()))
	case slog.KindLogValuer:
		return h.needs(v.Resolve())
	case slog.KindGroup:
		for _, a := range v.Group() {
			if h.needs(a.Value) {
				return true
			}
		}
	}
	return false
}

// attr returns a with its value redacted.
func (h *Handler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindAny:
		if MayHold(reflect.TypeOf(v.Any())) {
			var ns nodes
			v = h.r.logValue(reflect.ValueOf(v.Any()), 0, &ns)
		}
		if h.text != nil {
			v = h.textValue(v)
		}
	case slog.KindGroup:
		group := v.Group()
		out := make([]slog.Attr, len(group))
		for i, g := range group {
			out[i] = h.attr(g)
		}
		v = slog.GroupValue(out...)
	case slog.KindString:
		if h.text != nil {
			v = slog.StringValue(h.text.RedactString(v.String()))
		}
	}
	a.Value = v
	return a
}

// textValue runs the free-text redactor over the text of a value: strings,
// the members of groups, and the text of any other value (an error's
// message, a Stringer's string, a slice, map or struct as it would be
// written).
func (h *Handler) textValue(v slog.Value) slog.Value {
	v = v.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.StringValue(h.text.RedactString(v.String()))
	case slog.KindGroup:
		group := v.Group()
		out := make([]slog.Attr, len(group))
		for i, g := range group {
			out[i] = slog.Attr{Key: g.Key, Value: h.textValue(g.Value)}
		}
		return slog.GroupValue(out...)
	case slog.KindAny:
		if v.Any() != nil {
			return slog.AnyValue(redactedText{v: v.Any(), text: h.text})
		}
	}
	return v
}
