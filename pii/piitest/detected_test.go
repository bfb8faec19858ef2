package piitest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNoDetectedPIIPasses(t *testing.T) {
	r := &recorder{}
	out := "level=INFO msg=\"listening\" addr=127.0.0.1:8080 also=[::1]:9090 any=0.0.0.0 user=u-1815 took=1234567890ns"
	assert.True(t, NoDetectedPII(r, out))
	assert.True(t, NoDetectedPII(r, []byte(out)))
	assert.True(t, NoDetectedPII(r, ""))
	assert.Empty(t, r.failures)
}

func TestNoDetectedPIIFails(t *testing.T) {
	r := &recorder{}
	out := "refund to DE89 3704 0044 0532 0130 00 for ada@example.org from 203.0.113.7"
	assert.False(t, NoDetectedPII(r, out, "refund log"))
	msg := r.failed(t)
	assert.Contains(t, msg, "output holds 3 pieces of personal data:")
	assert.Contains(t, msg, "iban (user.financial.bank_account) at byte 10: refund to **** **** **** **** **** ** for a**@e******.org fro...")
	assert.Contains(t, msg, "email (user.contact.email) at byte 42")
	assert.Contains(t, msg, "ipv4 (user.device.ip_address) at byte 63")
	assert.Contains(t, msg, "refund log")
	for _, clear := range []string{"DE89", "ada@example.org", "203.0.113.7", "0130"} {
		assert.NotContains(t, msg, clear)
	}
}

func TestNoDetectedPIIOnePiece(t *testing.T) {
	r := &recorder{}
	assert.False(t, NoDetectedPII(r, "call +49 30 1234567"))
	assert.Contains(t, r.failed(t), "output holds 1 piece of personal data:\n\t            \t\tphone (user.contact.phone_number) at byte 5: call +** ** *******")
}
