package pii

import (
	"context"
	"log/slog"
	"reflect"

	"github.com/gdprkit/gdprkit/pii/detect"
)

// TextRedactor rewrites free text, hiding the personal data it finds. The
// pii/detect package's TextRedactor is one.
type TextRedactor interface {
	RedactString(string) string
}

// defaultText is the free-text redactor a Handler uses unless told
// otherwise: every type package detect knows, each replaced by a
// placeholder such as "[email]".
var defaultText TextRedactor = detect.NewTextRedactor(detect.TextRedactorConfig{})

// HandlerOptions configures NewHandler. The zero value, like nil, is the
// safe default: every part of the redaction is on. Options only turn parts
// off, and each says what it gives up.
type HandlerOptions struct {
	// Tokenizer computes tokens for Hash-style fields; without it they are
	// shown in Full style.
	Tokenizer *Tokenizer
	// Text replaces the default free-text redactor (package detect with
	// its defaults: e-mail addresses, phone numbers, IP addresses, payment
	// cards, IBANs and MAC addresses, each replaced by a placeholder such
	// as "[email]"), for example with a detect.TextRedactor configured to
	// mask or hash.
	Text TextRedactor
	// NoTextDetection turns free-text detection off: the message and the
	// text inside attribute values are passed on as they are. Personal
	// data written into a message or an error is then shown in clear.
	NoTextDetection bool
	// AllowKeys lists attribute keys (and field keys of structs without
	// pii tags) that name no personal data in this program, although
	// their names look so: their values are shown, still scanned for
	// free text. Keys are compared as written ("name" does not allow
	// "Name").
	AllowKeys []string
	// NoKeyNames turns off the redaction of values by their key: an
	// attribute keyed "email" or "user_name" is then shown, scanned for
	// free text only.
	NoKeyNames bool
}

// Handler is a slog.Handler that redacts personal data before passing each
// record on. By default it redacts:
//
//   - values that hold pii-tagged fields (a tagged struct, a pointer,
//     slice or map of them, or an interface holding one), each personal
//     field in its tag's Style;
//   - values whose key names personal data ("email", "e_mail",
//     "user_email", "userEmail", "phone", "ip", "ip_address", "name",
//     "first_name", "address", "dob", "iban", "card", ...), with the same
//     word lists the piicheck analyzer applies to struct fields; the value
//     is replaced by a placeholder such as "[redacted:email]";
//   - personal data in free text (see package pii/detect): in the message
//     and in every string reached inside attribute values: strings, errors
//     (their message, wrapped errors included), fmt.Stringers, byte
//     slices, slices, maps, structs without tags and groups.
//
// Attributes added with With and groups opened with WithGroup are redacted
// alike. slog's own keys (time, level, message, source) are left alone,
// and so are numbers, booleans, times and durations. A record with nothing
// to redact is passed on as it is, without allocating.
//
// What it cannot see: a person's name or any other personal data written
// into free text that has no recognisable form ("welcome, Ada Lovelace"),
// and a personal value under a key that does not name it.
type Handler struct {
	next slog.Handler
	r    redactor
}

// NewHandler wraps next. opts may be nil: the defaults are the safe ones.
func NewHandler(next slog.Handler, opts *HandlerOptions) *Handler {
	h := &Handler{next: next, r: redactor{text: defaultText, keys: true}}
	if opts == nil {
		return h
	}
	h.r.tok = opts.Tokenizer
	if opts.Text != nil {
		h.r.text = opts.Text
	}
	if opts.NoTextDetection {
		h.r.text = nil
	}
	h.r.keys = !opts.NoKeyNames
	if len(opts.AllowKeys) > 0 {
		h.r.allow = make(map[string]bool, len(opts.AllowKeys))
		for _, k := range opts.AllowKeys {
			h.r.allow[k] = true
		}
	}
	return h
}

// Enabled reports whether the wrapped handler handles records at level.
func (h *Handler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

// Handle redacts the record's message and attributes and passes it on. A
// record with nothing to redact is passed on as it is.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	msg := r.Message
	if h.r.text != nil {
		msg = h.r.text.RedactString(msg)
	}
	// Unless the message changed, find the first attribute that does;
	// the ones before it are passed on as they are.
	first, at := slog.Attr{}, -1
	if msg == r.Message {
		n := 0
		r.Attrs(func(a slog.Attr) bool {
			if a2, changed := h.r.attr(a); changed {
				first, at = a2, n
				return false
			}
			n++
			return true
		})
		if at < 0 {
			return h.next.Handle(ctx, r)
		}
	}
	out := slog.NewRecord(r.Time, r.Level, msg, r.PC)
	i := 0
	r.Attrs(func(a slog.Attr) bool {
		switch {
		case i < at:
			out.AddAttrs(a)
		case i == at:
			out.AddAttrs(first)
		default:
			a2, _ := h.r.attr(a)
			out.AddAttrs(a2)
		}
		i++
		return true
	})
	return h.next.Handle(ctx, out)
}

// WithAttrs redacts attrs once and passes them on.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	redacted := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		redacted[i], _ = h.r.attr(a)
	}
	return &Handler{next: h.next.WithAttrs(redacted), r: h.r}
}

// WithGroup passes the group on.
func (h *Handler) WithGroup(name string) slog.Handler {
	return &Handler{next: h.next.WithGroup(name), r: h.r}
}

// namedPersonal returns the placeholder for the value of an attribute or
// untagged field whose key names personal data, unless the key is allowed
// or key names are not looked at.
func (r *redactor) namedPersonal(key string) (string, bool) {
	if r == nil || !r.keys || key == "" || r.allow[key] {
		return "", false
	}
	return personalKey(key)
}

// attr returns a with its value redacted, and whether it changed.
func (r *redactor) attr(a slog.Attr) (slog.Attr, bool) {
	if shown, ok := r.namedPersonal(a.Key); ok && !(a.Value.Kind() == slog.KindAny && a.Value.Any() == nil) {
		a.Value = slog.StringValue(shown)
		return a, true
	}
	v, changed := r.value(a.Value)
	a.Value = v
	return a, changed
}

// value returns v redacted, and whether it changed. Group members are
// copied only when one of them changes.
func (r *redactor) value(v slog.Value) (slog.Value, bool) {
	if v.Kind() == slog.KindLogValuer {
		if d, ok := v.LogValuer().(Redacted); ok {
			// Redact's own value, with this handler's settings.
			var ns nodes
			return r.logValue(reflect.ValueOf(d.v), 0, &ns), true
		}
		v = v.Resolve()
		out, _ := r.value(v)
		return out, true
	}
	switch v.Kind() {
	case slog.KindString:
		if r.text == nil {
			return v, false
		}
		s := v.String()
		if red := r.text.RedactString(s); red != s {
			return slog.StringValue(red), true
		}
	case slog.KindGroup:
		group := v.Group()
		var out []slog.Attr
		for i, g := range group {
			g2, c := r.attr(g)
			if c && out == nil {
				out = make([]slog.Attr, len(group))
				copy(out, group[:i])
			}
			if out != nil {
				out[i] = g2
			}
		}
		if out != nil {
			return slog.GroupValue(out...), true
		}
	case slog.KindAny:
		x := v.Any()
		if x == nil {
			return v, false
		}
		if MayHold(reflect.TypeOf(x)) {
			var ns nodes
			return r.logValue(reflect.ValueOf(x), 0, &ns), true
		}
		if r.text == nil {
			return v, false
		}
		return r.textOf(x), true
	}
	return v, false
}

// textOf returns a value without personal fields for the free-text
// redactor: an error becomes its redacted message; other values are
// written, when the handler writes them, as they would be unwrapped, with
// every string rewritten.
func (r *redactor) textOf(x any) slog.Value {
	if err, ok := x.(error); ok {
		return slog.StringValue(r.text.RedactString(err.Error()))
	}
	return slog.AnyValue(redactedText{v: x, r: r})
}
