package pii_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/detect"
	"github.com/stretchr/testify/assert"
)

type textUntagged struct {
	Owner string
	N     int
}

type textStringer struct{ Addr string }

func (s textStringer) String() string { return "mailbox " + s.Addr }

type textLogValuer struct{ addr string }

func (l textLogValuer) LogValue() slog.Value { return slog.AnyValue(textUntagged{Owner: l.addr, N: 3}) }

// TestHandlerTextRedactorReachesEveryValue checks that the configured text
// redactor rewrites the text of every kind of attribute value, not only
// strings.
func TestHandlerTextRedactorReachesEveryValue(t *testing.T) {
	const addr = "erin@example.com"
	values := map[string]any{
		"string":     addr,
		"error":      errors.New("no mailbox for " + addr),
		"wrapped":    fmt.Errorf("send: %w", errors.New("no mailbox for "+addr)),
		"strings":    []string{"first", addr},
		"map":        map[string]string{"to": addr, addr: "as key"},
		"struct":     textUntagged{Owner: addr, N: 7},
		"pointer":    &textUntagged{Owner: addr, N: 7},
		"stringer":   textStringer{addr},
		"bytes":      []byte("to " + addr),
		"logvaluer":  textLogValuer{addr},
		"any slice":  []any{1, addr},
		"tagged":     &Customer{ID: "cust-1", Plan: addr, Contacts: []Contact{{Kind: addr}}, Note: addr},
		"redacted":   pii.Redact(&Customer{ID: "cust-1", Plan: addr, Contacts: []Contact{{Kind: addr}}}),
		"nested any": map[string]any{"k": []any{textUntagged{Owner: addr}}},
	}
	text := detect.NewTextRedactor(detect.TextRedactorConfig{})
	for hname, newHandler := range map[string]func(io.Writer) slog.Handler{
		"json": func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, nil) },
		"text": func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, nil) },
	} {
		for name, v := range values {
			t.Run(hname+"/"+name, func(t *testing.T) {
				var buf bytes.Buffer
				log := slog.New(pii.NewHandler(newHandler(&buf), &pii.HandlerOptions{Text: text}))
				log.Info("event", "v", v, "keep", "still-here", slog.Group("g", "v", v))
				log.With("w", v).Info("with")
				out := buf.String()
				assert.NotContains(t, out, addr)
				assert.NotContains(t, out, "erin", "no part of the address is left")
				assert.Contains(t, out, "still-here", "the rest of the line is kept")
				assert.Contains(t, out, "[email]")
			})
		}
	}
}
