package shred

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/tink-crypto/tink-go/v2/aead"
	"github.com/tink-crypto/tink-go/v2/insecurecleartextkeyset"
	"github.com/tink-crypto/tink-go/v2/keyset"
	"github.com/tink-crypto/tink-go/v2/tink"
)

// LocalKEK returns a key-encryption key kept in clear in a local file,
// creating the file (mode 0600) with a new AES-256-GCM keyset when it does
// not exist. It is for development and tests only: whoever reads the file
// can unwrap every subject key, and erasure is only as good as the file's
// secrecy. In production, use a KMS, whose key never leaves it:
//
//	import "github.com/tink-crypto/tink-go-gcpkms/v2/integration/gcpkms"
//
//	client, err := gcpkms.NewClientWithOptions(ctx, "gcp-kms://")
//	kek, err := client.GetAEAD("gcp-kms://projects/p/locations/l/keyRings/r/cryptoKeys/k")
//
// or, on AWS, with github.com/tink-crypto/tink-go-awskms/v2/integration/awskms:
//
//	client, err := awskms.NewClientWithOptions("aws-kms://arn:aws:kms:eu-west-1:…:key/…")
//	kek, err := client.GetAEAD("aws-kms://arn:aws:kms:eu-west-1:…:key/…")
func LocalKEK(path string) (tink.AEAD, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		data, err = createLocalKEK(path)
	}
	if err != nil {
		return nil, fmt.Errorf("shred: LocalKEK %s: %w", path, err)
	}
	h, err := insecurecleartextkeyset.Read(keyset.NewBinaryReader(bytes.NewReader(data)))
	if err != nil {
		return nil, fmt.Errorf("shred: LocalKEK %s: not a keyset: %w", path, err)
	}
	a, err := aead.New(h)
	if err != nil {
		return nil, fmt.Errorf("shred: LocalKEK %s: %w", path, err)
	}
	return a, nil
}

// createLocalKEK writes a new keyset to path, atomically: it is written to a
// temporary file and linked into place, so a concurrent caller sees either
// no file or a whole one, and the first to link wins.
func createLocalKEK(path string) ([]byte, error) {
	h, err := keyset.NewHandle(aead.AES256GCMKeyTemplate())
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := insecurecleartextkeyset.Write(h, keyset.NewBinaryWriter(&buf)); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".kek-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) {
		return os.ReadFile(path) // another caller was first
	} else if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
