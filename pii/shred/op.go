package shred

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/gdprkit/gdprkit/pii"
)

// op is the state of one Seal, Open, Reseal, Marshal or Unmarshal call:
// the keys met so far and reused buffers, pooled by the Shredder so that
// the hot path allocates only what it returns.
type op struct {
	s      *Shredder
	ctx    context.Context
	now    int64 // Shredder.ticks at the first key lookup
	ticked bool
	name   string // "seal", "open", …
	keys   []heldKey
	ad     []byte // associated data
	pt     []byte // plaintext
	raw    []byte // decoded ciphertext
	txt    []byte // sealed text
	errs   []*FieldError
	stores []*StoreError // distinct key store failures, each reported once
	first  error         // Seal stops at the first error

	lastID   uint32 // the key ID of the ciphertext decrypt last parsed
	undo     []undo // the values Seal or Reseal replaced
	keepUndo bool
	changed  bool // set replaced a value

	// the field functions, bound once so that passing them does not
	// allocate
	sealF, openF, resealF, restoreF fieldFunc
}

// heldKey is a subject's key as resolved for the call.
type heldKey struct {
	subject   string
	key       *subjectKey
	err       error
	refreshed bool
}

func newOp(s *Shredder) *op {
	o := &op{s: s}
	o.sealF, o.openF, o.resealF, o.restoreF = o.seal, o.open, o.reseal, o.restore
	return o
}

func (s *Shredder) getOp(ctx context.Context, name string) *op {
	o := s.ops.Get().(*op)
	o.ctx, o.name = ctx, name
	return o
}

func (s *Shredder) putOp(o *op) {
	clear(o.keys) // drop references to keys
	clear(o.undo)
	clear(o.stores)
	o.keys, o.errs, o.undo, o.first, o.ctx = o.keys[:0], o.errs[:0], o.undo[:0], nil, nil
	o.stores = o.stores[:0]
	o.keepUndo, o.ticked = false, false
	clear(o.pt[:cap(o.pt)]) // plaintext does not linger in the pool
	if cap(o.pt) > 64<<10 || cap(o.raw) > 64<<10 || cap(o.txt) > 64<<10 {
		return // do not keep large buffers around
	}
	s.ops.Put(o)
}

// key returns the subject's key for this call, asking the Shredder once.
// The *heldKey is valid until the next call of key.
func (o *op) key(subject string, create bool) (*heldKey, error) {
	for i := range o.keys {
		if len(o.keys[i].subject) == len(subject) && o.keys[i].subject == subject {
			return &o.keys[i], o.keys[i].err
		}
	}
	if !o.ticked {
		o.now, o.ticked = o.s.ticks(), true
	}
	k, err := o.s.key(o.ctx, subject, create, o.now)
	o.keys = append(o.keys, heldKey{subject: subject, key: k, err: err})
	return &o.keys[len(o.keys)-1], err
}

// refresh reloads a held key from the store, once per call, for a
// ciphertext made with a key this instance has not seen yet (another
// instance rotated the subject's key).
func (o *op) refresh(h *heldKey) bool {
	if h.refreshed {
		return false
	}
	h.refreshed = true
	o.s.forget(h.subject, nil)
	k, err := o.s.load(o.ctx, h.subject, false, o.s.ticks())
	if err != nil {
		return false
	}
	h.key = k
	return true
}

// fail records a field error.
func (o *op) fail(f *pii.Field, err error) *FieldError {
	fe := &FieldError{Op: o.name, Field: f.ID, Err: err}
	o.errs = append(o.errs, fe)
	return fe
}

// storeFailure tells whether err, from key, is a failure of the key store
// or the KEK rather than news about the subject (ErrNoKey: it was never
// sealed for here).
func storeFailure(err error) bool {
	return err != nil && !errors.Is(err, ErrNoKey)
}

// storeFail records a key store failure once: the failures met again, for
// the other fields of the subject or for other subjects, are not repeated.
func (o *op) storeFail(err error) *StoreError {
	for _, se := range o.stores {
		if se.Err == err || se.Err.Error() == err.Error() {
			return se
		}
	}
	se := &StoreError{Op: o.name, Err: err}
	o.stores = append(o.stores, se)
	return se
}

// result returns what Open or Unmarshal reports: the key store failures,
// then the field errors.
func (o *op) result() error {
	fe := fieldErrors(o.errs)
	if len(o.stores) == 0 {
		return fe
	}
	errs := make([]error, 0, len(o.stores)+1)
	for _, se := range o.stores {
		errs = append(errs, se)
	}
	if fe != nil {
		errs = append(errs, fe)
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

// The scratch buffers below are written back to the op only when they
// grew: a slice header stored into the heap costs a write barrier while the
// collector runs, on every call.

// encrypt seals plaintext for the subject and field and returns the text
// form, in a buffer reused by the next call.
func (o *op) encrypt(k *subjectKey, subject, field string, pt []byte) ([]byte, error) {
	ad := appendFieldAD(o.ad[:0], o.s.ns, subject, field)
	if cap(ad) > cap(o.ad) {
		o.ad = ad
	}
	ct, err := k.aead.Encrypt(pt, ad)
	if err != nil {
		return nil, fmt.Errorf("shred: encrypt: %w", err)
	}
	txt := appendSealed(o.txt[:0], ct)
	if cap(txt) > cap(o.txt) {
		o.txt = txt
	}
	return txt, nil
}

// decrypt opens a sealed value of the subject and field.
func decrypt[T ~string | ~[]byte](o *op, h *heldKey, field string, sealed T) ([]byte, error) {
	raw, id, err := parseCiphertext(o.raw, sealed)
	if cap(raw) > cap(o.raw) {
		o.raw = raw
	}
	o.lastID = id
	if err != nil {
		return nil, err
	}
	if !h.key.erased && !h.key.has(id) {
		o.refresh(h) // the key may have been rotated, or erased, elsewhere
	}
	if h.key.erased {
		return nil, ErrErased
	}
	if !h.key.has(id) {
		if h.key.generation > 0 {
			// The key was erased, then renewed: what the old key sealed is
			// gone with it.
			return nil, fmt.Errorf("%w (sealed before the subject's key was renewed)", ErrErased)
		}
		return nil, fmt.Errorf("%w: the subject's keyset has no key %d", ErrCiphertext, id)
	}
	ad := appendFieldAD(o.ad[:0], o.s.ns, h.subject, field)
	if cap(ad) > cap(o.ad) {
		o.ad = ad
	}
	pt, err := h.key.aead.Decrypt(raw, ad)
	if err != nil {
		return nil, ErrCiphertext
	}
	return pt, nil
}

// textKind says how a personal field's value is sealed in place.
type textKind uint8

const (
	notText  textKind = iota // cannot be sealed in place
	nilText                  // a nil pointer: nothing to seal
	strText                  // a string
	byteText                 // a []byte
)

// textOf returns the string or []byte value behind v, following one
// pointer.
func textOf(v reflect.Value) (reflect.Value, textKind) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			if isTextType(v.Type().Elem()) {
				return v, nilText
			}
			return v, notText
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		return v, strText
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return v, byteText
		}
	}
	return v, notText
}

func isTextType(t reflect.Type) bool {
	return t.Kind() == reflect.String || t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8
}

// isEmpty reports whether a text value holds nothing (nothing to seal).
func isEmpty(v reflect.Value, k textKind) bool {
	return k == nilText || v.Len() == 0
}

// sealedText reports whether a text value is already sealed.
func sealedText(v reflect.Value, k textKind) bool {
	if k == strText {
		return looksSealed(v.String())
	}
	return looksSealed(v.Bytes())
}

// prefixed reports whether a text value starts with the sealed prefix.
func prefixed(v reflect.Value, k textKind) bool {
	if k == strText {
		return hasSealedPrefix(v.String())
	}
	return hasSealedPrefix(v.Bytes())
}

// setErased sets a field of an erased subject to its replace= text, or its
// zero value.
func setErased(f *pii.Field, v reflect.Value, k textKind) {
	switch k {
	case strText:
		v.SetString(f.Tag.Replace)
	case byteText:
		if f.Tag.Replace == "" {
			v.SetBytes(nil)
		} else {
			v.SetBytes([]byte(f.Tag.Replace))
		}
	}
}
