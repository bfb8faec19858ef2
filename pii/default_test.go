package pii_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/piitest"
)

// signupCustomer is the customer of the README's logging section.
type signupCustomer struct {
	ID    string `pii:"subject"`
	Email string `pii:"email"`
	Phone string `pii:"phone"`
	IP    string `pii:"ip"`
	Plan  string
}

var errDuplicate = errors.New("duplicate key")

// logOrdinaryLines logs the lines a new user writes, each of which once
// showed the e-mail address in clear through pii.NewHandler(h, nil).
func logOrdinaryLines(log *slog.Logger, c signupCustomer) {
	log.Info("field", "email", c.Email) //piicheck:ignore logged on purpose: the handler under test must hide it
	email := c.Email
	log.Info("local var", "email", email)                                      //piicheck:ignore logged on purpose: the handler under test must hide it
	log.Info("welcome mail sent to " + c.Email)                                //piicheck:ignore logged on purpose: the handler under test must hide it
	log.Info("map", "body", map[string]string{"email": c.Email})               //piicheck:ignore logged on purpose: the handler under test must hide it
	log.Error("db", "err", fmt.Errorf("insert %s: %w", c.Email, errDuplicate)) //piicheck:ignore logged on purpose: the handler under test must hide it
	log.Info("struct", "customer", c)
	// Other spellings of personal keys, and values reached in other ways.
	log.Info("keys", "e_mail", c.Email, "userEmail", c.Email, "user-phone", c.Phone, "ip_address", c.IP, "remote_ip", c.IP) //piicheck:ignore logged on purpose: the handler under test must hide it
	log.Info("texts", "note", "call "+c.Phone, "peers", []string{"x", c.IP}, "to", textStringer{c.Email},                   //piicheck:ignore logged on purpose: the handler under test must hide it
		"raw", []byte(c.Email), "wrapped", fmt.Errorf("outer: %w", fmt.Errorf("inner %s", c.Phone)), //piicheck:ignore logged on purpose: the handler under test must hide it
		"untagged", textUntagged{Owner: c.Email}, "nested", map[string]any{"k": []any{c.IP}}) //piicheck:ignore logged on purpose: the handler under test must hide it
	log.Info("group", slog.Group("who", "email", c.Email, "says", "mail "+c.Email))                         //piicheck:ignore logged on purpose: the handler under test must hide it
	log.With("contact", c.Email).WithGroup("g").Info("with "+c.IP, "phone_number", c.Phone, "customer", &c) //piicheck:ignore logged on purpose: the handler under test must hide it
}

// TestDefaultHandlerHidesOrdinaryLines covers the lines through the JSON
// and the text handler, with With, WithGroup and slog.Group.
func TestDefaultHandlerHidesOrdinaryLines(t *testing.T) {
	c := signupCustomer{ID: "c-1", Email: "ada@example.org", Phone: "+44 20 7946 0958", IP: "203.0.113.7", Plan: "team"}
	for name, newHandler := range map[string]func(io.Writer) slog.Handler{
		"json": func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, nil) },
		"text": func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, nil) },
	} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			logOrdinaryLines(slog.New(pii.NewHandler(newHandler(&buf), nil)), c)
			out := buf.String()
			require.Equal(t, 10, strings.Count(out, "\n"), "every line is written")
			piitest.NoPersonalValues(t, out, c)
			piitest.NoDetectedPII(t, out)
			assert.Contains(t, out, "c-1", "the subject ID is shown")
			assert.Contains(t, out, "team", "ordinary values are shown")
			assert.Contains(t, out, "duplicate key", "errors keep their text")
		})
	}
}

// TestHandlerOptionsTurnPartsOff covers each option: it turns its part off
// and no other.
func TestHandlerOptionsTurnPartsOff(t *testing.T) {
	c := signupCustomer{ID: "c-1", Email: "ada@example.org", Phone: "+44 20 7946 0958"}
	run := func(opts *pii.HandlerOptions, log func(*slog.Logger)) string {
		var buf bytes.Buffer
		log(slog.New(pii.NewHandler(slog.NewJSONHandler(&buf, nil), opts)))
		return buf.String()
	}

	out := run(&pii.HandlerOptions{NoTextDetection: true}, func(l *slog.Logger) {
		l.Info("to "+c.Email, "note", c.Phone, "email", c.Email, "c", c) //piicheck:ignore logged on purpose: the handler under test must hide it
	})
	assert.Contains(t, out, `"msg":"to ada@example.org"`, "no detection in the message")
	assert.Contains(t, out, `"note":"+44 20 7946 0958"`, "no detection in values")
	assert.Contains(t, out, `"email":"[redacted:email]"`, "keys still count")
	assert.NotContains(t, out, `"email":"ada@example.org"`, "tags still count")

	out = run(&pii.HandlerOptions{NoKeyNames: true}, func(l *slog.Logger) {
		l.Info("m", "name", "Ada Lovelace", "email", c.Email) //piicheck:ignore logged on purpose: the handler under test must hide it
	})
	assert.Contains(t, out, `"name":"Ada Lovelace"`, "no key names")
	assert.Contains(t, out, `"email":"[email]"`, "detection still runs")

	out = run(&pii.HandlerOptions{AllowKeys: []string{"name"}}, func(l *slog.Logger) {
		l.Info("m", "name", "checkout-service", "first_name", "Ada", "body", map[string]string{"name": "svc"})
	})
	assert.Contains(t, out, `"name":"checkout-service"`, "an allowed key is shown")
	assert.Contains(t, out, `"name":"svc"`, "inside values too")
	assert.Contains(t, out, `"first_name":"[redacted:first_name]"`, "other keys still count")

	out = run(nil, func(l *slog.Logger) {
		l.Info("m", "name", "Ada Lovelace", "body", map[string]any{"first_name": "Ada", "address": map[string]string{"city": "London"}})
	})
	assert.NotContains(t, out, "Ada")
	assert.NotContains(t, out, "London", "a composite value under a personal key is hidden whole")
	assert.Contains(t, out, `"address":"[redacted:address]"`)
}

// TestHandlerUntaggedFieldsByName: a field with no tag whose name looks
// personal is hidden by the handler, in a tagged struct too, unless its
// tag says it was reviewed.
func TestHandlerUntaggedFieldsByName(t *testing.T) {
	type product struct {
		Name string `pii:"-"`
	}
	type order struct {
		ID        string `pii:"subject"`
		Email     string `pii:"email,redact=mask"`
		ShipTo    string `json:"shipping_address"`
		BuyerName string //piicheck:ignore untagged on purpose: the handler must hide it by its name
		Item      product
		Created   time.Time
	}
	var buf bytes.Buffer
	o := order{ID: "o-1", Email: "ada@example.org", ShipTo: "12 Downing St", BuyerName: "Ada Lovelace", Item: product{Name: "Widget"}}
	slog.New(pii.NewHandler(slog.NewJSONHandler(&buf, nil), nil)).Info("order", "order", o, "list", []order{o})
	out := buf.String()
	assert.NotContains(t, out, "Downing")
	assert.NotContains(t, out, "Lovelace")
	assert.Contains(t, out, `"Email":"***@example.org"`, "a tagged field keeps its style")
	assert.NotContains(t, out, `"Name":"[redacted`, "a reviewed field is shown")
}

// TestHandlerCleanRecordDoesNotAllocate: a record with nothing personal
// costs the handler no allocation, with detection and key names on.
func TestHandlerCleanRecordDoesNotAllocate(t *testing.T) {
	h := pii.NewHandler(discardHandler{}, nil)
	r := slog.NewRecord(time.Time{}, slog.LevelInfo, strings.Repeat("order shipped from warehouse 7 ", 30), 0)
	r.AddAttrs(slog.String("order", "o-1842"), slog.Int("items", 3), slog.String("plan", "team"),
		slog.Group("req", slog.String("path", "/orders"), slog.Duration("took", time.Second)))
	ctx := context.Background()
	allocs := testing.AllocsPerRun(100, func() { _ = h.Handle(ctx, r) })
	assert.Zero(t, allocs)
}

type discardHandler struct{}

func (discardHandler) Enabled(context.Context, slog.Level) bool  { return true }
func (discardHandler) Handle(context.Context, slog.Record) error { return nil }
func (d discardHandler) WithAttrs([]slog.Attr) slog.Handler      { return d }
func (d discardHandler) WithGroup(string) slog.Handler           { return d }
