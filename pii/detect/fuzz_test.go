package detect

import (
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"
)

func FuzzFind(f *testing.F) {
	seeds := []string{
		"", "@", "::", "+", "(", "0", "a@b.co", "x@y.z.", "::1", "1::", "fe80::1%eth0",
		sample,
		"Tel.: +49 (0)30 123 456 78, Fax 030/1234567, 01 23 45 67 89, (415) 555-2671",
		"4111 1111 1111 1111 12/29 4111-1111-1111-1111 3782 822463 10005",
		"DE89 3704 0044 0532 0130 00 GB82WEST12345698765432 DE89 3704 0044 0532 0130 0",
		"00:1a:2b:3c:4d:5e 001a.2b3c.4d5e 00-1A-2B-3C-4D-5E ::ffff:192.0.2.1",
		"电话+49 30 1234567谢谢 почта ivan@mail.ru абв0301234567где 🙂+33 6 12 34 56 78🙂",
		"version 1.2.3.4 v1.2.3.4 2024-01-15T10:23:45Z 20240115123045 1,234.56 €",
		"123e4567-e89b-12d3-a456-426614174000 da39a3ee5e6b4b0d3255bfef95601890afd80709",
		"\xff0301234567\xfe 10.0.0.1\x80 a@b.de\xc3",
		strings.Repeat("a.", 200) + "@" + strings.Repeat("b.", 200) + "com",
		strings.Repeat("1 ", 100), strings.Repeat("+1", 60), strings.Repeat("::", 40),
	}
	for k, s := range seeds {
		f.Add(s, uint16(k*37))
	}
	f.Fuzz(func(t *testing.T, text string, chunkSeed uint16) {
		fs := Find(text)
		if jumping, plain := findAllBoth(text); !slices.Equal(jumping, plain) {
			t.Fatalf("the scan's shortcuts change the findings:\n%v\n%v", jumping, plain)
		}
		prevEnd := 0
		for k, x := range fs {
			if x.Start < 0 || x.End > len(text) || x.Start >= x.End {
				t.Fatalf("finding %d %v: bad offsets for input of %d bytes", k, x, len(text))
			}
			if x.Start < prevEnd {
				t.Fatalf("finding %d %v overlaps or is out of order (previous end %d)", k, x, prevEnd)
			}
			prevEnd = x.End
			if !utf8.RuneStart(text[x.Start]) || (x.End < len(text) && !utf8.RuneStart(text[x.End])) {
				t.Fatalf("finding %d %v not on rune boundaries", k, x)
			}
			if x.Text != text[x.Start:x.End] {
				t.Fatalf("finding %d: Text %q != input %q", k, x.Text, text[x.Start:x.End])
			}
			if x.Type < Email || x.Type > maxType {
				t.Fatalf("finding %d: bad type %d", k, x.Type)
			}
		}

		// Small chunks put boundaries everywhere; at most 64 of them per
		// input keep each run fast.
		chunk := max(int(chunkSeed%97)+1, len(text)/64)
		var got []Finding
		if chunkSeed&0x8000 != 0 {
			got = streamFind(t, iotest.OneByteReader(strings.NewReader(text)), nil, chunk)
		} else {
			got = streamFind(t, strings.NewReader(text), nil, chunk)
		}
		if len(got) != len(fs) {
			t.Fatalf("stream found %d, string found %d:\n%v\n%v", len(got), len(fs), got, fs)
		}
		for k := range fs {
			if got[k] != fs[k] {
				t.Fatalf("finding %d: stream %v, string %v", k, got[k], fs[k])
			}
		}

		r := NewTextRedactor(TextRedactorConfig{Default: StyleMask})
		want := r.Redact(text)
		if len(fs) == 0 && want != text {
			t.Fatalf("redacted text without findings")
		}
		if out := streamRedact(t, r, text, chunk, max(int(chunkSeed>>8)+1, len(text)/64)); out != want {
			t.Fatalf("stream redaction differs:\n%q\n%q", out, want)
		}
	})
}
