package detect

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// cardNumber returns a number of the given length that starts with prefix
// and ends with its Luhn check digit.
func cardNumber(prefix string, length int) string {
	const filler = "9876543210987654321"
	body := prefix + filler[:length-len(prefix)-1]
	return body + string(luhnDigit(body))
}

// TestCardIssuerLengths checks every issuer's published prefixes against
// its published number lengths: each length in range is reported, each
// length just outside it is not (unless another issuer owns that prefix
// and length).
func TestCardIssuerLengths(t *testing.T) {
	span := func(lo, hi int) []int {
		var out []int
		for l := lo; l <= hi; l++ {
			out = append(out, l)
		}
		return out
	}
	for _, c := range []struct {
		issuer   string
		prefixes []string
		ok, bad  []int
	}{
		{"Visa", []string{"4", "4917"}, []int{13, 16, 19}, []int{12, 14, 15, 17, 18}},
		{"Mastercard", []string{"51", "55", "2221", "2500", "2720"}, []int{16}, []int{14, 15, 17, 19}},
		{"American Express", []string{"34", "37"}, []int{15}, []int{14, 16}},
		{"Diners Club", []string{"300", "305", "3095", "36", "38", "39"}, span(14, 19), []int{12, 13}},
		{"Discover", []string{"6011", "644", "649", "65", "622126", "622925"}, span(16, 19), []int{14, 15}},
		{"JCB", []string{"3528", "3589"}, span(16, 19), []int{14, 15}},
		{"UnionPay", []string{"62", "81"}, span(16, 19), []int{14, 15}},
		{"Maestro", []string{"5018", "5020", "5038", "5893", "6304", "6759", "6761", "6763", "676770", "676774"},
			span(12, 19), nil},
		{"Mir", []string{"2200", "2204"}, span(16, 19), []int{14, 15}},
		{"RuPay", []string{"60", "82", "508"}, []int{16}, []int{15, 17}},
		{"Verve", []string{"506099", "506198", "507865", "507964", "650002", "650027"}, []int{16, 18, 19}, nil},
		{"Verve, not Discover", []string{"506099", "507865"}, nil, []int{15, 17}},
		{"Troy", []string{"9792"}, []int{16}, []int{15, 17}},
		{"Dankort", []string{"5019"}, []int{16}, []int{15, 17}},
		{"no issuer", []string{"2220", "2721", "306", "3096", "3527", "3590", "1", "7", "80"}, nil, span(12, 19)},
	} {
		for _, p := range c.prefixes {
			for _, l := range c.ok {
				n := cardNumber(p, l)
				assert.True(t, New(Card).Contains(n), "%s %s… of %d digits: %s", c.issuer, p, l, n)
			}
			for _, l := range c.bad {
				n := cardNumber(p, l)
				assert.False(t, New(Card).Contains(n), "%s %s… of %d digits: %s", c.issuer, p, l, n)
			}
		}
	}
	// Published test numbers of 14-digit Diners Club cards, compact and
	// in the 4-6-4 grouping printed on them.
	for _, n := range []string{"38520000023237", "30569309025904", "36227206271667", "3852 000002 3237", "3056-930902-5904"} {
		check(t, "Diners "+n+".", want{Card, n})
	}
}
