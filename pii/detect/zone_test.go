package detect

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestIPv6Zone checks that an address with a zone index is reported whole,
// zone included, in every form and context, and that the stream forms
// agree.
func TestIPv6Zone(t *testing.T) {
	addrs := []string{
		"fe80::1%en0", "fe80::dead:beef%wlan0", "fe80::1%1", "ff02::1%lo0", "fe80::1ff:fe23:4567:890a%eth2",
		"fe80::a:b:c:d%br-1a2b3c", "fe80::1%eth0.100", "fe80::1%25en0", "fe80::1%utun_3",
		"FE80:0000:0000:0000:0202:B3FF:FE1E:8329%Ethernet0", "::ffff:192.0.2.1%eth1", "fe80::%en0", "fe80::1%vlan~1",
	}
	contexts := [][2]string{
		{"addr ", " up"}, {"addr ", "."}, {"[", "]:443"}, {"(", ")"}, {"", ""}, {"a=", ", b"},
		{"ping ", ": unreachable"}, {"地址", "。"},
	}
	var all strings.Builder
	for _, a := range addrs {
		for _, c := range contexts {
			text := c[0] + a + c[1]
			check(t, text, want{IPv6, a})
			all.WriteString(text + "\n")
		}
	}
	text := all.String()
	whole := Find(text)
	assert.Len(t, whole, len(addrs)*len(contexts))
	for _, chunk := range []int{1, 7, 64} {
		assert.Equal(t, whole, streamFind(t, strings.NewReader(text), nil, chunk), "chunk %d", chunk)
	}
	// A '%' with no zone after it is not part of the address.
	check(t, "fe80::1% of", want{IPv6, "fe80::1"})
	check(t, "fe80::1%", want{IPv6, "fe80::1"})
	// A zone glued to more than a zone can hold does not stand alone.
	check(t, "fe80::1%"+strings.Repeat("x", 80))
	check(t, "fe80::1%enö")
}
