package piitest

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// recorder is a fake testing.TB that records failures instead of failing
// the test. Only the methods the assertions call are implemented; calling
// any other panics on the nil embedded TB, which a test would notice.
type recorder struct {
	testing.TB
	failures []string
}

func (r *recorder) Helper()      {}
func (r *recorder) Name() string { return "TestFake" }

func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

// failed returns the one failure recorded, or "" with a test error when
// there is not exactly one.
func (r *recorder) failed(t *testing.T) string {
	t.Helper()
	if len(r.failures) != 1 {
		t.Errorf("want one failure recorded, got %d: %q", len(r.failures), r.failures)
		return ""
	}
	return r.failures[0]
}

// Contact is nested in User.
type Contact struct {
	Kind    string
	Address string `pii:"address"`
}

// User is the fixture most tests use.
type User struct {
	ID       string    `pii:"subject"`
	Email    string    `pii:"email"`
	Name     string    `pii:"name"`
	Phone    string    `pii:"phone"`
	Avatar   []byte    `pii:"biometric"`
	Born     time.Time `pii:"dob,plain"`
	Salary   int       `pii:"financial,plain"`
	Contacts []Contact
	Plan     string
}

const (
	adaEmail   = "ada@example.org"
	adaName    = "Ada Lovelace"
	adaPhone   = "+44 20 7946 0958"
	adaAddress = "12 St James's Square, London"
)

func ada() User {
	return User{
		ID:       "u-1815",
		Email:    adaEmail,
		Name:     adaName,
		Phone:    adaPhone,
		Avatar:   []byte("portrait-bytes"),
		Born:     time.Date(1815, 12, 10, 0, 0, 0, 0, time.UTC),
		Salary:   7654321,
		Contacts: []Contact{{Kind: "home", Address: adaAddress}},
		Plan:     "analytical-engine",
	}
}

// assertNoClearValues checks that a failure message leaks none of Ada's
// values: it must report them masked.
func assertNoClearValues(t *testing.T, msg string) {
	t.Helper()
	for _, v := range []string{adaEmail, adaName, adaPhone, adaAddress, "Lovelace", "example.org"} {
		if strings.Contains(strings.ToLower(msg), strings.ToLower(v)) {
			t.Errorf("failure message shows %q in clear:\n%s", v, msg)
		}
	}
}
