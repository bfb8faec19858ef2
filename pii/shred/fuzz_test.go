package shred

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzParseCiphertext feeds the ciphertext parser arbitrary text: it must
// never panic, must accept exactly what IsSealed accepts, and must give
// back the bytes that encoding produced.
func FuzzParseCiphertext(f *testing.F) {
	raw := append([]byte{1, 0, 0, 0, 7}, bytes.Repeat([]byte{0xab}, 40)...)
	f.Add(string(appendSealed(nil, raw)))
	f.Add("gk1.")
	f.Add("gk1.AQ")
	f.Add("gk1.AQAAAAerq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6ur==")
	f.Add("gk1.!!!!")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		got, id, err := parseCiphertext(nil, s)
		if looksSealed(s) != (err == nil) {
			t.Fatalf("IsSealed %v but parse error %v for %q", looksSealed(s), err, s)
		}
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v is not ErrMalformed", err)
			}
			return
		}
		if len(got) < minRawLen || got[0] != 1 {
			t.Fatalf("parsed %x from %q", got, s)
		}
		if id != uint32(got[1])<<24|uint32(got[2])<<16|uint32(got[3])<<8|uint32(got[4]) {
			t.Fatalf("key ID %d does not match %x", id, got[1:5])
		}
		again, _, err := parseCiphertext(nil, appendSealed(nil, got))
		if err != nil || !bytes.Equal(again, got) {
			t.Fatalf("re-encoding %x does not parse back: %v", got, err)
		}
	})
}
