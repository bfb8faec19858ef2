package detect

// Byte classes. Every byte of the input is looked up once in the classes
// table; the bits tell the scanner whether the byte can start a candidate
// (cTrigger) and tell the validators which characters they may consume.
const (
	cDigit   uint16 = 1 << iota // 0-9
	cUpper                      // A-Z
	cLower                      // a-z
	cHex                        // 0-9 A-F a-f
	cWord                       // ASCII letter, digit or '_'
	cTrigger                    // the scanner stops here to look closer
	cLocal                      // allowed in an e-mail local part
	cDomain                     // allowed in a domain label
	cIPv6                       // allowed in an IPv6 literal: hex digit ':' '.'
)

// classes is the 256-entry byte class table driving the scanner.
var classes = buildClasses()

func buildClasses() (t [256]uint16) {
	for c := 0; c < 256; c++ {
		var k uint16
		switch {
		case c >= '0' && c <= '9':
			k = cDigit | cHex | cWord | cTrigger | cLocal | cDomain | cIPv6
		case c >= 'A' && c <= 'Z':
			k = cUpper | cWord | cTrigger | cLocal | cDomain
			if c <= 'F' {
				k |= cHex | cIPv6
			}
		case c >= 'a' && c <= 'z':
			k = cLower | cWord | cTrigger | cLocal | cDomain
			if c <= 'f' {
				k |= cHex | cIPv6
			}
		}
		switch c {
		case '_':
			k |= cWord | cLocal
		case '.':
			k |= cLocal | cIPv6
		case '%':
			k |= cLocal
		case '+':
			k |= cLocal | cTrigger
		case '-':
			k |= cLocal | cDomain
		case ':':
			k |= cIPv6 | cTrigger
		case '@', '(':
			k |= cTrigger
		}
		t[c] = k
	}
	return t
}

func isDigit(c byte) bool { return classes[c]&cDigit != 0 }
