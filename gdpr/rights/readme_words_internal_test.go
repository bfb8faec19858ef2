package rights

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/pii"
)

// TestPeriodWords: a retention period is stated in words, not as an ISO
// 8601 code (Art. 12(1), 15(1)(d)), singular and plural, in every README
// language; text that is no period (criteria) passes unchanged.
func TestPeriodWords(t *testing.T) {
	for _, c := range []struct {
		in         string
		en, de, fr string
	}{
		{"P2Y", "2 years", "2 Jahre", "2 ans"},
		{"P1Y", "1 year", "1 Jahr", "1 an"},
		{"P6M", "6 months", "6 Monate", "6 mois"},
		{"P1M", "1 month", "1 Monat", "1 mois"},
		{"P90D", "90 days", "90 Tage", "90 jours"},
		{"P1W", "1 week", "1 Woche", "1 semaine"},
		{"P1Y6M", "1 year and 6 months", "1 Jahr und 6 Monate", "1 an et 6 mois"},
		{"P1Y2M3D", "1 year, 2 months and 3 days", "1 Jahr, 2 Monate und 3 Tage", "1 an, 2 mois et 3 jours"},
		{"PT36H", "36 hours", "36 Stunden", "36 heures"},
		{"P0D", "0 days", "0 Tage", "0 jours"},
		{"until the contract ends", "until the contract ends", "until the contract ends", "until the contract ends"},
	} {
		for li, want := range []string{c.en, c.de, c.fr} {
			assert.Equal(t, want, periodWords(c.in, li), "%s in %s", c.in, readmeLanguages[li])
		}
	}
}

// TestReadmeWordsComplete: every lawful basis, Art. 9(2) condition,
// recipient role, transfer safeguard and built-in category has its plain
// words in every README language, so that no code reaches the README.
func TestReadmeWordsComplete(t *testing.T) {
	for b := gdpr.Consent; b.Valid(); b++ {
		assert.Contains(t, basisWords, b, "basis %s", b)
	}
	for c := gdpr.ExplicitConsent; c.Valid(); c++ {
		assert.Contains(t, conditionWords, c, "condition %s", c)
		assert.Equal(t, c, conditionOf(c.Article()))
	}
	for r := gdpr.Processor; r.Valid(); r++ {
		assert.Contains(t, roleWords, r, "role %s", r)
	}
	for s := gdpr.Adequacy; s.Valid(); s++ {
		assert.Contains(t, safeguardWords, s, "safeguard %s", s)
	}
	for _, table := range []map[gdpr.Basis][3]string{basisWords} {
		for k, w := range table {
			for li, text := range w {
				assert.NotEmpty(t, text, "%s in %s", k, readmeLanguages[li])
			}
		}
	}
	for _, info := range pii.Categories() {
		if _, ok := categoryWords[info.Key]; !ok {
			t.Errorf("category %s has no German and French name", info.Key)
		}
	}
}
