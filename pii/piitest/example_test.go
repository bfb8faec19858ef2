package piitest_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tink-crypto/tink-go/v2/aead"
	"github.com/tink-crypto/tink-go/v2/keyset"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/piitest"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// Member is the examples' record of a person.
type Member struct {
	ID    string `pii:"subject"`
	Name  string `pii:"name"`
	Email string `pii:"email,redact=mask"`
	Plan  string
}

// reporter stands in for the *testing.T a test would pass. It prints the
// message of a failure, without testify's trace of where it happened.
type reporter struct{ testing.TB }

func (reporter) Helper()      {}
func (reporter) Name() string { return "Example" }

// label matches the start of a section of testify's failure layout.
var label = regexp.MustCompile(`^\t([A-Z][A-Za-z ]*):\s*\t`)

func (reporter) Errorf(format string, args ...any) {
	inError := false
	for _, line := range strings.Split(fmt.Sprintf(format, args...), "\n") {
		if m := label.FindStringSubmatch(line); m != nil {
			inError = m[1] == "Error"
			line = line[len(m[0]):]
		} else if inError {
			line = strings.TrimLeft(line, "\t ")
			line = "    " + line
		}
		if inError {
			fmt.Println(line)
		}
	}
}

// newLogger returns a JSON logger without timestamps, for stable output.
func newLogger(buf *bytes.Buffer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	}))
}

func ExampleNoPersonalValues() {
	var t reporter // in a test: the *testing.T
	m := Member{ID: "m-7", Name: "Ada Lovelace", Email: "ada@example.org", Plan: "gold"}

	var logs bytes.Buffer
	newLogger(&logs).Info("signed up", "member", pii.Redact(m))
	fmt.Println(piitest.NoPersonalValues(t, logs.String(), m))

	logs.Reset()
	newLogger(&logs).Info("signed up", "email", m.Email) //piicheck:ignore the leak the assertion catches
	fmt.Println(piitest.NoPersonalValues(t, logs.Bytes(), m))
	// Output:
	// true
	// output holds 1 personal value of piitest_test.Member:
	//     Member.Email (user.contact.email) at byte 43: ...g":"signed up","email":"a**@e******.org"}\n
	// false
}

func ExampleNoDetectedPII() {
	var t reporter
	piitest.NoDetectedPII(t, `level=INFO msg="listening" addr=127.0.0.1:8080`)
	piitest.NoDetectedPII(t, `level=WARN msg="bounce" to=grace@example.net`)
	// Output:
	// output holds 1 piece of personal data:
	//     email (user.contact.email) at byte 27: ...el=WARN msg="bounce" to=g****@e******.net
}

func ExampleSealed() {
	var t reporter
	ctx := context.Background()
	kekHandle, _ := keyset.NewHandle(aead.AES256GCMKeyTemplate())
	kek, _ := aead.New(kekHandle) // in production: a KMS key
	shredder, err := shred.New(shred.ShredderConfig{Store: shred.NewMemoryStore(), KEK: kek, KEKID: "example", Now: time.Now})
	if err != nil {
		fmt.Println(err)
		return
	}

	m := Member{ID: "m-7", Name: "Ada Lovelace", Email: "ada@example.org", Plan: "gold"}
	piitest.Sealed(t, m)
	if err := shredder.Seal(ctx, &m); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(piitest.Sealed(t, m))
	// Output:
	// piitest_test.Member is not sealed:
	//     Member.Name (user.name) holds clear text "*** ********"
	//     Member.Email (user.contact.email) holds clear text "a**@e******.org"
	// true
}

func ExampleRedacted() {
	var t reporter
	fmt.Println(piitest.Redacted(t, Member{ID: "m-7", Name: "Ada Lovelace", Email: "ada@example.org", Plan: "gold"}))
	// Output: true
}

func ExamplePersonalFieldsTagged() {
	var t reporter
	type Signup struct {
		Member   Member
		Phone    string //piicheck:ignore untagged to show the report
		Referrer string
		HostName string
	}
	piitest.PersonalFieldsTagged(t, Signup{})
	fmt.Println(piitest.PersonalFieldsTagged(t, Member{}))
	// Output:
	// piitest_test.Signup has 1 personal-looking field without a pii tag:
	//     field Signup.Phone looks personal (phone) but has no pii tag: tag it pii:"phone", or pii:"-" if it holds no personal data
	// true
}
