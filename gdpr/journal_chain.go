package gdpr

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
)

// Hash is a SHA-256 digest in the journal's chain.
type Hash [sha256.Size]byte

// String returns the hash in lower-case hex.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// MarshalText encodes the hash in hex.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText decodes a hash written in hex.
func (h *Hash) UnmarshalText(text []byte) error {
	if hex.DecodedLen(len(text)) != len(h) {
		return fmt.Errorf("gdpr: hash %q: want %d hex digits", text, 2*len(h))
	}
	_, err := hex.Decode(h[:], text)
	if err != nil {
		return fmt.Errorf("gdpr: hash %q: %w", text, err)
	}
	return nil
}

// encodingVersion opens the canonical encoding, so that a later format can
// never hash to the same bytes.
const encodingVersion = "gdprkit/journal/v1\x00"

// canonical returns the canonical encoding of the entry's content: the
// version, the time in Unix microseconds (8 bytes, big endian), then kind,
// subject, purpose, outcome, actor and ref, then the number of reasons and
// each reason, every string prefixed with its length as a uvarint. Each
// field sequence has exactly one encoding and no two differ in bytes.
func (e *Entry) canonical(buf []byte) []byte {
	buf = append(buf, encodingVersion...)
	buf = binary.BigEndian.AppendUint64(buf, uint64(e.At.UnixMicro()))
	for _, s := range [...]string{string(e.Kind), e.Subject, e.Purpose, string(e.Outcome), e.Actor, e.Ref} {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	buf = binary.AppendUvarint(buf, uint64(len(e.Reasons)))
	for _, s := range e.Reasons {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	return buf
}

// digest returns SHA-256(Prev ‖ canonical encoding).
func (e *Entry) digest() Hash {
	var scratch [256]byte
	h := sha256.New()
	h.Write(e.Prev[:])
	h.Write(e.canonical(scratch[:0]))
	var out Hash
	h.Sum(out[:0])
	return out
}

// ErrJournalBroken is matched by the ChainError Verify returns.
var ErrJournalBroken = errors.New("journal chain broken")

// Problem is what Verify found wrong with an entry.
type Problem uint8

// Problems.
const (
	// Changed: the entry's content no longer gives its hash, or the head
	// records another hash for it.
	Changed Problem = iota + 1
	// Missing: no entry has this sequence number: it was removed.
	Missing
	// Unlinked: the entry does not follow the one before it: entries
	// before it were removed and the rest renumbered, or entries were
	// reordered.
	Unlinked
)

var problemText = [...]string{
	Changed:  "changed: its content does not match its hash",
	Missing:  "missing: it was removed",
	Unlinked: "out of place: it does not follow the entry before it (entries were removed or reordered)",
}

// String describes the problem.
func (p Problem) String() string {
	if p >= Changed && p <= Unlinked {
		return problemText[p]
	}
	return fmt.Sprintf("Problem(%d)", uint8(p))
}

// ChainError names the first journal entry that Verify found changed,
// removed or out of place.
type ChainError struct {
	Seq     uint64
	Problem Problem
}

// Error names the entry's sequence number and the problem.
func (e *ChainError) Error() string {
	return fmt.Sprintf("gdpr: journal entry %d %s", e.Seq, e.Problem)
}

// Unwrap returns ErrJournalBroken.
func (e *ChainError) Unwrap() error { return ErrJournalBroken }

// Verify checks the chain from the first entry to the head the store
// records when Verify starts (entries appended meanwhile are left for the
// next run): every sequence number present, every entry's hash matching its
// content, every entry linked to the one before it, and the last one
// matching the head. It returns nil, a *ChainError naming the first bad
// entry, or the store's error.
//
// A hash chain shows changes made by anyone who did not also rewrite every
// later entry and the head. Against someone who can rewrite the whole
// database, compare with a head kept elsewhere: VerifyHead.
func (j *Journal) Verify(ctx context.Context) error {
	head, err := j.store.Head(ctx)
	if err != nil {
		return fmt.Errorf("gdpr: verify journal: %w", err)
	}
	return j.verify(ctx, head)
}

// VerifyHead checks the chain as Verify does, up to trusted, a head
// obtained earlier from Head and kept outside the journal's store: the
// entry at trusted.Seq must have trusted.Hash.
func (j *Journal) VerifyHead(ctx context.Context, trusted Head) error {
	return j.verify(ctx, trusted)
}

func (j *Journal) verify(ctx context.Context, head Head) error {
	var prev Head
	err := j.store.Scan(ctx, 0, func(e Entry) error {
		if e.Seq > head.Seq {
			return errStop
		}
		want := prev.Seq + 1
		switch {
		case e.Seq > want:
			return &ChainError{Seq: want, Problem: Missing}
		case e.Seq < want:
			return &ChainError{Seq: e.Seq, Problem: Unlinked}
		case e.digest() != e.Hash:
			return &ChainError{Seq: e.Seq, Problem: Changed}
		case e.Prev != prev.Hash:
			return &ChainError{Seq: e.Seq, Problem: Unlinked}
		}
		prev = Head{Seq: e.Seq, Hash: e.Hash}
		return nil
	})
	var chain *ChainError
	switch {
	case errors.As(err, &chain):
		return chain
	case err != nil && !errors.Is(err, errStop):
		return fmt.Errorf("gdpr: verify journal: %w", err)
	case prev.Seq < head.Seq:
		return &ChainError{Seq: prev.Seq + 1, Problem: Missing}
	case prev.Hash != head.Hash:
		return &ChainError{Seq: head.Seq, Problem: Changed}
	}
	return nil
}
