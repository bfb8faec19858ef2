package detect

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// findAllBoth returns the findings of the scan with and without jumping
// to anchors and other shortcuts.
func findAllBoth(s string) (jumping, plain []Finding) {
	jumping = defaultDetector.FindAll(s)
	anchorJump = false
	defer func() { anchorJump = true }()
	return jumping, defaultDetector.FindAll(s)
}

// TestAnchorJumpFindsTheSame checks that passing over text without anchors
// changes no finding, on texts built from the pieces findings are made of.
func TestAnchorJumpFindsTheSame(t *testing.T) {
	pieces := []string{"ab", "cd", "ef", "DE", "GB", "89", "3704", "0044", "0532", "0130", "00", "+", "(", ")",
		"-", ".", ":", "::", "@", "example.org", "x", " ", " ", "  ", "\\n", "é", "电话", "_", "#", "ORD-",
		"version ", "4111", "1111", "12", "192.168.", "fe80", "%en0", "a1b2", "deadbeef", "1.2.3.4", "0x",
		"ab-cd-ef-ab-cd-ef", "0301234", "030 1234567", "7731 shipped", "612 34 56 78", "(415) 555-2671", "0 ", " - ", "/", "06", "1234567", "abcd.efab.cdef", "ab:cd:ef:01:23:45", "ada@example.org", "+44 20 7946 0958"}
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 20000; n++ {
		var b strings.Builder
		for k := rng.IntN(40); k >= 0; k-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		jumping, plain := findAllBoth(s)
		if !assert.Equal(t, plain, jumping, "findings in %q", s) {
			return
		}
	}
}

func TestNextAnchor(t *testing.T) {
	for _, c := range []struct {
		s    string
		want int
	}{
		{"", 0}, {"abcdefghijklmnop", 16}, {"abcdefgh1", 8}, {"a-", 1}, {"abcdefghijk@", 11},
		{"ÄÖÜäöüßé", 16}, {"héllo wörld, ok.", 17}, {"ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`{|}~", 36}, {" !\"#$%&'()*+,", 13}, {"abcdefgh?", 9}, {"hub; a/b <x=y>? then 7", 21}, {"abcdefghijklmnopqrstuvwxyz@", 26},
	} {
		assert.Equal(t, c.want, nextAnchor(c.s, 0, len(c.s)), "nextAnchor(%q)", c.s)
	}
}
