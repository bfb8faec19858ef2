package piitest

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/pii"
)

// records is how many log lines the scale test and the benchmarks write:
// a million with GDPRKIT_LONG=1, ten thousand otherwise.
func records() int {
	if os.Getenv("GDPRKIT_LONG") == "1" {
		return 1_000_000
	}
	return 10_000
}

// redactedLog returns n JSON log lines of users logged through pii.Redact:
// no clear personal value, but many masked ones and ordinary fields.
func redactedLog(tb testing.TB, n int) string {
	tb.Helper()
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, noTime))
	for i := range n {
		u := User{ID: fmt.Sprintf("u-%d", i), Email: fmt.Sprintf("user%d@example.org", i), Name: "Someone Else",
			Phone: "+44 20 7946 0000", Plan: "analytical-engine"}
		log.Info("signed up", "user", pii.Redact(u), "attempt", i)
	}
	return buf.String()
}

func TestNoPersonalValuesAtScale(t *testing.T) {
	n := records()
	logs := redactedLog(t, n)
	u := ada()
	r := &recorder{}
	require.True(t, NoPersonalValues(r, logs, u), "a redacted log of %d lines holds none of Ada's values: %v", n, r.failures)

	leaked := logs + `{"msg":"oops","email":"ada@example.org"}` + "\n"
	assert.False(t, NoPersonalValues(r, leaked, u))
	assert.Contains(t, r.failed(t), fmt.Sprintf("User.Email (user.contact.email) at byte %d", len(logs)+23))
}

// BenchmarkNoPersonalValues compares the assertion with the hand-written
// ideal: strings.Contains for each raw value, without other forms, case
// folding or reporting.
func BenchmarkNoPersonalValues(b *testing.B) {
	logs := redactedLog(b, records())
	u := ada()
	b.Run("piitest", func(b *testing.B) {
		b.SetBytes(int64(len(logs)))
		b.ReportAllocs()
		for b.Loop() {
			if !NoPersonalValues(b, logs, u) {
				b.Fatal("unexpected failure")
			}
		}
	})
	b.Run("handwritten", func(b *testing.B) {
		values := []string{u.Email, u.Name, u.Phone, string(u.Avatar), u.Contacts[0].Address}
		b.SetBytes(int64(len(logs)))
		b.ReportAllocs()
		for b.Loop() {
			for _, v := range values {
				if strings.Contains(logs, v) {
					b.Fatal("unexpected leak")
				}
			}
		}
	})
}
