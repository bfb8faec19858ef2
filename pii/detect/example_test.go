package detect_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/gdprkit/gdprkit/pii/detect"
)

func ExampleFind() {
	text := "Kontakt: anna.schmidt@beispiel.de, Tel. +49 30 1234567, IBAN DE89 3704 0044 0532 0130 00"
	for _, f := range detect.Find(text) {
		fmt.Printf("%-5s %2d-%2d %s\n", f.Type, f.Start, f.End, f.Text)
	}
	// Output:
	// email  9-33 anna.schmidt@beispiel.de
	// phone 40-54 +49 30 1234567
	// iban  61-88 DE89 3704 0044 0532 0130 00
}

func ExampleFind_lookAlikes() {
	// Versions, dates, timestamps, UUIDs, hashes and amounts are not reported.
	text := "version 10.2.3 on 2024-01-15 (20240115123045), id 123e4567-e89b-12d3-a456-426614174000, " +
		"sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709, total 1,234.56 €, card 4111 1111 1111 1112"
	fmt.Println(len(detect.Find(text)))
	// Output: 0
}

func ExampleNew() {
	d := detect.New(detect.IPv4, detect.IPv6)
	for _, f := range d.FindAll("peer 192.0.2.7 via fe80::1%eth0, mail ops@example.com") {
		fmt.Println(f.Type, f.Text)
	}
	// Output:
	// ipv4 192.0.2.7
	// ipv6 fe80::1%eth0
}

func ExampleDetector_All() {
	for f := range detect.New().All("电话+86 10 1234 5678，邮箱 li.wei@example.cn") {
		fmt.Println(f.Type, f.Text)
	}
	// Output:
	// phone +86 10 1234 5678
	// email li.wei@example.cn
}

func ExampleNewScanner() {
	r := strings.NewReader(strings.Repeat("no personal data here. ", 10000) + "card 5555 5555 5555 4444")
	sc := detect.NewScanner(r, nil)
	for sc.Scan() {
		f := sc.Finding()
		fmt.Println(f.Type, f.Start, f.Text)
	}
	if err := sc.Err(); err != nil {
		fmt.Println(err)
	}
	// Output: card 230005 5555 5555 5555 4444
}

func ExampleTextRedactor_Redact() {
	r := detect.NewTextRedactor(detect.TextRedactorConfig{
		Styles: map[detect.Type]detect.Style{detect.Card: detect.StyleLast4, detect.Email: detect.StyleMaskFirst},
	})
	fmt.Println(r.Redact("paid with 4111-1111-1111-1111 by jane@example.org from 203.0.113.9"))
	// Output: paid with ****-****-****-1111 by j***@*******.*** from [ipv4]
}

func ExampleTextRedactorConfig_hash() {
	// The hash style lets the caller plug in keyed tokens.
	r := detect.NewTextRedactor(detect.TextRedactorConfig{
		Default: detect.StyleHash,
		Hash: func(t detect.Type, s string) string {
			return "<" + t.String() + ":" + fmt.Sprint(len(s)) + ">"
		},
	})
	fmt.Println(r.RedactString("write to max@example.net or call +44 20 7946 0018"))
	// Output: write to <email:15> or call <phone:16>
}

func ExampleTextRedactor_NewWriter() {
	w := detect.NewTextRedactor(detect.TextRedactorConfig{Default: detect.StyleMask}).NewWriter(os.Stdout)
	fmt.Fprintln(w, "login from 198.51.100.23")
	fmt.Fprintln(w, "device 00:1a:2b:3c:4d:5e")
	w.Close()
	// Output:
	// login from ***.**.***.**
	// device **:**:**:**:**:**
}
