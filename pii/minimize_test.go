package pii_test

import (
	"testing"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMinimize(t *testing.T) {
	c := sample()
	min, err := pii.Minimize(c, pii.Name, "user.contact")
	require.NoError(t, err)

	assert.Equal(t, "cust-1", min.ID, "subject kept")
	assert.Equal(t, "Ada Lovelace", min.Name, "allowed category kept")
	assert.Equal(t, "premium", min.Plan, "ordinary field kept")
	assert.Equal(t, "ada@example.org", min.Contacts[0].Email, "user.contact.email lies within user.contact")
	assert.Equal(t, "12 Analytical Row", min.Homes["london"].Street)

	emailOnly, err := pii.Minimize(c, pii.Email)
	require.NoError(t, err)
	assert.Empty(t, emailOnly.Name)
	assert.Empty(t, emailOnly.Contacts[0].Phone)
	assert.Equal(t, "ada@example.org", emailOnly.Contacts[0].Email)
	assert.Empty(t, emailOnly.Homes["london"].Street)
	assert.Equal(t, "GB", emailOnly.Homes["london"].Country)
	assert.Empty(t, emailOnly.Previous.Name, "nested pointers are minimised too")
	assert.Equal(t, "cust-0", emailOnly.Previous.ID)

	nothing, err := pii.Minimize(*c)
	require.NoError(t, err)
	assert.Empty(t, nothing.Name)

	// The original is untouched, including what it shares through pointers,
	// slices and maps.
	assert.Equal(t, sample(), c)
	assert.NotSame(t, c.Previous, emailOnly.Previous)
}

func TestMinimizeCycle(t *testing.T) {
	type Node struct {
		Name string `pii:"name"`
		Next *Node
	}
	a := &Node{Name: "A"}
	a.Next = a
	m, err := pii.Minimize(a)
	require.NoError(t, err)
	assert.Empty(t, m.Name)
	assert.Nil(t, m.Next, "the cycle is cut in the copy")
	assert.Equal(t, "A", a.Name)
}

func TestWalkSubjectsAndGroups(t *testing.T) {
	type Party struct {
		Email string `pii:"email"`
	}
	type Message struct {
		From    string `pii:"subject,group=sender"`
		To      string `pii:"subject,group=recipient"`
		FromIP  string `pii:"ip,group=sender"`
		ToName  string `pii:"name,group=recipient"`
		Body    string `pii:"content"`
		Owner   string `pii:"subject"`
		Parties []Party
		Other   *struct {
			ID    string `pii:"subject"`
			Email string `pii:"email"`
		}
	}
	m := &Message{From: "u1", To: "u2", FromIP: "10.0.0.1", ToName: "Bob", Body: "hi", Owner: "u9",
		Parties: []Party{{"p@x.org"}}}
	m.Other = &struct {
		ID    string `pii:"subject"`
		Email string `pii:"email"`
	}{ID: "u3", Email: "o@x.org"}

	got := map[string]string{}
	err := pii.Walk(m, func(v *pii.Visit) error {
		if v.Field.Personal() {
			got[v.Value.String()] = v.Subject
			v.Value.SetString("sealed:" + v.Value.String())
		}
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{
		"10.0.0.1": "u1", "Bob": "u2", "hi": "u9", "p@x.org": "u9", "o@x.org": "u3",
	}, got, "groups pick their subject; nested values inherit unless they carry their own")
	assert.Equal(t, "sealed:p@x.org", m.Parties[0].Email, "fields are settable through a pointer")

	id, err := pii.SubjectOf(m)
	require.NoError(t, err)
	assert.Equal(t, "u9", id)
}

func TestWalkMapsAndInterfaces(t *testing.T) {
	type Leaf struct {
		Email string `pii:"email"`
	}
	type Holder struct {
		ID   string `pii:"subject"`
		Map  map[string]Leaf
		Any  any
		Ptrs []*Leaf
	}
	h := &Holder{ID: "s", Map: map[string]Leaf{"k": {"m@x.org"}}, Any: Leaf{"a@x.org"}, Ptrs: []*Leaf{{"p@x.org"}, nil}}
	err := pii.Walk(h, func(v *pii.Visit) error {
		if v.Field.Personal() {
			require.True(t, v.Value.CanSet())
			v.Value.SetString("X")
		}
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, "X", h.Map["k"].Email, "map values are copied out and stored back")
	assert.Equal(t, "X", h.Any.(Leaf).Email, "interface values too")
	assert.Equal(t, "X", h.Ptrs[0].Email)
}

func TestWalkPromotesEmbeddedSubjects(t *testing.T) {
	type Base struct {
		ID string `pii:"subject"`
	}
	type Account struct {
		*Base
		Email string `pii:"email"`
	}
	type Profile struct {
		Base
		Name  string `pii:"name"`
		Inner Account
	}
	p := &Profile{Base: Base{ID: "u1"}, Name: "Ann", Inner: Account{Base: &Base{ID: "u2"}, Email: "b@x.org"}}
	got := map[string]string{}
	require.NoError(t, pii.Walk(p, func(v *pii.Visit) error {
		if v.Field.Personal() {
			got[v.Field.Name] = v.Subject
		}
		return nil
	}))
	assert.Equal(t, map[string]string{"Name": "u1", "Email": "u2"}, got, "a subject promoted from an embedded struct applies")

	id, err := pii.SubjectOf(Profile{Base: Base{ID: "u7"}})
	require.NoError(t, err)
	assert.Equal(t, "u7", id)

	nilBase := &Account{Email: "c@x.org"}
	require.NoError(t, pii.Walk(nilBase, func(v *pii.Visit) error {
		assert.Empty(t, v.Subject, "a nil embedded pointer supplies no subject")
		return nil
	}))
}

func TestWalkDoesNotAllocateForFlatStructs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	type Flat struct {
		ID    string `pii:"subject"`
		Email string `pii:"email"`
		Name  string `pii:"name"`
		N     int
	}
	v := &Flat{ID: "u1", Email: "a@x.org", Name: "A"}
	seen := 0
	fn := func(*pii.Visit) error { seen++; return nil }
	require.NoError(t, pii.Walk(v, fn))
	allocs := testing.AllocsPerRun(200, func() { _ = pii.Walk(v, fn) })
	assert.Zero(t, allocs)
	assert.Positive(t, seen)
}
