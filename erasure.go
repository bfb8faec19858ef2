package gdprkit

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/retention"
)

// ErasureIDPrefix starts the ID of the erasure request the controller
// itself makes for a subject (Kit.Erase): the prefix and the subject's
// journal token, so that every instance finds the same request.
const ErasureIDPrefix = "erasure:"

// ErrAlreadyErased is returned by Kit.Erase for a subject erased before by
// another request (a data subject's own, say): nothing is erased again.
var ErrAlreadyErased = errors.New("gdprkit: subject already erased")

// Erase erases a subject on the controller's own initiative — an operator,
// or a retention sweep (Kit.Eraser) — through the one erasure pipeline of
// data-subject requests (rights.Desk.Erase): consents withdrawn, keys
// shredded in every namespace, every source erased, Art. 17(3) exceptions
// and legal holds honoured, one certificate, every step journalled.
//
// The request is received as verified (the controller initiates it), under
// the ID ErasureIDPrefix + the subject's journal token. Calling Erase again
// resumes an incomplete erasure or returns the completed one's certificate;
// a subject whose erasure another request completed gets ErrAlreadyErased.
func (k *Kit) Erase(ctx context.Context, subject string) (rights.Certificate, error) {
	if subject == "" {
		return rights.Certificate{}, fmt.Errorf("gdprkit: Erase: %w", gdpr.ErrNoSubject)
	}
	id, sys := k.erasureID(subject), context.WithValue(ctx, systemKey{}, true)
	r, err := k.desk.Request(ctx, id)
	switch {
	case errors.Is(err, rights.ErrUnknownRequest):
		erased, err := k.erasedElsewhere(ctx, subject)
		if err != nil {
			return rights.Certificate{}, err
		}
		if erased {
			return rights.Certificate{}, ErrAlreadyErased
		}
		r, err = k.desk.Receive(sys, rights.Request{ID: id, Right: rights.RightErasure, Subject: subject})
		if errors.Is(err, rights.ErrRequestExists) {
			r, err = k.desk.Request(ctx, id)
		}
		if err != nil {
			return rights.Certificate{}, err
		}
	case err != nil:
		return rights.Certificate{}, err
	}
	if r.Right != rights.RightErasure || r.SubjectToken != k.journal.Token(subject) {
		return rights.Certificate{}, fmt.Errorf("gdprkit: Erase: request ID %s is taken by another request: %w", id, rights.ErrRequestExists)
	}
	if r.State == rights.RequestUnverified {
		if _, err := k.desk.Verify(sys, id); err != nil {
			return rights.Certificate{}, err
		}
	}
	return k.desk.Erase(ctx, id)
}

func (k *Kit) erasureID(subject string) string { return ErasureIDPrefix + k.journal.Token(subject) }

// erasedElsewhere reports whether a completed erasure shredded the
// subject's consent key: the kit's own namespace, which only an erasure
// touches.
func (k *Kit) erasedElsewhere(ctx context.Context, subject string) (bool, error) {
	return k.shredders[NamespaceConsent].Erased(ctx, subject)
}

// erased reports whether the subject's erasure is done: the kit's own
// request completed, or, without one, another erasure shredded the key.
func (k *Kit) erased(ctx context.Context, subject string) (bool, error) {
	r, err := k.desk.Request(ctx, k.erasureID(subject))
	switch {
	case err == nil:
		return r.State == rights.RequestCompleted, nil
	case errors.Is(err, rights.ErrUnknownRequest):
		return k.erasedElsewhere(ctx, subject)
	default:
		return false, err
	}
}

// Eraser returns the retention.Eraser the kit's sweeper erases subjects
// with: Kit.Erase, for a sweeper of your own.
func (k *Kit) Eraser() retention.Eraser { return eraser{k} }

type eraser struct{ k *Kit }

// Erase erases the subject through Kit.Erase; a subject already erased
// is done.
func (e eraser) Erase(ctx context.Context, subject string) error {
	_, err := e.k.Erase(ctx, subject)
	if errors.Is(err, ErrAlreadyErased) {
		return nil
	}
	return err
}

// unerased is a SubjectSource without the subjects already erased, so that
// a sweep erases (and journals) each subject once.
type unerased struct {
	k   *Kit
	src retention.SubjectSource
}

func (u unerased) Subjects(ctx context.Context, after retention.Cursor, limit int) ([]retention.Subject, retention.Cursor, error) {
	subjects, next, err := u.src.Subjects(ctx, after, limit)
	if err != nil {
		return nil, "", err
	}
	kept := subjects[:0]
	for _, s := range subjects {
		done, err := u.k.erased(ctx, s.ID)
		if err != nil {
			return nil, "", err
		}
		if !done {
			kept = append(kept, s)
		}
	}
	return kept, next, nil
}

// systemKey marks, in a context, a request the controller makes itself.
// Only this package can set it.
type systemKey struct{}

// systemVerifier verifies the controller's own requests and asks the
// configured Verifier about every other.
type systemVerifier struct{ rights.Verifier }

func (v systemVerifier) Verify(ctx context.Context, r rights.Request) (bool, error) {
	sys, _ := ctx.Value(systemKey{}).(bool)
	switch {
	case sys && r.Right == rights.RightErasure:
		return true, nil
	case strings.HasPrefix(r.ID, ErasureIDPrefix):
		return false, nil // the IDs of the controller's own erasures are the kit's
	}
	return v.Verifier.Verify(ctx, r)
}
