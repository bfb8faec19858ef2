package rights_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Postal is an address of a letter's recipient: it has no subject field
// of its own, so whose it is comes from the letter around it.
type Postal struct {
	Street string `json:"street" pii:"address,group=to"`
}

// Note is written by the letter's sender (the default group).
type Note struct {
	Text string `json:"text" pii:"content"`
}

// Letter holds the recipient's addresses in every kind of value an export
// walks: a pointer (flattened), a slice, a map and an interface.
type Letter struct {
	From    string            `json:"from" pii:"subject"`
	To      string            `json:"to" pii:"subject,group=to"`
	Home    *Postal           `json:"home"`
	Former  []Postal          `json:"former"`
	ByLabel map[string]Postal `json:"by_label"`
	Extra   any               `json:"extra"`
	Notes   []Note            `json:"notes"`
}

func letter() *Letter {
	return &Letter{
		From: "cust-1", To: "cust-2",
		Home:    &Postal{Street: "RECIPIENT-POINTER"},
		Former:  []Postal{{Street: "RECIPIENT-SLICE"}},
		ByLabel: map[string]Postal{"work": {Street: "RECIPIENT-MAP"}},
		Extra:   Postal{Street: "RECIPIENT-ANY"},
		Notes:   []Note{{Text: "SENDER-NOTE"}},
	}
}

var recipientValues = []string{"RECIPIENT-POINTER", "RECIPIENT-SLICE", "RECIPIENT-MAP", "RECIPIENT-ANY"}

// exportLetters exports subject's letters and returns every file of the
// source, JSON and CSV, joined.
func exportLetters(t *testing.T, subject string, letters ...any) string {
	t.Helper()
	post := newMemSource("post", "account")
	post.add(subject, letters...)
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{post} })
	r := f.receive(t, rights.Request{Right: rights.RightAccess, Subject: subject})
	var buf bytes.Buffer
	_, err := f.rights.Export(context.Background(), r.ID, &buf)
	require.NoError(t, err)
	a := readArchive(t, buf.Bytes())
	require.Contains(t, a.files, "post/letter.json")
	require.Contains(t, a.files, "post/letter.csv")
	assertAgree(t, a, "post/letter")
	return string(a.files["post/letter.json"]) + "\n" + string(a.files["post/letter.csv"])
}

// TestExportWithholdsOtherSubjectsNestedValues: a group= value nested in a
// pointer, a slice, a map or an interface belongs to its group's subject,
// found in the record around it; the sender's export leaves out every one
// of the recipient's addresses (Art. 15(4)), and the recipient's export
// shows them and leaves out the sender's notes.
func TestExportWithholdsOtherSubjectsNestedValues(t *testing.T) {
	sender := exportLetters(t, "cust-1", letter())
	for _, v := range recipientValues {
		assert.NotContains(t, sender, v, "the recipient's address in the sender's export")
	}
	assert.Contains(t, sender, "SENDER-NOTE", "the sender's own note stays")

	recipient := exportLetters(t, "cust-2", letter())
	for _, v := range recipientValues {
		assert.Contains(t, recipient, v, "the recipient's own address")
	}
	assert.NotContains(t, recipient, "SENDER-NOTE", "the sender's note in the recipient's export")
}

// Envelope names no recipient: its group=to values have no subject in
// scope.
type Envelope struct {
	From   string   `json:"from" pii:"subject"`
	Former []Postal `json:"former"`
	Extra  any      `json:"extra"`
}

// TestExportWithholdsNestedValuesOfAGroupWithoutSubject: a nested value in
// a named group whose subject the record does not hold cannot be shown to
// be the requester's, so it is withheld.
func TestExportWithholdsNestedValuesOfAGroupWithoutSubject(t *testing.T) {
	out := exportLetters(t, "cust-1", &Letter{From: "cust-1", Former: []Postal{{Street: "UNKNOWN-SLICE"}}})
	assert.NotContains(t, out, "UNKNOWN-SLICE", "an empty recipient is no recipient")

	post := newMemSource("post", "account")
	post.add("cust-1", &Envelope{From: "cust-1", Former: []Postal{{Street: "NOBODY-SLICE"}}, Extra: &Postal{Street: "NOBODY-ANY"}})
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{post} })
	r := f.receive(t, rights.Request{Right: rights.RightAccess, Subject: "cust-1"})
	var buf bytes.Buffer
	_, err := f.rights.Export(context.Background(), r.ID, &buf)
	require.NoError(t, err)
	a := readArchive(t, buf.Bytes())
	for name, b := range a.files {
		if strings.HasPrefix(name, "post/") {
			assert.NotContains(t, string(b), "NOBODY", name)
		}
	}
	assert.Contains(t, string(a.files["post/envelope.json"]), `"street":{"value":null,"category":"user.contact.address"}`, "withheld, still labelled")
}
