package detect

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// streamFind runs a Scanner with the given chunk size over r.
func streamFind(t testing.TB, r io.Reader, d *Detector, chunk int) []Finding {
	sc := NewScanner(r, d)
	sc.w.chunk = chunk
	var out []Finding
	for sc.Scan() {
		out = append(out, sc.Finding())
	}
	require.NoError(t, sc.Err())
	return out
}

// streamRedact runs a redacting writer with the given chunk size, writing
// the input in pieces of the given size.
func streamRedact(t testing.TB, r *TextRedactor, text string, chunk, piece int) string {
	var out bytes.Buffer
	w := r.NewWriter(&out)
	w.(*redactWriter).w.chunk = chunk
	for len(text) > 0 {
		n := min(piece, len(text))
		_, err := w.Write([]byte(text[:n]))
		require.NoError(t, err)
		text = text[n:]
	}
	require.NoError(t, w.Close())
	return out.String()
}

func TestScannerMatchesAcrossChunks(t *testing.T) {
	text := strings.Repeat("пример текста без данных ", 40) +
		"mail someone.long.name@sub.example.org, tel +49 30 1234567, ip 2001:db8::1 " +
		"card 4111 1111 1111 1111 iban DE89 3704 0044 0532 0130 00 mac 00:1a:2b:3c:4d:5e " +
		strings.Repeat("x ", 500) + "end 192.168.0.1"
	want := Find(text)
	require.Len(t, want, 7)
	for _, chunk := range []int{1, 2, 3, 7, 16, 64, 100, 333, 4096, defaultChunk} {
		got := streamFind(t, strings.NewReader(text), nil, chunk)
		assert.Equal(t, want, got, "chunk %d", chunk)
		got = streamFind(t, iotest.OneByteReader(strings.NewReader(text)), nil, chunk)
		assert.Equal(t, want, got, "chunk %d, one-byte reads", chunk)
	}
}

func TestScannerLargeInput(t *testing.T) {
	text := string(mixedLog(3 << 20))
	want := Find(text)
	require.NotEmpty(t, want)
	got, err := New().FindReader(iotest.HalfReader(strings.NewReader(text)))
	require.NoError(t, err)
	assert.Equal(t, want, got)
	for _, f := range got {
		assert.Equal(t, text[f.Start:f.End], f.Text)
	}
}

func TestScannerReadError(t *testing.T) {
	boom := errors.New("boom")
	r := io.MultiReader(strings.NewReader("ip 10.0.0.1 "), iotest.ErrReader(boom))
	sc := NewScanner(r, New(IPv4))
	require.True(t, sc.Scan())
	assert.Equal(t, "10.0.0.1", sc.Finding().Text)
	assert.False(t, sc.Scan())
	assert.ErrorIs(t, sc.Err(), boom)
}

type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, nil }

func TestScannerNoProgress(t *testing.T) {
	sc := NewScanner(emptyReader{}, nil)
	assert.False(t, sc.Scan())
	assert.ErrorIs(t, sc.Err(), io.ErrNoProgress)
}
