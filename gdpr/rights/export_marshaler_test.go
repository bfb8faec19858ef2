package rights_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Self-marshalling types that hold people. Each writes its contents with
// plain encoding/json (or as text), which knows nothing of subjects: an
// export that called them would hand a stranger's e-mail to the requester.
type (
	PeopleList  []Person
	PeopleMap   map[string]Person
	PeoplePair  [2]Person
	PeopleText  []Person
	PeopleByPtr []Person
	Wrapper     struct {
		Who Person `json:"who"`
	}
)

func (l PeopleList) MarshalJSON() ([]byte, error)   { return json.Marshal([]Person(l)) }
func (m PeopleMap) MarshalJSON() ([]byte, error)    { return json.Marshal(map[string]Person(m)) }
func (p PeoplePair) MarshalJSON() ([]byte, error)   { return json.Marshal([2]Person(p)) }
func (l *PeopleByPtr) MarshalJSON() ([]byte, error) { return json.Marshal([]Person(*l)) }
func (w Wrapper) MarshalJSON() ([]byte, error)      { return json.Marshal(w.Who) }
func (l PeopleText) MarshalText() ([]byte, error) {
	var b strings.Builder
	for _, p := range l {
		b.WriteString(p.Email + ";")
	}
	return []byte(b.String()), nil
}

// Roster holds the self-marshalling types as fields, behind pointers,
// inside slices and maps, and behind interfaces.
type Roster struct {
	Owner    string                `json:"owner" pii:"subject"`
	List     PeopleList            `json:"list"`
	Map      PeopleMap             `json:"map"`
	Pair     PeoplePair            `json:"pair"`
	Text     PeopleText            `json:"text"`
	ByPtr    PeopleByPtr           `json:"by_ptr"`
	Wrapped  Wrapper               `json:"wrapped"`
	PtrList  *PeopleList           `json:"ptr_list"`
	Lists    []PeopleList          `json:"lists"`
	MapLists map[string]PeopleMap  `json:"map_lists"`
	Any      any                   `json:"any"`
	Anys     []any                 `json:"anys"`
	Marsh    json.Marshaler        `json:"marsh"`
	Deep     map[string][]*Wrapper `json:"deep"`
}

// roster puts one of the requester's people and one stranger in every
// self-marshalling value.
func roster() *Roster {
	n := 0
	pair := func(where string) []Person {
		n++
		return []Person{
			{ID: "cust-1", Email: "OWN-" + where + "@example.org"},
			{ID: "cust-2", Email: "OTHER-" + where + "@example.org"},
		}
	}
	ptr := PeopleList(pair("ptr_list"))
	return &Roster{
		Owner:    "cust-1",
		List:     pair("list"),
		Map:      PeopleMap{"a": pair("map")[0], "b": pair("map")[1]},
		Pair:     PeoplePair(pair("pair")),
		Text:     pair("text"),
		ByPtr:    pair("by_ptr"),
		Wrapped:  Wrapper{Who: pair("wrapped")[1]},
		PtrList:  &ptr,
		Lists:    []PeopleList{pair("lists")},
		MapLists: map[string]PeopleMap{"x": {"a": pair("map_lists")[0], "b": pair("map_lists")[1]}},
		Any:      PeopleList(pair("any")),
		Anys:     []any{PeopleMap{"a": pair("anys")[0], "b": pair("anys")[1]}, Wrapper{Who: pair("anys2")[1]}},
		Marsh:    PeopleList(pair("marsh")),
		Deep:     map[string][]*Wrapper{"d": {{Who: pair("deep")[0]}, {Who: pair("deep")[1]}}},
	}
}

// TestExportWalksSelfMarshallingContainers: a slice, map, array or struct
// type with its own MarshalJSON or MarshalText that can hold personal data
// (pii.MayHold) is exported by its structure, not by its marshaller, at
// any depth: another subject's values in it are withheld and the
// requester's are labelled, in the JSON and the CSV alike.
func TestExportWalksSelfMarshallingContainers(t *testing.T) {
	out := exportRoster(t, roster())
	assert.Equal(t, 0, strings.Count(out, "OTHER-"), "another subject's values in self-marshalling containers")
	for _, where := range []string{"list", "map", "pair", "text", "by_ptr", "ptr_list", "lists", "map_lists", "any", "anys", "marsh", "deep"} {
		assert.True(t, strings.Contains(out, `{"value":"OWN-`+where+`@example.org","category":"user.contact.email"}`), "the requester's own value in %s, labelled", where)
	}
}
