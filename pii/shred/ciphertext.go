package shred

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
)

// The sealed form of a value is
//
//	"gk1." + base64url(ciphertext), unpadded
//
// where the ciphertext is what a Tink AEAD with the TINK output prefix
// produces: a version byte 0x01, the 4-byte ID of the key in the subject's
// keyset, a 12-byte nonce, the encrypted value and a 16-byte tag (AES-256-GCM).
// The "gk1." prefix names this format; a later format gets a new prefix.
const (
	sealedPrefix  = "gk1."
	tinkPrefixLen = 5 // 0x01 and a 4-byte key ID
	minRawLen     = tinkPrefixLen + 12 + 16
	tinkStartByte = 0x01
)

// b64 is strict: the spare low bits of the last character must be zero,
// so that every ciphertext has exactly one sealed form (line breaks, which
// even a strict decoder skips, are refused before decoding).
var b64 = base64.RawURLEncoding.Strict()

// IsSealed reports whether s has the form of a sealed value: the "gk1."
// prefix and a well-formed, long enough ciphertext. It does not decrypt, so
// it says nothing about which subject or field the value belongs to.
func IsSealed(s string) bool { return looksSealed(s) }

// looksSealed is IsSealed for strings and byte slices, without allocating.
func looksSealed[T ~string | ~[]byte](s T) bool {
	if !sealedShape(s) {
		return false
	}
	body := s[len(sealedPrefix):]
	for i := 0; i < len(body); i++ {
		if !b64Char[body[i]] {
			return false
		}
	}
	// As the strict decoder: the bits of the last character beyond the
	// last byte must be zero (n%4 is 2 or 3; sealedShape refuses 1).
	switch last := b64Value[body[len(body)-1]]; len(body) % 4 {
	case 2:
		return last&0x0f == 0
	case 3:
		return last&0x03 == 0
	}
	return true
}

// sealedShape checks the prefix, the length and the version byte (the
// first two characters "AQ".."AZ" and "Aa".."Af" encode 0x01; ASCII puts
// other characters between 'Z' and 'a'), not every character.
func sealedShape[T ~string | ~[]byte](s T) bool {
	if len(s) < len(sealedPrefix)+2 || string(s[:len(sealedPrefix)]) != sealedPrefix {
		return false
	}
	n := len(s) - len(sealedPrefix)
	c0, c1 := s[len(sealedPrefix)], s[len(sealedPrefix)+1]
	return n%4 != 1 && b64.DecodedLen(n) >= minRawLen && c0 == 'A' && (c1 >= 'Q' && c1 <= 'Z' || c1 >= 'a' && c1 <= 'f')
}

// hasSealedPrefix reports whether s starts with the sealed prefix.
func hasSealedPrefix[T ~string | ~[]byte](s T) bool {
	return len(s) >= len(sealedPrefix) && string(s[:len(sealedPrefix)]) == sealedPrefix
}

func hasNewline[T ~string | ~[]byte](s T) bool {
	switch v := any(s).(type) {
	case string:
		return strings.IndexByte(v, '\n') >= 0 || strings.IndexByte(v, '\r') >= 0
	case []byte:
		return bytes.IndexByte(v, '\n') >= 0 || bytes.IndexByte(v, '\r') >= 0
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' || s[i] == '\r' {
			return true
		}
	}
	return false
}

const b64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

var b64Char = func() (t [256]bool) {
	for _, c := range []byte(b64Alphabet) {
		t[c] = true
	}
	return t
}()

// b64Value is the 6-bit value of each base64url character.
var b64Value = func() (t [256]byte) {
	for i, c := range []byte(b64Alphabet) {
		t[c] = byte(i)
	}
	return t
}()

// parseCiphertext decodes a sealed value into dst (reused) and returns the
// raw Tink ciphertext and the ID of the key that sealed it.
func parseCiphertext[T ~string | ~[]byte](dst []byte, s T) ([]byte, uint32, error) {
	if !sealedShape(s) {
		return dst[:0], 0, fmt.Errorf("%w: not of the form gk1.<base64url>", ErrMalformed)
	}
	body := s[len(sealedPrefix):]
	if hasNewline(body) { // which the base64 decoder would skip
		return dst[:0], 0, fmt.Errorf("%w: line break in the ciphertext", ErrMalformed)
	}
	n := b64.DecodedLen(len(body))
	if cap(dst) < n {
		dst = make([]byte, n)
	}
	dst = dst[:n]
	out, err := b64.Decode(dst, []byte(body)) // the conversion does not copy
	if err != nil {
		return dst[:0], 0, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	dst = dst[:out]
	if len(dst) < minRawLen || dst[0] != tinkStartByte {
		return dst[:0], 0, fmt.Errorf("%w: too short or wrong version", ErrMalformed)
	}
	return dst, binary.BigEndian.Uint32(dst[1:tinkPrefixLen]), nil
}

// appendSealed appends the sealed text form of a raw Tink ciphertext.
func appendSealed(dst, raw []byte) []byte {
	dst = append(dst, sealedPrefix...)
	return b64.AppendEncode(dst, raw)
}

// appendFieldAD appends the associated data that binds a sealed value to
// its namespace, subject and field: a format tag and the three names, each
// length-prefixed so that no two triples give the same bytes.
func appendFieldAD(dst []byte, namespace, subject, field string) []byte {
	dst = append(dst, "gk1\x00"...)
	dst = appendLP(dst, namespace)
	dst = appendLP(dst, subject)
	return appendLP(dst, field)
}

// wrapAD is the associated data a subject's keyset is wrapped with: the
// namespace and the subject's reference (the row it belongs in), so a
// wrapped key copied into another row does not unwrap.
func wrapAD(namespace, ref string) []byte {
	dst := make([]byte, 0, 32+len(namespace)+len(ref))
	dst = append(dst, "gdprkit/shred/key\x00"...)
	dst = appendLP(dst, namespace)
	return appendLP(dst, ref)
}

func appendLP(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}
