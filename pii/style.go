package pii

import "fmt"

// Style says how a personal value is shown where it must not appear in clear:
// in logs, in fmt output and in JSON written through Redact.
type Style uint8

const (
	// Full replaces the value with a placeholder naming its category:
	// "ada@example.org" is shown as "[redacted:email]". It is the default.
	Full Style = iota
	// Mask keeps the part of the shape that tells cases apart and hides
	// who it is (see MaskText): "ada@example.org" is shown as
	// "***@example.org", "203.0.113.7" as "203.0.113.***", anything else
	// as "***", whatever its length.
	Mask
	// Last4 keeps the last four characters of a value of eight or more
	// behind a fixed "****": "4242 4242 4242 4242" is shown as
	// "****4242"; a shorter value as "****".
	Last4
	// Hash replaces the value with a keyed pseudonymous token (see
	// Tokenizer), such as "kQ3vX0d1H2s8nC4u7mZ9aQ" for "ada@example.org",
	// so that log lines about the same person can be correlated without
	// showing who it is. Without a tokenizer it falls back to Full.
	Hash
	// Drop leaves the field out altogether: no key, no value.
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
