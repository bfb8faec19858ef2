package pii_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/detect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type Contact struct {
	Email string `pii:"email" json:"email"`
	Phone string `pii:"phone,redact=last4" json:"phone"`
	Kind  string `json:"kind"`
}

type Address struct {
	Street  string `pii:"address"`
	Country string
}

type Customer struct {
	ID       string             `pii:"subject" json:"id"`
	Name     string             `pii:"name" json:"name"`
	Plan     string             `json:"plan"`
	Contacts []Contact          `json:"contacts"`
	Homes    map[string]Address `json:"homes"`
	Previous *Customer          `json:"previous,omitempty"`
	Note     any                `json:"note"`
	Secret   string             `json:"-"`
	Joined   time.Time          `json:"joined"`
}

// personalValues are the five personal values of sample(); none may appear.
var personalValues = []string{"Ada Lovelace", "ada@example.org", "+44 20 7946 0958", "12 Analytical Row", "Charles Babbage"}

// ordinaryValues must appear in every rendering.
var ordinaryValues = []string{"cust-1", "premium", "work", "GB", "cust-0"}

func sample() *Customer {
	return &Customer{
		ID:       "cust-1",
		Name:     "Ada Lovelace",
		Plan:     "premium",
		Contacts: []Contact{{Email: "ada@example.org", Phone: "+44 20 7946 0958", Kind: "work"}},
		Homes:    map[string]Address{"london": {Street: "12 Analytical Row", Country: "GB"}},
		Previous: &Customer{ID: "cust-0", Name: "Charles Babbage"},
		Joined:   time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC),
	}
}

func assertClean(t *testing.T, out string) {
	t.Helper()
	for _, v := range personalValues {
		assert.NotContains(t, out, v, "personal value leaked")
	}
	for _, v := range ordinaryValues {
		assert.Contains(t, out, v, "ordinary value missing")
	}
}

func TestRedactSlogHandlers(t *testing.T) {
	for name, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
		"json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		t.Run(name+"/handler", func(t *testing.T) {
			var buf bytes.Buffer
			c := sample()
			before := fmt.Sprintf("%#v", *c) //piicheck:ignore compares the original value; nothing is logged
			log := slog.New(pii.NewHandler(newHandler(&buf), nil))
			log.Info("signup", "customer", c, slog.Group("g", "nested", *c))
			log.With("with", c).WithGroup("grp").Info("again", "ptr", c)
			log.Info("any", "note", any(Customer{ID: "cust-1", Name: "Ada Lovelace", Plan: "premium", Contacts: sample().Contacts, Homes: sample().Homes, Previous: sample().Previous}))
			assertClean(t, buf.String())
			assert.Equal(t, before, fmt.Sprintf("%#v", *c), "the original is unchanged") //piicheck:ignore compares the original value; nothing is logged
			assert.NotContains(t, buf.String(), "hunter2")
		})
		t.Run(name+"/logvaluer", func(t *testing.T) {
			var buf bytes.Buffer
			slog.New(newHandler(&buf)).Info("signup", "customer", pii.Redact(sample()))
			assertClean(t, buf.String())
		})
	}
}

func TestRedactJSONHandlerShape(t *testing.T) {
	var buf bytes.Buffer
	slog.New(pii.NewHandler(slog.NewJSONHandler(&buf, nil), nil)).Info("m", "c", sample())
	var line struct {
		C struct {
			ID       string
			Name     string
			Contacts []map[string]string
		} `json:"c"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &line))
	assert.Equal(t, "cust-1", line.C.ID, "subject IDs are shown")
	assert.Equal(t, "[redacted:name]", line.C.Name)
	require.Len(t, line.C.Contacts, 1)
	assert.Equal(t, "[redacted:email]", line.C.Contacts[0]["email"])
	assert.Equal(t, "****0958", line.C.Contacts[0]["phone"])
}

func TestRedactFmtVerbs(t *testing.T) {
	c := sample()
	c.Secret = "hunter2"
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(verb, pii.Redact(c))
		assertClean(t, out)
		out = fmt.Sprintf(verb, pii.Redact(*c))
		assertClean(t, out)
	}
	assert.Contains(t, fmt.Sprintf("%+v", pii.Redact(c)), "Name:[redacted:name]")
	assert.Contains(t, fmt.Sprintf("%#v", pii.Redact(c)), `pii_test.Customer{ID:"cust-1", Name:"[redacted:name]"`)
	assert.Equal(t, fmt.Sprintf("%v", pii.Redact(c)), pii.Redact(c).String())
}

func TestRedactJSON(t *testing.T) {
	c := sample()
	c.Secret = "hunter2"
	out, err := json.Marshal(pii.Redact(c))
	require.NoError(t, err)
	assertClean(t, string(out))
	assert.NotContains(t, string(out), "hunter2", `json:"-" is honoured`)
	var back map[string]any
	require.NoError(t, json.Unmarshal(out, &back), "valid JSON: %s", out)
	assert.Equal(t, "premium", back["plan"])
	assert.Equal(t, "2024-03-01T09:00:00Z", back["joined"], "ordinary values keep their own JSON form")
	prev := back["previous"].(map[string]any)
	_, hasPrevPrevious := prev["previous"]
	assert.False(t, hasPrevPrevious, "omitempty is honoured")
}

func TestRedactStyles(t *testing.T) {
	type Card struct {
		Holder string `pii:"subject"`
		Number string `pii:"card,redact=last4"`
		Email  string `pii:"email,redact=mask"`
		IP     string `pii:"ip,redact=drop"`
		Ref    string `pii:"email,redact=hash"`
	}
	v := Card{Holder: "u1", Number: "4242424242424242", Email: "alice@example.com", IP: "10.1.2.3", Ref: "Alice@Example.com"}
	key, err := pii.NewTokenKey()
	require.NoError(t, err)
	tok, err := pii.NewTokenizer(key)
	require.NoError(t, err)

	out := fmt.Sprintf("%+v", pii.NewRedactor(tok).Redact(v))
	assert.Equal(t, "{Holder:u1 Number:****4242 Email:***@example.com Ref:"+tok.Token(pii.Email, "alice@example.com")+"}", out)
	out = fmt.Sprintf("%+v", pii.Redact(v))
	assert.Contains(t, out, "Ref:[redacted:email]", "without a tokenizer hash falls back to full")
}

func TestRedactCycle(t *testing.T) {
	type Node struct {
		Name string `pii:"name"`
		Next *Node
	}
	a := &Node{Name: "Alice Liddell"}
	a.Next = &Node{Name: "Bob Cratchit", Next: a}
	var buf bytes.Buffer
	slog.New(pii.NewHandler(slog.NewJSONHandler(&buf, nil), nil)).Info("cycle", "n", a)
	assert.NotContains(t, buf.String(), "Alice")
	assert.Contains(t, buf.String(), "<cycle>")
	out := fmt.Sprintf("%+v", pii.Redact(a))
	assert.NotContains(t, out, "Bob")
	_, err := json.Marshal(pii.Redact(a))
	assert.ErrorContains(t, err, "cycle")
}

type upper struct{ s string }

func (u upper) RedactString(s string) string { return strings.ReplaceAll(s, u.s, "[x]") }

func TestHandlerTextRedactor(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(pii.NewHandler(slog.NewJSONHandler(&buf, nil), &pii.HandlerOptions{Text: upper{"bob@example.net"}}))
	log.Info("mail from bob@example.net", "body", "hi bob@example.net", "n", 3)
	assert.NotContains(t, buf.String(), "bob@example.net")
	assert.Contains(t, buf.String(), `"n":3`)
}

func TestHandlerPassesPlainRecordsThrough(t *testing.T) {
	var a, b bytes.Buffer
	slog.New(slog.NewJSONHandler(&a, nil)).Info("plain", "n", 1, "s", "x")
	slog.New(pii.NewHandler(slog.NewJSONHandler(&b, nil), nil)).Info("plain", "n", 1, "s", "x")
	assert.Equal(t, strip(a.String()), strip(b.String()))
}

func strip(line string) string { _, rest, _ := strings.Cut(line, `"level"`); return rest }

func TestHandlerWithDetector(t *testing.T) {
	var buf bytes.Buffer
	text := detect.NewTextRedactor(detect.TextRedactorConfig{})
	log := slog.New(pii.NewHandler(slog.NewJSONHandler(&buf, nil), &pii.HandlerOptions{Text: text}))
	log.Info("login by carol@example.com from 203.0.113.9", "note", "card 4111 1111 1111 1111", "customer", sample())
	out := buf.String()
	for _, leaked := range []string{"carol@example.com", "203.0.113.9", "4111 1111 1111 1111"} {
		assert.NotContains(t, out, leaked)
	}
	assertClean(t, out)
	assert.Contains(t, out, "[email]")
}
