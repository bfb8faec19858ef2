// Package detect finds personal data in free text and redacts it.
//
// # What is detected
//
//   - Email: addresses with an ASCII local part of letters, digits and
//     ._%+- (at most 64 bytes) and a domain of two or more labels whose
//     last label is two or more letters or an "xn--" IDN label.
//   - Phone: international numbers, "+CC …" or "00CC …", with the country
//     code checked against the ITU assignments and the length against the
//     numbering plan for DE, FR, GB, US/CA, ES, IT, NL and PL (8 to 15
//     digits for other countries); national numbers of those countries:
//     with trunk prefix 0 (DE, FR, GB, NL, IT fixed lines) in any
//     grouping, and without prefix (US, ES, PL, IT mobile) only when
//     grouped the way the country writes them ("(415) 555-2671",
//     "612 34 56 78", "12 345 67 89", "347 123 4567"). Groups may be
//     separated by spaces, dashes, dots or slashes and an area code may be
//     in parentheses, also "+44 (0)20 …".
//   - IPv4: dotted quads, validated with net/netip (no leading zeros).
//   - IPv6: every textual form: full, with leading zeros, compressed
//     "::", IPv4-mapped or -embedded ("::ffff:192.0.2.1"), validated with
//     net/netip, with its zone index when it has one ("fe80::1%en0",
//     "fe80::1%25eth0" in a URI), which is reported as part of the address.
//   - Card: payment-card numbers of 12 to 19 digits that pass the Luhn
//     check and match an issuer prefix and one of its published lengths
//     (Visa 13, 16, 19; Mastercard 51-55 and 2221-2720, 16; American
//     Express 15; Diners Club 300-305, 3095, 36, 38-39, 14 to 19; Discover,
//     JCB, UnionPay and Mir 16 to 19; Maestro 12 to 19; RuPay, Troy and
//     Dankort 16; Verve 16, 18, 19), compact or in groups separated by
//     spaces or dashes (4-4-4-4, 4-6-5, 4-6-4, …).
//   - IBAN: the country's length from the ISO 13616 registry and the
//     MOD 97-10 check, compact or printed in groups of four.
//   - MAC: MAC-48 addresses as "00:1a:2b:3c:4d:5e", "00-1A-2B-3C-4D-5E" or
//     "001a.2b3c.4d5e".
//
// # What is ruled out, and how
//
// Every finding must stand alone as a token: a number glued to letters or
// digits ("ID0301234567", "0301234567abc", "v1.2.3.4") is not reported,
// and neither is a group that continues an earlier token ("2024-01-15",
// the digits after "ORD-", "#", "+" or a decimal point). Word boundaries
// are Unicode-aware: Cyrillic, Greek, Arabic and other letters glue like
// Latin ones, while Han, kana, Hangul, Thai, Lao, Khmer and Myanmar text,
// written without spaces, does not, so "电话+49 30 1234567谢谢" holds a
// phone number. Invalid UTF-8 next to a candidate counts as glued, which
// keeps every offset on a rune boundary.
//
// Structure and checksums do the rest: UUIDs and hex hashes (SHA-1,
// SHA-256) are runs of hex glued together and match no form; card
// candidates need an issuer prefix and the Luhn digit, IBANs the MOD 97
// check; timestamps such as 20240115123045 or 1705312245 fit no card
// range and no numbering plan; dates such as 01-15-2024 or 15.01.2024 are
// recognised and not taken for phone numbers; amounts ("1,234.56 €",
// "612 345 678 zł") are rejected by the decimal-number rule and by the
// currency next to them. Version strings: three parts ("10.2.3") are never
// an address; four parts are an IPv4 address unless glued to a letter
// ("v1.2.3.4") or after a version keyword ("version 1.2.3.4", "build",
// "release", "firmware"). An IPv6 candidate must contain a decimal digit,
// so identifiers spelt in hex letters ("Bad::Add") are not reported; the
// unspecified "::" is not reported, nor are the all-zero and broadcast
// MAC addresses.
//
// # How it works
//
// A Detector makes a single pass over the input. Every finding holds an
// anchor ('-', '.', a digit, ':' or '@') within a few bytes of its start,
// so text without anchors is passed over eight bytes at a time; near an
// anchor each byte is looked up in a 256-entry class table, words that do
// not start at a boundary are skipped whole, and at the remaining
// positions (digits, letters starting a word, '@', '+', '(', "::") small
// validators run. Each reads a bounded window of the input and none uses
// regular expressions, so the time is linear in the input. Findings come
// out sorted and never overlap: the scan resumes after each one.
//
// Scanner applies the same pass to an io.Reader in chunks, keeping
// enough of the previous chunk that a match across the boundary is found;
// its findings, with offsets relative to the whole stream, are exactly
// those of FindAll on the whole input.
//
// A TextRedactor rewrites text with a Style per Type: a placeholder, a mask
// keeping the shape, the last four characters, nothing, or a token from a
// caller-supplied function. Its RedactString method is what log handlers
// that redact values accept. NewWriter and NewReader redact streams.
//
// # Limits
//
// Detection is context-free: a valid card number or phone number is
// reported even when it is meant as something else, such as a 16-digit
// order number that happens to pass the Luhn check. Only ASCII digits are
// read (no Arabic-Indic or full-width digits). E-mail addresses with
// non-ASCII characters, quoted local parts or IP-literal domains, phone
// numbers of other countries written in national form, vanity numbers,
// extensions, lower-case IBANs and MAC-64 addresses are not detected.
// Separators inside numbers are ASCII: a phone or card number grouped with
// no-break or thin spaces is read group by group and usually missed.
package detect
