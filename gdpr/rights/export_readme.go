package rights

import (
	"bufio"
	"io"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// ReadmeName is the file name of an export's README, and ManifestName the
// manifest's.
const (
	ReadmeName   = "README.txt"
	ManifestName = "manifest.json"
)

var readmeMatcher = language.NewMatcher(readmeLanguages)

// readmeLanguage returns the README language closest to the subject's
// (a BCP 47 tag, or an Accept-Language list such as
// "de-CH,de;q=0.9,en;q=0.8"): English, German or French; English when none
// is close or pref cannot be parsed.
func readmeLanguage(pref string) language.Tag {
	if pref == "" {
		return language.English
	}
	tags, err := parseLanguages(pref)
	if err != nil {
		return language.English
	}
	return readmeMatch(tags)
}

// parseLanguages parses a BCP 47 tag ("de-CH") or an Accept-Language
// header value ("de-CH,de;q=0.9,en;q=0.8"), most preferred first. A list
// may come out empty ("de;q=0").
func parseLanguages(s string) ([]language.Tag, error) {
	if t, err := language.Parse(s); err == nil {
		return []language.Tag{t}, nil
	}
	tags, _, err := language.ParseAcceptLanguage(s)
	return tags, err
}

// readmeMatch returns the README language that matches tags best, in
// their order of preference; English when none matches.
func readmeMatch(tags []language.Tag) language.Tag {
	if len(tags) == 0 {
		return language.English
	}
	_, i, conf := readmeMatcher.Match(tags...)
	if conf == language.No {
		return language.English
	}
	return readmeLanguages[i]
}

// requestLanguage returns the language a request keeps for what a
// requester gave: a BCP 47 tag in canonical form ("DE-at" gives "de-AT"),
// or, for an Accept-Language list, the README language that matches it
// best (English when none does). Only input that is neither is an error.
func requestLanguage(s string) (string, error) {
	if t, err := language.Parse(s); err == nil {
		return t.String(), nil
	}
	tags, _, err := language.ParseAcceptLanguage(s)
	if err != nil {
		return "", err
	}
	return readmeMatch(tags).String(), nil
}

// writeReadme writes the README of an export described by m (its files so
// far: the data files) in language tag, wrapped at 78 columns.
func writeReadme(w io.Writer, m *Manifest, tag language.Tag) error {
	p := message.NewPrinter(tag, message.Catalog(readmeCatalog))
	bw := bufio.NewWriter(w)
	para := func(text string) {
		bw.WriteString(wrap(text, 78))
		bw.WriteString("\n\n")
	}
	heading := func(text string) {
		bw.WriteString(text + "\n" + strings.Repeat("=", len([]rune(text))) + "\n\n")
	}
	const date = "2006-01-02"

	title, right := msgTitleAccess, msgRightAccess
	if m.Request.Right == RightPortability {
		title, right = msgTitlePortability, msgRightPortability
	}
	heading(p.Sprintf(title))
	para(p.Sprintf(msgAnswers, m.Request.ID, m.Request.ReceivedAt.Format(date), m.Request.Article, p.Sprintf(right)) + " " +
		p.Sprintf(msgGenerated, m.Generated.Format(date), m.Controller.Name))
	if m.Request.Right == RightPortability {
		para(p.Sprintf(msgPortable))
	}

	heading(p.Sprintf(msgContents))
	withheld := 0
	described := map[string]string{}
	for _, s := range m.Sources {
		described[s.Name] = s.Description
	}
	data := false
	for _, f := range m.Files {
		if f.Source == "" {
			continue
		}
		data = true
		withheld += f.Withheld
		bw.WriteString(wrapItem(p.Sprintf(msgDataFile, f.Path, f.Records, f.Source, described[f.Source]), 78))
	}
	if !data {
		bw.WriteString(wrapItem(p.Sprintf(msgNoData), 78))
	}
	bw.WriteString(wrapItem(p.Sprintf(msgReadmeFile, ReadmeName), 78))
	bw.WriteString(wrapItem(p.Sprintf(msgManifestFile, ManifestName), 78))
	bw.WriteString("\n")
	if withheld > 0 {
		para(p.Sprintf(msgWithheld, withheld))
	}

	heading(p.Sprintf(msgHowTo))
	para(p.Sprintf(msgHowToText))

	writeProcessingInfo(bw, p, m, tag) // Art. 12(1), 15(1) and (2), 19
	heading(p.Sprintf(msgRights))
	para(p.Sprintf(msgRightsText))
	para(authorityText(p, m)) // Art. 15(1)(f), 77
	contact := m.Controller.Name
	if m.Controller.Contact != "" {
		contact += ", " + m.Controller.Contact
	}
	bw.WriteString(p.Sprintf(msgContact, contact) + "\n")
	if m.DPO != nil {
		dpo := m.DPO.Name
		if m.DPO.Contact != "" {
			dpo += ", " + m.DPO.Contact
		}
		bw.WriteString(p.Sprintf(msgDPO, dpo) + "\n")
	}
	return bw.Flush()
}

// wrap breaks text into lines of at most width runes at spaces.
func wrap(text string, width int) string {
	var b strings.Builder
	line := 0
	for i, word := range strings.Fields(text) {
		n := len([]rune(word))
		if i > 0 {
			if line+1+n > width {
				b.WriteByte('\n')
				line = 0
			} else {
				b.WriteByte(' ')
				line++
			}
		}
		b.WriteString(word)
		line += n
	}
	return b.String()
}

// wrapItem writes a list item: "- " and the text, continued lines indented.
func wrapItem(text string, width int) string {
	return "- " + strings.ReplaceAll(wrap(text, width-2), "\n", "\n  ") + "\n"
}
