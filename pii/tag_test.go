package pii_test

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTag(t *testing.T) {
	cases := map[string]pii.Tag{
		"-":                        {Skip: true},
		"subject":                  {Subject: true},
		"subject,group=recipient":  {Subject: true, Group: "recipient"},
		"email":                    {Category: pii.Email},
		"user.contact.email":       {Category: pii.Email},
		"phone,redact=last4":       {Category: pii.Phone, Redact: pii.Last4, RedactSet: true},
		"name,replace=Former user": {Category: pii.Name, Replace: "Former user"},
		"ip,plain,origin=observed": {Category: pii.IPAddress, Plain: true, Origin: pii.Observed},
		"health,group=patient":     {Category: pii.Health, Group: "patient"},
	}
	for text, want := range cases {
		got, err := pii.ParseTag(text)
		require.NoError(t, err, text)
		assert.Equal(t, want, got, text)
		again, err := pii.ParseTag(got.String())
		require.NoError(t, err, "String() of %q reparses", text)
		assert.Equal(t, got, again)
	}
}

func TestParseTagErrors(t *testing.T) {
	cases := map[string]string{
		"":                              "empty tag",
		"emial":                         `unknown category "emial"`,
		"email,colour=red":              `unknown option "colour"`,
		"email,phone":                   `second category "phone"`,
		"email,redact=blur":             `unknown redaction style "blur"`,
		"email,origin=guessed":          `unknown origin "guessed"`,
		"email,plain=yes":               `option "plain" takes no value`,
		"email,group":                   `option "group" needs a value`,
		"email,group=":                  "group= needs a name",
		"email,redact=mask,redact=full": `option "redact" given twice`,
		"-,email":                       `"-" takes no options`,
		"redact=mask":                   "first element",
		"subject,plain":                 "subject takes no plain option",
		"email,":                        "empty option",
	}
	for text, want := range cases {
		_, err := pii.ParseTag(text)
		assert.ErrorContains(t, err, want, "tag %q", text)
	}
}

func TestSchemaErrorsNameTypeFieldAndFault(t *testing.T) {
	type twoSubjects struct {
		A string `pii:"subject"`
		B string `pii:"subject"`
	}
	type intSubject struct {
		ID int `pii:"subject"`
	}
	type badCategory struct {
		X string `pii:"favourite_colour"`
	}
	type nested struct {
		Inner badCategory
	}
	type hidden struct {
		email string `pii:"email"`
	}
	cases := []struct {
		v    any
		want string
	}{
		{twoSubjects{}, `pii_test.twoSubjects.B: tag "subject": second subject in group ""`},
		{intSubject{}, "pii_test.intSubject.ID: tag \"subject\": subject must be a string field, not int"},
		{badCategory{}, `pii_test.badCategory.X: tag "favourite_colour": unknown category "favourite_colour"`},
		{nested{}, `pii_test.badCategory.X`},
		{hidden{}, `pii_test.hidden.email: tag "email": unexported fields cannot be read`},
	}
	for _, c := range cases {
		err := pii.Check(c.v)
		require.Error(t, err)
		assert.ErrorContains(t, err, c.want)
		assert.True(t, errors.Is(err, pii.ErrInvalidTag), "errors.Is ErrInvalidTag: %v", err)
		var te *pii.TagError
		assert.True(t, errors.As(err, &te))
		again := pii.Check(c.v)
		assert.Equal(t, err, again, "the error is reported every time the type is asked for")
	}
	type twoGroups struct {
		From string `pii:"subject,group=sender"`
		To   string `pii:"subject,group=recipient"`
		Body string `pii:"content,group=sender"`
	}
	assert.NoError(t, pii.Check(twoGroups{}), "one subject per group is fine")
}

func TestSchemaShapes(t *testing.T) {
	type Leaf struct {
		Email string `pii:"email"`
	}
	type Plain struct {
		N int
		S string
	}
	type Base struct {
		Phone string `pii:"phone"`
	}
	type Shapes struct {
		Base
		ID     string `pii:"subject"`
		Ptr    *Leaf
		Slice  []Leaf
		Array  [2]*Leaf
		Map    map[string][]Leaf
		Any    any
		Plain  Plain
		Times  []int
		hidden Plain  // unexported, and nothing personal behind it
		OK     string `pii:"-"`
	}
	s, err := pii.SchemaOf(reflect.TypeFor[Shapes]())
	require.NoError(t, err)
	assert.True(t, s.Personal())
	assert.ElementsMatch(t, []pii.Category{pii.Phone, pii.Email}, s.Categories())
	f, ok := s.Field("ID")
	require.True(t, ok)
	assert.True(t, f.Subject())
	_, ok = s.Field("OK")
	assert.False(t, ok, `pii:"-" is not personal`)

	plain, err := pii.SchemaOf(reflect.TypeFor[Plain]())
	require.NoError(t, err)
	assert.False(t, plain.Personal())

	assert.True(t, pii.MayHold(reflect.TypeFor[map[string][]*Shapes]()))
	assert.True(t, pii.MayHold(reflect.TypeFor[[]any]()), "an interface may hold anything")
	assert.False(t, pii.MayHold(reflect.TypeFor[[]Plain]()))
	assert.False(t, pii.MayHold(reflect.TypeFor[string]()))

	again, err := pii.SchemaFor[*Shapes]()
	require.NoError(t, err)
	assert.Same(t, s, again, "schemas are cached; a pointer type shares its struct's schema")
}

func TestRecursiveTypes(t *testing.T) {
	type B struct {
		Email string `pii:"email"`
	}
	type A struct {
		Self *A
		Kids []A
		B    *B
	}
	s, err := pii.SchemaFor[A]()
	require.NoError(t, err)
	assert.True(t, s.Personal(), "personal data reached through a recursive type")

	type Lonely struct {
		Next *Lonely
		N    int
	}
	l, err := pii.SchemaFor[Lonely]()
	require.NoError(t, err)
	assert.False(t, l.Personal())
}

type generated struct {
	UserID string
	Mail   string
	Score  int
}

func TestRegister(t *testing.T) {
	require.NoError(t, pii.Register[generated](map[string]string{
		"UserID": "subject",
		"Mail":   "email,redact=mask",
	}))
	s, err := pii.SchemaFor[generated]()
	require.NoError(t, err)
	f, ok := s.Field("Mail")
	require.True(t, ok)
	assert.Equal(t, pii.Email, f.Category())
	assert.True(t, s.Tagged("Mail"))
	assert.True(t, s.Tagged("UserID"))
	assert.False(t, s.Tagged("Score"))
	assert.Equal(t, "{UserID:u1 Mail:***@example.org Score:7}", fmt.Sprintf("%+v", pii.Redact(generated{"u1", "bob@example.org", 7})))

	err = pii.Register[generated](map[string]string{"Mail": "email"})
	assert.ErrorContains(t, err, "already built", "registering after first use is refused")

	type other struct{ A string }
	err = pii.Register[other](map[string]string{"Nope": "email"})
	assert.ErrorContains(t, err, "no such field")

	type badReg struct{ A string }
	require.NoError(t, pii.Register[badReg](map[string]string{"A": "bogus"}))
	assert.ErrorContains(t, pii.Check(badReg{}), `unknown category "bogus"`)
}

func TestRegisterCategory(t *testing.T) {
	require.NoError(t, pii.RegisterCategory(pii.CategoryInfo{Key: "user.loyalty.tier", Aliases: []string{"loyalty"}, Title: "Loyalty tier"}))
	tag, err := pii.ParseTag("loyalty")
	require.NoError(t, err)
	assert.Equal(t, pii.Category("user.loyalty.tier"), tag.Category)
	assert.Equal(t, "Loyalty tier", tag.Category.Title())
	assert.Error(t, pii.RegisterCategory(pii.CategoryInfo{Key: "user.loyalty.tier"}), "duplicate key")
	assert.Error(t, pii.RegisterCategory(pii.CategoryInfo{Key: "user.x", Aliases: []string{"email"}}), "alias taken")
	assert.Error(t, pii.RegisterCategory(pii.CategoryInfo{Key: "User Stuff"}), "malformed key")
}

func TestSpecialCategories(t *testing.T) {
	for _, c := range []pii.Category{pii.Health, pii.Genetic, pii.Biometric, pii.RacialEthnic, pii.Political, pii.Religious, pii.TradeUnion, pii.SexLife, pii.SexualOrient} {
		assert.Equal(t, pii.SpecialCategory, c.Sensitivity(), c)
		assert.True(t, c.Special())
	}
	assert.Equal(t, pii.CriminalOffence, pii.CriminalData.Sensitivity())
	assert.True(t, pii.CriminalData.Special())
	for _, c := range []pii.Category{pii.Email, pii.Name, pii.IPAddress, pii.Billing, pii.SocialMedia} {
		assert.False(t, c.Special(), c)
	}
	assert.True(t, pii.PostalCode.Within(pii.Address))
	assert.False(t, pii.Address.Within(pii.PostalCode))
	assert.False(t, pii.Category("user.contactx").Within("user.contact"))
}

// TestSentinelsArePrefixed checks that every sentinel names the package, as
// database/sql's do.
func TestSentinelsArePrefixed(t *testing.T) {
	for _, err := range []error{pii.ErrInvalidTag, pii.ErrTooDeep} {
		assert.Regexp(t, `^pii: `, err.Error())
	}
}
