package shred

import (
	"context"
	"fmt"
	"strings"

	"github.com/gdprkit/gdprkit/pii"
)

// BlindIndex returns a keyed token of value as data of category c, so that
// a sealed field can still be looked up: store the token in a column of its
// own next to the sealed value, and search by BlindIndex of the value
// sought. Equal values (after pii.Normalize: Unicode NFKC, trimmed, e-mail
// addresses case-folded, phone numbers reduced to '+' and digits) give
// equal tokens in every Shredder of the namespace; the key is the
// namespace's secret reference key, kept wrapped by the KEK in the store.
//
// A blind index is personal data too: it links equal values across records
// and lets whoever holds the key confirm a guess. Erasing the subject's key
// does not erase it, so clear or delete the index column together with the
// subject's records when you erase the subject.
//
// The category must be the key of a registered pii category (not an
// alias), or BlindIndex fails with ErrUnknownCategory. The key also
// computes subject references, whose input starts with a zero byte; a
// token's input starts with its category, which holds no zero byte, so no
// token equals a subject's reference.
func (s *Shredder) BlindIndex(ctx context.Context, c pii.Category, value string) (string, error) {
	if k, ok := pii.LookupCategory(string(c)); !ok || k != c || strings.IndexByte(string(c), 0) >= 0 {
		return "", fmt.Errorf("shred: BlindIndex: category %q: %w", c, ErrUnknownCategory)
	}
	_, tok, err := s.prfKey(ctx)
	if err != nil {
		return "", err
	}
	return tok.Token(c, value), nil
}

// Tokenizer returns the pii.Tokenizer that computes the namespace's blind
// indexes: Token(c, v) equals BlindIndex(ctx, c, v) for a registered
// category key. Its key is the namespace's reference key, created once,
// kept wrapped by the KEK in the store and loaded by every Shredder of the
// namespace, so its tokens are stable across restarts and instances. Use a
// namespace of its own for tokens that must not match another namespace's
// blind indexes, such as the subject tokens of an audit journal.
func (s *Shredder) Tokenizer(ctx context.Context) (*pii.Tokenizer, error) {
	_, tok, err := s.prfKey(ctx)
	if err != nil {
		return nil, err
	}
	return tok, nil
}
