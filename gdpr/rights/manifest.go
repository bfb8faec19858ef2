package rights

import (
	"slices"
	"strings"
	"time"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/pii"
)

// ExportFormat names the layout of an export, as its manifest records it.
const ExportFormat = "gdprkit.export/1"

// Manifest describes an export: the request it answers, every file with its
// SHA-256 and size, the sources, and the information the subject is owed
// under Art. 15(1) and (2). It is the archive's manifest.json, written last.
type Manifest struct {
	Format    string          `json:"format"`    // ExportFormat
	Request   ManifestRequest `json:"request"`   // the request answered
	Generated time.Time       `json:"generated"` // when the export was written
	// Language is the language of the README, matched from the
	// request's.
	Language       string      `json:"language"`
	Controller     gdpr.Party  `json:"controller"`               // who answers (Art. 15(1))
	Representative *gdpr.Party `json:"representative,omitempty"` // in the Union (Art. 27), if any
	DPO            *gdpr.Party `json:"dpo,omitempty"`            // the data protection officer, if any
	// Authority is the supervisory authority the subject may complain to
	// (Art. 15(1)(f), Art. 77), DeskConfig.Authority.
	Authority *gdpr.Party `json:"supervisory_authority,omitempty"`
	// Files lists every file of the archive but the manifest, in the
	// order written.
	Files []ManifestFile `json:"files"`
	// Sources lists every source asked, with where its data came from
	// (Art. 15(1)(g)) and how many records it gave.
	Sources    []ManifestSource `json:"sources"`
	Processing Processing       `json:"processing"` // the information of Art. 15(1) and (2)
	// DisclosedTo lists the recipients the subject's data was disclosed
	// to, when the subject asked (Request.Recipients; Art. 19).
	DisclosedTo []DisclosedRecipient `json:"disclosed_to,omitempty"`
}

// ManifestRequest identifies the request an export answers.
type ManifestRequest struct {
	ID         string    `json:"id"`          // the request's ID
	Right      Right     `json:"right"`       // access or portability
	Article    string    `json:"article"`     // "Art. 15" or "Art. 20"
	Subject    string    `json:"subject"`     // the subject's ID, as the sources know it
	ReceivedAt time.Time `json:"received_at"` // when the request arrived
	Due        time.Time `json:"due"`         // the time limit
}

// ManifestFile is one file of an export.
type ManifestFile struct {
	Path      string `json:"path"`       // in the archive, such as "crm/customer.json"
	SHA256    string `json:"sha256"`     // of the content, in hex
	Size      int64  `json:"size"`       // of the content, in bytes
	MediaType string `json:"media_type"` // such as "application/json"
	// Source and Type name the source and record type of a data file, and
	// Records counts its records.
	Source  string `json:"source,omitempty"`  // the source's name
	Type    string `json:"type,omitempty"`    // the record type's file name, such as "order_line"
	Records int    `json:"records,omitempty"` // how many records the file holds
	// Withheld counts values left out because they are another person's
	// (Art. 15(4)), such as the other party of a message.
	Withheld int `json:"withheld,omitempty"`
	// Fields are the columns of a data file, in order, with the category
	// of each personal one.
	Fields []ManifestField `json:"fields,omitempty"`
}

// ManifestField is one column of a data file.
type ManifestField struct {
	Name     string       `json:"name"`               // the JSON key and CSV column
	Category pii.Category `json:"category,omitempty"` // of a subject or personal field
	Title    string       `json:"title,omitempty"`    // the category's English title
	// Subject marks the field that identifies the data subject.
	Subject bool `json:"subject,omitempty"`
}

// ManifestSource is one source of an export.
type ManifestSource struct {
	Name        string   `json:"name"`        // SourceInfo.Name
	Description string   `json:"description"` // where the data came from (Art. 15(1)(g))
	Purposes    []string `json:"purposes"`    // the purposes its data serves
	Records     int      `json:"records"`     // how many records it gave
	// Skipped says why the source gave no records: "not-portable" when
	// none of its purposes rests on consent or a contract (Art. 20(1)(a)).
	Skipped string `json:"skipped,omitempty"`
}

// Processing is the information of Art. 15(1) and (2) about the processing
// of the subject's data, drawn from the purpose register for the purposes
// the exported sources serve.
type Processing struct {
	// Purposes, with their lawful basis, categories, recipients and
	// retention (Art. 15(1)(a)–(d)).
	Purposes []ProcessingPurpose `json:"purposes"`
	// Categories of personal data concerned, over all purposes (Art.
	// 15(1)(b)).
	Categories []gdpr.DataCategory `json:"categories"`
	// Recipients over all purposes, with the safeguards of transfers to
	// third countries (Art. 15(1)(c) and 15(2)).
	Recipients []gdpr.Recipient `json:"recipients"`
	// AutomatedDecisions lists the purposes that make decisions based
	// solely on automated processing (Art. 15(1)(h), Art. 22).
	AutomatedDecisions []string `json:"automated_decisions"`
	// Rights are the subject's rights (Art. 15(1)(e)–(f)).
	Rights []RightInfo `json:"rights"`
}

// ProcessingPurpose is one purpose in an export's manifest.
type ProcessingPurpose struct {
	ID               string              `json:"id"`                               // Purpose.ID
	Name             string              `json:"name"`                             // what it is for (Art. 15(1)(a))
	Description      string              `json:"description,omitempty"`            // more about it
	Basis            gdpr.Basis          `json:"lawful_basis"`                     // Art. 6(1)
	BasisArticle     string              `json:"lawful_basis_article"`             // such as "Art. 6(1)(b) performance of a contract"
	ConditionArticle string              `json:"art9_condition_article,omitempty"` // the Art. 9(2) condition, if any
	Categories       []gdpr.DataCategory `json:"categories"`                       // Art. 15(1)(b)
	Recipients       []gdpr.Recipient    `json:"recipients"`                       // Art. 15(1)(c), with safeguards (15(2))
	// Retention is how long the data is kept, as an ISO 8601 period, and
	// RetentionCriteria the criteria that decide it (Art. 15(1)(d)); either
	// may be empty, not both.
	Retention          string `json:"retention"`
	RetentionCriteria  string `json:"retention_criteria,omitempty"`
	DirectMarketing    bool   `json:"direct_marketing"`    // objection ends it at once (Art. 21(3))
	AutomatedDecisions bool   `json:"automated_decisions"` // Art. 22, Art. 15(1)(h)
	// Decision is the information about automated decisions Art. 15(1)(h)
	// requires: logic, significance and envisaged consequences.
	Decision gdpr.DecisionInfo `json:"automated_decision,omitzero"`
}

// RightInfo names one of the subject's rights.
type RightInfo struct {
	Right   string `json:"right"`   // a code, such as "erasure" or "complaint"
	Article string `json:"article"` // such as "Art. 17"
	Title   string `json:"title"`   // its English name
}

// processing builds the Art. 15 information for the given purposes.
func processing(purposes []*gdpr.Purpose) Processing {
	p := Processing{
		Purposes: []ProcessingPurpose{}, Categories: []gdpr.DataCategory{}, Recipients: []gdpr.Recipient{},
		AutomatedDecisions: []string{},
	}
	consent := false
	for _, pu := range purposes {
		pp := ProcessingPurpose{
			ID: pu.ID, Name: pu.Name, Description: pu.Description,
			Basis: pu.Basis, BasisArticle: pu.Basis.Article(),
			Recipients: slices.Clone(pu.Recipients), Retention: pu.Retention, RetentionCriteria: pu.RetentionCriteria,
			DirectMarketing: pu.DirectMarketing, AutomatedDecisions: pu.AutomatedDecisions, Decision: pu.Decision,
		}
		if pu.Condition.Valid() {
			pp.ConditionArticle = pu.Condition.Article()
		}
		if pp.Recipients == nil {
			pp.Recipients = []gdpr.Recipient{}
		}
		for _, c := range pu.Categories {
			dc := gdpr.DataCategory{Key: c, Title: c.Title(), Special: c.Special()}
			pp.Categories = append(pp.Categories, dc)
			if !slices.ContainsFunc(p.Categories, func(x gdpr.DataCategory) bool { return x.Key == c }) {
				p.Categories = append(p.Categories, dc)
			}
		}
		for _, r := range pu.Recipients {
			if !slices.Contains(p.Recipients, r) {
				p.Recipients = append(p.Recipients, r)
			}
		}
		if pu.AutomatedDecisions {
			p.AutomatedDecisions = append(p.AutomatedDecisions, pu.ID)
		}
		consent = consent || pu.Basis == gdpr.Consent || pu.Condition == gdpr.ExplicitConsent
		p.Purposes = append(p.Purposes, pp)
	}
	for _, r := range []Right{RightAccess, RightRectification, RightErasure, RightRestriction, RightPortability, RightObjection} {
		p.Rights = append(p.Rights, RightInfo{Right: r.String(), Article: r.Article(), Title: r.Title()})
	}
	if len(p.AutomatedDecisions) > 0 {
		p.Rights = append(p.Rights, RightInfo{Right: RightReview.String(), Article: RightReview.Article(), Title: RightReview.Title()})
	}
	if consent {
		p.Rights = append(p.Rights, RightInfo{Right: "withdraw-consent", Article: "Art. 7(3)", Title: "right to withdraw consent at any time"})
	}
	p.Rights = append(p.Rights, RightInfo{Right: "complaint", Article: "Art. 77", Title: "right to lodge a complaint with a supervisory authority"})
	return p
}

// fieldsOf describes a plan's columns for the manifest.
func fieldsOf(plan *recordPlan) []ManifestField {
	out := make([]ManifestField, len(plan.columns))
	for i := range plan.columns {
		c := &plan.columns[i]
		out[i] = ManifestField{Name: c.name, Subject: c.subject}
		if c.labelled() {
			out[i].Category = c.labelCategory()
			out[i].Title = out[i].Category.Title()
		}
	}
	return out
}

// typeFileName returns a file name for a record type: its Go name in
// snake case, such as "order_line" for OrderLine.
func typeFileName(name string) string {
	var b strings.Builder
	for i, r := range name {
		switch {
		case r >= 'A' && r <= 'Z':
			if i > 0 && b.Len() > 0 {
				prev := name[i-1]
				next := byte(0)
				if i+1 < len(name) {
					next = name[i+1]
				}
				if prev >= 'a' && prev <= 'z' || prev >= '0' && prev <= '9' || (prev >= 'A' && prev <= 'Z' && next >= 'a' && next <= 'z') {
					b.WriteByte('_')
				}
			}
			b.WriteRune(r + 'a' - 'A')
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			if b.Len() > 0 && !strings.HasSuffix(b.String(), "_") {
				b.WriteByte('_')
			}
		}
	}
	s := strings.Trim(b.String(), "_")
	if s == "" {
		return "record"
	}
	return s
}
