package detect

import (
	"io"
	"strings"
)

const (
	// lookahead bounds how far past the position that triggered it a
	// validator reads: an e-mail domain (253 bytes) plus the character
	// after it, with room to spare.
	lookahead = 320
	// lookbehind bounds how far before a position the scanner reads: an
	// e-mail local part (64 bytes), the word before an IPv4 address, a
	// currency sign, one rune.
	lookbehind = 128
	// defaultChunk is how much new input the stream forms scan at a time.
	defaultChunk = 64 << 10
	// maxEmptyReads is how many reads returning nothing are tolerated.
	maxEmptyReads = 100
)

// window holds the part of a stream that is still needed: buf[0] is at
// offset base of the stream, scanning resumes at buf[pos].
type window struct {
	d       *Detector
	buf     []byte
	base    int
	pos     int
	lastEnd int // absolute end of the previous finding
	chunk   int
}

func (w *window) init(d *Detector, chunk int) {
	if d == nil {
		d = defaultDetector
	}
	if chunk <= 0 {
		chunk = defaultChunk
	}
	w.d, w.chunk = d, chunk
}

// full reports whether enough input is buffered to scan a chunk.
func (w *window) full() bool {
	return len(w.buf)-w.pos >= lookahead+w.chunk
}

// run scans the buffered input and calls emit for each finding, with
// offsets relative to buf and Text pointing into s, a copy of buf. Unless
// final, it stops lookahead bytes before the end of the buffer, so that
// every validator sees the same bytes it would see in the whole input.
func (w *window) run(final bool, emit func(s string, f Finding)) {
	s := string(w.buf)
	limit := len(s)
	if !final {
		limit -= lookahead
	}
	for w.pos < limit {
		lastEnd := max(w.lastEnd-w.base, 0)
		f, ok, next := w.d.scan(s, w.pos, limit, lastEnd)
		if !ok {
			w.pos = next
			break
		}
		w.pos = f.End
		w.lastEnd = w.base + f.End
		emit(s, f)
	}
}

// discard drops the buffered bytes before keep (relative), never those
// within lookbehind of the scan position.
func (w *window) discard(keep int) {
	keep = min(keep, w.pos-lookbehind)
	if keep <= 0 {
		return
	}
	n := copy(w.buf, w.buf[keep:])
	w.buf = w.buf[:n]
	w.base += keep
	w.pos -= keep
}

// readFrom reads from r into buf until a chunk is buffered, r is
// exhausted, or r fails.
func (w *window) readFrom(r io.Reader) (eof bool, err error) {
	empty := 0
	for !w.full() {
		if cap(w.buf)-len(w.buf) < w.chunk/2+1 {
			nb := make([]byte, len(w.buf), 2*cap(w.buf)+w.chunk+lookahead)
			copy(nb, w.buf)
			w.buf = nb
		}
		n, err := r.Read(w.buf[len(w.buf):cap(w.buf)])
		w.buf = w.buf[:len(w.buf)+n]
		if err == io.EOF {
			return true, nil
		}
		if err != nil {
			return true, err
		}
		if n == 0 {
			if empty++; empty >= maxEmptyReads {
				return true, io.ErrNoProgress
			}
		} else {
			empty = 0
		}
	}
	return false, nil
}

// Scanner finds personal data in a stream. It reads the input in chunks
// and keeps enough of the previous chunk that a match spanning a chunk
// boundary is found; offsets are relative to the start of the stream.
// It reports exactly the findings FindAll reports on the whole input.
//
//	sc := detect.NewScanner(r, nil)
//	for sc.Scan() {
//		f := sc.Finding()
//		…
//	}
//	if err := sc.Err(); err != nil { … }
type Scanner struct {
	r     io.Reader
	w     window
	queue []Finding
	next  int
	cur   Finding
	done  bool
	err   error
}

// NewScanner returns a Scanner reading from r and looking for what d
// looks for (every type when d is nil).
func NewScanner(r io.Reader, d *Detector) *Scanner {
	sc := &Scanner{r: r}
	sc.w.init(d, 0)
	return sc
}

// Scan advances to the next finding, which Finding then returns. It
// returns false at the end of the input or on a read error.
func (sc *Scanner) Scan() bool {
	for {
		if sc.next < len(sc.queue) {
			sc.cur = sc.queue[sc.next]
			sc.next++
			return true
		}
		sc.queue, sc.next = sc.queue[:0], 0
		if sc.done {
			return false
		}
		eof, err := sc.w.readFrom(sc.r)
		if err != nil {
			sc.err = err
		}
		base := sc.w.base
		sc.w.run(eof, func(_ string, f Finding) {
			f.Start += base
			f.End += base
			f.Text = strings.Clone(f.Text)
			sc.queue = append(sc.queue, f)
		})
		if eof {
			sc.done = true
		} else {
			sc.w.discard(sc.w.pos)
		}
	}
}

// Finding returns the finding the last call to Scan advanced to.
func (sc *Scanner) Finding() Finding { return sc.cur }

// Err returns the first error reading the input, other than io.EOF.
func (sc *Scanner) Err() error { return sc.err }

// FindReader returns every finding in the stream r, as a Scanner reports
// them.
func (d *Detector) FindReader(r io.Reader) ([]Finding, error) {
	sc := NewScanner(r, d)
	var out []Finding
	for sc.Scan() {
		out = append(out, sc.Finding())
	}
	return out, sc.Err()
}
