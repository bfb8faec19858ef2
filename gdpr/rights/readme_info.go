package rights

import (
	"bufio"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/gdprkit/gdprkit/gdpr"
)

// The README states the information of Art. 15(1) and (2) in the
// subject's language and in plain words (Art. 12(1)): purposes, legal
// bases, categories, recipients with the safeguards of transfers,
// retention, where the data came from, automated decisions, and the
// rights, with the supervisory authority to complain to (Art. 77). The
// manifest holds the same information as codes, for machines.

// Keys of the README's messages about the processing.
const (
	msgPurposes           = "readme.purposes"
	msgBasis              = "readme.purpose.basis"
	msgCondition          = "readme.purpose.condition"
	msgPurposeData        = "readme.purpose.data"
	msgRetention          = "readme.purpose.retention"
	msgPurposeRecipients  = "readme.purpose.recipients"
	msgPurposeMarketing   = "readme.purpose.marketing"
	msgPurposeAutomated   = "readme.purpose.automated"
	msgRetentionCriteria  = "readme.purpose.retention.criteria"
	msgDecisionLogic      = "readme.purpose.decision.logic"
	msgDecisionMeaning    = "readme.purpose.decision.significance"
	msgDecisionOutcome    = "readme.purpose.decision.consequences"
	msgCategories         = "readme.categories"
	msgSpecial            = "readme.category.special"
	msgRecipients         = "readme.recipients"
	msgRecipientItem      = "readme.recipient"
	msgTransfer           = "readme.recipient.transfer"
	msgReference          = "readme.recipient.reference"
	msgNoRecipients       = "readme.recipients.none"
	msgDisclosed          = "readme.disclosed"
	msgDisclosedText      = "readme.disclosed.text"
	msgDisclosedItem      = "readme.disclosed.item"
	msgDisclosedOnce      = "readme.disclosed.once"
	msgDisclosedNone      = "readme.disclosed.none"
	msgOrigin             = "readme.origin"
	msgAutomated          = "readme.automated"
	msgAutomatedText      = "readme.automated.text"
	msgAuthority          = "readme.authority"
	msgAuthorityUnnamed   = "readme.authority.unnamed"
	msgListSeparator      = "readme.list.separator"
	msgRecipientsUnstated = "readme.recipient.unstated"
)

// readmeInfoMessages are the messages of the information of Art. 15(1),
// in English, German and French.
var readmeInfoMessages = []struct{ key, en, de, fr string }{
	{msgPurposes,
		"What we process your data for",
		"Wofür wir Ihre Daten verarbeiten",
		"Pourquoi nous traitons vos données"},
	{msgBasis,
		"Legal basis: %[1]s",
		"Rechtsgrundlage: %[1]s",
		"Base juridique : %[1]s"},
	{msgCondition,
		"Special categories of data are processed on the basis of %[1]s",
		"Besondere Kategorien personenbezogener Daten werden verarbeitet auf Grundlage von: %[1]s",
		"Des catégories particulières de données sont traitées sur le fondement de : %[1]s"},
	{msgPurposeData,
		"Data: %[1]s",
		"Daten: %[1]s",
		"Données : %[1]s"},
	{msgRetention,
		"Kept for: %[1]s",
		"Speicherdauer: %[1]s",
		"Durée de conservation : %[1]s"},
	{msgPurposeRecipients,
		"Recipients: %[1]s",
		"Empfänger: %[1]s",
		"Destinataires : %[1]s"},
	{msgPurposeMarketing,
		"This is direct marketing: you may object to it at any time, and we then stop (Art. 21(2) and (3) GDPR).",
		"Dies ist Direktwerbung: Sie können ihr jederzeit widersprechen, und wir beenden sie dann (Art. 21 Abs. 2 und 3 DSGVO).",
		"Il s'agit de prospection : vous pouvez vous y opposer à tout moment, et nous y mettons alors fin (article 21, paragraphes 2 et 3, du RGPD)."},
	{msgRetentionCriteria,
		"How long it is kept is decided by: %[1]s",
		"Die Speicherdauer richtet sich nach: %[1]s",
		"La durée de conservation est déterminée par : %[1]s"},
	{msgDecisionLogic,
		"How the decision is reached: %[1]s",
		"Wie die Entscheidung zustande kommt: %[1]s",
		"Comment la décision est prise : %[1]s"},
	{msgDecisionMeaning,
		"What it means for you: %[1]s",
		"Was sie für Sie bedeutet: %[1]s",
		"Ce qu'elle signifie pour vous : %[1]s"},
	{msgDecisionOutcome,
		"Envisaged consequences: %[1]s",
		"Angestrebte Auswirkungen: %[1]s",
		"Conséquences envisagées : %[1]s"},
	{msgPurposeAutomated,
		"Decisions about you are made by automated means alone (see below).",
		"Entscheidungen über Sie werden ausschließlich automatisiert getroffen (siehe unten).",
		"Des décisions vous concernant sont prises par des moyens exclusivement automatisés (voir ci-dessous)."},
	{msgCategories,
		"Categories of personal data",
		"Kategorien personenbezogener Daten",
		"Catégories de données à caractère personnel"},
	{msgSpecial,
		"%[1]s (a special category of data, protected by Art. 9 or 10 GDPR)",
		"%[1]s (eine besondere Kategorie von Daten, geschützt durch Art. 9 oder 10 DSGVO)",
		"%[1]s (une catégorie particulière de données, protégée par l'article 9 ou 10 du RGPD)"},
	{msgRecipients,
		"Who receives your data",
		"Wer Ihre Daten erhält",
		"Qui reçoit vos données"},
	{msgRecipientItem,
		"%[1]s (%[2]s): %[3]s.",
		"%[1]s (%[2]s): %[3]s.",
		"%[1]s (%[2]s) : %[3]s."},
	{msgTransfer,
		"Transfer outside the European Economic Area, safeguarded by %[1]s.",
		"Übermittlung außerhalb des Europäischen Wirtschaftsraums, abgesichert durch: %[1]s.",
		"Transfert hors de l'Espace économique européen, encadré par : %[1]s."},
	{msgReference,
		"Reference: %[1]s. You may ask us for a copy.",
		"Referenz: %[1]s. Sie können bei uns eine Kopie anfordern.",
		"Référence : %[1]s. Vous pouvez nous en demander une copie."},
	{msgNoRecipients,
		"We do not disclose your data to recipients.",
		"Wir geben Ihre Daten nicht an Empfänger weiter.",
		"Nous ne communiquons vos données à aucun destinataire."},
	{msgRecipientsUnstated,
		"no role stated",
		"keine Rolle angegeben",
		"aucun rôle indiqué"},
	{msgDisclosed,
		"Recipients your data was disclosed to",
		"Empfänger, denen Ihre Daten offengelegt wurden",
		"Destinataires auxquels vos données ont été communiquées"},
	{msgDisclosedText,
		"You asked us who received your data (Art. 19 GDPR). We disclosed it to:",
		"Sie haben gefragt, wer Ihre Daten erhalten hat (Art. 19 DSGVO). Wir haben sie offengelegt gegenüber:",
		"Vous nous avez demandé qui a reçu vos données (article 19 du RGPD). Nous les avons communiquées à :"},
	{msgDisclosedItem,
		"%[1]s: %[2]s, from %[3]s to %[4]s",
		"%[1]s: %[2]s, vom %[3]s bis %[4]s",
		"%[1]s : %[2]s, du %[3]s au %[4]s"},
	{msgDisclosedOnce,
		"%[1]s: %[2]s, on %[3]s",
		"%[1]s: %[2]s, am %[3]s",
		"%[1]s : %[2]s, le %[3]s"},
	{msgDisclosedNone,
		"You asked us who received your data (Art. 19 GDPR): we have not disclosed it to anyone.",
		"Sie haben gefragt, wer Ihre Daten erhalten hat (Art. 19 DSGVO): Wir haben sie niemandem offengelegt.",
		"Vous nous avez demandé qui a reçu vos données (article 19 du RGPD) : nous ne les avons communiquées à personne."},
	{msgOrigin,
		"Where your data comes from",
		"Woher Ihre Daten stammen",
		"Origine de vos données"},
	{msgAutomated,
		"Automated decisions",
		"Automatisierte Entscheidungen",
		"Décisions automatisées"},
	{msgAutomatedText,
		"We make decisions about you based solely on automated processing, including profiling, for: %[1]s. You may ask for a person to review such a decision, state your point of view and contest it (Art. 22(3) GDPR).",
		"Wir treffen Entscheidungen über Sie, die ausschließlich auf einer automatisierten Verarbeitung einschließlich Profiling beruhen, für: %[1]s. Sie können verlangen, dass eine Person eine solche Entscheidung überprüft, Ihren Standpunkt darlegen und die Entscheidung anfechten (Art. 22 Abs. 3 DSGVO).",
		"Nous prenons à votre sujet des décisions fondées exclusivement sur un traitement automatisé, y compris le profilage, pour : %[1]s. Vous pouvez demander qu'une personne réexamine une telle décision, exprimer votre point de vue et la contester (article 22, paragraphe 3, du RGPD)."},
	{msgAuthority,
		"The supervisory authority responsible for us is %[1]s. You may also complain to the supervisory authority of the Member State where you live or work, or where you believe the infringement took place (Art. 77(1) GDPR).",
		"Die für uns zuständige Aufsichtsbehörde ist: %[1]s. Sie können sich auch an die Aufsichtsbehörde des Mitgliedstaats wenden, in dem Sie leben oder arbeiten oder in dem der mutmaßliche Verstoß stattfand (Art. 77 Abs. 1 DSGVO).",
		"L'autorité de contrôle compétente à notre égard est : %[1]s. Vous pouvez aussi saisir l'autorité de contrôle de l'État membre où vous vivez ou travaillez, ou de celui où la violation alléguée a eu lieu (article 77, paragraphe 1, du RGPD)."},
	{msgAuthorityUnnamed,
		"You may complain in particular to the supervisory authority of the Member State where you live or work, or where you believe the infringement took place (Art. 77(1) GDPR).",
		"Sie können sich insbesondere an die Aufsichtsbehörde des Mitgliedstaats wenden, in dem Sie leben oder arbeiten oder in dem der mutmaßliche Verstoß stattfand (Art. 77 Abs. 1 DSGVO).",
		"Vous pouvez notamment saisir l'autorité de contrôle de l'État membre où vous vivez ou travaillez, ou de celui où la violation alléguée a eu lieu (article 77, paragraphe 1, du RGPD)."},
	{msgListSeparator,
		", ",
		", ",
		", "},
}

// readmeInfo writes the README's sections on the processing.
type readmeInfo struct {
	bw  *bufio.Writer
	p   *message.Printer
	tag language.Tag
	li  int
}

func (r *readmeInfo) heading(text string) {
	r.bw.WriteString(text + "\n" + strings.Repeat("=", len([]rune(text))) + "\n\n")
}

func (r *readmeInfo) para(text string) {
	r.bw.WriteString(wrap(text, 78) + "\n\n")
}

// item writes a list item and its indented detail lines.
func (r *readmeInfo) item(text string, details ...string) {
	r.bw.WriteString(wrapItem(text, 78))
	for _, d := range details {
		r.bw.WriteString("  " + strings.ReplaceAll(wrap(d, 76), "\n", "\n  ") + "\n")
	}
}

func (r *readmeInfo) end() { r.bw.WriteString("\n") }

func (r *readmeInfo) list(items []string) string {
	return strings.Join(items, r.p.Sprintf(msgListSeparator))
}

// writeProcessingInfo writes, in the README's language, the information
// of Art. 15(1)(a)–(d), (g) and (h) and 15(2) about the processing of
// the exported data, and the recipients the data was disclosed to when
// the subject asked (Art. 19).
func writeProcessingInfo(bw *bufio.Writer, p *message.Printer, m *Manifest, tag language.Tag) {
	r := &readmeInfo{bw: bw, p: p, tag: tag, li: langIndex(tag)}
	pr := m.Processing
	if len(pr.Purposes) > 0 {
		r.purposes(pr)
		r.categories(pr)
		r.recipients(pr.Recipients)
	}
	if m.DisclosedTo != nil {
		r.disclosed(m.DisclosedTo)
	}
	r.origin(m.Sources)
	if len(pr.AutomatedDecisions) > 0 {
		var names []string
		for _, pp := range pr.Purposes {
			if pp.AutomatedDecisions {
				names = append(names, pp.Name)
			}
		}
		r.heading(p.Sprintf(msgAutomated))
		r.para(p.Sprintf(msgAutomatedText, r.list(names)))
	}
}

// purposes: Art. 15(1)(a), (b), (c) and (d).
func (r *readmeInfo) purposes(pr Processing) {
	r.heading(r.p.Sprintf(msgPurposes))
	for _, pp := range pr.Purposes {
		title := pp.Name
		if pp.Description != "" {
			title += ": " + pp.Description
		}
		details := []string{r.p.Sprintf(msgBasis, words(basisWords, pp.Basis, r.li, pp.BasisArticle))}
		if pp.ConditionArticle != "" {
			c := conditionOf(pp.ConditionArticle)
			details = append(details, r.p.Sprintf(msgCondition, words(conditionWords, c, r.li, pp.ConditionArticle)))
		}
		var cats []string
		for _, c := range pp.Categories {
			cats = append(cats, categoryName(c.Key, r.li))
		}
		if len(cats) > 0 {
			details = append(details, r.p.Sprintf(msgPurposeData, r.list(cats)))
		}
		if pp.Retention != "" {
			details = append(details, r.p.Sprintf(msgRetention, periodWords(pp.Retention, r.li)))
		}
		if pp.RetentionCriteria != "" {
			details = append(details, r.p.Sprintf(msgRetentionCriteria, pp.RetentionCriteria))
		}
		if len(pp.Recipients) > 0 {
			var names []string
			for _, rc := range pp.Recipients {
				names = append(names, rc.Name)
			}
			details = append(details, r.p.Sprintf(msgPurposeRecipients, r.list(names)))
		}
		if pp.DirectMarketing {
			details = append(details, r.p.Sprintf(msgPurposeMarketing))
		}
		if pp.AutomatedDecisions {
			details = append(details, r.p.Sprintf(msgPurposeAutomated))
			// Art. 15(1)(h): the logic, significance and consequences.
			for _, d := range [][2]string{{msgDecisionLogic, pp.Decision.Logic}, {msgDecisionMeaning, pp.Decision.Significance}, {msgDecisionOutcome, pp.Decision.Consequences}} {
				if d[1] != "" {
					details = append(details, r.p.Sprintf(d[0], d[1]))
				}
			}
		}
		r.item(title, details...)
	}
	r.end()
}

// categories: Art. 15(1)(b).
func (r *readmeInfo) categories(pr Processing) {
	r.heading(r.p.Sprintf(msgCategories))
	for _, c := range pr.Categories {
		name := categoryName(c.Key, r.li)
		if c.Special {
			name = r.p.Sprintf(msgSpecial, name)
		}
		r.item(name)
	}
	r.end()
}

// recipients: Art. 15(1)(c) and, for transfers, 15(2).
func (r *readmeInfo) recipients(rs []gdpr.Recipient) {
	r.heading(r.p.Sprintf(msgRecipients))
	if len(rs) == 0 {
		r.para(r.p.Sprintf(msgNoRecipients))
		return
	}
	for _, rc := range rs {
		role := words(roleWords, rc.Role, r.li, r.p.Sprintf(msgRecipientsUnstated))
		var details []string
		if rc.Country != "" && rc.ThirdCountry() && rc.Safeguard.Valid() {
			details = append(details, r.p.Sprintf(msgTransfer, words(safeguardWords, rc.Safeguard, r.li, rc.Safeguard.Article())))
			if rc.Reference != "" {
				details = append(details, r.p.Sprintf(msgReference, rc.Reference))
			}
		}
		r.item(r.p.Sprintf(msgRecipientItem, rc.Name, countryName(rc.Country, r.tag), role), details...)
	}
	r.end()
}

// disclosed: Art. 19, last sentence.
func (r *readmeInfo) disclosed(ds []DisclosedRecipient) {
	r.heading(r.p.Sprintf(msgDisclosed))
	if len(ds) == 0 {
		r.para(r.p.Sprintf(msgDisclosedNone))
		return
	}
	r.para(r.p.Sprintf(msgDisclosedText))
	const date = "2006-01-02"
	for _, d := range ds {
		var cats []string
		for _, c := range d.Categories {
			cats = append(cats, categoryName(c, r.li))
		}
		first, last := d.First.UTC().Format(date), d.Last.UTC().Format(date)
		if first == last {
			r.item(r.p.Sprintf(msgDisclosedOnce, d.Recipient.Name, r.list(cats), first))
		} else {
			r.item(r.p.Sprintf(msgDisclosedItem, d.Recipient.Name, r.list(cats), first, last))
		}
	}
	r.end()
}

// origin: Art. 15(1)(g), the sources that gave records.
func (r *readmeInfo) origin(sources []ManifestSource) {
	var items []string
	for _, s := range sources {
		if s.Records > 0 && s.Description != "" {
			items = append(items, s.Name+": "+s.Description)
		}
	}
	if len(items) == 0 {
		return
	}
	r.heading(r.p.Sprintf(msgOrigin))
	for _, it := range items {
		r.item(it)
	}
	r.end()
}

// authorityText names the supervisory authority the subject may complain
// to (Art. 77, Art. 15(1)(f)), or says where to complain when none is
// configured.
func authorityText(p *message.Printer, m *Manifest) string {
	if m.Authority == nil || m.Authority.Name == "" {
		return p.Sprintf(msgAuthorityUnnamed)
	}
	name := m.Authority.Name
	if m.Authority.Contact != "" {
		name += " (" + m.Authority.Contact + ")"
	}
	return p.Sprintf(msgAuthority, name)
}

// conditionOf returns the Art. 9(2) condition an article text such as
// "Art. 9(2)(a) explicit consent" names; 0 for none.
func conditionOf(article string) gdpr.Condition {
	for c := gdpr.ExplicitConsent; c <= gdpr.Archiving; c++ {
		if c.Article() == article {
			return c
		}
	}
	return 0
}
