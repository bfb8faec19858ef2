package detect

import (
	"errors"
	"io"
	"strings"
)

// ErrClosed is returned by writes to a closed redacting writer.
var ErrClosed = errors.New("detect: write to closed redacting writer")

// redactWriter redacts what is written to it and writes the result to dst.
type redactWriter struct {
	r      *TextRedactor
	dst    io.Writer
	w      window
	out    int // bytes of buf before out have been written (or replaced)
	b      strings.Builder
	err    error
	closed bool
}

// NewWriter returns a writer that redacts the text written to it and
// writes the result to dst. Output lags the input by a few hundred bytes;
// Close flushes the rest (it does not close dst). The output is what
// Redact returns for the whole text.
func (r *TextRedactor) NewWriter(dst io.Writer) io.WriteCloser {
	rw := &redactWriter{r: r, dst: dst}
	rw.w.init(r.det, 0)
	return rw
}

// Write buffers p and writes out the redacted text that can no longer be
// part of a finding.
func (rw *redactWriter) Write(p []byte) (int, error) {
	if rw.closed {
		return 0, ErrClosed
	}
	if rw.err != nil {
		return 0, rw.err
	}
	rw.w.buf = append(rw.w.buf, p...)
	for rw.w.full() && rw.err == nil {
		rw.process(false)
	}
	return len(p), rw.err
}

// Close writes out the rest of the redacted text.
func (rw *redactWriter) Close() error {
	if rw.closed {
		return rw.err
	}
	rw.closed = true
	if rw.err == nil {
		rw.process(true)
	}
	return rw.err
}

func (rw *redactWriter) process(final bool) {
	rw.b.Reset()
	rw.w.run(final, func(s string, f Finding) {
		rw.b.WriteString(s[rw.out:f.Start])
		rw.r.write(&rw.b, f)
		rw.out = f.End
	})
	// A later finding starts at the scan position at the earliest, or an
	// e-mail local part before it.
	safe := len(rw.w.buf)
	if !final {
		safe = max(rw.out, rw.w.pos-maxLocal-1)
	}
	if safe > rw.out {
		rw.b.Write(rw.w.buf[rw.out:safe])
		rw.out = safe
	}
	if rw.b.Len() > 0 {
		if _, err := io.WriteString(rw.dst, rw.b.String()); err != nil {
			rw.err = err
		}
	}
	if !final {
		before := rw.w.base
		rw.w.discard(rw.out)
		rw.out -= rw.w.base - before
	}
}

// redactReader redacts the text read through it.
type redactReader struct {
	src  io.Reader
	rw   *redactWriter
	out  strings.Builder
	rd   *strings.Reader
	tmp  []byte
	done bool
	err  error
}

// NewReader returns a reader that yields the text of src with personal
// data redacted, as Redact would for the whole text.
func (r *TextRedactor) NewReader(src io.Reader) io.Reader {
	rr := &redactReader{src: src, tmp: make([]byte, defaultChunk)}
	rr.rw = &redactWriter{r: r, dst: &rr.out}
	rr.rw.w.init(r.det, 0)
	rr.rd = strings.NewReader("")
	return rr
}

// Read reads redacted text.
func (rr *redactReader) Read(p []byte) (int, error) {
	empty := 0
	for rr.rd.Len() == 0 {
		if rr.done {
			if rr.err != nil {
				return 0, rr.err
			}
			return 0, io.EOF
		}
		rr.out.Reset()
		n, err := rr.src.Read(rr.tmp)
		if n > 0 {
			empty = 0
			if _, werr := rr.rw.Write(rr.tmp[:n]); werr != nil {
				rr.done, rr.err = true, werr
			}
		} else if err == nil {
			if empty++; empty >= maxEmptyReads {
				err = io.ErrNoProgress
			}
		}
		if err != nil {
			rr.done = true
			if err != io.EOF {
				rr.err = err
			}
			if cerr := rr.rw.Close(); cerr != nil && rr.err == nil {
				rr.err = cerr
			}
		}
		rr.rd = strings.NewReader(rr.out.String())
	}
	return rr.rd.Read(p)
}
