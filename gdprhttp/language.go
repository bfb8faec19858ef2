package gdprhttp

import (
	"net/http"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// Languages are the languages of the privacy center, the first the
// fallback.
var Languages = []language.Tag{language.English, language.German, language.French}

var matcher = language.NewMatcher(Languages)

// pickLanguage chooses the page's language from Accept-Language; English
// when the header is missing, malformed or names none of the Languages.
func pickLanguage(r *http.Request) language.Tag {
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return language.English
	}
	_, i, conf := matcher.Match(tags...)
	if conf == language.No {
		return language.English
	}
	return Languages[i]
}

// catalog holds the page's messages in every language.
var messages = func() catalog.Catalog {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for key, texts := range pageText {
		for i, t := range texts {
			if err := b.SetString(Languages[i], key, t); err != nil {
				panic(err) // the texts are constants
			}
		}
	}
	return b
}()

// printer returns the printer of a language's messages.
func printer(tag language.Tag) *message.Printer {
	return message.NewPrinter(tag, message.Catalog(messages))
}

// pageText is every text of the page in English, German and French.
var pageText = map[string][3]string{
	"title":                      {"Privacy center", "Datenschutz-Center", "Espace confidentialité"},
	"intro":                      {"Here you can see, take with you, correct or erase the personal data %s holds about you, and decide what you consent to.", "Hier können Sie die personenbezogenen Daten, die %s über Sie speichert, einsehen, mitnehmen, berichtigen oder löschen und entscheiden, worin Sie einwilligen.", "Ici, vous pouvez consulter, emporter, rectifier ou effacer les données personnelles que %s détient sur vous, et choisir ce à quoi vous consentez."},
	"request.h":                  {"Make a request", "Antrag stellen", "Faire une demande"},
	"request.what":               {"What would you like to do?", "Was möchten Sie tun?", "Que souhaitez-vous faire ?"},
	"right.access":               {"Get a copy of my data (Art. 15)", "Eine Kopie meiner Daten erhalten (Art. 15)", "Obtenir une copie de mes données (art. 15)"},
	"right.portability":          {"Take my data to another service (Art. 20)", "Meine Daten zu einem anderen Dienst mitnehmen (Art. 20)", "Transférer mes données vers un autre service (art. 20)"},
	"right.erasure":              {"Erase my data (Art. 17)", "Meine Daten löschen (Art. 17)", "Effacer mes données (art. 17)"},
	"right.rectification":        {"Correct my data (Art. 16)", "Meine Daten berichtigen (Art. 16)", "Rectifier mes données (art. 16)"},
	"right.restriction":          {"Restrict the processing of my data (Art. 18)", "Die Verarbeitung meiner Daten einschränken (Art. 18)", "Limiter le traitement de mes données (art. 18)"},
	"right.objection":            {"Object to a processing (Art. 21)", "Einer Verarbeitung widersprechen (Art. 21)", "M'opposer à un traitement (art. 21)"},
	"email":                      {"Your e-mail address", "Ihre E-Mail-Adresse", "Votre adresse e-mail"},
	"email.hint":                 {"We send a code to this address to make sure the request is yours.", "Wir senden einen Code an diese Adresse, um sicherzugehen, dass der Antrag von Ihnen kommt.", "Nous envoyons un code à cette adresse pour vérifier que la demande vient de vous."},
	"purpose":                    {"Processing you object to (for an objection)", "Verarbeitung, der Sie widersprechen (bei einem Widerspruch)", "Traitement auquel vous vous opposez (pour une opposition)"},
	"purpose.marketing":          {"All direct marketing", "Jede Direktwerbung", "Toute prospection commerciale"},
	"ground":                     {"Why processing should be restricted (for a restriction)", "Warum die Verarbeitung eingeschränkt werden soll (bei einer Einschränkung)", "Pourquoi limiter le traitement (pour une limitation)"},
	"ground.accuracy":            {"I contest the accuracy of my data", "Ich bestreite die Richtigkeit meiner Daten", "Je conteste l'exactitude de mes données"},
	"ground.unlawful":            {"The processing is unlawful", "Die Verarbeitung ist unrechtmäßig", "Le traitement est illicite"},
	"ground.claims-of-subject":   {"I need the data for legal claims", "Ich brauche die Daten für Rechtsansprüche", "J'ai besoin des données pour des droits en justice"},
	"ground.objection-pending":   {"I objected and await the outcome", "Ich habe widersprochen und warte auf das Ergebnis", "Je me suis opposé et j'attends la réponse"},
	"none":                       {"(none)", "(keine)", "(aucun)"},
	"send":                       {"Send me a code", "Code senden", "M'envoyer un code"},
	"code.h":                     {"Enter your code", "Code eingeben", "Saisissez votre code"},
	"code.sent":                  {"If the address is known to us, we have sent a six-digit code to it. It is valid until %s.", "Wenn uns die Adresse bekannt ist, haben wir einen sechsstelligen Code an sie gesendet. Er gilt bis %s.", "Si l'adresse nous est connue, nous y avons envoyé un code à six chiffres. Il est valable jusqu'à %s."},
	"code":                       {"Code", "Code", "Code"},
	"confirm":                    {"Confirm", "Bestätigen", "Confirmer"},
	"status.h":                   {"Your request", "Ihr Antrag", "Votre demande"},
	"status.ticket":              {"Ticket", "Vorgang", "Dossier"},
	"status.right":               {"Request", "Antrag", "Demande"},
	"status.state":               {"State", "Stand", "État"},
	"status.due":                 {"Answered by", "Beantwortet bis", "Réponse au plus tard le"},
	"status.completed":           {"Completed on", "Erledigt am", "Terminée le"},
	"status.link":                {"Bookmark this page to follow your request.", "Speichern Sie diese Seite, um Ihren Antrag zu verfolgen.", "Ajoutez cette page à vos favoris pour suivre votre demande."},
	"state.unverified":           {"waiting for the code", "wartet auf den Code", "en attente du code"},
	"state.open":                 {"received", "eingegangen", "reçue"},
	"state.in-progress":          {"in progress", "in Bearbeitung", "en cours"},
	"state.completed":            {"completed", "erledigt", "terminée"},
	"state.refused":              {"refused", "abgelehnt", "refusée"},
	"download":                   {"Download your data (ZIP)", "Ihre Daten herunterladen (ZIP)", "Télécharger vos données (ZIP)"},
	"download.hint":              {"The link works once, until %s.", "Der Link funktioniert einmal, bis %s.", "Le lien fonctionne une fois, jusqu'à %s."},
	"download.new":               {"Get a new download link", "Neuen Download-Link anfordern", "Obtenir un nouveau lien"},
	"erased":                     {"Your data has been erased.", "Ihre Daten wurden gelöscht.", "Vos données ont été effacées."},
	"consents.h":                 {"Your consents", "Ihre Einwilligungen", "Vos consentements"},
	"consents.signin":            {"Sign in to see and change your consents.", "Melden Sie sich an, um Ihre Einwilligungen zu sehen und zu ändern.", "Connectez-vous pour voir et modifier vos consentements."},
	"consents.notice":            {"notice version %s", "Fassung des Hinweises %s", "version de l'information %s"},
	"consents.none":              {"Nothing here rests on your consent.", "Nichts hier beruht auf Ihrer Einwilligung.", "Rien ici ne repose sur votre consentement."},
	"consents.save":              {"Save my choices", "Auswahl speichern", "Enregistrer mes choix"},
	"consents.saved":             {"Your choices are saved.", "Ihre Auswahl ist gespeichert.", "Vos choix sont enregistrés."},
	"error":                      {"Error", "Fehler", "Erreur"},
	"lang":                       {"en", "de", "fr"},
	"problem.csrf":               {"The form is stale or came from another site. Reload the page and try again.", "Das Formular ist veraltet oder kam von einer anderen Website. Laden Sie die Seite neu und versuchen Sie es noch einmal.", "Le formulaire a expiré ou vient d'un autre site. Rechargez la page et réessayez."},
	"problem.wrong-code":         {"The code is wrong. Tries left: %d.", "Der Code ist falsch. Verbleibende Versuche: %d.", "Le code est faux. Essais restants : %d."},
	"problem.code-expired":       {"The code has expired. Please make a new request.", "Der Code ist abgelaufen. Bitte stellen Sie einen neuen Antrag.", "Le code a expiré. Veuillez faire une nouvelle demande."},
	"problem.code-used":          {"The code was used already.", "Der Code wurde bereits verwendet.", "Le code a déjà été utilisé."},
	"problem.attempts-exhausted": {"Too many wrong codes. Please make a new request.", "Zu viele falsche Codes. Bitte stellen Sie einen neuen Antrag.", "Trop de codes erronés. Veuillez faire une nouvelle demande."},
	"problem.unknown-ticket":     {"We know no request with this ticket.", "Wir kennen keinen Antrag mit diesem Vorgang.", "Nous ne connaissons aucune demande avec ce dossier."},
	"problem.rate-limited":       {"Too many requests. Please wait a moment.", "Zu viele Anfragen. Bitte warten Sie einen Moment.", "Trop de requêtes. Veuillez patienter un instant."},
	"problem.invalid":            {"Please check your entries.", "Bitte prüfen Sie Ihre Angaben.", "Veuillez vérifier votre saisie."},
	"problem.link-gone":          {"The download link was used or has expired. Ask for a new one on the status page.", "Der Download-Link wurde verwendet oder ist abgelaufen. Fordern Sie auf der Statusseite einen neuen an.", "Le lien a été utilisé ou a expiré. Demandez-en un nouveau sur la page de suivi."},
	"problem.export-gone":        {"The export was downloaded or has expired. Please make a new request.", "Der Export wurde heruntergeladen oder ist abgelaufen. Bitte stellen Sie einen neuen Antrag.", "L'export a été téléchargé ou a expiré. Veuillez faire une nouvelle demande."},
	"problem.no-subject":         {"Sign in to manage your consents.", "Melden Sie sich an, um Ihre Einwilligungen zu verwalten.", "Connectez-vous pour gérer vos consentements."},
	"problem.other":              {"Something went wrong. Please try again.", "Etwas ist schiefgegangen. Bitte versuchen Sie es noch einmal.", "Une erreur s'est produite. Veuillez réessayer."},
}
