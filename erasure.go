package gdprkit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
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
//
// Data a legal hold kept is erased once the hold is released: when the
// last erasure kept data under a legal hold and no hold touches the
// subject any more, Erase runs a follow-up erasure, under the same ID with
// "/2", "/3", ... appended, and returns its certificate. A sweep does the
// same for a subject whose data is still expired.
func (k *Kit) Erase(ctx context.Context, subject string) (rights.Certificate, error) {
	if subject == "" {
		return rights.Certificate{}, fmt.Errorf("gdprkit: Erase: %w", gdpr.ErrNoSubject)
	}
	last, next, err := k.lastErasure(ctx, subject)
	if err != nil {
		return rights.Certificate{}, err
	}
	if last != nil && last.State != rights.RequestCompleted {
		return k.runErasure(ctx, subject, *last)
	}
	done, err := k.erasureDone(ctx, subject, last)
	switch {
	case err != nil:
		return rights.Certificate{}, err
	case done && last != nil:
		return k.runErasure(ctx, subject, *last) // the completed erasure's certificate
	case done:
		return rights.Certificate{}, ErrAlreadyErased
	}
	sys := context.WithValue(ctx, systemKey{}, true)
	r, err := k.desk.Receive(sys, rights.Request{ID: next, Right: rights.RightErasure, Subject: subject})
	if errors.Is(err, rights.ErrRequestExists) { // another instance received it first
		r, err = k.desk.Request(ctx, next)
	}
	if err != nil {
		return rights.Certificate{}, err
	}
	return k.runErasure(ctx, subject, r)
}

// runErasure verifies the kit's own erasure request r, if need be, and
// runs (or resumes) it.
func (k *Kit) runErasure(ctx context.Context, subject string, r rights.Request) (rights.Certificate, error) {
	if r.Right != rights.RightErasure || r.SubjectToken != k.journal.Token(subject) {
		return rights.Certificate{}, fmt.Errorf("gdprkit: Erase: request ID %s is taken by another request: %w", r.ID, rights.ErrRequestExists)
	}
	if r.State == rights.RequestUnverified {
		// Closed meanwhile: another instance ran the whole erasure, whose
		// certificate Erase returns.
		_, err := k.desk.Verify(context.WithValue(ctx, systemKey{}, true), r.ID)
		if err != nil && !errors.Is(err, rights.ErrRequestClosed) {
			return rights.Certificate{}, err
		}
	}
	return k.desk.Erase(ctx, r.ID)
}

func (k *Kit) erasureID(subject string) string { return ErasureIDPrefix + k.journal.Token(subject) }

// lastErasure returns the kit's latest erasure request of the subject
// (nil when there is none) and the ID of the next one: the first is
// erasureID, each follow-up after a hold's release appends "/2", "/3", ...
func (k *Kit) lastErasure(ctx context.Context, subject string) (*rights.Request, string, error) {
	base := k.erasureID(subject)
	var last *rights.Request
	for n := 1; ; n++ {
		id := base
		if n > 1 {
			id = base + "/" + strconv.Itoa(n)
		}
		r, err := k.desk.Request(ctx, id)
		switch {
		case errors.Is(err, rights.ErrUnknownRequest):
			return last, id, nil
		case err != nil:
			return nil, "", err
		}
		last = &r
	}
}

// erasureDone reports whether the subject needs no erasure (any more):
// the kit's last erasure (last) completed or, without one, another
// erasure shredded the subject's consent key — the kit's own namespace,
// which only an erasure touches — and in either case nothing a legal hold
// kept has been released since.
func (k *Kit) erasureDone(ctx context.Context, subject string, last *rights.Request) (bool, error) {
	if last != nil && last.State != rights.RequestCompleted {
		return false, nil
	}
	if last == nil {
		erased, err := k.shredders[NamespaceConsent].Erased(ctx, subject)
		if err != nil || !erased {
			return false, err
		}
	}
	released, err := k.holdReleased(ctx, subject)
	return !released, err
}

// holdReleased reports whether an erasure of the subject kept data under a
// legal hold (the Guard's Kept record names the exception) and no hold
// touches the subject any more, so the kept data is due for erasure.
func (k *Kit) holdReleased(ctx context.Context, subject string) (bool, error) {
	kept, ok, err := k.kept.Kept(ctx, subject)
	if err != nil || !ok || !slices.Contains(kept.Exceptions, rights.ExceptionLegalHold.String()) {
		return false, err
	}
	_, held, err := k.holds.Check(ctx, subject, "")
	return !held, err
}

// erased reports whether the subject's erasure is done (see erasureDone).
func (k *Kit) erased(ctx context.Context, subject string) (bool, error) {
	last, _, err := k.lastErasure(ctx, subject)
	if err != nil {
		return false, err
	}
	return k.erasureDone(ctx, subject, last)
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
