package shred

import (
	"context"
	"errors"
	"fmt"
)

// Erase destroys the subject's key, leaving a tombstone that holds no key
// material and no subject ID, so that everything sealed for the subject —
// in the database, in backups, in event logs — can no longer be read.
// Erasing a subject that was never sealed for leaves a tombstone too, so
// that nothing is sealed for it later by accident; erasing twice is a
// no-op.
//
// With an ErasureLog, the erasure is recorded first, then the key destroyed:
// a failure in between leaves a journal entry for a key that still lives,
// which the next Erase (or a Replay) completes. This Shredder stops using
// the key at once; other Shredders stop within their CacheTTL.
func (s *Shredder) Erase(ctx context.Context, subject string) error {
	if subject == "" {
		return fmt.Errorf("shred: Erase: %w", ErrNoSubject)
	}
	ref, err := s.ref(ctx, subject)
	if err != nil {
		return err
	}
	r, err := s.store.Get(ctx, s.ns, ref)
	switch {
	case err == nil && r.Erased():
		s.forget(subject, &subjectKey{erased: true, generation: r.Generation, expires: s.ticks() + int64(s.ttl)})
		return nil
	case err != nil && !errors.Is(err, ErrNoKey):
		return err
	}
	at := s.now()
	if s.journal != nil {
		e := ErasureEntry{Namespace: s.ns, Ref: ref, Generation: r.Generation, At: at}
		if err := s.journal.Append(ctx, e); err != nil {
			s.forget(subject, nil) // read the outcome from the store
			return fmt.Errorf("shred: Erase: %w", err)
		}
	}
	if err := s.store.Erase(ctx, s.ns, ref, at); err != nil {
		s.forget(subject, nil)
		return err
	}
	// The Shredder holds the erasure, which no load that read the live key
	// before can overwrite, so it neither opens nor seals for the subject
	// once Erase returns.
	s.forget(subject, &subjectKey{erased: true, generation: r.Generation, expires: s.ticks() + int64(s.ttl)})
	return nil
}

// Erased reports whether the subject's key was erased, asking the store.
// A subject that was never sealed for is not erased.
func (s *Shredder) Erased(ctx context.Context, subject string) (bool, error) {
	ref, err := s.ref(ctx, subject)
	if err != nil {
		return false, err
	}
	r, err := s.store.Get(ctx, s.ns, ref)
	if errors.Is(err, ErrNoKey) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return r.Erased(), nil
}

// Renew gives an erased subject a fresh key, so that Seal works for the
// subject again: call it when, say, a person whose account was erased
// signs up again under the same ID. What was sealed under the destroyed key
// stays unreadable and opens as erased. A subject without a key gets one; a
// subject whose key lives keeps it. Other Shredders that cached the
// erasure go on refusing to seal for the subject until their CacheTTL
// passes.
func (s *Shredder) Renew(ctx context.Context, subject string) error {
	if subject == "" {
		return fmt.Errorf("shred: Renew: %w", ErrNoSubject)
	}
	ref, err := s.ref(ctx, subject)
	if err != nil {
		return err
	}
	defer s.forget(subject, nil)
	for attempt := 0; ; attempt++ {
		r, err := s.store.Get(ctx, s.ns, ref)
		switch {
		case errors.Is(err, ErrNoKey):
			_, _, err = s.create(ctx, ref, 0)
			return err
		case err != nil:
			return err
		case !r.Erased():
			return nil
		}
		h, err := newSubjectKeyset()
		if err != nil {
			return err
		}
		next := KeyRecord{Namespace: s.ns, Ref: ref, KEK: s.kekID, Generation: r.Generation + 1, Version: r.Version}
		if next.Wrapped, err = wrap(h, s.kek, s.ns, ref); err != nil {
			return err
		}
		err = s.store.Update(ctx, next)
		if !errors.Is(err, ErrConflict) || attempt == 3 {
			return err
		}
	}
}

// Replay applies a journal's erasures to the key store, for use after the
// store was restored from a backup: every key the journal says was erased
// is destroyed again, unless the store holds a newer generation of it
// (Renew ran after the erasure). It returns how many keys it destroyed;
// running it again destroys none.
func (s *Shredder) Replay(ctx context.Context, j ErasureLog) (int, error) {
	const batch = 500
	n := 0
	defer s.forgetAll()
	for after := int64(0); ; {
		entries, err := j.Read(ctx, s.ns, after, batch)
		if err != nil {
			return n, err
		}
		for _, e := range entries {
			after = e.Seq
			if !validRef(e.Ref) {
				return n, fmt.Errorf("shred: Replay: journal entry %d has a malformed reference %q", e.Seq, e.Ref)
			}
			r, err := s.store.Get(ctx, s.ns, e.Ref)
			switch {
			case errors.Is(err, ErrNoKey):
			case err != nil:
				return n, err
			case r.Erased() || r.Generation > e.Generation:
				continue
			}
			if err := s.store.Erase(ctx, s.ns, e.Ref, e.At); err != nil {
				return n, err
			}
			n++
		}
		if len(entries) < batch {
			return n, nil
		}
	}
}

// forgetAll makes the Shredder forget every key it knows, as forget does
// for one.
func (s *Shredder) forgetAll() {
	s.cache.purge()
	s.mu.Lock()
	clear(s.flights)
	s.mu.Unlock()
}

// validRef reports whether ref has the form of a subject reference (and so
// is not the namespace's own reference key).
func validRef(ref string) bool {
	if len(ref) != 22 {
		return false
	}
	for i := 0; i < len(ref); i++ {
		if !b64Char[ref[i]] {
			return false
		}
	}
	return true
}
