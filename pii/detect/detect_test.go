package detect

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type want struct {
	typ  Type
	text string
}

func found(fs []Finding) []want {
	out := []want{}
	for _, f := range fs {
		out = append(out, want{f.Type, f.Text})
	}
	return out
}

func check(t *testing.T, text string, expected ...want) {
	t.Helper()
	fs := Find(text)
	if expected == nil {
		expected = []want{}
	}
	assert.Equal(t, expected, found(fs), "text: %q", text)
	for _, f := range fs {
		require.Equal(t, text[f.Start:f.End], f.Text)
	}
}

func TestEmail(t *testing.T) {
	check(t, "Contact john.doe+news@example.co.uk today.", want{Email, "john.doe+news@example.co.uk"})
	check(t, "Schreiben Sie an anna_müller-test@beispiel.de? Nein: anna.mueller@beispiel.de!", want{Email, "anna.mueller@beispiel.de"})
	check(t, "Écrivez à <marie.curie@univ-paris.fr>, merci.", want{Email, "marie.curie@univ-paris.fr"})
	check(t, "Пишите на ivan.petrov@yandex.ru, спасибо", want{Email, "ivan.petrov@yandex.ru"})
	check(t, "请联系 zhang.wei@example.cn。谢谢", want{Email, "zhang.wei@example.cn"})
	check(t, "راسلنا على ahmed@example.ae شكرا", want{Email, "ahmed@example.ae"})
	check(t, "📧 me@xn--bcher-kva.de 🙂", want{Email, "me@xn--bcher-kva.de"})
	check(t, "user=Bob.Smith@Mail.Example.COM status=200", want{Email, "Bob.Smith@Mail.Example.COM"})
	check(t, "mailto:a@b.io", want{Email, "a@b.io"})

	// Hard negatives.
	check(t, "npm i lodash@4.17.21 and @types/node")
	check(t, "root@localhost and user@10.0.0.1", want{IPv4, "10.0.0.1"})
	check(t, "follow @gdprkit on social media, price 5@3")
	check(t, "john.@example.com and .@example.com")
	check(t, "docker pull alpine@sha256:abcdef")
}

func TestPhone(t *testing.T) {
	cases := []struct{ text, phone string }{
		{"Tel.: +49 30 1234567", "+49 30 1234567"},
		{"Rufen Sie 030 12345678 an", "030 12345678"},
		{"Mobil: 0151 23456789.", "0151 23456789"},
		{"Telefon (030) 123 456 78", "(030) 123 456 78"},
		{"Fax 030/1234567", "030/1234567"},
		{"+49 (0)89 1234567", "+49 (0)89 1234567"},
		{"0049 89 1234567", "0049 89 1234567"},
		{"Appelez le 01 23 45 67 89 svp", "01 23 45 67 89"},
		{"Tél : 06.12.34.56.78", "06.12.34.56.78"},
		{"+33 6 12 34 56 78", "+33 6 12 34 56 78"},
		{"Call 020 7946 0018 now", "020 7946 0018"},
		{"Mobile 07700 900123", "07700 900123"},
		{"+44 (0)20 7946 0018", "+44 (0)20 7946 0018"},
		{"Call (415) 555-2671 or", "(415) 555-2671"},
		{"phone: 415.555.2671", "415.555.2671"},
		{"dial 1-800-555-0199 today", "1-800-555-0199"},
		{"+1 (212) 555-0100", "+1 (212) 555-0100"},
		{"Llámame al 612 34 56 78", "612 34 56 78"},
		{"Teléfono: 91 123 45 67", "91 123 45 67"},
		{"+34 612 345 678", "+34 612 345 678"},
		{"Chiamami al 347 123 4567", "347 123 4567"},
		{"Ufficio: 06 1234 5678", "06 1234 5678"},
		{"+39 02 1234 5678", "+39 02 1234 5678"},
		{"Bel 06-12345678 of", "06-12345678"},
		{"Kantoor: 020-123 4567", "020-123 4567"},
		{"+31 20 123 4567", "+31 20 123 4567"},
		{"Zadzwoń: 12 345 67 89", "12 345 67 89"},
		{"tel. 601 234 567", "601 234 567"},
		{"+48 601-234-567", "+48 601-234-567"},
		{"Позвоните +7 495 123-45-67 сегодня", "+7 495 123-45-67"},
		{"电话+49 30 1234567谢谢", "+49 30 1234567"},
		{"電話番号は+81 3-1234-5678です", "+81 3-1234-5678"},
		{"اتصل على +971 4 123 4567", "+971 4 123 4567"},
		{"📞+4930123456 ✅", "+4930123456"},
	}
	for _, c := range cases {
		check(t, c.text, want{Phone, c.phone})
	}

	// Hard negatives.
	negatives := []string{
		"ID0301234567 and 0301234567abc",
		"номер0301234567текст",
		"timestamp 20240115123045 and 1705312245",
		"date 2024-01-15, 01-15-2024, 15.01.2024, 01/02/2024",
		"order #0301234567 and ORD-0301234567",
		"price 612 345 678 € and 123 456 789 zł",
		"total 1 234 567,89 EUR",
		"4155552671 (a bare ten digit id)",
		"+12 (no such number)",
		"2+2=4, 10:30, 1.2.3",
		"+0049 30 1234567",
		"ratio 0.301234567",
	}
	for _, n := range negatives {
		check(t, n)
	}
}

func TestIP(t *testing.T) {
	check(t, "from 192.168.1.10:8080 to 10.0.0.1.", want{IPv4, "192.168.1.10"}, want{IPv4, "10.0.0.1"})
	check(t, "range 10.0.0.1-10.0.0.9", want{IPv4, "10.0.0.1"}, want{IPv4, "10.0.0.9"})
	check(t, "адрес 8.8.8.8, 地址1.1.1.1。", want{IPv4, "8.8.8.8"}, want{IPv4, "1.1.1.1"})
	for _, a := range []string{
		"2001:db8::1", "2001:0db8:0000:0000:0000:ff00:0042:8329", "::1", "fe80::1",
		"::ffff:192.0.2.128", "64:ff9b::192.0.2.33", "2001:DB8:0:0:8:800:200C:417A", "1::",
		"2001:db8:85a3::8a2e:370:7334", "::ffff:c000:0280",
	} {
		check(t, "addr "+a+" ok", want{IPv6, a})
	}
	check(t, "link fe80::1%eth0 up", want{IPv6, "fe80::1%eth0"})
	check(t, "[2001:db8::1]:443", want{IPv6, "2001:db8::1"})
	check(t, "at 2001:db8::1: refused", want{IPv6, "2001:db8::1"})

	// Hard negatives.
	for _, n := range []string{
		"version 10.2.3 and v1.2.3.4 and version 1.2.3.4 and build 10.0.0.1",
		"256.1.2.3 and 1.2.3 and 1.2.3.4.5 and 192.168.01.1",
		"std::vector, Foo::add, Bad::Add, cafe::",
		"at 10:23:45, in 12:30",
		"OID 1.3.6.1.4.1.311",
		"::",
		"1.2.3.4abc and x1.2.3.4",
	} {
		check(t, n)
	}
}

func TestCard(t *testing.T) {
	for _, c := range []string{
		"4111111111111111", "4111 1111 1111 1111", "4111-1111-1111-1111", "5555555555554444",
		"2223003122003222", "378282246310005", "3782 822463 10005", "6011111111111117",
		"3056930009020004", "36227206271667", "3566002020360505", "6200000000000005",
		"6759649826438453", "4000056655665556", "2200000000000004",
	} {
		check(t, "Karte: "+c+", danke", want{Card, c})
	}
	check(t, "卡号4111111111111111。", want{Card, "4111111111111111"})
	check(t, "4111 1111 1111 1111 12/29", want{Card, "4111 1111 1111 1111"})

	// Hard negatives: Luhn fails, unknown prefix, glued, too long.
	for _, n := range []string{
		"4111111111111112", "1234567812345678", "4111 1111 1111 1112",
		"x4111111111111111", "41111111111111111111", "order 9999999999999995",
		"4111111111111111abc", "4111-1111 1111-1111",
	} {
		check(t, n)
	}
}

func TestIBAN(t *testing.T) {
	for _, c := range []string{
		"DE89370400440532013000", "DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432",
		"GB82 WEST 1234 5698 7654 32", "FR1420041010050500013M02606", "ES9121000418450200051332",
		"IT60X0542811101000000123456", "NL91ABNA0417164300", "PL61109010140000071219812874",
		"BE68539007547034", "NO9386011117947", "CH9300762011623852957",
	} {
		check(t, "IBAN: "+c+".", want{IBAN, c})
	}
	check(t, "Счёт DE89370400440532013000 оплачен", want{IBAN, "DE89370400440532013000"})

	// Hard negatives: wrong check digits, wrong length, unknown country, glued.
	for _, n := range []string{
		"DE89370400440532013001", "DE8937040044053201300", "DE893704004405320130000",
		"XX89370400440532013000", "ABDE89370400440532013000", "DE89 3704 0044 0532 0130 0",
	} {
		check(t, n)
	}
}

func TestMAC(t *testing.T) {
	for _, c := range []string{"00:1a:2b:3c:4d:5e", "00-1A-2B-3C-4D-5E", "001a.2b3c.4d5e", "AC:DE:48:00:11:22"} {
		check(t, "hw "+c+" up", want{MAC, c})
	}
	check(t, "устройство ac:de:48:00:11:22 подключено", want{MAC, "ac:de:48:00:11:22"})
	for _, n := range []string{
		"00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff", "00:1a:2b:3c:4d", "00:1a:2b:3c:4d:5e:6f",
		"00:1a-2b:3c:4d:5e", "x00:1a:2b:3c:4d:5e", "001a.2b3c.4d5e.6f70",
	} {
		check(t, n)
	}
}

func TestNoFalsePositivesOnLookAlikes(t *testing.T) {
	for _, n := range []string{
		"request 123e4567-e89b-12d3-a456-426614174000 done",
		"id 550e8400-e29b-41d4-a716-446655440000",
		"trace=04898446-e6ca-ebf5-404f-ec303d6f1a2b and 06606033-4759-fecb-c3dc-74ed95a1b2c3",
		"sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709",
		"sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		"commit 4111111111111111aa0b7e3c",
		"2024-01-15T10:23:45.123Z 2024-01-15 10:23:45 +0100",
		"Jan 15 10:23:45 host sshd[12345]: ok",
		"price 1,234.56 €, 1.234,56 €, $1,234,567.89, 12 345,00 zł",
		"version 10.2.3 (build 10.0.19045.3803)",
		"order ORD-2024-000123, invoice INV/2024/00042, ticket #4411",
	} {
		check(t, n)
	}
}

func TestDetectorTypes(t *testing.T) {
	text := "a@b.de 192.168.0.1 +49 30 1234567"
	assert.Equal(t, []want{{IPv4, "192.168.0.1"}}, found(New(IPv4).FindAll(text)))
	assert.Equal(t, []Type{Email, Phone}, New(Phone, Email).Types())
	var zero Detector
	assert.Len(t, zero.FindAll(text), 3)
	var nilDet *Detector
	assert.Len(t, nilDet.FindAll(text), 3)
	assert.True(t, New().Contains(text))
	assert.False(t, New(Card).Contains(text))
	n := 0
	for f := range New().All(text) {
		n++
		if f.Type == IPv4 {
			break
		}
	}
	assert.Equal(t, 2, n)
	assert.Nil(t, Find("nothing here"))
	assert.Equal(t, "email", Email.String())
	assert.Equal(t, "Type(99)", Type(99).String())
	assert.Equal(t, `ipv4[0:7]"1.2.3.4"`, Find("1.2.3.4")[0].String())
}

func TestFindAllocations(t *testing.T) {
	text := "GET /index.html 200 1532 0.012 user-agent=Mozilla/5.0 session=abc123 2024-01-15T10:23:45Z"
	d := New()
	allocs := testing.AllocsPerRun(100, func() { _ = d.FindAll(text) })
	assert.Zero(t, allocs)
	buf := make([]Finding, 0, 8)
	withPII := "mail a@b.de ip 2001:db8::1 ip 10.1.2.3 card 4111111111111111"
	allocs = testing.AllocsPerRun(100, func() { buf = d.AppendFindings(buf[:0], withPII) })
	assert.Zero(t, allocs)
	assert.Len(t, buf, 4)
}
