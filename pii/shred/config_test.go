package shred_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/tink-crypto/tink-go/v2/tink"

	"github.com/gdprkit/gdprkit/pii/shred"
)

// TestNewRefusesAConfigThatCannotWork: a missing store or KEK, or a current
// KEK listed as old, is an error matching ErrInvalidConfig, never a
// silent default.
func TestNewRefusesAConfigThatCannotWork(t *testing.T) {
	kek := newKEK(t)
	for name, cfg := range map[string]shred.ShredderConfig{
		"no store":       {KEK: kek},
		"no KEK":         {Store: shred.NewMemoryStore()},
		"current as old": {Store: shred.NewMemoryStore(), KEK: kek, KEKID: "k1", OldKEKs: map[string]tink.AEAD{"k1": kek}},
	} {
		s, err := shred.New(cfg)
		assert.Nil(t, s, name)
		assert.ErrorIs(t, err, shred.ErrInvalidConfig, name)
	}
}
