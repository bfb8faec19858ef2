package rights_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/pii"
)

// authority is the supervisory authority of the README tests.
var authority = gdpr.Party{Name: "Der Hamburgische Beauftragte für Datenschutz und Informationsfreiheit", Contact: "mailbox@datenschutz.hamburg.de"}

// readmeFor exports the subject's data in the language and returns the
// README with its lines joined: each run of white space one space.
func readmeFor(t *testing.T, f *rightsFixture, id, lang string, askRecipients bool) string {
	t.Helper()
	f.receive(t, rights.Request{ID: id, Right: rights.RightAccess, Subject: "cust-1", Language: lang, Recipients: askRecipients})
	var buf bytes.Buffer
	_, err := f.rights.Export(context.Background(), id, &buf)
	require.NoError(t, err)
	return strings.Join(strings.Fields(string(readArchive(t, buf.Bytes()).files[rights.ReadmeName])), " ")
}

// has checks that the README holds text, failing with a short message.
func has(t *testing.T, readme, text, lang string) {
	t.Helper()
	assert.True(t, strings.Contains(readme, text), "README in %q lacks %q", lang, text)
}

// lacks checks that the README does not hold text.
func lacks(t *testing.T, readme, text, lang string) {
	t.Helper()
	assert.False(t, strings.Contains(readme, text), "README in %q holds %q", lang, text)
}

func readmeFixture(t *testing.T, edit func(*rights.DeskConfig)) *rightsFixture {
	src := newMemSource("crm", "account", "newsletter", "scoring", "fraud")
	src.info.Description = "provided by you at sign-up"
	src.add("cust-1", Customer{ID: "cust-1", Email: "jane@example.com"})
	return newRightsFixture(t, func(c *rights.DeskConfig) {
		c.Sources, c.Authority, c.Recipients = []rights.Source{src}, authority, rights.NewMemoryRecipientStore()
		if edit != nil {
			edit(c)
		}
	})
}

// TestReadmeStatesProcessingInPlainWords: the README states the
// information of Art. 15(1) and (2) in the subject's language and in
// plain words (Art. 12(1)): the purposes by name, the legal bases, the
// categories, the recipients with the country and the transfer's
// safeguard, the retention period in words, where the data came from,
// the automated decisions declared, and the rights with the supervisory
// authority named in the configuration (Art. 77). A language the README
// is not written in falls back to English; none of the register's codes
// appear.
func TestReadmeStatesProcessingInPlainWords(t *testing.T) {
	f := readmeFixture(t, nil)
	common := []string{"Customer account", "Newsletter", "Credit scoring", "Fraud prevention", "Mail Co.", "SCC-2021-M2",
		"provided by you at sign-up", authority.Name, authority.Contact}
	english := []string{"Legal basis: your consent (Art. 6(1)(a) GDPR)", "our legitimate interests", "Kept for: 3 years",
		"Kept for: 2 years", "Kept for: 90 days", "E-mail address", "United States", "standard data protection clauses",
		"processor", "Automated decisions", "Art. 22(3)", "The supervisory authority responsible for us is", "direct marketing"}
	for i, c := range []struct {
		lang string
		want []string
	}{
		{"de", []string{"Rechtsgrundlage: Ihre Einwilligung (Art. 6 Abs. 1 Buchst. a DSGVO)", "unsere berechtigten Interessen",
			"Speicherdauer: 3 Jahre", "Speicherdauer: 2 Jahre", "Speicherdauer: 90 Tage", "E-Mail-Adresse", "Vereinigte Staaten",
			"Standarddatenschutzklauseln", "Auftragsverarbeiter", "Automatisierte Entscheidungen", "Art. 22 Abs. 3 DSGVO",
			"Die für uns zuständige Aufsichtsbehörde ist", "Direktwerbung", "Woher Ihre Daten stammen"}},
		{"de-AT", []string{"Speicherdauer: 3 Jahre", "Die für uns zuständige Aufsichtsbehörde ist"}},
		{"fr", []string{"Base juridique : votre consentement", "nos intérêts légitimes", "Durée de conservation : 3 ans",
			"Durée de conservation : 2 ans", "Durée de conservation : 90 jours", "Adresse e-mail", "États-Unis",
			"clauses types de protection des données", "sous-traitant", "Décisions automatisées",
			"L'autorité de contrôle compétente à notre égard est", "prospection", "Origine de vos données"}},
		{"en", english},
		{"ja", english},
		{"", english},
		{"fi-FI,sv;q=0.8", english},
	} {
		readme := readmeFor(t, f, fmt.Sprintf("req-%d", i), c.lang, false)
		for _, want := range append(common, c.want...) {
			has(t, readme, want, c.lang)
		}
		for _, code := range []string{"P3Y", "P2Y", "P90D", "P1Y", "legitimate-interests", "standard-clauses", "\"consent\"",
			"Art. 6(1)(f) legitimate interests", "Art. 46(2)(c))"} {
			lacks(t, readme, code, c.lang)
		}
	}
}

// TestReadmeAuthorityUnnamed: without a configured authority the README
// still says where the subject may complain (Art. 77(1)).
func TestReadmeAuthorityUnnamed(t *testing.T) {
	f := readmeFixture(t, func(c *rights.DeskConfig) { c.Authority = gdpr.Party{} })
	readme := readmeFor(t, f, "r", "en", false)
	has(t, readme, "Member State where you live or work", "en")
	lacks(t, readme, authority.Name, "en")
	readme = readmeFor(t, f, "r-de", "de", false)
	has(t, readme, "Mitgliedstaats wenden, in dem Sie leben oder arbeiten", "de")
}

// TestReadmeListsDisclosedRecipients: when the subject asked, the README
// names the recipients their data was disclosed to, with the categories
// and dates (Art. 19, last sentence), or says there were none.
func TestReadmeListsDisclosedRecipients(t *testing.T) {
	f := readmeFixture(t, nil)
	readme := readmeFor(t, f, "none", "de", true)
	has(t, readme, "Wir haben sie niemandem offengelegt.", "de")

	require.NoError(t, f.rights.RecordDisclosure(context.Background(), rights.Disclosure{
		Subject: "cust-1", Recipient: "Mail Co.", Purpose: "account", Categories: []pii.Category{pii.Email, pii.Name}}))
	readme = readmeFor(t, f, "one", "de", true)
	has(t, readme, "Mail Co.: E-Mail-Adresse, Name, am 2025-03-10", "de")
	readme = readmeFor(t, f, "en", "en", true)
	has(t, readme, "Mail Co.: E-mail address, Name, on 2025-03-10", "en")
	readme = readmeFor(t, f, "not-asked", "en", false)
	lacks(t, readme, "Recipients your data was disclosed to", "en")
}

// TestReadmeExplainsAutomatedDecisionsAndRetentionCriteria: the README
// and the manifest carry the information Art. 15(1)(h) requires about an
// automated decision (logic, significance, consequences), and retention
// criteria where a purpose gives them (Art. 15(1)(d)).
func TestReadmeExplainsAutomatedDecisionsAndRetentionCriteria(t *testing.T) {
	f := readmeFixture(t, nil)
	en := readmeFor(t, f, "req-en", "en", false)
	has(t, en, "How the decision is reached: payment history", "en")
	has(t, en, "What it means for you: invoice or prepayment", "en")
	has(t, en, "Envisaged consequences: prepayment only", "en")
	de := readmeFor(t, f, "req-de", "de", false)
	has(t, de, "Wie die Entscheidung zustande kommt: payment history", "de")

	reg, err := gdpr.NewRegister(gdpr.RegisterConfig{Controller: gdpr.Party{Name: "Shop", Contact: "privacy@shop.example"}},
		gdpr.Purpose{ID: "account", Name: "Customer account", Basis: gdpr.Contract, Categories: []pii.Category{pii.Email},
			DataSubjects: []string{"customers"}, RetentionCriteria: "as long as the account is open"})
	require.NoError(t, err)
	g := newRightsFixture(t, func(c *rights.DeskConfig) {
		src := newMemSource("crm", "account")
		src.add("cust-1", Customer{ID: "cust-1", Email: "jane@example.com"})
		guard, err := gdpr.NewGuard(gdpr.GuardConfig{Register: reg, Objections: gdpr.NewMemoryStore(), Restrictions: gdpr.NewMemoryStore(),
			Contract: func(context.Context, string, string) (bool, error) { return true, nil }})
		require.NoError(t, err)
		c.Register, c.Guard, c.Sources = reg, guard, []rights.Source{src}
	})
	g.receive(t, rights.Request{ID: "req-c", Right: rights.RightAccess, Subject: "cust-1"})
	var buf bytes.Buffer
	m, err := g.rights.Export(context.Background(), "req-c", &buf)
	require.NoError(t, err)
	require.Len(t, m.Processing.Purposes, 1)
	assert.Equal(t, "as long as the account is open", m.Processing.Purposes[0].RetentionCriteria)
	readme := string(readArchive(t, buf.Bytes()).files[rights.ReadmeName])
	assert.Contains(t, strings.Join(strings.Fields(readme), " "), "How long it is kept is decided by: as long as the account is open")
	assert.NotContains(t, readme, "Kept for:", "no period to state")
}
