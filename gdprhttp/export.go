package gdprhttp

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/tink-crypto/tink-go/v2/keyset"
	"github.com/tink-crypto/tink-go/v2/streamingaead"
	"github.com/tink-crypto/tink-go/v2/tink"
)

// exports keeps the exports written and waiting to be downloaded, each in
// a temporary file encrypted under a key held in memory only, and the
// single-use links to them.
type exports struct {
	dir  string
	now  func() time.Time
	aead tink.StreamingAEAD
	mu   sync.Mutex
	// spools by ticket; links by token.
	spools map[string]*spool
	links  map[string]link
	// writing serialises the writing of one ticket's export.
	writing sync.Map
	ttl     time.Duration
}

// spool is one written export.
type spool struct {
	f       *os.File
	size    int64
	ad      []byte
	written time.Time
	name    string
}

type link struct {
	ticket  string
	expires time.Time
}

func newExports(dir string, now func() time.Time, ttl time.Duration) (*exports, error) {
	kh, err := keyset.NewHandle(streamingaead.AES256GCMHKDF4KBKeyTemplate())
	if err != nil {
		return nil, fmt.Errorf("gdprhttp: spool key: %w", err)
	}
	a, err := streamingaead.New(kh)
	if err != nil {
		return nil, fmt.Errorf("gdprhttp: spool key: %w", err)
	}
	return &exports{dir: dir, now: now, ttl: ttl, aead: a, spools: map[string]*spool{}, links: map[string]link{}}, nil
}

// countingWriter counts what passes through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// export writes the ticket's export to a spool file, unless one is
// waiting, and returns a new link to it. The archive is written in full
// before any link exists: a failed export leaves no file and no link.
func (h *Handler) export(ctx context.Context, ticket string) (*Link, error) {
	x := h.exports
	mu, _ := x.writing.LoadOrStore(ticket, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	if !x.ready(ticket) {
		s, err := x.write(func(w io.Writer) error {
			_, err := h.kit.Desk().Export(ctx, ticket, w)
			return err
		})
		if err != nil {
			return nil, err
		}
		s.name = "personal-data-" + s.written.UTC().Format("2006-01-02") + ".zip"
		x.put(ticket, s)
	}
	return x.newLink(ticket, h.cfg.LinkTTL), nil
}

// write spools what fill writes.
func (x *exports) write(fill func(io.Writer) error) (*spool, error) {
	f, err := os.CreateTemp(x.dir, "gdprhttp-export-*.spool")
	if err != nil {
		return nil, fmt.Errorf("gdprhttp: spool: %w", err)
	}
	_ = os.Remove(f.Name()) // unlinked at once where the system allows it
	s := &spool{f: f, written: x.now()}
	s.ad = make([]byte, 16)
	_, _ = rand.Read(s.ad)
	fw := bufio.NewWriter(f)
	enc, err := x.aead.NewEncryptingWriter(fw, s.ad)
	if err == nil {
		cw := &countingWriter{w: enc}
		err = fill(cw)
		s.size = cw.n
		if cerr := enc.Close(); err == nil {
			err = cerr
		}
		if ferr := fw.Flush(); err == nil {
			err = ferr
		}
	}
	if err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func (s *spool) close() {
	_ = s.f.Close()
	_ = os.Remove(s.f.Name())
}

func (x *exports) put(ticket string, s *spool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.pruneLocked()
	if old := x.spools[ticket]; old != nil {
		old.close()
	}
	x.spools[ticket] = s
}

// pruneLocked removes the spools older than ttl and the expired links.
func (x *exports) pruneLocked() {
	now := x.now()
	for t, s := range x.spools {
		if now.Sub(s.written) > x.ttl {
			s.close()
			delete(x.spools, t)
		}
	}
	for tok, l := range x.links {
		if now.After(l.expires) {
			delete(x.links, tok)
		}
	}
}

// ready reports whether the ticket's export waits to be downloaded.
func (x *exports) ready(ticket string) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	s, ok := x.spools[ticket]
	return ok && x.now().Sub(s.written) <= x.ttl
}

func (x *exports) newLink(ticket string, ttl time.Duration) *Link {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	tok := base64.RawURLEncoding.EncodeToString(b)
	l := link{ticket: ticket, expires: x.now().Add(ttl)}
	x.mu.Lock()
	x.links[tok] = l
	x.mu.Unlock()
	return &Link{Path: "download/" + tok, Expires: l.expires}
}

// take removes the link and returns its spool, taken out of the table
// while it is served.
func (x *exports) take(token string) (*spool, string, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	l, ok := x.links[token]
	delete(x.links, token)
	if !ok || x.now().After(l.expires) {
		return nil, "", false
	}
	s, ok := x.spools[l.ticket]
	if !ok || x.now().Sub(s.written) > x.ttl {
		return nil, "", false
	}
	delete(x.spools, l.ticket)
	return s, l.ticket, true
}

// valid reports whether a link would serve an export now.
func (x *exports) valid(token string) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	l, ok := x.links[token]
	if !ok || x.now().After(l.expires) {
		return false
	}
	s, ok := x.spools[l.ticket]
	return ok && x.now().Sub(s.written) <= x.ttl
}

// giveBack returns a spool whose download failed, for another link.
func (x *exports) giveBack(ticket string, s *spool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if _, ok := x.spools[ticket]; ok {
		s.close()
		return
	}
	x.spools[ticket] = s
}

func (x *exports) close() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	for t, s := range x.spools {
		s.close()
		delete(x.spools, t)
	}
	clear(x.links)
	return nil
}

// download serves an export once, whole, with its length. A HEAD request
// leaves the link unused.
func (h *Handler) download(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodHead {
		if !h.exports.valid(r.PathValue("token")) {
			h.fail(w, r, false, errUnknownLink)
			return
		}
		w.Header().Set("Content-Type", "application/zip")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusOK)
		return
	}
	s, ticket, ok := h.exports.take(r.PathValue("token"))
	if !ok {
		h.fail(w, r, false, errUnknownLink)
		return
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		h.exports.giveBack(ticket, s)
		h.fail(w, r, false, h.internal(r.Context(), "reading an export failed", err))
		return
	}
	dec, err := h.exports.aead.NewDecryptingReader(bufio.NewReader(s.f), s.ad)
	if err != nil {
		h.exports.giveBack(ticket, s)
		h.fail(w, r, false, h.internal(r.Context(), "reading an export failed", err))
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "application/zip")
	hd.Set("Content-Length", strconv.FormatInt(s.size, 10))
	hd.Set("Content-Disposition", `attachment; filename="`+s.name+`"`)
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(http.StatusOK)
	n, err := io.Copy(w, dec)
	if err != nil || n != s.size {
		if err == nil {
			err = errors.New("gdprhttp: export shorter than its length")
		}
		h.log.WarnContext(r.Context(), "a download broke off; the export waits for a new link", "request", ticket, "err", err)
		h.exports.giveBack(ticket, s)
		return
	}
	s.close()
}
