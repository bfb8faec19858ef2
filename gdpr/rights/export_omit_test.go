package rights_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// zeroByMethod is zero when its IsZero method says so, whatever it holds;
// the method has a pointer receiver.
type zeroByMethod struct{ N int }

func (z *zeroByMethod) IsZero() bool { return z.N < 0 }

// Profile has fields with omitempty and omitzero, as encoding/json reads
// them.
type Profile struct {
	ID       string            `json:"id" pii:"subject"`
	Since    time.Time         `json:"since,omitzero"`
	Seen     time.Time         `json:"seen,omitempty"` // a struct is never empty: kept
	Nick     string            `json:"nick,omitempty" pii:"name"`
	Count    int               `json:"count,omitempty"`
	Tags     []string          `json:"tags,omitempty"`
	Prefs    map[string]string `json:"prefs,omitzero"`
	Mail     *Address          `json:"mail,omitempty"`
	Home     Address           `json:"home,omitzero"`
	Custom   zeroByMethod      `json:"custom,omitzero"`
	Plain    string            `json:"plain"`
	Contacts []Profile         `json:"contacts"`
}

// TestExportHonoursOmitemptyAndOmitzero: a field encoding/json would leave
// out (omitempty: false, 0, "", nil, empty; omitzero: the zero value or
// IsZero) has no key in the export's JSON and an empty CSV cell, flattened
// structs and nested values alike; the CSV keeps every column. A set field
// is written as usual.
func TestExportHonoursOmitemptyAndOmitzero(t *testing.T) {
	empty := Profile{ID: "cust-1", Custom: zeroByMethod{N: -1},
		Contacts: []Profile{{ID: "cust-1", Custom: zeroByMethod{N: -1}}}}
	full := Profile{
		ID: "cust-1", Since: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), Nick: "Countess", Count: 3,
		Tags: []string{"x"}, Prefs: map[string]string{}, Mail: &Address{City: "Bath"}, Home: Address{City: "London"},
		Custom: zeroByMethod{N: 0}, Plain: "p",
	}
	src := newMemSource("crm", "account")
	src.add("cust-1", &empty, &full)
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{src} })
	r := f.receive(t, rights.Request{Right: rights.RightAccess, Subject: "cust-1"})
	var buf bytes.Buffer
	_, err := f.rights.Export(context.Background(), r.ID, &buf)
	require.NoError(t, err)
	a := readArchive(t, buf.Bytes())
	assertAgree(t, a, "crm/profile")

	recs := a.json(t, "crm/profile.json").Records
	require.Len(t, recs, 2)
	keys := func(m map[string]any) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		return out
	}
	assert.ElementsMatch(t, []string{"id", "seen", "plain", "contacts"}, keys(recs[0]), "only the fields encoding/json keeps")
	assert.Equal(t, "0001-01-01T00:00:00Z", recs[0]["seen"], "omitempty does not apply to a struct")
	nested := recs[0]["contacts"].([]any)[0].(map[string]any)
	assert.ElementsMatch(t, []string{"id", "seen", "plain", "contacts"}, keys(nested), "nested values too")

	assert.ElementsMatch(t, []string{"id", "since", "seen", "nick", "count", "tags", "prefs", "mail.street", "mail.city",
		"home.street", "home.city", "custom.N", "plain", "contacts"}, keys(recs[1]), "set fields are written")
	assert.Equal(t, "2024-05-01T00:00:00Z", recs[1]["since"])

	rows := a.csv(t, "crm/profile.csv")
	require.Len(t, rows, 3)
	assert.Equal(t, []string{"id", "since", "seen", "nick", "count", "tags", "prefs", "mail.street", "mail.city",
		"home.street", "home.city", "custom.N", "plain", "contacts"}, rows[0], "every column, whatever is left out")
	assert.Equal(t, "", rows[1][1], "an unset time is an empty cell")
	assert.Equal(t, "0001-01-01T00:00:00Z", rows[1][2])
}
