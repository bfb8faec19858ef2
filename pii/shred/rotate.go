package shred

import (
	"context"
	"errors"
	"fmt"

	"github.com/tink-crypto/tink-go/v2/aead"
	"github.com/tink-crypto/tink-go/v2/keyset"
)

// RotateSubject adds a new key to the subject's keyset and makes it the
// one that seals. Values sealed under the older keys still open; Reseal
// moves them to the new key. Other Shredders pick the new key up when they
// first meet a value sealed with it.
func (s *Shredder) RotateSubject(ctx context.Context, subject string) error {
	ref, err := s.ref(ctx, subject)
	if err != nil {
		return err
	}
	defer s.forget(subject, nil)
	for attempt := 0; ; attempt++ {
		r, err := s.store.Get(ctx, s.ns, ref)
		if err != nil {
			return fmt.Errorf("shred: RotateSubject: %w", err)
		}
		if r.Erased() {
			return fmt.Errorf("shred: RotateSubject: %w", ErrErased)
		}
		kek, err := s.kekFor(r)
		if err != nil {
			return err
		}
		h, err := unwrap(r, kek)
		if err != nil {
			return err
		}
		m := keyset.NewManagerFromHandle(h)
		id, err := m.Add(aead.AES256GCMKeyTemplate())
		if err != nil {
			return fmt.Errorf("shred: RotateSubject: %w", err)
		}
		if err := m.SetPrimary(id); err != nil {
			return fmt.Errorf("shred: RotateSubject: %w", err)
		}
		if h, err = m.Handle(); err != nil {
			return fmt.Errorf("shred: RotateSubject: %w", err)
		}
		r.KEK = s.kekID
		if r.Wrapped, err = wrap(h, s.kek, s.ns, ref); err != nil {
			return err
		}
		err = s.store.Update(ctx, r)
		if !errors.Is(err, ErrConflict) || attempt == 3 {
			return err
		}
	}
}

// RotateKEK re-wraps, with ShredderConfig.KEK, every key of the namespace that an
// older KEK (one of ShredderConfig.OldKEKs) wrapped, batchSize records at a time,
// and returns how many it re-wrapped. Each key is re-wrapped by a
// compare-and-swap of its own, so sealing, opening and erasing go on
// meanwhile, on this instance and others, and an interrupted rotation is
// resumed by calling RotateKEK again.
//
// Rotating a KEK across instances: first give every instance the new KEK
// as ShredderConfig.KEK (with a new KEKID) and the old one in ShredderConfig.OldKEKs, so
// that each can unwrap keys of both; then run RotateKEK on any one of
// them; once it returns, drop the old KEK from ShredderConfig.OldKEKs (and retire
// it in the KMS).
func (s *Shredder) RotateKEK(ctx context.Context, batchSize int) (int, error) {
	if batchSize <= 0 {
		batchSize = 100
	}
	n := 0
	for after := ""; ; {
		recs, err := s.store.List(ctx, s.ns, after, batchSize)
		if err != nil {
			return n, fmt.Errorf("shred: RotateKEK: %w", err)
		}
		for _, r := range recs {
			after = r.Ref
			done, err := s.rewrap(ctx, r)
			if err != nil {
				return n, fmt.Errorf("shred: RotateKEK: %w", err)
			}
			if done {
				n++
			}
		}
		if len(recs) < batchSize {
			return n, nil
		}
	}
}

// rewrap re-wraps one record with the current KEK, unless it is a
// tombstone or already wrapped by it; on a concurrent change it reads the
// record again.
func (s *Shredder) rewrap(ctx context.Context, r KeyRecord) (bool, error) {
	for attempt := 0; ; attempt++ {
		if r.Erased() || r.KEK == s.kekID {
			return false, nil
		}
		kek, err := s.kekFor(r)
		if err != nil {
			return false, err
		}
		h, err := unwrap(r, kek)
		if err != nil {
			return false, err
		}
		next := r
		next.KEK = s.kekID
		if next.Wrapped, err = wrap(h, s.kek, r.Namespace, r.Ref); err != nil {
			return false, err
		}
		err = s.store.Update(ctx, next)
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, ErrConflict) || attempt == 3 {
			return false, err
		}
		if r, err = s.store.Get(ctx, r.Namespace, r.Ref); err != nil {
			return false, err
		}
	}
}
