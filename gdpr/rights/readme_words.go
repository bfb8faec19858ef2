package rights

import (
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/retention"
)

// Art. 12(1) asks for the information of Art. 15(1) "in a concise,
// transparent, intelligible and easily accessible form, using clear and
// plain language". The words below turn the register's codes into that
// language for the README: each table holds English, German and French,
// in the order of readmeLanguages.

// langIndex returns the position of tag in readmeLanguages; 0 (English)
// for any other.
func langIndex(tag language.Tag) int {
	return max(slices.Index(readmeLanguages, tag), 0)
}

// periodUnits are the units of an ISO 8601 period, singular and plural,
// largest first.
var periodUnits = [...][3][2]string{
	{{"year", "years"}, {"Jahr", "Jahre"}, {"an", "ans"}},
	{{"month", "months"}, {"Monat", "Monate"}, {"mois", "mois"}},
	{{"week", "weeks"}, {"Woche", "Wochen"}, {"semaine", "semaines"}},
	{{"day", "days"}, {"Tag", "Tage"}, {"jour", "jours"}},
	{{"hour", "hours"}, {"Stunde", "Stunden"}, {"heure", "heures"}},
	{{"minute", "minutes"}, {"Minute", "Minuten"}, {"minute", "minutes"}},
	{{"second", "seconds"}, {"Sekunde", "Sekunden"}, {"seconde", "secondes"}},
}

// periodAnd joins the last two parts of a period.
var periodAnd = [3]string{"and", "und", "et"}

// periodWords writes an ISO 8601 period in words: "P2Y" is "2 years",
// "P1Y6M" "1 year and 6 months", "2 Jahre", "1 an et 6 mois". Text that
// is not a period (criteria, such as "until the contract ends") is
// returned as it is.
func periodWords(s string, li int) string {
	p, err := retention.ParsePeriod(s)
	if err != nil {
		return s
	}
	var parts []string
	for i, n := range []int{p.Years, p.Months, p.Weeks, p.Days, p.Hours, p.Minutes, p.Seconds} {
		if n == 0 {
			continue
		}
		unit := periodUnits[i][li][1]
		if n == 1 {
			unit = periodUnits[i][li][0]
		}
		parts = append(parts, strconv.Itoa(n)+" "+unit)
	}
	switch len(parts) {
	case 0:
		return "0 " + periodUnits[3][li][1]
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " " + periodAnd[li] + " " + parts[len(parts)-1]
}

// basisWords say each lawful basis of Art. 6(1) in plain words, with the
// provision.
var basisWords = map[gdpr.Basis][3]string{
	gdpr.Consent: {
		"your consent (Art. 6(1)(a) GDPR)",
		"Ihre Einwilligung (Art. 6 Abs. 1 Buchst. a DSGVO)",
		"votre consentement (article 6, paragraphe 1, point a), du RGPD)"},
	gdpr.Contract: {
		"a contract with you, or steps you asked for before entering into one (Art. 6(1)(b) GDPR)",
		"die Erfüllung eines Vertrags mit Ihnen oder vorvertragliche Maßnahmen auf Ihre Anfrage (Art. 6 Abs. 1 Buchst. b DSGVO)",
		"l'exécution d'un contrat avec vous ou de mesures précontractuelles prises à votre demande (article 6, paragraphe 1, point b), du RGPD)"},
	gdpr.LegalObligation: {
		"a legal obligation we are subject to (Art. 6(1)(c) GDPR)",
		"eine rechtliche Verpflichtung, der wir unterliegen (Art. 6 Abs. 1 Buchst. c DSGVO)",
		"une obligation légale à laquelle nous sommes soumis (article 6, paragraphe 1, point c), du RGPD)"},
	gdpr.VitalInterests: {
		"protecting your vital interests or those of another person (Art. 6(1)(d) GDPR)",
		"der Schutz lebenswichtiger Interessen von Ihnen oder einer anderen Person (Art. 6 Abs. 1 Buchst. d DSGVO)",
		"la sauvegarde de vos intérêts vitaux ou de ceux d'une autre personne (article 6, paragraphe 1, point d), du RGPD)"},
	gdpr.PublicTask: {
		"a task in the public interest or in the exercise of official authority vested in us (Art. 6(1)(e) GDPR)",
		"die Wahrnehmung einer Aufgabe im öffentlichen Interesse oder in Ausübung öffentlicher Gewalt, die uns übertragen wurde (Art. 6 Abs. 1 Buchst. e DSGVO)",
		"l'exécution d'une mission d'intérêt public ou relevant de l'exercice de l'autorité publique dont nous sommes investis (article 6, paragraphe 1, point e), du RGPD)"},
	gdpr.LegitimateInterests: {
		"our legitimate interests or those of a third party, weighed against your interests and rights (Art. 6(1)(f) GDPR)",
		"unsere berechtigten Interessen oder die eines Dritten, abgewogen gegen Ihre Interessen und Rechte (Art. 6 Abs. 1 Buchst. f DSGVO)",
		"nos intérêts légitimes ou ceux d'un tiers, mis en balance avec vos intérêts et droits (article 6, paragraphe 1, point f), du RGPD)"},
}

// conditionWords say each condition of Art. 9(2) that allows processing
// special categories of data.
var conditionWords = map[gdpr.Condition][3]string{
	gdpr.ExplicitConsent: {
		"your explicit consent (Art. 9(2)(a) GDPR)",
		"Ihre ausdrückliche Einwilligung (Art. 9 Abs. 2 Buchst. a DSGVO)",
		"votre consentement explicite (article 9, paragraphe 2, point a), du RGPD)"},
	gdpr.Employment: {
		"obligations and rights in employment and social security law (Art. 9(2)(b) GDPR)",
		"Pflichten und Rechte aus dem Arbeitsrecht und dem Recht der sozialen Sicherheit (Art. 9 Abs. 2 Buchst. b DSGVO)",
		"des obligations et droits en matière de droit du travail et de la sécurité sociale (article 9, paragraphe 2, point b), du RGPD)"},
	gdpr.VitalInterestsIncapable: {
		"vital interests, where you cannot give consent (Art. 9(2)(c) GDPR)",
		"lebenswichtige Interessen, wenn Sie keine Einwilligung geben können (Art. 9 Abs. 2 Buchst. c DSGVO)",
		"des intérêts vitaux, lorsque vous ne pouvez pas consentir (article 9, paragraphe 2, point c), du RGPD)"},
	gdpr.NotForProfit: {
		"the activities of a not-for-profit body, about its members (Art. 9(2)(d) GDPR)",
		"die Tätigkeit einer Organisation ohne Gewinnerzielungsabsicht, über ihre Mitglieder (Art. 9 Abs. 2 Buchst. d DSGVO)",
		"les activités d'un organisme à but non lucratif, concernant ses membres (article 9, paragraphe 2, point d), du RGPD)"},
	gdpr.MadePublic: {
		"data you have manifestly made public (Art. 9(2)(e) GDPR)",
		"Daten, die Sie offensichtlich öffentlich gemacht haben (Art. 9 Abs. 2 Buchst. e DSGVO)",
		"des données que vous avez manifestement rendues publiques (article 9, paragraphe 2, point e), du RGPD)"},
	gdpr.LegalClaims: {
		"legal claims, or courts acting in their judicial capacity (Art. 9(2)(f) GDPR)",
		"Rechtsansprüche oder Handlungen der Gerichte (Art. 9 Abs. 2 Buchst. f DSGVO)",
		"des droits en justice ou l'activité juridictionnelle des tribunaux (article 9, paragraphe 2, point f), du RGPD)"},
	gdpr.SubstantialPublicInterest: {
		"a substantial public interest under Union or Member State law (Art. 9(2)(g) GDPR)",
		"ein erhebliches öffentliches Interesse nach Unionsrecht oder dem Recht eines Mitgliedstaats (Art. 9 Abs. 2 Buchst. g DSGVO)",
		"un intérêt public important, sur la base du droit de l'Union ou d'un État membre (article 9, paragraphe 2, point g), du RGPD)"},
	gdpr.HealthCare: {
		"health or social care (Art. 9(2)(h) GDPR)",
		"Gesundheitsvorsorge, Behandlung oder Versorgung im Gesundheits- oder Sozialbereich (Art. 9 Abs. 2 Buchst. h DSGVO)",
		"la médecine, les soins ou la protection sociale (article 9, paragraphe 2, point h), du RGPD)"},
	gdpr.PublicHealth: {
		"the public interest in public health (Art. 9(2)(i) GDPR)",
		"das öffentliche Interesse im Bereich der öffentlichen Gesundheit (Art. 9 Abs. 2 Buchst. i DSGVO)",
		"l'intérêt public dans le domaine de la santé publique (article 9, paragraphe 2, point i), du RGPD)"},
	gdpr.Archiving: {
		"archiving in the public interest, research or statistics (Art. 9(2)(j) GDPR)",
		"im öffentlichen Interesse liegende Archivzwecke, Forschung oder Statistik (Art. 9 Abs. 2 Buchst. j DSGVO)",
		"l'archivage dans l'intérêt public, la recherche ou la statistique (article 9, paragraphe 2, point j), du RGPD)"},
}

// roleWords say what each kind of recipient does with the data.
var roleWords = map[gdpr.Role][3]string{
	gdpr.Processor: {
		"processes the data on our behalf (processor)",
		"verarbeitet die Daten in unserem Auftrag (Auftragsverarbeiter)",
		"traite les données pour notre compte (sous-traitant)"},
	gdpr.JointController: {
		"decides with us why and how the data is processed (joint controller)",
		"entscheidet mit uns über Zwecke und Mittel der Verarbeitung (gemeinsam Verantwortlicher)",
		"détermine avec nous les finalités et les moyens du traitement (responsable conjoint)"},
	gdpr.ThirdParty: {
		"processes the data for its own purposes (independent controller)",
		"verarbeitet die Daten für eigene Zwecke (eigenständiger Verantwortlicher)",
		"traite les données pour ses propres finalités (responsable du traitement distinct)"},
}

// safeguardWords say each ground of a transfer outside the EEA.
var safeguardWords = map[gdpr.Safeguard][3]string{
	gdpr.Adequacy: {
		"an adequacy decision of the European Commission (Art. 45 GDPR)",
		"ein Angemessenheitsbeschluss der Europäischen Kommission (Art. 45 DSGVO)",
		"une décision d'adéquation de la Commission européenne (article 45 du RGPD)"},
	gdpr.StandardClauses: {
		"standard data protection clauses adopted by the European Commission (Art. 46(2)(c) GDPR)",
		"von der Europäischen Kommission erlassene Standarddatenschutzklauseln (Art. 46 Abs. 2 Buchst. c DSGVO)",
		"des clauses types de protection des données adoptées par la Commission européenne (article 46, paragraphe 2, point c), du RGPD)"},
	gdpr.BindingCorporateRules: {
		"binding corporate rules approved by a supervisory authority (Art. 47 GDPR)",
		"von einer Aufsichtsbehörde genehmigte verbindliche interne Datenschutzvorschriften (Art. 47 DSGVO)",
		"des règles d'entreprise contraignantes approuvées par une autorité de contrôle (article 47 du RGPD)"},
	gdpr.Derogation: {
		"an exception for a specific situation (Art. 49 GDPR)",
		"eine Ausnahme für einen bestimmten Fall (Art. 49 DSGVO)",
		"une dérogation pour une situation particulière (article 49 du RGPD)"},
}

// words returns a table's words for v in language li, and fallback when
// the table has none.
func words[K comparable](table map[K][3]string, v K, li int, fallback string) string {
	if w, ok := table[v]; ok {
		return w[li]
	}
	return fallback
}

// categoryWords name the built-in categories of package pii in German
// and French; English is their Title.
var categoryWords = map[pii.Category][2]string{
	pii.Name:          {"Name", "Nom"},
	pii.FirstName:     {"Vorname", "Prénom"},
	pii.LastName:      {"Nachname", "Nom de famille"},
	pii.Email:         {"E-Mail-Adresse", "Adresse e-mail"},
	pii.Phone:         {"Telefonnummer", "Numéro de téléphone"},
	pii.Address:       {"Postanschrift", "Adresse postale"},
	pii.PostalCode:    {"Postleitzahl", "Code postal"},
	pii.City:          {"Ort", "Ville"},
	pii.Country:       {"Land", "Pays"},
	pii.URL:           {"Persönliche Website", "Site web personnel"},
	pii.IPAddress:     {"IP-Adresse", "Adresse IP"},
	pii.DeviceID:      {"Geräte- oder Browserkennung", "Identifiant d'appareil ou de navigateur"},
	pii.CookieID:      {"Cookie-Kennung", "Identifiant de cookie"},
	pii.Location:      {"Standort", "Localisation"},
	pii.PreciseLoc:    {"Genauer Standort", "Localisation précise"},
	pii.Gender:        {"Geschlecht", "Genre"},
	pii.DateOfBirth:   {"Geburtsdatum", "Date de naissance"},
	pii.AgeRange:      {"Altersgruppe", "Tranche d'âge"},
	pii.Language:      {"Bevorzugte Sprache", "Langue préférée"},
	pii.JobTitle:      {"Beruf", "Profession"},
	pii.Workplace:     {"Arbeitsplatz", "Lieu de travail"},
	pii.Observational: {"Verhalten", "Comportement"},
	pii.Browsing:      {"Surfverhalten", "Navigation"},
	pii.Purchases:     {"Kaufhistorie", "Historique d'achats"},
	pii.SocialMedia:   {"Social-Media-Konto", "Compte de réseau social"},
	pii.Account:       {"Kontodaten", "Données de compte"},
	pii.UniqueID:      {"Eindeutige Kennung", "Identifiant unique"},
	pii.Financial:     {"Finanzdaten", "Données financières"},
	pii.BankAccount:   {"Bankkonto", "Compte bancaire"},
	pii.PaymentCard:   {"Zahlungskarte", "Carte de paiement"},
	pii.Billing:       {"Rechnungs- und Zahlungsdaten", "Données de facturation et de paiement"},
	pii.GovernmentID:  {"Amtliche Kennung", "Identifiant officiel"},
	pii.Passport:      {"Reisepassnummer", "Numéro de passeport"},
	pii.NationalID:    {"Nationale Identifikationsnummer", "Numéro d'identification national"},
	pii.Credentials:   {"Zugangsdaten", "Identifiants de connexion"},
	pii.Content:       {"Von Ihnen erstellte Inhalte", "Contenus que vous avez créés"},
	pii.ChildrenData:  {"Daten über Kinder", "Données concernant des enfants"},
	pii.Health:        {"Gesundheitsdaten", "Données de santé"},
	pii.Genetic:       {"Genetische Daten", "Données génétiques"},
	pii.Biometric:     {"Biometrische Daten", "Données biométriques"},
	pii.RacialEthnic:  {"Rassische oder ethnische Herkunft", "Origine raciale ou ethnique"},
	pii.Political:     {"Politische Meinungen", "Opinions politiques"},
	pii.Religious:     {"Religiöse oder weltanschauliche Überzeugungen", "Convictions religieuses ou philosophiques"},
	pii.TradeUnion:    {"Gewerkschaftszugehörigkeit", "Appartenance syndicale"},
	pii.SexualOrient:  {"Sexuelle Orientierung", "Orientation sexuelle"},
	pii.SexLife:       {"Sexualleben", "Vie sexuelle"},
	pii.CriminalData:  {"Strafrechtliche Verurteilungen und Straftaten", "Condamnations pénales et infractions"},
}

// categoryName names a category in language li: its German or French
// name, else its English title (a category an application registered).
func categoryName(c pii.Category, li int) string {
	if w, ok := categoryWords[c]; ok && li > 0 {
		return w[li-1]
	}
	return c.Title()
}

// countryName names a country, given as an ISO 3166-1 code, in the
// language tag; the code itself when it is none.
func countryName(code string, tag language.Tag) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if name := display.Regions(tag).Name(r); name != "" {
		return name
	}
	return code
}
