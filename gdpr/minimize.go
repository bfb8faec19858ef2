package gdpr

import (
	"context"
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

// AllowValue asks the Guard about v's data subject (its pii:"subject"
// field, see pii.SubjectOf) and purpose and, when allowed, returns the view
// of v minimised to the purpose's categories, ready to process. When not
// allowed it returns the zero T with the Decision and the error of Allow.
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
	return out, d, nil
}
