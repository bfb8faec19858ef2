package gdpr

import (
	"context"
	"errors"
	"fmt"

	"github.com/gdprkit/gdprkit/pii"
)

// Minimize returns a copy of v that keeps only the personal fields whose
// category lies within one of the purpose's categories (data minimisation,
// Art. 5(1)(c)); the other personal fields are zeroed. Subject and
// non-personal fields are kept and v is not changed. An unregistered
// purpose is a *DenialError matching ErrUnknownPurpose.
func Minimize[T any](g *Guard, purpose string, v T) (T, error) {
	p := g.reg.lookup(purpose)
	if p == nil {
		var zero T
		return zero, &DenialError{Purpose: purpose, Reason: ReasonUnknownPurpose, Err: ErrUnknownPurpose}
	}
	out, err := pii.Minimize(v, p.Categories...)
	if err != nil {
		return out, fmt.Errorf("gdpr: minimise %T for purpose %q: %w", v, purpose, err)
	}
	return out, nil
}

// AllowValue decides whether v may be processed for purpose and returns
// the view of it that may: a copy minimised to the purpose's categories
// (Minimize) in which only the data of subjects the Guard allows is left.
//
// It asks the Guard about v's data subject (its pii:"subject" field of the
// default group, see pii.SubjectOf); when that is denied it returns the
// zero T with the Decision and the error of Allow. Otherwise it asks the
// Guard once about every other subject the value holds (a group= subject
// such as the other party of a message, or the subject of a nested value
// with its own subject field, in slices, maps and interfaces too) and zeroes
// the personal fields and subject fields of each that is denied, as well as
// personal fields with no subject in scope (a named group with no subject,
// or a nested value whose subject field is empty): nothing shows they may
// be processed. The returned Decision is the one about v's own subject;
// denials about the others are journalled by the Guard as for Allow.
//
// The value returned is a copy: v, and what it points to, is never
// changed. When the Guard cannot decide about some subject (a store
// failed), AllowValue returns the zero T and the error.
func AllowValue[T any](ctx context.Context, g *Guard, purpose string, v T) (T, Decision, error) {
	var zero T
	subject, err := pii.SubjectOf(v)
	if err != nil {
		return zero, Decision{Purpose: purpose}, fmt.Errorf("gdpr: AllowValue purpose %q: %w", purpose, err)
	}
	d, err := g.Allow(ctx, subject, purpose)
	if err != nil {
		return zero, d, err
	}
	out, err := Minimize(g, purpose, v)
	if err != nil {
		d.Allowed = false
		return zero, d, err
	}
	allowed := map[string]bool{subject: true, "": false}
	err = pii.Walk(&out, func(vis *pii.Visit) error {
		ok, known := allowed[vis.Subject]
		if !known {
			_, err := g.Allow(ctx, vis.Subject, purpose)
			var denial *DenialError
			switch {
			case err == nil:
				ok = true
			case errors.As(err, &denial):
			default:
				return fmt.Errorf("another subject in the value: %w", err)
			}
			allowed[vis.Subject] = ok
		}
		if ok {
			return nil
		}
		if !vis.Value.CanSet() {
			return fmt.Errorf("field %s cannot be cleared", vis.Field.Name)
		}
		vis.Value.SetZero()
		return nil
	})
	if err != nil {
		d.Allowed = false
		return zero, d, fmt.Errorf("gdpr: AllowValue purpose %q: %w", purpose, err)
	}
	return out, d, nil
}
