package rights_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/pii"
)

// Person names its own subject.
type Person struct {
	ID    string `json:"id" pii:"subject"`
	Email string `json:"email" pii:"email"`
}

// Card holds people in every kind of value an export walks: flattened, by
// pointer, in a slice, a map and an interface.
type Card struct {
	Owner   string            `json:"owner" pii:"subject"`
	Note    string            `json:"note" pii:"content"`
	Contact Person            `json:"contact"`
	Ptr     *Person           `json:"ptr"`
	List    []Person          `json:"list"`
	ByKey   map[string]Person `json:"by_key"`
	Any     any               `json:"any"`
}

func cardOf(owner, id, prefix string) *Card {
	return &Card{
		Owner: owner, Note: "OWNER-NOTE",
		Contact: Person{ID: id, Email: prefix + "-flat@example.org"},
		Ptr:     &Person{ID: id, Email: prefix + "-ptr@example.org"},
		List:    []Person{{ID: id, Email: prefix + "-slice@example.org"}},
		ByKey:   map[string]Person{"k": {ID: id, Email: prefix + "-map@example.org"}},
		Any:     &Person{ID: id, Email: prefix + "-any@example.org"},
	}
}

func exportCards(t *testing.T, cards ...any) string {
	t.Helper()
	return exportOf(t, "book/card", cards...)
}

func exportRoster(t *testing.T, r *Roster) string {
	t.Helper()
	return exportOf(t, "book/roster", r)
}

// exportOf exports cust-1's records from a source "book" and returns the
// JSON and CSV of base ("book/card") joined.
func exportOf(t *testing.T, base string, records ...any) string {
	t.Helper()
	src := newMemSource("book", "account")
	src.add("cust-1", records...)
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{src} })
	r := f.receive(t, rights.Request{Right: rights.RightAccess, Subject: "cust-1"})
	var buf bytes.Buffer
	_, err := f.rights.Export(context.Background(), r.ID, &buf)
	require.NoError(t, err)
	a := readArchive(t, buf.Bytes())
	assertAgree(t, a, base)
	return string(a.files[base+".json"]) + "\n" + string(a.files[base+".csv"])
}

// TestExportWithholdsValuesWhoseOwnSubjectIsEmpty: a nested value whose
// own subject field is empty belongs to nobody known, as pii.Walk and
// Seal see it (no subject), not to the requester around it; the export
// leaves it out, flattened or inside a pointer, slice, map or interface.
// The same value naming the requester is shown.
func TestExportWithholdsValuesWhoseOwnSubjectIsEmpty(t *testing.T) {
	stranger := cardOf("cust-1", "", "STRANGER")
	var walked int
	require.NoError(t, pii.Walk(stranger, func(v *pii.Visit) error {
		if s, ok := v.Value.Interface().(string); ok && strings.HasPrefix(s, "STRANGER") {
			walked++
			assert.Empty(t, v.Subject, "pii.Walk: no subject for %s", s)
		}
		return nil
	}))
	require.Equal(t, 5, walked)

	out := exportCards(t, stranger)
	assert.Equal(t, 0, strings.Count(out, "STRANGER"), "values of a person with an empty subject field are withheld")
	assert.True(t, strings.Contains(out, "OWNER-NOTE"), "the owner's own value stays")

	own := exportCards(t, cardOf("cust-1", "cust-1", "OWN"))
	for _, where := range []string{"flat", "ptr", "slice", "map", "any"} {
		assert.True(t, strings.Contains(own, "OWN-"+where+"@example.org"), "the requester's own value, %s", where)
	}
}
