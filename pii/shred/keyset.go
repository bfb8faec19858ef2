package shred

import (
	"bytes"
	"fmt"

	"github.com/tink-crypto/tink-go/v2/aead"
	"github.com/tink-crypto/tink-go/v2/keyset"
	"github.com/tink-crypto/tink-go/v2/tink"
)

// newSubjectKeyset creates a subject's keyset: one AES-256-GCM key with
// Tink's output prefix, so that ciphertexts name the key that made them
// and keys can be added by rotation.
func newSubjectKeyset() (*keyset.Handle, error) {
	h, err := keyset.NewHandle(aead.AES256GCMKeyTemplate())
	if err != nil {
		return nil, fmt.Errorf("shred: create key: %w", err)
	}
	return h, nil
}

// wrap encrypts a keyset with the KEK, bound to its namespace and reference.
func wrap(h *keyset.Handle, kek tink.AEAD, namespace, ref string) ([]byte, error) {
	var buf bytes.Buffer
	if err := h.WriteWithAssociatedData(keyset.NewBinaryWriter(&buf), kek, wrapAD(namespace, ref)); err != nil {
		return nil, fmt.Errorf("shred: wrap key: %w", err)
	}
	return buf.Bytes(), nil
}

// unwrap decrypts a record's keyset with the KEK that wrapped it.
func unwrap(r KeyRecord, kek tink.AEAD) (*keyset.Handle, error) {
	h, err := keyset.ReadWithAssociatedData(keyset.NewBinaryReader(bytes.NewReader(r.Wrapped)), kek, wrapAD(r.Namespace, r.Ref))
	if err != nil {
		return nil, fmt.Errorf("%w (namespace %q, ref %s): %v", ErrUnwrap, r.Namespace, r.Ref, err)
	}
	return h, nil
}

// liveKey makes the Shredder's form of an unwrapped keyset.
func liveKey(h *keyset.Handle, generation int) (*subjectKey, error) {
	a, err := aead.New(h)
	if err != nil {
		return nil, fmt.Errorf("shred: key primitive: %w", err)
	}
	info := h.KeysetInfo()
	k := &subjectKey{aead: a, primary: info.GetPrimaryKeyId(), generation: generation}
	for _, ki := range info.GetKeyInfo() {
		k.ids = append(k.ids, ki.GetKeyId())
	}
	return k, nil
}
