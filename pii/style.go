package pii

import "fmt"

// Style says how a personal value is shown where it must not appear in clear:
// in logs, in fmt output and in JSON written through Redact.
type Style uint8

const (
	// Full replaces the value with a placeholder naming its category, such as
	// "[redacted:user.contact.email]". It is the default.
	Full Style = iota
	// Mask keeps the shape and hides the content: "a****@e******.com" for an
	// e-mail address, "******" for other text.
	Mask
	// Last4 keeps the last four characters: "************4242".
	Last4
	// Hash replaces the value with a keyed pseudonymous token (see Tokenizer),
	// so that log lines about the same person can be correlated without
	// showing who it is. Without a tokenizer it falls back to Full.
	Hash
	// Drop leaves the field out altogether.
	Drop
)

var styleNames = [...]string{Full: "full", Mask: "mask", Last4: "last4", Hash: "hash", Drop: "drop"}

// String returns the style's name as written in tags.
func (s Style) String() string {
	if int(s) < len(styleNames) {
		return styleNames[s]
	}
	return fmt.Sprintf("Style(%d)", uint8(s))
}

// ParseStyle reads a style name as written in the redact= tag option.
func ParseStyle(name string) (Style, error) {
	for i, n := range styleNames {
		if n == name {
			return Style(i), nil
		}
	}
	return 0, fmt.Errorf("unknown redaction style %q (want full, mask, last4, hash or drop)", name)
}
