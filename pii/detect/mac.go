package detect

// macAt validates a MAC-48 address in colon or dash notation
// ("00:1a:2b:3c:4d:5e", "00-1A-2B-3C-4D-5E") starting at i. Exactly six
// groups of two hex digits with one separator throughout; a seventh group
// makes it something else (EUI-64, an IPv6 literal). The all-zero and
// broadcast addresses identify no device and are not reported.
func macAt(s string, i int, sep byte) int {
	const size = 17
	n := len(s)
	if i+size > n {
		return -1
	}
	zero, ones := true, true
	for g := 0; g < 6; g++ {
		p := i + g*3
		a, b := s[p], s[p+1]
		if classes[a]&cHex == 0 || classes[b]&cHex == 0 {
			return -1
		}
		if g < 5 && s[p+2] != sep {
			return -1
		}
		zero = zero && a == '0' && b == '0'
		ones = ones && (a == 'f' || a == 'F') && (b == 'f' || b == 'F')
	}
	j := i + size
	if zero || ones || gluedAfter(s, j) {
		return -1
	}
	if j+1 < n && s[j] == sep && classes[s[j+1]]&cHex != 0 {
		return -1
	}
	return j
}

// ciscoMACAt validates a MAC-48 address in Cisco notation
// ("001a.2b3c.4d5e") starting at i.
func ciscoMACAt(s string, i int) int {
	const size = 14
	n := len(s)
	if i+size > n {
		return -1
	}
	zero, ones := true, true
	for k := 0; k < size; k++ {
		c := s[i+k]
		if k == 4 || k == 9 {
			if c != '.' {
				return -1
			}
			continue
		}
		if classes[c]&cHex == 0 {
			return -1
		}
		zero = zero && c == '0'
		ones = ones && (c == 'f' || c == 'F')
	}
	j := i + size
	if zero || ones || gluedAfter(s, j) {
		return -1
	}
	if j+1 < n && s[j] == '.' && classes[s[j+1]]&cHex != 0 {
		return -1
	}
	return j
}
