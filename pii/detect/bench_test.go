package detect

import (
	"fmt"
	"strings"
	"testing"
)

// mixedLog returns about size bytes of application log lines,
// deterministically, with personal data in roughly one line of eight.
func mixedLog(size int) []byte {
	g := newGen(42)
	r := g.r
	levels := []string{"INFO ", "DEBUG", "WARN ", "ERROR"}
	paths := []string{"/api/v1/users", "/api/v1/orders", "/healthz", "/static/app.js", "/login", "/api/v2/search"}
	msgs := []string{
		"request completed", "cache miss for key session:%d", "retrying upstream call attempt=%d",
		"user profile updated fields=[name,address] version=%d", "payment authorised order=ORD-%06d",
		"Benutzer %d hat sich angemeldet", "запрос обработан за %dms", "请求已完成 耗时%d毫秒",
		"job finished in %d.%03ds", "commit da39a3ee5e6b4b0d3255bfef95601890afd80709 deployed to %d hosts",
	}
	buf := make([]byte, 0, size+512)
	for line := 0; len(buf) < size; line++ {
		ts := fmt.Sprintf("2024-%02d-%02dT%02d:%02d:%02d.%03dZ", 1+r.IntN(12), 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1000))
		msg := msgs[r.IntN(len(msgs))]
		if count := countVerbs(msg); count == 1 {
			msg = fmt.Sprintf(msg, r.IntN(100000))
		} else if count == 2 {
			msg = fmt.Sprintf(msg, r.IntN(100), r.IntN(1000))
		}
		buf = fmt.Appendf(buf, "%s %s [worker-%d] %s %s %d %dms trace=%s %s",
			ts, levels[r.IntN(len(levels))], r.IntN(16), "GET", paths[r.IntN(len(paths))],
			[]int{200, 200, 200, 201, 304, 404, 500}[r.IntN(7)], r.IntN(900), g.uuid(), msg)
		if line%8 == 0 {
			switch r.IntN(7) {
			case 0:
				buf = append(buf, " email="+g.email()...)
			case 1:
				buf = append(buf, " phone="+g.phone()...)
			case 2:
				buf = append(buf, " client_ip="+g.ipv4()...)
			case 3:
				buf = append(buf, " addr="+g.ipv6()...)
			case 4:
				buf = append(buf, " card="+g.card()...)
			case 5:
				lengths := IBANCountries()
				buf = append(buf, " iban="+g.iban([]string{"DE", "FR", "NL", "PL", "ES"}, lengths)...)
			case 6:
				buf = append(buf, " mac="+g.mac()...)
			}
		}
		buf = append(buf, '\n')
	}
	return buf
}

func countVerbs(s string) int {
	n := 0
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '%' {
			n++
		}
	}
	return n
}

var benchSink int

// BenchmarkDetect compares detection with the floor of touching every
// byte: one loop looking each byte up in a 256-entry class table.
func BenchmarkDetect(b *testing.B) {
	input := string(mixedLog(1 << 20))
	b.Run("detect", func(b *testing.B) {
		d := New()
		buf := make([]Finding, 0, 1024)
		b.SetBytes(int64(len(input)))
		b.ReportAllocs()
		for b.Loop() {
			buf = d.AppendFindings(buf[:0], input)
		}
		benchSink = len(buf)
		b.ReportMetric(float64(len(buf)), "findings")
	})
	b.Run("scan", func(b *testing.B) {
		var table [256]uint8
		for c := '0'; c <= '9'; c++ {
			table[c] = 1
		}
		table['@'] = 2
		b.SetBytes(int64(len(input)))
		b.ReportAllocs()
		for b.Loop() {
			digits, ats := 0, 0
			for i := 0; i < len(input); i++ {
				k := table[input[i]]
				digits += int(k & 1)
				ats += int(k >> 1)
			}
			benchSink = digits + ats
		}
	})
}

// BenchmarkRedact measures redaction of the same input.
func BenchmarkRedact(b *testing.B) {
	input := string(mixedLog(1 << 20))
	r := NewTextRedactor(TextRedactorConfig{})
	b.SetBytes(int64(len(input)))
	b.ReportAllocs()
	for b.Loop() {
		benchSink = len(r.Redact(input))
	}
}

// BenchmarkDetectCleanMessage finds nothing in a 1 KB message of prose
// with numbers and punctuation, the common case of a log line.
func BenchmarkDetectCleanMessage(b *testing.B) {
	msg := strings.Repeat("order 7731 shipped from warehouse B to the regional hub; ", 18)[:1024]
	d := New()
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	for b.Loop() {
		if d.Contains(msg) {
			b.Fatal("found personal data in a clean message")
		}
	}
}
