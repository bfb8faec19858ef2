package detect

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sample = "Mail john.doe@example.com, Tel +49 30 1234567, Karte 4111 1111 1111 1111, " +
	"IBAN DE89 3704 0044 0532 0130 00, IP 10.1.2.3 / 2001:db8::1, MAC 00:1a:2b:3c:4d:5e."

func TestRedactStyles(t *testing.T) {
	cases := []struct {
		style Style
		want  string
	}{
		{StyleFull, "Mail [email], Tel [phone], Karte [card], IBAN [iban], IP [ipv4] / [ipv6], MAC [mac]."},
		{StyleMask, "Mail ****.***@*******.***, Tel +** ** *******, Karte **** **** **** ****, " +
			"IBAN **** **** **** **** **** **, IP **.*.*.* / ****:***::*, MAC **:**:**:**:**:**."},
		{StyleMaskFirst, "Mail j***.***@*******.***, Tel +4* ** *******, Karte 4*** **** **** ****, " +
			"IBAN D*** **** **** **** **** **, IP 1*.*.*.* / 2***:***::*, MAC 0*:**:**:**:**:**."},
		{StyleLast4, "Mail ****.***@******e.com, Tel +** ** ***4567, Karte **** **** **** 1111, " +
			"IBAN **** **** **** **** **30 00, IP *0.1.2.3 / ****:db8::1, MAC **:**:**:**:4d:5e."},
		{StyleDrop, "Mail , Tel , Karte , IBAN , IP  / , MAC ."},
		{StyleKeep, sample},
	}
	for _, c := range cases {
		r := NewTextRedactor(TextRedactorConfig{Default: c.style})
		assert.Equal(t, c.want, r.Redact(sample), "style %s", c.style)
		assert.Equal(t, c.style, r.Style(Email))
	}
}

func TestRedactPerTypeAndHash(t *testing.T) {
	var seen []string
	r := NewTextRedactor(TextRedactorConfig{
		Styles:       map[Type]Style{Email: StyleHash, IBAN: StyleHash, Card: StyleLast4, IPv4: StyleKeep, IPv6: StyleKeep},
		Placeholders: map[Type]string{Phone: "<tel>"},
		Mask:         '#',
		Hash: func(t Type, s string) string {
			seen = append(seen, t.String()+"="+s)
			return "tok_" + t.String()
		},
	})
	got := r.RedactString(sample)
	assert.Equal(t, "Mail tok_email, Tel <tel>, Karte #### #### #### 1111, IBAN tok_iban, "+
		"IP 10.1.2.3 / 2001:db8::1, MAC [mac].", got)
	assert.Equal(t, []string{"email=john.doe@example.com", "iban=DE89 3704 0044 0532 0130 00"}, seen)

	// StyleHash without a function falls back to the placeholder.
	assert.Equal(t, "x [ipv4]", NewTextRedactor(TextRedactorConfig{Default: StyleHash}).Redact("x 10.0.0.1"))
	// Only what the detector looks for is redacted.
	assert.Equal(t, "a@b.de [ipv4]", NewTextRedactor(TextRedactorConfig{Detector: New(IPv4)}).Redact("a@b.de 10.0.0.1"))
	// A zero TextRedactor redacts everything with placeholders and '*'.
	var zero TextRedactor
	assert.Equal(t, "[email]", zero.Redact("x@y.de"))
	zero.styles[Email] = StyleMask
	assert.Equal(t, "*@*.**", zero.Redact("x@y.de"))
	assert.Equal(t, "Style(42)", Style(42).String())
	assert.Equal(t, StyleKeep, zero.Style(Type(0)))
}

// The interface the pii package's log handler accepts.
type stringRedactor interface{ RedactString(string) string }

func TestRedactorIsStringRedactor(t *testing.T) {
	var sr stringRedactor = NewTextRedactor(TextRedactorConfig{})
	assert.Equal(t, "call [phone]", sr.RedactString("call +33 6 12 34 56 78"))
}

func TestRedactNoAllocWhenClean(t *testing.T) {
	r := NewTextRedactor(TextRedactorConfig{})
	clean := "GET /api/v1/users?id=42 200 1532 0.012ms 2024-01-15T10:23:45Z ua=Mozilla/5.0"
	var out string
	allocs := testing.AllocsPerRun(200, func() { out = r.Redact(clean) })
	assert.Zero(t, allocs)
	assert.Equal(t, clean, out)
	assert.Equal(t, "", r.Redact(""))
}

func TestRedactWriterAndReader(t *testing.T) {
	text := strings.Repeat("Ünïcödé ✓ ", 50) + sample + strings.Repeat(" filler", 300) + " " + sample
	for _, style := range []Style{StyleFull, StyleMask, StyleDrop} {
		r := NewTextRedactor(TextRedactorConfig{Default: style})
		want := r.Redact(text)
		for _, chunk := range []int{1, 5, 64, 1000, defaultChunk} {
			for _, piece := range []int{1, 7, 100, len(text)} {
				assert.Equal(t, want, streamRedact(t, r, text, chunk, piece), "chunk %d piece %d", chunk, piece)
			}
		}
		got, err := io.ReadAll(r.NewReader(iotest.HalfReader(strings.NewReader(text))))
		require.NoError(t, err)
		assert.Equal(t, want, string(got))
	}

	var buf bytes.Buffer
	w := NewTextRedactor(TextRedactorConfig{}).NewWriter(&buf)
	require.NoError(t, w.Close())
	require.NoError(t, w.Close())
	_, err := w.Write([]byte("x"))
	assert.ErrorIs(t, err, ErrClosed)
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, io.ErrShortWrite }

func TestRedactWriterError(t *testing.T) {
	w := NewTextRedactor(TextRedactorConfig{}).NewWriter(failWriter{})
	_, err := w.Write([]byte(strings.Repeat("a", 200<<10)))
	assert.ErrorIs(t, err, io.ErrShortWrite)
	_, err = w.Write([]byte("b"))
	assert.ErrorIs(t, err, io.ErrShortWrite)
	assert.ErrorIs(t, w.Close(), io.ErrShortWrite)

	rd := NewTextRedactor(TextRedactorConfig{}).NewReader(iotest.ErrReader(io.ErrUnexpectedEOF))
	_, err = io.ReadAll(rd)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
}
