package retention

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gdprkit/gdprkit/pii"
)

// HoldsConfig configures Holds.
type HoldsConfig struct {
	// Store keeps the holds; the sweeper must read the same store.
	Store HoldStore
	// Auditor records every hold placed and released. Required.
	Auditor Auditor
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Holds places and releases legal holds, journalling each. Safe for
// concurrent use.
type Holds struct {
	store   HoldStore
	journal Auditor
	now     func() time.Time
}

// NewHolds returns Holds over cfg.Store.
func NewHolds(cfg HoldsConfig) (*Holds, error) {
	if cfg.Store == nil {
		return nil, fmt.Errorf("%w: HoldsConfig.Store is nil", ErrInvalidConfig)
	}
	if cfg.Auditor == nil {
		return nil, fmt.Errorf("%w: HoldsConfig.Auditor is nil; holds must be journalled", ErrInvalidConfig)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Holds{store: cfg.Store, journal: cfg.Auditor, now: cfg.Now}, nil
}

// Place puts h in force now and journals it. It assigns an ID when h has
// none and sets Placed to now. h needs a Reason; its Category, when set,
// must be a known pii category, alias or parent key (such as
// "user.contact"); its Expires, when set, must lie in the future. It returns
// the hold as stored.
//
// Place is all-or-nothing: the hold is stored, then journalled, and when
// the Auditor refuses it the hold is removed again and Place returns the
// journal's error; only if that removal fails too may the hold be in force,
// and the error says so. A sweeper reading the store meanwhile may see the
// hold for that moment, which only keeps data longer.
func (hs *Holds) Place(ctx context.Context, h Hold) (Hold, error) {
	now := hs.now()
	if h.ID == "" {
		h.ID = rand.Text()
	}
	invalid := func(format string, args ...any) (Hold, error) {
		return Hold{}, &HoldError{ID: h.ID, Err: fmt.Errorf("%w: "+format, append([]any{ErrInvalidHold}, args...)...)}
	}
	if strings.TrimSpace(h.Reason) == "" {
		return invalid("no reason given")
	}
	if h.Category != "" {
		c, ok := resolveCategory(h.Category)
		if !ok {
			return invalid("unknown category %q", string(h.Category))
		}
		h.Category = c
	}
	if !h.Released.IsZero() {
		return invalid("Released is set on a new hold")
	}
	h.Placed = now
	if !h.Expires.IsZero() && !h.Expires.After(now) {
		return invalid("expires %s, not after now (%s)", h.Expires.Format(time.RFC3339), now.Format(time.RFC3339))
	}
	if err := hs.store.PlaceHold(ctx, h); err != nil {
		return Hold{}, err
	}
	journalled := h // the Auditor may keep the pointer
	if err := hs.journal.Record(ctx, AuditEvent{Kind: HoldPlaced, At: now, Hold: &journalled}); err != nil {
		err = fmt.Errorf("retention: hold %q was not placed: the Auditor refused it: %w", h.ID, err)
		if undo := hs.store.RemoveHold(ctx, h.ID); undo != nil {
			return Hold{}, errors.Join(err, fmt.Errorf("retention: hold %q may be in force: removing it failed: %w", h.ID, undo))
		}
		return Hold{}, err
	}
	return h, nil
}

// Release lifts the hold with the given ID now and journals it. It is
// all-or-nothing: when the Auditor refuses the release, the hold is put
// back in force and Release returns the Auditor's error.
func (hs *Holds) Release(ctx context.Context, id string) (Hold, error) {
	now := hs.now()
	h, err := hs.store.ReleaseHold(ctx, id, now)
	if err != nil {
		return Hold{}, err
	}
	journalled := h
	if err := hs.journal.Record(ctx, AuditEvent{Kind: HoldReleased, At: now, Hold: &journalled}); err != nil {
		err = fmt.Errorf("retention: hold %q was not released: the Auditor refused the release: %w", id, err)
		if undo := hs.store.UnreleaseHold(ctx, id, now); undo != nil {
			return Hold{}, errors.Join(err, fmt.Errorf("retention: hold %q may be released: putting it back in force failed: %w", id, undo))
		}
		return Hold{}, err
	}
	return h, nil
}

// ReleaseCase lifts every hold in force for the legal matter caseRef and
// returns them. A hold released meanwhile by someone else is skipped.
func (hs *Holds) ReleaseCase(ctx context.Context, caseRef string) ([]Hold, error) {
	if caseRef == "" {
		return nil, fmt.Errorf("%w: ReleaseCase needs a case reference", ErrInvalidHold)
	}
	active, err := hs.store.ActiveHolds(ctx, hs.now())
	if err != nil {
		return nil, err
	}
	var released []Hold
	for _, h := range active {
		if h.Case != caseRef {
			continue
		}
		r, err := hs.Release(ctx, h.ID)
		if errors.Is(err, ErrHoldReleased) {
			continue
		}
		if err != nil {
			return released, err
		}
		released = append(released, r)
	}
	return released, nil
}

// Active returns the holds in force now.
func (hs *Holds) Active(ctx context.Context) ([]Hold, error) {
	return hs.store.ActiveHolds(ctx, hs.now())
}

// Check reports whether a hold in force now touches category c of
// subject's data (Hold.Touches: it covers c, or holds a category within
// c), and returns the first such hold; an empty c asks about the subject's
// data as a whole, which any hold on the subject covers. Erasure paths
// outside the sweeper (an Art. 17 request, say) ask it before acting on c
// as a whole. c may be a key, an alias or a parent key; a category that
// names no registered one is an error (ErrUnknownCategory), never "not
// held".
func (hs *Holds) Check(ctx context.Context, subject string, c pii.Category) (Hold, bool, error) {
	if c != "" {
		key, ok := resolveCategory(c)
		if !ok {
			return Hold{}, false, fmt.Errorf("retention: Holds.Check: %w %q; register it with pii.RegisterCategory", bare{ErrUnknownCategory}, string(c))
		}
		c = key
	}
	active, err := hs.Active(ctx)
	if err != nil {
		return Hold{}, false, err
	}
	for _, h := range active {
		if h.Touches(subject, c) {
			return h, true, nil
		}
	}
	return Hold{}, false, nil
}
