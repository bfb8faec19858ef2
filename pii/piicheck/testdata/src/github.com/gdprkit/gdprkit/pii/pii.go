// Package pii stands in for github.com/gdprkit/gdprkit/pii in the analyzer's
// tests, with only what the analyzer looks at.
package pii

import (
	"context"
	"fmt"
	"log/slog"
)

// Redacted shows a value with its personal fields redacted.
type Redacted struct{ v any }

// Redact wraps v for logging.
func Redact(v any) Redacted { return Redacted{v} }

// LogValue implements slog.LogValuer.
func (r Redacted) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// Format implements fmt.Formatter.
func (r Redacted) Format(s fmt.State, verb rune) { fmt.Fprint(s, "[redacted]") }

// MarshalJSON implements json.Marshaler.
func (r Redacted) MarshalJSON() ([]byte, error) { return []byte(`"[redacted]"`), nil }

// Envelope is a library type that holds personal data and marshals itself
// redacted.
type Envelope struct {
	Email string `pii:"email"`
}

// MarshalJSON implements json.Marshaler.
func (e Envelope) MarshalJSON() ([]byte, error) { return []byte(`{}`), nil }

// HandlerOptions configures a Handler.
type HandlerOptions struct{}

// Handler redacts every attribute before handing the record on.
type Handler struct{ next slog.Handler }

// NewHandler wraps next.
func NewHandler(next slog.Handler, opts *HandlerOptions) *Handler { return &Handler{next} }

// Enabled implements slog.Handler.
func (h *Handler) Enabled(ctx context.Context, l slog.Level) bool { return h.next.Enabled(ctx, l) }

// Handle implements slog.Handler.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error { return h.next.Handle(ctx, r) }

// WithAttrs implements slog.Handler.
func (h *Handler) WithAttrs(as []slog.Attr) slog.Handler { return &Handler{h.next.WithAttrs(as)} }

// WithGroup implements slog.Handler.
func (h *Handler) WithGroup(name string) slog.Handler { return &Handler{h.next.WithGroup(name)} }
