package rights

import (
	"slices"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message/catalog"
)

// Keys of the README's messages. Each is translated below into every
// language of readmeLanguages.
const (
	msgTitleAccess      = "readme.title.access"
	msgTitlePortability = "readme.title.portability"
	msgAnswers          = "readme.answers"
	msgGenerated        = "readme.generated"
	msgContents         = "readme.contents"
	msgDataFile         = "readme.file.data"
	msgNoData           = "readme.file.none"
	msgManifestFile     = "readme.file.manifest"
	msgReadmeFile       = "readme.file.readme"
	msgHowTo            = "readme.howto"
	msgHowToText        = "readme.howto.text"
	msgPortable         = "readme.portable"
	msgWithheld         = "readme.withheld"
	msgRights           = "readme.rights"
	msgRightsText       = "readme.rights.text"
	msgContact          = "readme.contact"
	msgDPO              = "readme.dpo"
	msgRightAccess      = "right.access"
	msgRightPortability = "right.portability"
)

// readmeLanguages are the languages the README is written in, English
// first: the fallback for every other language.
var readmeLanguages = []language.Tag{language.English, language.German, language.French}

// readmeMessages holds every message in English, German and French but
// those that count (readmePlurals). The
// verbs are those of golang.org/x/text/message: %[1]s is the first
// argument, %[2]d the second as a number written the language's way.
var readmeMessages = []struct{ key, en, de, fr string }{
	{msgTitleAccess,
		"Copy of your personal data",
		"Kopie Ihrer personenbezogenen Daten",
		"Copie de vos données à caractère personnel"},
	{msgTitlePortability,
		"Your personal data in a portable format",
		"Ihre personenbezogenen Daten in einem übertragbaren Format",
		"Vos données à caractère personnel dans un format portable"},
	{msgAnswers,
		"This archive answers your request %[1]s of %[2]s under %[3]s GDPR (%[4]s).",
		"Dieses Archiv beantwortet Ihre Anfrage %[1]s vom %[2]s nach %[3]s DSGVO (%[4]s).",
		"Cette archive répond à votre demande %[1]s du %[2]s au titre de l'%[3]s du RGPD (%[4]s)."},
	{msgGenerated,
		"It was generated on %[1]s by %[2]s.",
		"Es wurde am %[1]s von %[2]s erstellt.",
		"Elle a été générée le %[1]s par %[2]s."},
	{msgContents,
		"Contents",
		"Inhalt",
		"Contenu"},
	{msgNoData,
		"No personal data about you was found.",
		"Es wurden keine personenbezogenen Daten über Sie gefunden.",
		"Aucune donnée à caractère personnel vous concernant n'a été trouvée."},
	{msgReadmeFile,
		"%[1]s: this text",
		"%[1]s: dieser Text",
		"%[1]s : ce texte"},
	{msgManifestFile,
		"%[1]s: the list of files with their SHA-256 checksums, and the information on the processing of your data",
		"%[1]s: die Liste der Dateien mit ihren SHA-256-Prüfsummen und die Informationen über die Verarbeitung Ihrer Daten",
		"%[1]s : la liste des fichiers avec leurs sommes de contrôle SHA-256, et les informations sur le traitement de vos données"},
	{msgHowTo,
		"How to read these files",
		"So lesen Sie diese Dateien",
		"Comment lire ces fichiers"},
	{msgHowToText,
		"The JSON files hold your records; every personal value is labelled with its category, such as \"user.contact.email\". The CSV files hold the same records as tables that any spreadsheet opens. manifest.json says why and how your data is processed: the purposes and their legal bases, the categories of data, the recipients and the safeguards of transfers outside the European Economic Area, how long the data is kept, where it came from, and whether decisions about you are made by automated means.",
		"Die JSON-Dateien enthalten Ihre Datensätze; jeder personenbezogene Wert ist mit seiner Kategorie gekennzeichnet, etwa \"user.contact.email\". Die CSV-Dateien enthalten dieselben Datensätze als Tabellen, die jede Tabellenkalkulation öffnet. manifest.json erklärt, warum und wie Ihre Daten verarbeitet werden: die Zwecke und ihre Rechtsgrundlagen, die Datenkategorien, die Empfänger und die Garantien bei Übermittlungen außerhalb des Europäischen Wirtschaftsraums, wie lange die Daten gespeichert werden, woher sie stammen und ob Entscheidungen über Sie automatisiert getroffen werden.",
		"Les fichiers JSON contiennent vos enregistrements ; chaque valeur à caractère personnel est accompagnée de sa catégorie, par exemple « user.contact.email ». Les fichiers CSV contiennent les mêmes enregistrements sous forme de tableaux, lisibles par tout tableur. manifest.json indique pourquoi et comment vos données sont traitées : les finalités et leurs bases juridiques, les catégories de données, les destinataires et les garanties des transferts hors de l'Espace économique européen, la durée de conservation, la source des données, et l'existence d'une prise de décision automatisée vous concernant."},
	{msgPortable,
		"This export holds the data you provided to us or that we observed from your use of our services, where we process it on the basis of your consent or of a contract with you (Art. 20 GDPR). You may pass it on to another controller.",
		"Dieser Export enthält die Daten, die Sie uns bereitgestellt haben oder die wir bei der Nutzung unserer Dienste beobachtet haben, soweit wir sie auf Grund Ihrer Einwilligung oder eines Vertrags mit Ihnen verarbeiten (Art. 20 DSGVO). Sie können ihn einem anderen Verantwortlichen übermitteln.",
		"Cet export contient les données que vous nous avez fournies ou que nous avons observées lors de votre utilisation de nos services, lorsque nous les traitons sur la base de votre consentement ou d'un contrat avec vous (art. 20 du RGPD). Vous pouvez les transmettre à un autre responsable du traitement."},
	{msgRights,
		"Your rights",
		"Ihre Rechte",
		"Vos droits"},
	{msgRightsText,
		"You may ask us to rectify (Art. 16), erase (Art. 17) or restrict the processing of (Art. 18) your data, to receive it in a portable format (Art. 20), and you may object to its processing (Art. 21). Where we process it on the basis of your consent, you may withdraw consent at any time (Art. 7(3)). You have the right to lodge a complaint with a supervisory authority (Art. 77).",
		"Sie können von uns die Berichtigung (Art. 16), die Löschung (Art. 17) oder die Einschränkung der Verarbeitung (Art. 18) Ihrer Daten und deren Übermittlung in einem übertragbaren Format (Art. 20) verlangen und der Verarbeitung widersprechen (Art. 21). Soweit wir Ihre Daten auf Grund Ihrer Einwilligung verarbeiten, können Sie diese jederzeit widerrufen (Art. 7 Abs. 3). Sie haben das Recht auf Beschwerde bei einer Aufsichtsbehörde (Art. 77).",
		"Vous pouvez nous demander la rectification (art. 16), l'effacement (art. 17) ou la limitation du traitement (art. 18) de vos données, les recevoir dans un format portable (art. 20), et vous opposer à leur traitement (art. 21). Lorsque nous les traitons sur la base de votre consentement, vous pouvez le retirer à tout moment (art. 7, paragraphe 3). Vous avez le droit d'introduire une réclamation auprès d'une autorité de contrôle (art. 77)."},
	{msgContact,
		"Contact: %[1]s",
		"Kontakt: %[1]s",
		"Contact : %[1]s"},
	{msgDPO,
		"Data protection officer: %[1]s",
		"Datenschutzbeauftragte(r): %[1]s",
		"Délégué à la protection des données : %[1]s"},
	{msgRightAccess,
		"right of access",
		"Auskunftsrecht",
		"droit d'accès"},
	{msgRightPortability,
		"right to data portability",
		"Recht auf Datenübertragbarkeit",
		"droit à la portabilité des données"},
}

// readmePlurals are the messages that count: arg is the position of the
// count among the arguments, and each language has its singular ("one")
// and plural ("other") form.
var readmePlurals = []struct {
	key        string
	arg        int
	one, other [3]string // en, de, fr
}{
	{msgDataFile, 2,
		[3]string{
			"%[1]s: %[2]d record from %[3]s (%[4]s)",
			"%[1]s: %[2]d Datensatz aus %[3]s (%[4]s)",
			"%[1]s : %[2]d enregistrement provenant de %[3]s (%[4]s)"},
		[3]string{
			"%[1]s: %[2]d records from %[3]s (%[4]s)",
			"%[1]s: %[2]d Datensätze aus %[3]s (%[4]s)",
			"%[1]s : %[2]d enregistrements provenant de %[3]s (%[4]s)"}},
	{msgWithheld, 1,
		[3]string{
			"%[1]d value was left out because it concerns another person (Art. 15(4) GDPR).",
			"%[1]d Wert wurde weggelassen, weil er eine andere Person betrifft (Art. 15 Abs. 4 DSGVO).",
			"%[1]d valeur a été omise car elle concerne une autre personne (art. 15, paragraphe 4, du RGPD)."},
		[3]string{
			"%[1]d values were left out because they concern other people (Art. 15(4) GDPR).",
			"%[1]d Werte wurden weggelassen, weil sie andere Personen betreffen (Art. 15 Abs. 4 DSGVO).",
			"%[1]d valeurs ont été omises car elles concernent d'autres personnes (art. 15, paragraphe 4, du RGPD)."}},
}

// readmeCatalog holds readmeMessages and readmePlurals, English the
// fallback.
var readmeCatalog = func() *catalog.Builder {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	must := func(err error) {
		if err != nil {
			panic("rights: README catalog: " + err.Error()) // the tables above are fixed
		}
	}
	for _, m := range slices.Concat(readmeMessages, readmeInfoMessages) {
		for i, text := range []string{m.en, m.de, m.fr} {
			must(b.SetString(readmeLanguages[i], m.key, text))
		}
	}
	for _, m := range readmePlurals {
		for i, tag := range readmeLanguages {
			must(b.Set(tag, m.key, plural.Selectf(m.arg, "%d", plural.One, m.one[i], plural.Other, m.other[i])))
		}
	}
	return b
}()
