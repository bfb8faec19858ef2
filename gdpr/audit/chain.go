package audit

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
		return fmt.Errorf("audit: hash %q: want %d hex digits", text, 2*len(h))
	}
	_, err := hex.Decode(h[:], text)
	if err != nil {
		return fmt.Errorf("audit: hash %q: %w", text, err)
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
var ErrJournalBroken = errors.New("audit: journal chain broken")

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
	// AfterHead: the entry lies after the head the store records: the
	// head was moved back over it, or it was added outside the journal.
	AfterHead
)

var problemText = [...]string{
	Changed:   "changed: its content does not match its hash",
	Missing:   "missing: it was removed",
	Unlinked:  "out of place: it does not follow the entry before it (entries were removed or reordered)",
	AfterHead: "after the head: the head was moved back over it, or it was added outside the journal",
}

// String describes the problem.
func (p Problem) String() string {
	if p >= Changed && p <= AfterHead {
		return problemText[p]
	}
	return fmt.Sprintf("Problem(%d)", uint8(p))
}

// ChainError names the first journal entry that Verify found changed,
// removed, out of place or after the head.
type ChainError struct {
	Seq     uint64
	Problem Problem
}

// Error names the entry's sequence number and the problem.
func (e *ChainError) Error() string {
	return fmt.Sprintf("audit: journal entry %d %s", e.Seq, e.Problem)
}

// Unwrap returns ErrJournalBroken.
func (e *ChainError) Unwrap() error { return ErrJournalBroken }

// Verify checks every entry in the store and the head the store records:
// every sequence number present, every entry's hash matching its content,
// every entry linked to the one before it, and the last one matching the
// head. An entry after the head (the head was moved back over it, or it
// was added outside the journal) fails too, as does a head that names an
// entry the store lacks or records another hash for it. Entries appended
// while Verify runs are checked as far as the head read after the scan;
// later ones are left for the next run. It returns nil, a *ChainError
// naming the first bad entry, or the store's error.
//
// A hash chain shows changes made by anyone who did not also rewrite every
// later entry and the head. Against someone who can rewrite the whole
// database, or remove the last entries and move the head back, compare with
// a head kept elsewhere: VerifyHead.
func (j *Journal) Verify(ctx context.Context) error {
	return j.verify(ctx, nil)
}

// VerifyHead checks the journal as Verify does and, in addition, against
// trusted, a head obtained earlier from Head and kept outside the journal's
// store: the entry at trusted.Seq must be present and have trusted.Hash.
func (j *Journal) VerifyHead(ctx context.Context, trusted Head) error {
	return j.verify(ctx, &trusted)
}

// chainCheck follows the chain entry by entry.
type chainCheck struct {
	prev    Head  // the last entry checked
	trusted *Head // a head kept elsewhere, if any
	until   uint64
	bounded bool // stop after until
}

func (c *chainCheck) next(e Entry) error {
	if c.bounded && e.Seq > c.until {
		return errStop
	}
	want := c.prev.Seq + 1
	switch {
	case e.Seq > want:
		return &ChainError{Seq: want, Problem: Missing}
	case e.Seq < want:
		return &ChainError{Seq: e.Seq, Problem: Unlinked}
	case e.digest() != e.Hash:
		return &ChainError{Seq: e.Seq, Problem: Changed}
	case e.Prev != c.prev.Hash:
		return &ChainError{Seq: e.Seq, Problem: Unlinked}
	case c.trusted != nil && e.Seq == c.trusted.Seq && e.Hash != c.trusted.Hash:
		return &ChainError{Seq: e.Seq, Problem: Changed}
	}
	c.prev = Head{Seq: e.Seq, Hash: e.Hash}
	return nil
}

// scan runs the check over the entries after the last one checked.
func (j *Journal) scan(ctx context.Context, c *chainCheck) error {
	err := j.store.Scan(ctx, c.prev.Seq, c.next)
	var chain *ChainError
	switch {
	case errors.As(err, &chain):
		return chain
	case err != nil && !errors.Is(err, errStop):
		return fmt.Errorf("audit: verify journal: %w", err)
	}
	return nil
}

func (j *Journal) verify(ctx context.Context, trusted *Head) error {
	if trusted != nil && trusted.Seq == 0 && trusted.Hash != (Hash{}) {
		return &ChainError{Seq: 0, Problem: Changed}
	}
	c := &chainCheck{trusted: trusted}
	if err := j.scan(ctx, c); err != nil {
		return err
	}
	// Read the head after the entries: an append moves the head in the
	// same step as it stores the entry, so a head read now is never behind
	// the entries scanned unless someone moved it back.
	head, err := j.store.Head(ctx)
	if err != nil {
		return fmt.Errorf("audit: verify journal: %w", err)
	}
	if head.Seq < c.prev.Seq {
		return j.headBehind(ctx, head)
	}
	if head.Seq > c.prev.Seq {
		// Appended since the scan, or removed: check up to the head.
		c.until, c.bounded = head.Seq, true
		if err := j.scan(ctx, c); err != nil {
			return err
		}
	}
	switch {
	case c.prev.Seq < head.Seq:
		return &ChainError{Seq: c.prev.Seq + 1, Problem: Missing}
	case c.prev.Hash != head.Hash:
		return &ChainError{Seq: head.Seq, Problem: Changed}
	case trusted != nil && trusted.Seq > c.prev.Seq:
		return &ChainError{Seq: c.prev.Seq + 1, Problem: Missing}
	}
	return nil
}

// headBehind names the first entry at fault when entries were found after
// the stored head: the head's own entry when the head records another hash
// for it, else the first entry after the head.
func (j *Journal) headBehind(ctx context.Context, head Head) error {
	bad := &ChainError{Seq: head.Seq + 1, Problem: AfterHead}
	if head.Seq == 0 {
		if head.Hash != (Hash{}) {
			return &ChainError{Seq: 0, Problem: Changed}
		}
		return bad
	}
	err := j.store.Scan(ctx, head.Seq-1, func(e Entry) error {
		if e.Seq == head.Seq && e.Hash != head.Hash {
			bad = &ChainError{Seq: head.Seq, Problem: Changed}
		}
		return errStop
	})
	if err != nil && !errors.Is(err, errStop) {
		return fmt.Errorf("audit: verify journal: %w", err)
	}
	return bad
}
