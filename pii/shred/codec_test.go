package shred_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/pii/shred"
)

// SignedUp is an event payload with personal fields of many types.
type SignedUp struct {
	UserID   string     `json:"user_id" pii:"subject"`
	Email    string     `json:"email" pii:"email"`
	Born     time.Time  `json:"born" pii:"dob"`
	Age      int        `json:"age" pii:"user.demographic.age_range"`
	Home     Address    `json:"home" pii:"address"`
	Tags     []string   `json:"tags" pii:"user.content"`
	Nickname *string    `json:"nickname,omitempty" pii:"name,replace=someone"`
	Photo    []byte     `json:"photo,omitempty" pii:"user.content"`
	Country  string     `json:"country" pii:"country,plain"`
	Plan     string     `json:"plan"`
	Referrer *Recipient `json:"referrer,omitempty"`
}

func newSignedUp() SignedUp {
	nick := "ada"
	return SignedUp{
		UserID: "u-9", Email: "ada@example.org",
		Born: time.Date(1815, 12, 10, 0, 0, 0, 0, time.UTC), Age: 36,
		Home: Address{Street: "12 St James's Square", City: "London"},
		Tags: []string{"math", "poetry"}, Nickname: &nick, Photo: []byte{1, 2, 3},
		Country: "GB", Plan: "gold", Referrer: &Recipient{ID: "u-1", Name: "Charles"},
	}
}

func TestCodecRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	in := newSignedUp()
	data, err := s.Marshal(ctx, in)
	require.NoError(t, err)

	// Only values long enough that random ciphertext cannot hold them by
	// chance; "born" is checked below by its sealed form.
	for _, secret := range []string{"ada@example.org", "1815-12-10", "St James", "poetry", `"ada"`, "Charles", `"AQID"`} {
		assert.NotContains(t, string(data), secret)
	}
	var doc map[string]any
	require.NoError(t, json.Unmarshal(data, &doc))
	assert.Equal(t, "u-9", doc["user_id"], "the subject stays readable")
	assert.Equal(t, "GB", doc["country"], "plain fields stay readable")
	assert.Equal(t, "gold", doc["plan"])
	for _, k := range []string{"email", "born", "age", "home", "tags", "nickname"} {
		v, _ := doc[k].(string)
		assert.True(t, shred.IsSealed(v), "%s sealed in place: %v", k, doc[k])
	}
	photo, err := base64.StdEncoding.DecodeString(doc["photo"].(string))
	require.NoError(t, err)
	assert.True(t, shred.IsSealed(string(photo)), "bytes are sealed, then written in base64 as encoding/json does")
	assert.True(t, shred.IsSealed(doc["referrer"].(map[string]any)["Name"].(string)))
	assert.Equal(t, "u-1", doc["referrer"].(map[string]any)["ID"])

	var out SignedUp
	require.NoError(t, s.Unmarshal(ctx, data, &out))
	assert.Equal(t, in, out)
}

func TestCodecAgreesWithSeal(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	in := newSignedUp()
	require.NoError(t, s.Seal(ctx, &in.Referrer))
	sealedName := in.Referrer.Name

	data, err := s.Marshal(ctx, in)
	require.NoError(t, err)
	assert.Contains(t, string(data), sealedName, "a value Seal sealed is kept as it is")

	var out SignedUp
	require.NoError(t, s.Unmarshal(ctx, data, &out))
	assert.Equal(t, "Charles", out.Referrer.Name)

	// And the other way: a string sealed by Marshal opens with Open.
	u := newUser("u-3")
	data, err = s.Marshal(ctx, u)
	require.NoError(t, err)
	var raw User
	require.NoError(t, json.Unmarshal(data, &raw))
	require.True(t, shred.IsSealed(raw.Email))
	require.NoError(t, s.Open(ctx, &raw))
	assert.Equal(t, *u, raw)
}

func TestCodecAfterErasure(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	data, err := s.Marshal(ctx, newSignedUp())
	require.NoError(t, err)
	require.NoError(t, s.Erase(ctx, "u-9"))

	var out SignedUp
	err = s.Unmarshal(ctx, data, &out)
	require.ErrorIs(t, err, shred.ErrErased)
	var erased interface{ Erased() bool }
	require.ErrorAs(t, err, &erased)
	assert.True(t, erased.Erased())

	assert.Equal(t, "u-9", out.UserID)
	assert.Equal(t, "", out.Email)
	assert.True(t, out.Born.IsZero())
	assert.Equal(t, 0, out.Age)
	assert.Equal(t, Address{}, out.Home)
	assert.Nil(t, out.Tags)
	require.NotNil(t, out.Nickname)
	assert.Equal(t, "someone", *out.Nickname, "replace= applies")
	assert.Equal(t, "GB", out.Country)
	assert.Equal(t, "gold", out.Plan)
	assert.Equal(t, "Charles", out.Referrer.Name, "another subject's fields open")
}

func TestCodecNestedCollections(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	type Ledger struct {
		Owner  string `pii:"subject"`
		Orders []Order
		ByKey  map[int]Note
	}
	in := Ledger{
		Owner: "o-1",
		Orders: []Order{{Customer: "c-1", Shipping: Address{Street: "1 Main St"}, Gift: &Recipient{ID: "c-2", Name: "Grace"},
			Extra: Note{Text: "behind an interface"}}},
		ByKey: map[int]Note{7: {Text: "seven"}},
	}
	data, err := s.Marshal(ctx, &in)
	require.NoError(t, err)
	for _, secret := range []string{"Main St", "Grace", "seven", "behind an interface"} {
		assert.NotContains(t, string(data), secret)
	}
	require.NoError(t, s.Erase(ctx, "c-2"))
	var out Ledger
	err = s.Unmarshal(ctx, data, &out)
	require.ErrorIs(t, err, shred.ErrErased)
	assert.Equal(t, "1 Main St", out.Orders[0].Shipping.Street, "c-1's key")
	assert.Equal(t, "", out.Orders[0].Gift.Name, "c-2 is erased")
	assert.Equal(t, "seven", out.ByKey[7].Text, "the owner's key")
}

func TestCodecEmbeddedStructs(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	type Base struct {
		ID    string `json:"id" pii:"subject"`
		Email string `json:"email" pii:"email"`
	}
	type Profile struct {
		Base
		Plan string `json:"plan"`
	}
	in := Profile{Base: Base{ID: "p-1", Email: "p@example.org"}, Plan: "gold"}
	data, err := s.Marshal(ctx, in)
	require.NoError(t, err)
	assert.NotContains(t, string(data), "p@example.org")
	assert.Contains(t, string(data), `"id":"p-1"`, "embedded fields are promoted, as encoding/json does")
	var out Profile
	require.NoError(t, s.Unmarshal(ctx, data, &out))
	assert.Equal(t, in, out)

	// As Go promotes an embedded struct's fields, pii promotes its subject:
	// it covers the fields of the struct that embeds it. Marshal and Seal
	// agree, and a subject of the embedding struct's own would win.
	type Bio struct {
		Base
		About string `json:"about" pii:"user.content"`
	}
	b := Bio{Base: Base{ID: "p-1"}, About: "hello"}
	data, err = s.Marshal(ctx, b)
	require.NoError(t, err)
	assert.NotContains(t, string(data), "hello")
	require.NoError(t, s.Seal(ctx, &b))
	assert.True(t, shred.IsSealed(b.About))
	var back Bio
	require.NoError(t, s.Unmarshal(ctx, data, &back))
	assert.Equal(t, "hello", back.About)
	require.NoError(t, s.Erase(ctx, "p-1"))
	require.ErrorIs(t, s.Open(ctx, &b), shred.ErrErased, "the promoted subject's key sealed it")
	assert.Empty(t, b.About)
}

func TestCodecErrors(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())

	type Orphan struct {
		Born time.Time `pii:"dob"`
	}
	_, err := s.Marshal(ctx, Orphan{Born: time.Now()})
	require.ErrorIs(t, err, shred.ErrNoSubject)
	assert.ErrorContains(t, err, "shred_test.Orphan.Born")

	_, err = s.Marshal(ctx, selfMarshaler{ID: "x", Email: "x@example.org"})
	assert.ErrorContains(t, err, "marshals itself")

	require.NoError(t, s.Erase(ctx, "u-9"))
	_, err = s.Marshal(ctx, newSignedUp())
	assert.ErrorIs(t, err, shred.ErrErased, "nothing is sealed for an erased subject")

	var out SignedUp
	assert.Error(t, s.Unmarshal(ctx, []byte(`{"email": `), &out))
	assert.Error(t, s.Unmarshal(ctx, []byte(`{}`), out), "a non-pointer is refused")
}

func TestCodecTamperedValue(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	in := newSignedUp()
	data, err := s.Marshal(ctx, in)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(data, &doc))
	doc["age"], doc["email"] = doc["email"], doc["age"] // swap two fields' ciphertexts
	swapped, err := json.Marshal(doc)
	require.NoError(t, err)

	var out SignedUp
	err = s.Unmarshal(ctx, swapped, &out)
	require.ErrorIs(t, err, shred.ErrCiphertext)
	var many shred.FieldErrors
	require.ErrorAs(t, err, &many)
	assert.Len(t, many, 2)
	assert.False(t, many.Erased())
	assert.Equal(t, 0, out.Age)
	assert.Equal(t, "ada@example.org", in.Email)
	assert.True(t, shred.IsSealed(out.Email), "a string that does not open stays sealed")
}

type selfMarshaler struct {
	ID    string `pii:"subject"`
	Email string `pii:"email"`
}

func (m selfMarshaler) MarshalJSON() ([]byte, error) { return []byte(`{}`), nil }

// CustomerID is a typed subject ID whose JSON form carries a prefix.
type CustomerID string

func (id CustomerID) MarshalText() ([]byte, error) { return []byte("cus_" + string(id)), nil }

func (id *CustomerID) UnmarshalText(b []byte) error {
	s, ok := strings.CutPrefix(string(b), "cus_")
	if !ok {
		return errors.New("customer ID without its prefix")
	}
	*id = CustomerID(s)
	return nil
}

type CustomerJoined struct {
	ID    CustomerID `pii:"subject" json:"id"`
	Email string     `pii:"email" json:"email"`
}

// OneWayID marshals itself but cannot be decoded back.
type OneWayID string

func (id OneWayID) MarshalText() ([]byte, error) { return []byte("one_" + string(id)), nil }

type OneWayJoined struct {
	ID    OneWayID `pii:"subject" json:"id"`
	Email string   `pii:"email" json:"email"`
}

type QuotedSubject struct {
	ID    string `pii:"subject" json:"id,string"`
	Email string `pii:"email" json:"email"`
}

func TestCodecSealsUnderTheGoSubjectIDNotItsJSONForm(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	data, err := s.Marshal(ctx, &CustomerJoined{ID: "42", Email: "ada@example.org"})
	require.NoError(t, err)
	require.Contains(t, string(data), `"id":"cus_42"`)

	var back CustomerJoined
	require.NoError(t, s.Unmarshal(ctx, data, &back))
	assert.Equal(t, CustomerJoined{ID: "42", Email: "ada@example.org"}, back)

	require.NoError(t, s.Erase(ctx, "42"))
	back = CustomerJoined{}
	err = s.Unmarshal(ctx, data, &back)
	require.ErrorIs(t, err, shred.ErrErased, "the key of subject 42 is gone")
	assert.Empty(t, back.Email)
	erased, err := s.Erased(ctx, "cus_42")
	require.NoError(t, err)
	assert.False(t, erased, "no key was ever made for the JSON form")
}

func TestCodecSealsUnderAQuotedSubjectID(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	data, err := s.Marshal(ctx, &QuotedSubject{ID: "7", Email: "ada@example.org"})
	require.NoError(t, err)
	require.NoError(t, s.Erase(ctx, "7"))
	var back QuotedSubject
	require.ErrorIs(t, s.Unmarshal(ctx, data, &back), shred.ErrErased)
	assert.Equal(t, "7", back.ID)
	assert.Empty(t, back.Email)
}

func TestCodecRefusesASubjectTypeThatDoesNotDecodeBack(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	_, err := s.Marshal(ctx, &OneWayJoined{ID: "42", Email: "ada@example.org"})
	require.ErrorIs(t, err, shred.ErrNoSubject)
	var fe *shred.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Contains(t, fe.Field, "ID")
}

// Quirky has a json tag that encoding/json ignores, so its field is keyed
// by its Go name.
type Quirky struct {
	ID    string `pii:"subject" json:"id"`
	Email string `pii:"email" json:"user's email"`
}

func TestCodecSealsAFieldWhoseJSONTagNameIsInvalid(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	data, err := s.Marshal(ctx, &Quirky{ID: "q-1", Email: "ada@example.org"})
	require.NoError(t, err)
	assert.NotContains(t, string(data), "ada@")
	var members map[string]string
	require.NoError(t, json.Unmarshal(data, &members))
	assert.True(t, shred.IsSealed(members["Email"]), "keyed by the Go name, as encoding/json does")

	var back Quirky
	require.NoError(t, s.Unmarshal(ctx, data, &back))
	assert.Equal(t, "ada@example.org", back.Email)
}

// Self-marshalling containers of personal data, which the codec cannot
// look into.
type (
	MemberList    []Recipient
	MemberMap     map[string]Recipient
	MemberArray   [1]Recipient
	MemberPtrList []*Recipient
	Team          struct {
		Name    string      `json:"name"`
		Members *MemberList `json:"members"`
	}
	Roster struct {
		Teams map[string][]MemberArray `json:"teams"`
	}
	Tags []string // marshals itself, holds nothing personal
)

func (l MemberList) MarshalJSON() ([]byte, error)     { return json.Marshal([]Recipient(l)) }
func (m *MemberMap) MarshalJSON() ([]byte, error)     { return json.Marshal(map[string]Recipient(*m)) }
func (a MemberArray) MarshalText() ([]byte, error)    { return []byte(a[0].ID + " " + a[0].Name), nil }
func (l *MemberPtrList) MarshalText() ([]byte, error) { return []byte(fmt.Sprint(len(*l))), nil }
func (t Tags) MarshalJSON() ([]byte, error)           { return json.Marshal(strings.Join(t, ",")) }

// TestCodecRefusesSelfMarshallingContainers: a type that may hold personal
// data and marshals itself (json.Marshaler or encoding.TextMarshaler, with
// a value or pointer receiver) is refused, naming it, at any depth and in
// both directions; Marshal never lets its JSON through in clear.
func TestCodecRefusesSelfMarshallingContainers(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t, shred.NewMemoryStore())
	ada := Recipient{ID: "u-1", Name: "Ada Lovelace"}
	list := MemberList{ada}
	for _, c := range []struct {
		typ  string
		v    any
		into any
	}{
		{"shred_test.MemberList", list, new(MemberList)},
		{"shred_test.MemberMap", &MemberMap{"a": ada}, new(MemberMap)},
		{"shred_test.MemberArray", MemberArray{ada}, new(MemberArray)},
		{"shred_test.MemberPtrList", &MemberPtrList{&ada}, new(MemberPtrList)},
		{"shred_test.MemberList", &list, new(*MemberList)},
		{"shred_test.MemberList", Team{Name: "core", Members: &list}, new(Team)},
		{"shred_test.MemberList", Team{Name: "core"}, new(Team)},
		{"shred_test.MemberArray", Roster{Teams: map[string][]MemberArray{"core": {{ada}}}}, new(Roster)},
		{"shred_test.MemberList", []any{list}, nil},
	} {
		out, err := s.Marshal(ctx, c.v)
		require.ErrorIs(t, err, shred.ErrSelfMarshaling, "%T", c.v)
		assert.ErrorContains(t, err, c.typ, "%T", c.v)
		assert.Nil(t, out)
		if c.into != nil {
			err = s.Unmarshal(ctx, []byte(`null`), c.into)
			assert.ErrorIs(t, err, shred.ErrSelfMarshaling, "unmarshal %T", c.into)
			assert.ErrorContains(t, err, c.typ, "unmarshal %T", c.into)
		}
	}

	out, err := s.Marshal(ctx, struct{ T Tags }{Tags{"a", "b"}})
	require.NoError(t, err, "a self-marshalling type that holds nothing personal")
	assert.JSONEq(t, `{"T":"a,b"}`, string(out))
}
