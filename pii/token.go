package pii

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/tink-crypto/tink-go/v2/keyset"
	"github.com/tink-crypto/tink-go/v2/prf"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// TokenBytes is the number of PRF output bytes in a token: 128 bits.
const TokenBytes = 16

// TokenLen is the length of a token: TokenBytes in unpadded base64url.
const TokenLen = 22

// Tokenizer turns personal values into pseudonymous tokens: a keyed
// HMAC-SHA256 (a Tink PRF) over the normalised value and its category, cut to
// 128 bits and written as 22 characters of unpadded base64url.
//
// Equal inputs give equal tokens in every service that holds the same key,
// so records can be joined without the value; without the key a token
// reveals nothing and cannot be recomputed from a guess. A token is still
// personal data (pseudonymised, Recital 26): erase the key, or the token
// with the record, when the data must go.
//
// Normalisation: Unicode NFKC and trimmed space for every category; case
// folding for e-mail addresses; for phone numbers, only '+' and digits are
// kept.
type Tokenizer struct {
	prf *prf.Set
}

// NewTokenKey creates a new HMAC-SHA256 PRF keyset for a Tokenizer. Keep it
// as you keep other keys: wrapped by a key-encryption key (keyset.Write).
func NewTokenKey() (*keyset.Handle, error) {
	return keyset.NewHandle(prf.HMACSHA256PRFKeyTemplate())
}

// NewTokenizer returns a Tokenizer keyed by a Tink PRF keyset (see
// NewTokenKey). The keyset's primary key computes tokens.
func NewTokenizer(h *keyset.Handle) (*Tokenizer, error) {
	if h == nil {
		return nil, errors.New("pii: NewTokenizer: nil keyset handle")
	}
	set, err := prf.NewPRFSet(h)
	if err != nil {
		return nil, fmt.Errorf("pii: NewTokenizer: %w", err)
	}
	return &Tokenizer{prf: set}, nil
}

// Token returns the token of value as data of category c.
func (t *Tokenizer) Token(c Category, value string) string {
	input := make([]byte, 0, len(c)+1+len(value))
	input = append(input, c...)
	input = append(input, 0)
	input = append(input, Normalize(c, value)...)
	out, err := t.prf.ComputePrimaryPRF(input, TokenBytes)
	if err != nil {
		// The HMAC PRF fails only for an output longer than its hash,
		// which TokenBytes is not.
		panic("pii: token PRF failed: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(out)
}

var folder = cases.Fold()

// Normalize returns the form of value that tokens are computed over: NFKC,
// trimmed; case-folded for e-mail addresses; '+' and digits only for phone
// numbers.
func Normalize(c Category, value string) string {
	v := strings.TrimSpace(norm.NFKC.String(value))
	switch {
	case c.Within(Email):
		return folder.String(v)
	case c.Within(Phone):
		return strings.Map(func(r rune) rune {
			if r == '+' || unicode.IsDigit(r) {
				return r
			}
			return -1
		}, v)
	}
	return v
}
