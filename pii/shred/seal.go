package shred

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/gdprkit/gdprkit/pii"
)

// Seal encrypts, in place, every personal string and []byte field of v (and
// pointers to them) under its data subject's key, following the pii tags:
// the subject field of a struct picks the key for its fields and for the
// values nested in it that carry no subject of their own; a group= field
// uses the subject of its group; plain fields, subject fields and empty
// values are left as they are. v is usually a pointer to a struct; slices,
// maps and interfaces are followed. A node shared along several paths (a
// pointer, map or slice met twice) is visited once per call, along the
// first path, with the subjects in effect there, so the work is linear in
// the size of v.
//
// A subject met for the first time gets a key. A value already sealed is
// left alone, so sealing twice is a no-op. Seal is all or nothing: when a
// field fails, the fields sealed before it are restored, so on error v is
// as it was. The error is a *FieldError naming the field: one of another
// type (ErrUnsupported; use Marshal), with no subject in scope
// (ErrNoSubject), not settable (ErrNotSettable), or whose subject was erased
// (ErrErased; see Renew); or a *StoreError, naming no field, when the key
// store or the KEK failed.
func (s *Shredder) Seal(ctx context.Context, v any) error {
	o := s.getOp(ctx, "seal")
	defer s.putOp(o)
	if p, sv, ok := flatTarget(v); ok && len(p.fields) <= 64 {
		var done uint64 // the fields sealed so far, by position
		subjects := p.subjectsOf(sv)
		for i, f := range p.fields {
			o.changed = false
			if err := o.seal(f, sv.Field(f.Index), subjects.of(p.group[i])); err != nil {
				o.unseal(p, sv, &subjects, done)
				return err
			}
			if o.changed {
				done |= 1 << i
			}
		}
		return nil
	}
	o.keepUndo = true
	if err := pii.Walk(v, o.visitor(o.sealF)); err != nil {
		o.rollback(v)
		return o.walkErr(err)
	}
	return nil
}

// walkErr returns the field error that stopped a walk, or the walk's own
// error (a pii tag error, a value nested too deeply).
func (o *op) walkErr(err error) error {
	if o.first != nil {
		return o.first
	}
	return fmt.Errorf("shred: %s: %w", o.name, err)
}

// stop records a field error that ends the walk.
func (o *op) stop(f *pii.Field, err error) error {
	o.first = o.fail(f, err)
	return o.first
}

// unseal undoes a failed Seal of a flat struct: it opens again the fields
// the call sealed, with the keys it used.
func (o *op) unseal(p *flatPlan, sv reflect.Value, subjects *groupSubjects, done uint64) {
	for i, f := range p.fields {
		if done&(1<<i) == 0 {
			continue
		}
		v, kind := textOf(sv.Field(f.Index))
		h, err := o.key(subjects.of(p.group[i]), true)
		if err != nil {
			continue // cannot happen: the key sealed the field in this call
		}
		if kind == strText {
			if pt, err := decrypt(o, h, f.ID, v.String()); err == nil {
				v.SetString(string(pt))
			}
		} else if pt, err := decrypt(o, h, f.ID, v.Bytes()); err == nil {
			v.SetBytes(pt)
		}
	}
}

// sealable checks that a field can be sealed and returns its subject's
// key; a nil key with a nil error means there is nothing to seal.
func (o *op) sealable(f *pii.Field, fv reflect.Value, subject string) (reflect.Value, textKind, *heldKey, error) {
	if !f.Personal() || f.Tag.Plain {
		return reflect.Value{}, notText, nil, nil
	}
	v, kind := textOf(fv)
	switch {
	case kind == notText:
		return v, kind, nil, o.stop(f, fmt.Errorf("%v: %w", f.Type, ErrUnsupported))
	case isEmpty(v, kind) || sealedText(v, kind):
		return v, kind, nil, nil
	case subject == "":
		return v, kind, nil, o.stop(f, ErrNoSubject)
	case !v.CanSet():
		return v, kind, nil, o.stop(f, ErrNotSettable)
	}
	h, err := o.key(subject, true)
	if err != nil {
		o.first = o.storeFail(err)
		return v, kind, nil, o.first
	}
	if h.key.erased {
		return v, kind, nil, o.stop(f, ErrErased)
	}
	return v, kind, h, nil
}

// seal seals one field and remembers its old value, for undo.
func (o *op) seal(f *pii.Field, fv reflect.Value, subject string) error {
	v, kind, h, err := o.sealable(f, fv, subject)
	if h == nil {
		return err
	}
	var pt []byte
	if kind == strText {
		pt = append(o.pt[:0], v.String()...)
		if cap(pt) > cap(o.pt) {
			o.pt = pt
		}
	} else {
		pt = v.Bytes()
	}
	txt, err := o.encrypt(h.key, subject, f.ID, pt)
	if err != nil {
		return o.stop(f, err)
	}
	o.set(v, kind, txt)
	return nil
}

// set replaces a text value with a sealed one, remembering the old value
// when the call may have to undo it.
func (o *op) set(v reflect.Value, kind textKind, txt []byte) {
	o.changed = true
	if kind == strText {
		sealed := string(txt)
		if o.keepUndo {
			o.undo = append(o.undo, undo{sealed: sealed, str: v.String()})
		}
		v.SetString(sealed)
		return
	}
	sealed := bytes.Clone(txt)
	if o.keepUndo {
		o.undo = append(o.undo, undo{sealed: string(sealed), bytes: v.Bytes()})
	}
	v.SetBytes(sealed)
}

// undo is a field value replaced by Seal or Reseal.
type undo struct {
	sealed string // the value set; unique, as every ciphertext is
	str    string // the old value of a string field
	bytes  []byte // the old value of a []byte field
}

// rollback puts back the values this call replaced, found by walking v
// again and matching their sealed values. Walking again, rather than
// setting the values remembered, also reaches map values and interface
// contents, which pii.Walk copies out and stores back after each visit.
func (o *op) rollback(v any) {
	if len(o.undo) > 0 {
		_ = pii.Walk(v, o.visitor(o.restoreF))
	}
}

// restore puts back the old value of a field sealed by this call.
func (o *op) restore(f *pii.Field, fv reflect.Value, _ string) error {
	if !f.Personal() {
		return nil
	}
	v, kind := textOf(fv)
	if kind != strText && kind != byteText {
		return nil
	}
	for _, u := range o.undo {
		switch {
		case kind == strText && v.String() == u.sealed:
			v.SetString(u.str)
		case kind == byteText && string(v.Bytes()) == u.sealed:
			v.SetBytes(u.bytes)
		}
	}
	return nil
}

// Open decrypts, in place, the sealed fields of v that Seal encrypted. It
// goes on past a field that fails, leaves that field as it was, and reports
// every failure: a *FieldError, or FieldErrors when there are several. A
// key store (or KEK) failure is reported once, as a *StoreError, however
// many fields it left sealed.
// Values without the "gk1." prefix are taken as not sealed and left alone;
// a value with it that does not parse fails with ErrMalformed.
//
// The fields of an erased subject are set to their replace= text or their
// zero value, and reported with ErrErased (the error's Erased method
// returns true), so that a replay of stored events can go on: treat
// errors.Is(err, ErrErased) as "this subject is gone" rather than as a
// failure. A ciphertext that was altered, or moved to another subject or
// field, fails with ErrCiphertext.
func (s *Shredder) Open(ctx context.Context, v any) error {
	o := s.getOp(ctx, "open")
	defer s.putOp(o)
	if err := o.walk(v, o.openF); err != nil {
		return fmt.Errorf("shred: open: %w", err)
	}
	return o.result()
}

// open opens one field.
func (o *op) open(f *pii.Field, fv reflect.Value, subject string) error {
	if !f.Personal() || f.Tag.Plain {
		return nil
	}
	v, kind := textOf(fv)
	if kind == notText || isEmpty(v, kind) || !prefixed(v, kind) {
		return nil
	}
	if subject == "" {
		o.fail(f, ErrNoSubject)
		return nil
	}
	if !v.CanSet() {
		o.fail(f, ErrNotSettable)
		return nil
	}
	h, err := o.key(subject, false)
	if storeFailure(err) {
		o.storeFail(err) // reported once, not for each field
		return nil
	}
	if err == nil && h.key.erased {
		err = ErrErased
	}
	var pt []byte
	if err == nil {
		if kind == strText {
			pt, err = decrypt(o, h, f.ID, v.String())
		} else {
			pt, err = decrypt(o, h, f.ID, v.Bytes())
		}
	}
	switch {
	case errors.Is(err, ErrErased):
		setErased(f, v, kind)
		o.fail(f, err)
	case err != nil:
		o.fail(f, err)
	case kind == strText:
		v.SetString(string(pt))
	default:
		v.SetBytes(pt)
	}
	return nil
}

// Reseal brings the sealed fields of v up to the subject's current key
// after RotateSubject: a value sealed under an older key of the subject is
// opened and sealed again under the primary key; values not sealed yet are
// sealed, as by Seal. Like Seal it is all or nothing.
func (s *Shredder) Reseal(ctx context.Context, v any) error {
	o := s.getOp(ctx, "reseal")
	defer s.putOp(o)
	o.keepUndo = true
	if err := o.walk(v, o.resealF); err != nil {
		o.rollback(v)
		return o.walkErr(err)
	}
	return nil
}

// reseal reseals one field.
func (o *op) reseal(f *pii.Field, fv reflect.Value, subject string) error {
	if !f.Personal() || f.Tag.Plain {
		return nil
	}
	v, kind := textOf(fv)
	if kind == notText || isEmpty(v, kind) || !sealedText(v, kind) {
		return o.seal(f, fv, subject)
	}
	if subject == "" {
		return o.stop(f, ErrNoSubject)
	}
	if !v.CanSet() {
		return o.stop(f, ErrNotSettable)
	}
	h, err := o.key(subject, true)
	if storeFailure(err) {
		o.first = o.storeFail(err)
		return o.first
	}
	if err == nil && h.key.erased {
		err = ErrErased
	}
	var pt []byte
	if err == nil {
		if kind == strText {
			pt, err = decrypt(o, h, f.ID, v.String())
		} else {
			pt, err = decrypt(o, h, f.ID, v.Bytes())
		}
	}
	if err != nil {
		return o.stop(f, err)
	}
	if o.lastID == h.key.primary {
		return nil
	}
	txt, err := o.encrypt(h.key, subject, f.ID, pt)
	if err != nil {
		return o.stop(f, err)
	}
	o.set(v, kind, txt)
	return nil
}
