package shred

import (
	"context"
	"errors"

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
func (s *Shredder) BlindIndex(ctx context.Context, c pii.Category, value string) (string, error) {
	if c == "" {
		return "", errors.New("shred: BlindIndex: empty category")
	}
	_, tok, err := s.prfKey(ctx)
	if err != nil {
		return "", err
	}
	return tok.Token(c, value), nil
}
