package detect

import "strconv"

// Type identifies a kind of personal data the detector recognises.
type Type uint8

// The kinds of personal data the detector recognises.
const (
	// Email is an e-mail address (ASCII local part and domain, IDN as punycode).
	Email Type = iota + 1
	// Phone is a telephone number, international (+CC or 00CC) or in a national form.
	Phone
	// IPv4 is an IPv4 address in dotted-decimal form.
	IPv4
	// IPv6 is an IPv6 address in any textual form without a zone.
	IPv6
	// Card is a payment-card number (PAN) of a known issuer that passes the Luhn check.
	Card
	// IBAN is an International Bank Account Number with a valid ISO 13616 check.
	IBAN
	// MAC is a 48-bit hardware address (colon, dash or Cisco dotted notation).
	MAC

	maxType = MAC
)

var typeNames = [...]string{
	Email: "email",
	Phone: "phone",
	IPv4:  "ipv4",
	IPv6:  "ipv6",
	Card:  "card",
	IBAN:  "iban",
	MAC:   "mac",
}

// String returns the lower-case name of t, such as "email" or "iban".
func (t Type) String() string {
	if t >= Email && t <= maxType {
		return typeNames[t]
	}
	return "Type(" + strconv.Itoa(int(t)) + ")"
}

// Types returns every Type the package detects, in declaration order.
func Types() []Type {
	return []Type{Email, Phone, IPv4, IPv6, Card, IBAN, MAC}
}

func (t Type) bit() uint16 { return 1 << t }

const allTypes = uint16(1<<(maxType+1)) - 2

// Finding is one piece of personal data found in a text.
type Finding struct {
	// Type is the kind of data found.
	Type Type
	// Start is the byte offset of the first byte of the match.
	Start int
	// End is the byte offset just past the match.
	End int
	// Text is the matched text, equal to input[Start:End].
	Text string
}

// String formats f as type[start:end]"text", for debugging.
func (f Finding) String() string {
	return f.Type.String() + "[" + strconv.Itoa(f.Start) + ":" + strconv.Itoa(f.End) + "]" + strconv.Quote(f.Text)
}
