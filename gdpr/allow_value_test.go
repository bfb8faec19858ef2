package gdpr_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
)

// note holds the data of several subjects: its author's, a friend's
// (group=friend), a guest's with no subject field for its group, and
// contacts nested in a slice of pointers, a map and an interface, each with
// its own subject field.
type note struct {
	Author      string `pii:"subject"`
	Email       string `pii:"email"`
	Phone       string `pii:"phone"`
	Friend      string `pii:"subject,group=friend"`
	FriendEmail string `pii:"email,group=friend"`
	GuestEmail  string `pii:"email,group=guest"`
	Contacts    []*contact
	ByName      map[string]contact
	Extra       any
	Own         *ownEmail
	Plan        string
}

type contact struct {
	ID    string `pii:"subject"`
	Email string `pii:"email"`
	Name  string `pii:"name"`
	Phone string `pii:"phone"`
}

// ownEmail has no subject field: it is its enclosing struct's subject's.
type ownEmail struct {
	Email string `pii:"email"`
}

func newNote() *note {
	return &note{
		Author: "u1", Email: "u1@example.com", Phone: "+49 170 1",
		Friend: "f1", FriendEmail: "f1@example.com", GuestEmail: "guest@example.com",
		Contacts: []*contact{
			{ID: "c1", Email: "c1@example.com", Name: "Cee One", Phone: "+49 170 2"},
			{ID: "c2", Email: "c2@example.com", Name: "Cee Two"},
			{Email: "nobody@example.com"},
		},
		ByName: map[string]contact{"c1": {ID: "c1", Email: "c1@example.com"}, "c2": {ID: "c2", Email: "c2@example.com"}},
		Extra:  contact{ID: "c1", Email: "c1@example.com"},
		Own:    &ownEmail{Email: "u1+own@example.com"},
		Plan:   "pro",
	}
}

// TestAllowValueChecksEverySubject: AllowValue leaves in the view only the
// data of subjects the Guard allows: a withdrawn friend's (group=friend)
// and a withdrawn contact's fields are zeroed wherever the contact is
// nested, as are fields with no subject in scope; allowed subjects' data is
// kept, minimised to the purpose; the Decision is the author's; the
// caller's value, pointers and maps included, is unchanged.
func TestAllowValueChecksEverySubject(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, false)
	f.consent.set("u1", "newsletter", consent.Granted)
	f.consent.set("f1", "newsletter", consent.Withdrawn)
	f.consent.set("c1", "newsletter", consent.Withdrawn)
	f.consent.set("c2", "newsletter", consent.Granted)

	v := newNote()
	view, d, err := gdpr.AllowValue(ctx, f.guard, "newsletter", v)
	require.NoError(t, err)
	assert.True(t, d.Allowed)
	assert.Equal(t, gdpr.ReasonConsent, d.Reason, "the author's decision")

	assert.Equal(t, &note{
		Author: "u1", Email: "u1@example.com",
		Contacts: []*contact{{}, {ID: "c2", Email: "c2@example.com", Name: "Cee Two"}, {}},
		ByName:   map[string]contact{"c1": {}, "c2": {ID: "c2", Email: "c2@example.com"}},
		Extra:    contact{},
		Own:      &ownEmail{Email: "u1+own@example.com"},
		Plan:     "pro",
	}, view)
	assert.Equal(t, newNote(), v, "the caller's value is unchanged")

	var denials []string
	for _, e := range entries(t, f.journal) {
		if e.Outcome == audit.OutcomeDenied {
			denials = append(denials, e.Subject)
		}
	}
	assert.ElementsMatch(t, []string{f.journal.Token("f1"), f.journal.Token("c1")}, denials,
		"each other subject is asked once")
}

// TestAllowValueFailsWhenAnotherSubjectCannotBeDecided: a Guard that
// cannot decide about another subject in the value fails the call; one
// that denies them only clears their fields.
func TestAllowValueFailsWhenAnotherSubjectCannotBeDecided(t *testing.T) {
	ctx := context.Background()
	down := errors.New("contract store down")
	ms := gdpr.NewMemoryStore()
	g, err := gdpr.NewGuard(gdpr.GuardConfig{
		Register: newRegister(t, purposes()...), Consent: newConsentMap(), Objections: ms, Restrictions: ms,
		Contract: func(_ context.Context, subject, _ string) (bool, error) {
			switch subject {
			case "u1":
				return true, nil
			case "f2":
				return false, down
			}
			return false, nil
		},
	})
	require.NoError(t, err)

	view, d, err := gdpr.AllowValue(ctx, g, "billing", &note{Author: "u1", Email: "u1@example.com", Friend: "f1", FriendEmail: "f1@example.com"})
	require.NoError(t, err)
	assert.True(t, d.Allowed)
	assert.Equal(t, &note{Author: "u1", Email: "u1@example.com"}, view, "no contract with the friend")

	view, d, err = gdpr.AllowValue(ctx, g, "billing", &note{Author: "u1", Email: "u1@example.com", Friend: "f2", FriendEmail: "f2@example.com"})
	assert.ErrorIs(t, err, down)
	assert.False(t, d.Allowed)
	assert.Nil(t, view)
}
