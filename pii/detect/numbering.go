package detect

// Country calling codes (ITU-T E.164 assignments). They form a prefix
// code: no code is a prefix of another.
const (
	cc2List = "20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 " +
		"60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98"
	cc3List = "211 212 213 216 218 220 221 222 223 224 225 226 227 228 229 230 231 232 233 234 " +
		"235 236 237 238 239 240 241 242 243 244 245 246 247 248 249 250 251 252 253 254 255 " +
		"256 257 258 260 261 262 263 264 265 266 267 268 269 290 291 297 298 299 350 351 352 " +
		"353 354 355 356 357 358 359 370 371 372 373 374 375 376 377 378 379 380 381 382 383 " +
		"385 386 387 389 420 421 423 500 501 502 503 504 505 506 507 508 509 590 591 592 593 " +
		"594 595 596 597 598 599 670 672 673 674 675 676 677 678 679 680 681 682 683 685 686 " +
		"687 688 689 690 691 692 800 808 850 852 853 855 856 870 878 880 881 882 883 886 888 " +
		"960 961 962 963 964 965 966 967 968 970 971 972 973 974 975 976 977 979 992 993 994 " +
		"995 996 998"
)

var cc2, cc3 = func() (a [100]bool, b [1000]bool) {
	for k := 0; k+2 <= len(cc2List); k += 3 {
		a[int(cc2List[k]-'0')*10+int(cc2List[k+1]-'0')] = true
	}
	for k := 0; k+3 <= len(cc3List); k += 4 {
		b[int(cc3List[k]-'0')*100+int(cc3List[k+1]-'0')*10+int(cc3List[k+2]-'0')] = true
	}
	return a, b
}()

// ccLen returns the length of the country calling code d starts with, or
// 0 when d does not start with an assigned code.
func ccLen(d []byte) int {
	if len(d) == 0 {
		return 0
	}
	switch d[0] {
	case '0':
		return 0
	case '1', '7':
		return 1
	}
	if len(d) >= 2 && cc2[int(d[0]-'0')*10+int(d[1]-'0')] {
		return 2
	}
	if len(d) >= 3 && cc3[int(d[0]-'0')*100+int(d[1]-'0')*10+int(d[2]-'0')] {
		return 3
	}
	return 0
}

// Numbering plans. Each function checks a national significant number
// (NSN): the digits after the country code, without the trunk prefix '0'
// (Italy keeps its leading 0 in the NSN).

// nanpNSN: North American Numbering Plan (+1, US and Canada): NXX NXX XXXX.
func nanpNSN(d []byte) bool {
	return len(d) == 10 && d[0] >= '2' && d[3] >= '2'
}

// deNSN: Germany (+49): area code and subscriber number, 7 to 11 digits;
// mobile numbers (15x, 16x, 17x) have 10 or 11.
func deNSN(d []byte) bool {
	if len(d) < 7 || len(d) > 11 || d[0] == '0' {
		return false
	}
	if d[0] == '1' && (d[1] == '5' || d[1] == '6' || d[1] == '7') {
		return len(d) >= 10
	}
	return true
}

// frNSN: France (+33): nine digits, the first 1 to 9.
func frNSN(d []byte) bool {
	return len(d) == 9 && d[0] != '0'
}

// gbNSN: United Kingdom (+44): ten digits, nine for some 01 areas and
// 08 numbers; no NSN starts with 0, 4 or 6.
func gbNSN(d []byte) bool {
	switch d[0] {
	case '1', '8':
		return len(d) == 9 || len(d) == 10
	case '2', '3', '5', '7', '9':
		return len(d) == 10
	}
	return false
}

// nlNSN: Netherlands (+31): nine digits.
func nlNSN(d []byte) bool {
	return len(d) == 9 && d[0] != '0'
}

// itNSN: Italy (+39): fixed lines keep their leading 0 (6 to 11 digits),
// mobile numbers start with 3 (9 or 10 digits).
func itNSN(d []byte) bool {
	switch d[0] {
	case '0':
		return len(d) >= 6 && len(d) <= 11
	case '3':
		return len(d) == 9 || len(d) == 10
	}
	return false
}

// esNSN: Spain (+34): nine digits starting with 6, 7 (mobile), 8 or 9.
func esNSN(d []byte) bool {
	return len(d) == 9 && d[0] >= '6'
}

// plPrefixes lists the first two digits of Polish numbers: geographic
// area codes, mobile ranges, 70x premium and 80x free phone.
var plPrefixes = func() (t [100]bool) {
	for _, p := range []int{12, 13, 14, 15, 16, 17, 18, 22, 23, 24, 25, 29, 32, 33, 34,
		41, 42, 43, 44, 45, 46, 48, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63,
		65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85,
		86, 87, 88, 89, 91, 94, 95} {
		t[p] = true
	}
	return t
}()

// plNSN: Poland (+48): nine digits with a known two-digit prefix.
func plNSN(d []byte) bool {
	return len(d) == 9 && plPrefixes[int(d[0]-'0')*10+int(d[1]-'0')]
}

// validIntl checks a number written with its country code (after '+' or
// the international prefix 00). Countries with a plan above are checked
// against it; for the others E.164 allows 8 to 15 digits in total.
func validIntl(d []byte) bool {
	c := ccLen(d)
	if c == 0 {
		return false
	}
	nsn := d[c:]
	if len(nsn) < 4 {
		return false
	}
	switch string(d[:c]) {
	case "1":
		return nanpNSN(nsn)
	case "31":
		return nlNSN(nsn)
	case "33":
		return frNSN(nsn)
	case "34":
		return esNSN(nsn)
	case "39":
		return itNSN(nsn)
	case "44":
		return gbNSN(nsn)
	case "48":
		return plNSN(nsn)
	case "49":
		return deNSN(nsn)
	}
	return len(d) >= 8 && len(d) <= 15
}

// validTrunk checks a national number with trunk prefix 0 (d[0] == '0',
// d[1] != '0') against the plans that use one: DE, FR, GB, NL, and IT
// fixed lines (whose 0 is part of the number).
func validTrunk(d []byte) bool {
	nsn := d[1:]
	return deNSN(nsn) || frNSN(nsn) || gbNSN(nsn) || nlNSN(nsn) || itNSN(d)
}
