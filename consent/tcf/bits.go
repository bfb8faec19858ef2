package tcf

const (
	// badChar marks bytes outside the base64url alphabet in [alphabet].
	badChar = 0xFF
	// dotChar marks the '.' segment separator in [alphabet].
	dotChar = 0xFE
)

// alphabet maps each byte to its 6-bit base64url value (RFC 4648 §5), or to
// badChar or dotChar. Bits are read straight from the characters of the
// input through this table: nothing is decoded into an intermediate []byte.
var alphabet = func() (t [256]byte) {
	const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for i := range t {
		t[i] = badChar
	}
	for i := range len(chars) {
		t[chars[i]] = byte(i)
	}
	t['.'] = dotChar
	return t
}()

// firstBadChar returns the index of the first byte of s that is neither in
// the base64url alphabet nor a '.', or -1.
func firstBadChar(s string) int {
	for i := range len(s) {
		if alphabet[s[i]] == badChar {
			return i
		}
	}
	return -1
}

// bitAt returns bit b (0 is the most significant bit of the first character)
// of a string of base64url characters that has been validated.
func bitAt(s string, b int) bool {
	return alphabet[s[b/6]]>>(5-b%6)&1 != 0
}

// bitReader reads big-endian bit fields from the characters of one
// validated segment.
type bitReader struct {
	s   string // the segment, without separators
	pos int    // next bit to read
	n   int    // number of bits in s
}

func newBitReader(seg string) bitReader {
	return bitReader{s: seg, n: len(seg) * 6}
}

// left returns the number of unread bits.
func (r *bitReader) left() int { return r.n - r.pos }

// read returns the next n bits, most significant first. The caller checks
// that 1 <= n <= 36 and n <= r.left().
func (r *bitReader) read(n int) uint64 {
	i := r.pos / 6
	have := 6 - r.pos%6
	acc := uint64(alphabet[r.s[i]] & (0x3F >> (6 - have)))
	for have < n {
		i++
		acc = acc<<6 | uint64(alphabet[r.s[i]])
		have += 6
	}
	r.pos += n
	return acc >> (have - n)
}

// readWide is read for 0 <= n <= 64.
func (r *bitReader) readWide(n int) uint64 {
	switch {
	case n == 0:
		return 0
	case n <= 36:
		return r.read(n)
	}
	hi := r.read(n - 32)
	return hi<<32 | r.read(32)
}
