package audit

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// entryFrom builds an entry from fuzz input; reasons are split at '|'.
func entryFrom(at int64, kind, subject, purpose, outcome, reasons, actor, ref string) Entry {
	e := Entry{At: time.UnixMicro(at), Kind: Kind(kind), Subject: subject, Purpose: purpose,
		Outcome: Outcome(outcome), Actor: actor, Ref: ref}
	if reasons != "" {
		e.Reasons = strings.Split(reasons, "|")
	}
	return e
}

func sameContent(a, b Entry) bool {
	return a.At.Equal(b.At) && a.Kind == b.Kind && a.Subject == b.Subject && a.Purpose == b.Purpose &&
		a.Outcome == b.Outcome && slices.Equal(a.Reasons, b.Reasons) && a.Actor == b.Actor && a.Ref == b.Ref
}

// FuzzCanonicalEncoding: two entries share an encoding only when they have
// the same content, so no edit can keep an entry's hash.
func FuzzCanonicalEncoding(f *testing.F) {
	f.Add(int64(0), "guard.decision", "tok", "newsletter", "denied", "a|b", "svc", "", "guard.decision", "tok", "newsletter", "denied", "a|b", "svc", "")
	f.Add(int64(5), "a", "bc", "", "x", "", "", "", "ab", "c", "", "x", "", "", "")
	f.Add(int64(-1), "k", "", "", "o", "r1|r2", "", "", "k", "", "", "o", "r1r2", "", "")
	f.Fuzz(func(t *testing.T, at int64, k1, s1, p1, o1, r1, a1, f1, k2, s2, p2, o2, r2, a2, f2 string) {
		e1 := entryFrom(at, k1, s1, p1, o1, r1, a1, f1)
		e2 := entryFrom(at, k2, s2, p2, o2, r2, a2, f2)
		same := bytes.Equal(e1.canonical(nil), e2.canonical(nil))
		assert.Equal(t, sameContent(e1, e2), same, "%+v\n%+v", e1, e2)
		if !same {
			assert.NotEqual(t, e1.digest(), e2.digest())
		}
	})
}

func TestDigestCoversEveryField(t *testing.T) {
	base := entryFrom(1, "k", "s", "p", "o", "r", "a", "f")
	h := base.digest()
	edits := []func(*Entry){
		func(e *Entry) { e.At = e.At.Add(time.Microsecond) },
		func(e *Entry) { e.Kind = "k2" },
		func(e *Entry) { e.Subject = "s2" },
		func(e *Entry) { e.Purpose = "p2" },
		func(e *Entry) { e.Outcome = "o2" },
		func(e *Entry) { e.Reasons = []string{"r", "r"} },
		func(e *Entry) { e.Reasons = nil },
		func(e *Entry) { e.Actor = "a2" },
		func(e *Entry) { e.Ref = "f2" },
		func(e *Entry) { e.Prev[0] = 1 },
	}
	for i, edit := range edits {
		e := base
		edit(&e)
		assert.NotEqual(t, h, e.digest(), "edit %d", i)
	}
	e := base
	e.Seq = 99
	assert.Equal(t, h, e.digest(), "the sequence number is fixed by the chain, not the hash")

	var back Hash
	require.NoError(t, back.UnmarshalText([]byte(h.String())))
	assert.Equal(t, h, back)
	assert.Error(t, back.UnmarshalText([]byte("abc")))
}
