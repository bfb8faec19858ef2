package consent_test

import (
	"testing"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/stretchr/testify/assert"
)

func TestAgeOfConsentCoversTheEUTheEEAAndTheUK(t *testing.T) {
	eu := []string{"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
		"IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}
	assert.Len(t, eu, 27)
	for _, country := range append(eu, "IS", "LI", "NO", "GB") {
		age, ok := consent.AgeOfConsent(country)
		if assert.True(t, ok, country) {
			assert.GreaterOrEqual(t, age, 13, "%s: Art. 8(1) allows no age below 13", country)
			assert.LessOrEqual(t, age, consent.DefaultAgeOfConsent, "%s: nor above 16", country)
		}
	}
}

func TestAgeOfConsentReadsCountryCodes(t *testing.T) {
	for _, tc := range []struct {
		country string
		age     int
	}{
		{"DE", 16},
		{"de", 16},
		{"DEU", 16},
		{"276", 16},
		{"UK", 13},
		{"gb", 13},
		{"EL", 15}, // the EU's code for Greece
		{"GRC", 15},
		{"DK", 15}, // raised from 13 on 1 January 2024
		{"ES", 14},
		{"BE", 13},
	} {
		age, ok := consent.AgeOfConsent(tc.country)
		assert.True(t, ok, tc.country)
		assert.Equal(t, tc.age, age, tc.country)
	}
	for _, country := range []string{"US", "CH", "TR", "", "ZZ", "EU", "XX", "not a country", "\x00"} {
		age, ok := consent.AgeOfConsent(country)
		assert.False(t, ok, "%q is outside the EU, the EEA and the UK", country)
		assert.Zero(t, age, country)
	}
}
