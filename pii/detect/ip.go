package detect

import (
	"net/netip"
	"strings"
)

// maxIPv6Text is the length of the longest IPv6 literal without a zone,
// "0000:0000:0000:0000:0000:ffff:255.255.255.255".
const maxIPv6Text = 45

// maxZone bounds the length of a zone index after the '%': interface names
// are at most 15 bytes on Linux, zone numbers shorter; a URI may encode
// the '%' as "%25".
const maxZone = 32

// isZoneByte reports whether c may appear in a zone index: the unreserved
// characters of RFC 6874, letters, digits and "-._~".
func isZoneByte(c byte) bool {
	return classes[c]&(cDigit|cUpper|cLower) != 0 || c == '-' || c == '.' || c == '_' || c == '~'
}

// ipv4At validates a dotted quad starting at i with net/netip. Octets
// with leading zeros are rejected (netip does), so are a fifth part
// ("1.2.3.4.5" is an OID or a version) and quads following a version
// keyword ("version 1.2.3.4", "ver. 10.0.0.1").
func ipv4At(s string, i int) int {
	n := len(s)
	j := i
	for part := 0; part < 4; part++ {
		st := j
		for j < n && j-st < 4 && isDigit(s[j]) {
			j++
		}
		if l := j - st; l == 0 || l > 3 {
			return -1
		}
		if part < 3 {
			if j >= n || s[j] != '.' {
				return -1
			}
			j++
		}
	}
	if !numEndOK(s, j) || versionBefore(s, i) {
		return -1
	}
	if a, err := netip.ParseAddr(s[i:j]); err != nil || !a.Is4() {
		return -1
	}
	return j
}

var versionWords = [...]string{"version", "ver", "v", "release", "build", "firmware"}

// versionBefore reports whether the word before position i (separated by
// a space, '.' or ':') is a version keyword.
func versionBefore(s string, i int) bool {
	j := i
	for k := 0; k < 2 && j > 0 && (s[j-1] == ' ' || s[j-1] == '.' || s[j-1] == ':'); k++ {
		j--
	}
	if j == i {
		return false
	}
	e := j
	for j > 0 && e-j < 9 && classes[s[j-1]]&(cUpper|cLower) != 0 {
		j--
	}
	if j == e || (j > 0 && classes[s[j-1]]&cWord != 0) {
		return false
	}
	w := s[j:e]
	for _, v := range versionWords {
		if strings.EqualFold(w, v) {
			return true
		}
	}
	return false
}

// ipv6At validates an IPv6 literal starting at i (a hex digit or "::").
// The candidate is the run of hex digits, ':' and '.', less a trailing
// '.' or single ':' of the surrounding sentence; netip decides. A literal
// must contain a decimal digit, so that words spelt in hex letters
// ("Bad::Add", "cafe::") are not reported; the unspecified address "::"
// is not reported either. A zone index ("%eth0", "%25en0" in a URI, "%3")
// is part of the finding, less a trailing '.'.
func ipv6At(s string, i int) int {
	n := len(s)
	j := i
	colons := 0
	digits := false
	for j < n && j-i <= maxIPv6Text {
		c := s[j]
		k := classes[c]
		if k&cIPv6 == 0 {
			break
		}
		if c == ':' {
			colons++
		} else if k&cDigit != 0 {
			digits = true
		}
		j++
	}
	if j-i > maxIPv6Text || colons < 2 || !digits {
		return -1
	}
	for j > i && s[j-1] == '.' {
		j--
	}
	if j-i >= 2 && s[j-1] == ':' && s[j-2] != ':' {
		j--
	}
	if j < n && s[j] == '%' {
		k := j + 1
		for k < n && k-j <= maxZone && isZoneByte(s[k]) {
			k++
		}
		if k-j > maxZone {
			return -1 // more than a zone: the address does not stand alone
		}
		for k > j+1 && s[k-1] == '.' {
			k--
		}
		if k > j+1 {
			j = k
		}
	}
	if gluedAfter(s, j) {
		return -1
	}
	a, err := netip.ParseAddr(s[i:j])
	if err != nil || !a.Is6() {
		return -1
	}
	return j
}
