package rights_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Formulas holds text a subject typed in every kind of column: personal,
// untagged, inside a pointer, and under a column name that starts like a
// formula.
type Formulas struct {
	ID      string   `json:"id" pii:"subject"`
	Name    string   `json:"name" pii:"name"`
	Comment string   `json:"comment"`
	Nick    *string  `json:"nick" pii:"name"`
	Odd     string   `json:"=odd"`
	Count   int      `json:"count"`
	Tags    []string `json:"tags"`
}

// TestExportCSVDefusesFormulas: a CSV cell that starts with = + - @, a tab
// or a carriage return is written after an apostrophe, as Record.WriteCSV
// writes it, so that a spreadsheet shows it instead of running it; column
// names too. The JSON keeps every value exact, and a negative number in a
// numeric field stays a number.
func TestExportCSVDefusesFormulas(t *testing.T) {
	values := []string{
		`=HYPERLINK("http://evil.example","click")`, `+cmd|' /C calc'!A0`, `-2+3+cmd|' /C calc'!A0`,
		`@SUM(1+1)*cmd|' /C calc'!A0`, "\t=1+1", "\r=1+1",
	}
	for _, v := range values {
		t.Run(v, func(t *testing.T) {
			nick := v
			src := newMemSource("crm", "account")
			src.add("cust-1", &Formulas{ID: "cust-1", Name: v, Comment: v, Nick: &nick, Odd: v, Count: -7, Tags: []string{v}})
			f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{src} })
			r := f.receive(t, rights.Request{Right: rights.RightAccess, Subject: "cust-1"})
			var buf bytes.Buffer
			_, err := f.rights.Export(context.Background(), r.ID, &buf)
			require.NoError(t, err)
			a := readArchive(t, buf.Bytes())
			rows := a.csv(t, "crm/formulas.csv")
			require.Len(t, rows, 2)
			assert.Equal(t, []string{"id", "name", "comment", "nick", "'=odd", "count", "tags"}, rows[0], "column names are defused too")
			tags, err := json.Marshal([]string{v})
			require.NoError(t, err)
			assert.Equal(t, []string{"cust-1", "'" + v, "'" + v, "'" + v, "'" + v, "-7", string(tags)}, rows[1])

			doc := a.json(t, "crm/formulas.json")
			require.Len(t, doc.Records, 1)
			rec := doc.Records[0]
			assert.Equal(t, map[string]any{"value": v, "category": "user.name"}, rec["name"], "the JSON stays exact")
			assert.Equal(t, v, rec["comment"])
			assert.Equal(t, v, rec["=odd"])
			assertAgree(t, a, "crm/formulas")
		})
	}
}
