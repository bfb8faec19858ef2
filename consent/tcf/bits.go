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

// invalid is 1 for the bytes that are neither in the base64url alphabet nor
// the '.' separator, 0 for the others.
var invalid = func() (t [256]byte) {
	for i, v := range alphabet {
		if v == badChar {
			t[i] = 1
		}
	}
	return t
}()

// firstBadChar returns the index of the first byte of s that is neither in
// the base64url alphabet nor a '.', or -1. It checks eight bytes at a time
// without branching on each one.
func firstBadChar(s string) int {
	var bad byte
	i := 0
	for ; i+8 <= len(s); i += 8 {
		c := s[i : i+8]
		bad |= invalid[c[0]] | invalid[c[1]] | invalid[c[2]] | invalid[c[3]] |
			invalid[c[4]] | invalid[c[5]] | invalid[c[6]] | invalid[c[7]]
	}
	for ; i < len(s); i++ {
		bad |= invalid[s[i]]
	}
	if bad == 0 {
		return -1
	}
	for i := range len(s) {
		if invalid[s[i]] != 0 {
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
// validated segment. It loads characters, 6 bits each, into a 64-bit
// accumulator and serves fields from it.
type bitReader struct {
	s    string // the segment, without separators
	next int    // index in s of the next character to load
	acc  uint64 // loaded bits; the low nacc bits are not consumed yet
	nacc int    // number of loaded bits not consumed yet
	n    int    // number of bits in s
}

func newBitReader(seg string) bitReader {
	return bitReader{s: seg, n: len(seg) * 6}
}

// pos returns the offset of the next bit to read.
func (r *bitReader) pos() int { return r.next*6 - r.nacc }

// left returns the number of unread bits.
func (r *bitReader) left() int { return r.n - r.pos() }

// read returns the next n bits, most significant first. The caller checks
// that 1 <= n <= 36 and n <= r.left().
func (r *bitReader) read(n int) uint64 {
	if r.nacc < n {
		r.refill()
	}
	r.nacc -= n
	return r.acc >> r.nacc & (1<<n - 1)
}

// refill loads as many characters as the accumulator can take (more than
// 58 bits) or as the segment has left. It is kept out of line so that read
// inlines.
//
//go:noinline
func (r *bitReader) refill() {
	k := min((64-r.nacc)/6, len(r.s)-r.next)
	acc := r.acc
	for _, c := range []byte(r.s[r.next : r.next+k]) {
		acc = acc<<6 | uint64(alphabet[c])
	}
	r.acc, r.next, r.nacc = acc, r.next+k, r.nacc+6*k
}

// skip moves past n bits. The caller checks that n <= r.left().
func (r *bitReader) skip(n int) {
	if n <= r.nacc {
		r.nacc -= n
		return
	}
	p := r.pos() + n
	r.next, r.acc, r.nacc = p/6, 0, 0
	if rem := p % 6; rem != 0 {
		r.acc = uint64(alphabet[r.s[r.next]])
		r.next++
		r.nacc = 6 - rem
	}
}

// seek moves to bit p, 0 <= p <= r.n.
func (r *bitReader) seek(p int) {
	r.next, r.acc, r.nacc = 0, 0, 0
	r.skip(p)
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
