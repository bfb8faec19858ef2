package rights

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"strconv"

	"github.com/tink-crypto/tink-go/v2/keyset"
	"github.com/tink-crypto/tink-go/v2/streamingaead"
	"github.com/tink-crypto/tink-go/v2/tink"
)

// spooler makes the temporary files an export writes each file's content
// to while a source streams its records, so that memory stays flat however
// many records there are. What is spooled is personal data in clear, so it
// is encrypted (Tink streaming AEAD, AES-256-GCM-HKDF with 4 KB segments)
// under a key that exists only in this process's memory, for the length of
// one export: a spool file left behind by a crash cannot be read.
type spooler struct {
	dir  string
	aead tink.StreamingAEAD
	n    int
}

func newSpooler(dir string) (*spooler, error) {
	h, err := keyset.NewHandle(streamingaead.AES256GCMHKDF4KBKeyTemplate())
	if err != nil {
		return nil, fmt.Errorf("spool key: %w", err)
	}
	a, err := streamingaead.New(h)
	if err != nil {
		return nil, fmt.Errorf("spool key: %w", err)
	}
	return &spooler{dir: dir, aead: a}, nil
}

const spoolBuffer = 32 << 10

// spool is one spooled file: plaintext is buffered, encrypted and written
// to an unlinked temporary file.
type spool struct {
	*bufio.Writer // plaintext
	f             *os.File
	fw            *bufio.Writer // ciphertext
	enc           io.WriteCloser
	ad            []byte
	a             tink.StreamingAEAD
}

// create opens a new spool file. On systems that allow it, the file is
// unlinked at once, so that nothing stays on disk after the process ends.
func (sp *spooler) create() (*spool, error) {
	f, err := os.CreateTemp(sp.dir, "gdprkit-export-*.spool")
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	_ = os.Remove(f.Name())
	sp.n++
	s := &spool{f: f, fw: bufio.NewWriterSize(f, spoolBuffer), ad: []byte("gdprkit/export/spool/" + strconv.Itoa(sp.n)), a: sp.aead}
	if s.enc, err = sp.aead.NewEncryptingWriter(s.fw, s.ad); err != nil {
		s.close()
		return nil, fmt.Errorf("spool: %w", err)
	}
	s.Writer = bufio.NewWriterSize(s.enc, spoolBuffer)
	return s, nil
}

// copyTo ends writing, then decrypts the spooled content into w, and
// returns its size and SHA-256 in hex.
func (s *spool) copyTo(w io.Writer, buf []byte) (int64, string, error) {
	if err := s.Flush(); err != nil {
		return 0, "", fmt.Errorf("spool: %w", err)
	}
	if err := s.enc.Close(); err != nil {
		return 0, "", fmt.Errorf("spool: %w", err)
	}
	if err := s.fw.Flush(); err != nil {
		return 0, "", fmt.Errorf("spool: %w", err)
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return 0, "", fmt.Errorf("spool: %w", err)
	}
	r, err := s.a.NewDecryptingReader(bufio.NewReaderSize(s.f, spoolBuffer), s.ad)
	if err != nil {
		return 0, "", fmt.Errorf("spool: %w", err)
	}
	h := newHashCounter()
	if _, err := io.CopyBuffer(io.MultiWriter(w, h), r, buf); err != nil {
		return h.n, "", fmt.Errorf("spool: %w", err)
	}
	return h.n, h.hex(), nil
}

// close closes and removes the file.
func (s *spool) close() error {
	err := s.f.Close()
	if rmErr := os.Remove(s.f.Name()); rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
		err = errors.Join(err, rmErr)
	}
	return err
}

// hashCounter takes the SHA-256 and the size of what is written to it.
type hashCounter struct {
	h hash.Hash
	n int64
}

func newHashCounter() *hashCounter { return &hashCounter{h: sha256.New()} }

// Write hashes and counts p.
func (c *hashCounter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return c.h.Write(p)
}

func (c *hashCounter) hex() string { return hex.EncodeToString(c.h.Sum(nil)) }
