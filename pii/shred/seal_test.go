package shred_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/pii/shred"
)

func TestSealOpenRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	u := newUser("u-1")
	want := *u.clone()
	wantPhone := *u.Phone

	require.NoError(t, s.Seal(ctx, u))
	assert.Equal(t, "u-1", u.ID, "the subject field is never sealed")
	assert.True(t, shred.IsSealed(u.Name), "name sealed: %q", u.Name)
	assert.True(t, shred.IsSealed(u.Email))
	assert.True(t, shred.IsSealed(*u.Phone))
	assert.True(t, shred.IsSealed(string(u.Avatar)))
	assert.Equal(t, "192.0.2.7", u.IP, "plain fields stay in clear")
	assert.Equal(t, "gold", u.Plan)
	assert.NotContains(t, u.Email, "example.org")

	require.NoError(t, s.Open(ctx, u))
	assert.Equal(t, want.Name, u.Name)
	assert.Equal(t, want.Email, u.Email)
	assert.Equal(t, wantPhone, *u.Phone)
	assert.Equal(t, []byte{0x89, 'P', 'N', 'G'}, u.Avatar)
}

func TestSealTwiceIsANoOp(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	u := newUser("u-1")
	require.NoError(t, s.Seal(ctx, u))
	once := *u.clone()
	require.NoError(t, s.Seal(ctx, u))
	assert.Equal(t, once.Name, u.Name, "a sealed value is not sealed again")
	assert.Equal(t, once.Email, u.Email)
	require.NoError(t, s.Open(ctx, u))
	assert.Equal(t, "ada@example.org", u.Email, "one Open undoes the two Seals")
}

func TestSealLeavesEmptyAndPlainValues(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	u := &User{ID: "u-1", IP: "192.0.2.1"}
	require.NoError(t, s.Seal(ctx, u))
	assert.Equal(t, &User{ID: "u-1", IP: "192.0.2.1"}, u, "empty values hold nothing to seal; plain ones stay")
	require.NoError(t, s.Open(ctx, u))
	assert.Equal(t, &User{ID: "u-1", IP: "192.0.2.1"}, u)
}

func TestSealDistinctCiphertexts(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	a, b := newUser("u-1"), newUser("u-1")
	require.NoError(t, s.Seal(ctx, a))
	require.NoError(t, s.Seal(ctx, b))
	assert.NotEqual(t, a.Email, b.Email, "equal values seal to different ciphertexts (random nonces)")
}

// Message has a sender and a recipient: two subjects in one struct.
type Message struct {
	From     string `pii:"subject"`
	FromName string `pii:"name"`
	To       string `pii:"subject,group=to"`
	ToName   string `pii:"name,group=to"`
	Body     string `pii:"user.content"`
}

// Order nests values that inherit its subject, and one with its own.
type Order struct {
	Customer string          `pii:"subject"`
	Shipping Address         // inherits Customer
	Items    []Line          // inherit Customer
	Gift     *Recipient      // has its own subject
	Notes    map[string]Note // map values inherit Customer
	Extra    any             // followed through the interface
}

type Address struct {
	Street string `pii:"address"`
	City   string `pii:"city"`
}

type Line struct {
	SKU     string
	Engrave string `pii:"user.content"`
}

type Recipient struct {
	ID   string `pii:"subject"`
	Name string `pii:"name"`
}

type Note struct {
	Text string `pii:"user.content"`
}

func TestSealFollowsSubjectsAndGroups(t *testing.T) {
	ctx := context.Background()
	store := shred.NewMemoryStore()
	s := newShredder(t, store)

	m := &Message{From: "alice", FromName: "Alice", To: "bob", ToName: "Bob", Body: "hi"}
	require.NoError(t, s.Seal(ctx, m))
	require.NoError(t, s.Erase(ctx, "bob"))
	err := s.Open(ctx, m)
	require.ErrorIs(t, err, shred.ErrErased, "the recipient's field is gone")
	assert.Equal(t, "Alice", m.FromName, "the sender's key opens the sender's fields")
	assert.Equal(t, "hi", m.Body)
	assert.Equal(t, "", m.ToName, "the recipient's field, by its group's subject")
	var fe *shred.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "github.com/gdprkit/gdprkit/pii/shred_test.Message.ToName", fe.Field)
}

func TestSealNestedValues(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	o := &Order{
		Customer: "c-1",
		Shipping: Address{Street: "1 Main St", City: "Springfield"},
		Items:    []Line{{SKU: "A1", Engrave: "For Ada"}, {SKU: "B2", Engrave: "With love"}},
		Gift:     &Recipient{ID: "c-2", Name: "Grace"},
		Notes:    map[string]Note{"door": {Text: "ring twice"}},
		Extra:    &Note{Text: "fragile"},
	}
	require.NoError(t, s.Seal(ctx, o))
	assert.True(t, shred.IsSealed(o.Shipping.Street))
	assert.True(t, shred.IsSealed(o.Items[1].Engrave))
	assert.Equal(t, "B2", o.Items[1].SKU)
	assert.True(t, shred.IsSealed(o.Gift.Name))
	assert.True(t, shred.IsSealed(o.Notes["door"].Text), "map values are sealed and stored back")
	assert.True(t, shred.IsSealed(o.Extra.(*Note).Text))

	// The gift recipient's name is under c-2's key, not c-1's.
	require.NoError(t, s.Erase(ctx, "c-2"))
	err := s.Open(ctx, o)
	require.ErrorIs(t, err, shred.ErrErased)
	assert.Equal(t, "", o.Gift.Name)
	assert.Equal(t, "1 Main St", o.Shipping.Street)
	assert.Equal(t, "For Ada", o.Items[0].Engrave)
	assert.Equal(t, "ring twice", o.Notes["door"].Text)
	assert.Equal(t, "fragile", o.Extra.(*Note).Text)
}

func TestSealErrorsNameTheField(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())

	type Patient struct {
		ID   string `pii:"subject"`
		Name string `pii:"name"`
		Age  int    `pii:"user.demographic.age_range"`
	}
	p := &Patient{ID: "p-1", Name: "Ada", Age: 36}
	err := s.Seal(ctx, p)
	require.ErrorIs(t, err, shred.ErrUnsupported)
	assert.ErrorContains(t, err, "shred_test.Patient.Age")
	assert.ErrorContains(t, err, "use Marshal")
	assert.Equal(t, "Ada", p.Name, "nothing is sealed when one field cannot be")

	type Orphan struct {
		Email string `pii:"email"`
	}
	err = s.Seal(ctx, &Orphan{Email: "a@example.org"})
	require.ErrorIs(t, err, shred.ErrNoSubject)
	assert.ErrorContains(t, err, "shred_test.Orphan.Email")

	u := *newUser("u-1")
	err = s.Seal(ctx, u) // a copy: its fields cannot be set
	require.ErrorIs(t, err, shred.ErrNotSettable)
	assert.ErrorContains(t, err, "shred_test.User.Name")
	var fe *shred.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "seal", fe.Op)
	assert.False(t, fe.Erased())

	type BadTag struct {
		X string `pii:"emial"`
	}
	assert.ErrorContains(t, s.Seal(ctx, &BadTag{X: "x"}), `unknown category "emial"`)
}

func TestSealIsAllOrNothingInNestedValues(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	type Bad struct {
		Email string `pii:"email,group=payer"` // no payer in scope
	}
	type Batch struct {
		Owner string `pii:"subject"`
		Notes map[string]Note
		Items []Line
		Later []Bad
	}
	b := &Batch{
		Owner: "o-1",
		Notes: map[string]Note{"a": {Text: "one"}, "b": {Text: "two"}},
		Items: []Line{{Engrave: "three"}},
		Later: []Bad{{Email: "x@example.org"}},
	}
	err := s.Seal(ctx, b)
	require.ErrorIs(t, err, shred.ErrNoSubject)
	assert.Equal(t, "one", b.Notes["a"].Text, "map values sealed before the failure are restored")
	assert.Equal(t, "two", b.Notes["b"].Text)
	assert.Equal(t, "three", b.Items[0].Engrave)
	assert.Equal(t, "x@example.org", b.Later[0].Email)
}

func TestOpenLeavesUnsealedValues(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	u := newUser("u-1")
	require.NoError(t, s.Open(ctx, u), "plain text is not an error")
	assert.Equal(t, "ada@example.org", u.Email)
}

func TestOpenOfAnUnknownSubject(t *testing.T) {
	ctx := context.Background()
	a := newShredder(t, shred.NewMemoryStore())
	b := newShredder(t, shred.NewMemoryStore())
	u := newUser("u-1")
	require.NoError(t, a.Seal(ctx, u))
	sealed := u.Email
	err := b.Open(ctx, u)
	require.ErrorIs(t, err, shred.ErrNoKey, "another store has no key for the subject")
	assert.NotErrorIs(t, err, shred.ErrErased)
	assert.Equal(t, sealed, u.Email, "a field that does not open is left sealed")
}

func TestIsSealed(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	u := newUser("u-1")
	require.NoError(t, s.Seal(ctx, u))
	assert.True(t, shred.IsSealed(u.Email))
	for _, v := range []string{"", "ada@example.org", "gk1.", "gk1.AQ", "gk1." + strings.Repeat("A", 60), u.Email[:20], u.Email + "!", "gk2." + u.Email[4:]} {
		assert.False(t, shred.IsSealed(v), "%q", v)
	}
}

func TestOpenReportsMalformedCiphertext(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	u := newUser("u-1")
	require.NoError(t, s.Seal(ctx, u))
	u.Email = "gk1.not*base64"
	err := s.Open(ctx, u)
	require.ErrorIs(t, err, shred.ErrMalformed)
	assert.Equal(t, "Ada Lovelace", u.Name, "the other fields open")
}

// Delivery has recipients with subjects of their own.
type Delivery struct {
	Customer string      `pii:"subject" json:"customer"`
	To       []Recipient `json:"to"`
}

func TestNestedValueWithAnEmptySubjectDoesNotInheritItsParents(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	d := &Delivery{Customer: "alice", To: []Recipient{{ID: "", Name: "Bob"}}}

	err := s.Seal(ctx, d)
	require.ErrorIs(t, err, shred.ErrNoSubject)
	assert.Equal(t, "Bob", d.To[0].Name, "nothing sealed")

	_, err = s.Marshal(ctx, d)
	require.ErrorIs(t, err, shred.ErrNoSubject)

	// Sealed for alice, then the recipient's subject emptied: Unmarshal
	// does not open it under alice's key.
	data, err := s.Marshal(ctx, &Delivery{Customer: "alice", To: []Recipient{{ID: "alice", Name: "Bob"}}})
	require.NoError(t, err)
	data = []byte(strings.Replace(string(data), `"ID":"alice"`, `"ID":""`, 1))
	var back Delivery
	require.ErrorIs(t, s.Unmarshal(ctx, data, &back), shred.ErrNoSubject)
	require.Len(t, back.To, 1)
	assert.NotEqual(t, "Bob", back.To[0].Name)
}

// IDs holds a subject that structs embedding it promote.
type IDs struct {
	ID string `pii:"subject"`
}

type Member struct {
	IDs
	Email string `pii:"email"`
}

func TestSealUsesASubjectPromotedFromAnEmbeddedStruct(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	m := &Member{IDs: IDs{ID: "m-1"}, Email: "ada@example.org"}
	require.NoError(t, s.Seal(ctx, m))
	assert.True(t, shred.IsSealed(m.Email))
	assert.Equal(t, "m-1", m.ID)

	opened := *m
	require.NoError(t, s.Open(ctx, &opened))
	assert.Equal(t, "ada@example.org", opened.Email)

	require.NoError(t, s.Erase(ctx, "m-1"))
	opened = *m
	require.ErrorIs(t, s.Open(ctx, &opened), shred.ErrErased, "sealed under the promoted subject")
	assert.Empty(t, opened.Email)
}
