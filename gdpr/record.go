package gdpr

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gdprkit/gdprkit/gdpr/internal/safe"
	"github.com/gdprkit/gdprkit/pii"
)

// Record is the record of processing activities of Art. 30(1) GDPR, written
// from the purpose register: one Activity per purpose.
type Record struct {
	// Art. 30(1)(a): the controller and, where applicable, joint
	// controllers, the representative and the data protection officer.
	Controller       Party     `json:"controller"`
	JointControllers []Party   `json:"joint_controllers,omitempty"`
	Representative   *Party    `json:"representative,omitempty"`
	DPO              *Party    `json:"dpo,omitempty"`
	Generated        time.Time `json:"generated"`
	// Activities are sorted by purpose ID.
	Activities []Activity `json:"activities"`
}

// Activity is one processing activity of the record: one purpose.
type Activity struct {
	PurposeID   string `json:"purpose_id"`
	Purpose     string `json:"purpose"` // Art. 30(1)(b)
	Description string `json:"description,omitempty"`

	Basis             Basis     `json:"lawful_basis"`
	BasisArticle      string    `json:"lawful_basis_article"`
	Condition         Condition `json:"art9_condition,omitempty"`
	ConditionArticle  string    `json:"art9_condition_article,omitempty"`
	OfficialAuthority string    `json:"art10_authority,omitempty"`
	// Law is the Union or Member State law relied on (Art. 9(2)(b),
	// (g)-(j), Art. 22(2)(b)).
	Law           string `json:"law,omitempty"`
	BalancingTest string `json:"balancing_test,omitempty"`

	DataSubjects []string       `json:"data_subjects"`   // Art. 30(1)(c)
	Categories   []DataCategory `json:"data_categories"` // Art. 30(1)(c)
	Recipients   []Recipient    `json:"recipients"`      // Art. 30(1)(d)
	// Transfers are the recipients outside the EEA with their safeguards
	// (Art. 30(1)(e)).
	Transfers []Recipient `json:"third_country_transfers"`
	Retention string      `json:"retention"` // Art. 30(1)(f), ISO 8601; empty when given as criteria
	// RetentionCriteria are the criteria that determine the period (Art.
	// 13(2)(a)), where no period is given or to explain it.
	RetentionCriteria string   `json:"retention_criteria,omitempty"`
	SecurityMeasures  []string `json:"security_measures"` // Art. 30(1)(g)

	DirectMarketing    bool `json:"direct_marketing"`
	AutomatedDecisions bool `json:"automated_decisions"`
	// AutomatedDecision is the information about the logic, significance
	// and consequences of automated decisions (Art. 15(1)(h)).
	AutomatedDecision *DecisionInfo `json:"automated_decision,omitempty"`
	Children          bool          `json:"children"`
	ConsentAge        int           `json:"consent_age,omitempty"`
}

// DataCategory is a category of personal data with its English title.
type DataCategory struct {
	Key     pii.Category `json:"key"`
	Title   string       `json:"title"`
	Special bool         `json:"special"` // Art. 9 or Art. 10 data
}

// Record writes the record of processing from the register's purposes and
// the controller details of its RegisterConfig.
func (r *Register) Record() Record {
	rec := Record{
		Controller:       r.cfg.Controller,
		JointControllers: slices.Clone(r.cfg.JointControllers),
		Generated:        r.cfg.Now().UTC(),
	}
	if r.cfg.Representative != (Party{}) {
		rep := r.cfg.Representative
		rec.Representative = &rep
	}
	if r.cfg.DPO != (Party{}) {
		dpo := r.cfg.DPO
		rec.DPO = &dpo
	}
	for _, p := range r.Purposes() {
		a := Activity{
			PurposeID:          p.ID,
			Purpose:            p.Name,
			Description:        p.Description,
			Basis:              p.Basis,
			BasisArticle:       p.Basis.Article(),
			Condition:          p.Condition,
			ConditionArticle:   conditionArticle(&p),
			OfficialAuthority:  p.OfficialAuthority,
			Law:                p.Law,
			BalancingTest:      p.BalancingTest,
			DataSubjects:       p.DataSubjects,
			Recipients:         p.Recipients,
			Transfers:          []Recipient{},
			Retention:          p.Retention,
			RetentionCriteria:  p.RetentionCriteria,
			SecurityMeasures:   append(slices.Clone(r.cfg.SecurityMeasures), p.SecurityMeasures...),
			DirectMarketing:    p.DirectMarketing,
			AutomatedDecisions: p.AutomatedDecisions,
			Children:           p.children(),
			ConsentAge:         p.ConsentAge,
		}
		if p.AutomatedDecisions {
			info := p.Decision
			a.AutomatedDecision = &info
		}
		if a.Recipients == nil {
			a.Recipients = []Recipient{}
		}
		if a.SecurityMeasures == nil {
			a.SecurityMeasures = []string{}
		}
		for _, c := range p.Categories {
			a.Categories = append(a.Categories, DataCategory{Key: c, Title: c.Title(), Special: c.Special()})
		}
		for _, rc := range p.Recipients {
			if rc.ThirdCountry() {
				a.Transfers = append(a.Transfers, rc)
			}
		}
		rec.Activities = append(rec.Activities, a)
	}
	if rec.Activities == nil {
		rec.Activities = []Activity{}
	}
	return rec
}

// conditionArticle names the condition: explicit consent declared for
// automated decisions without special categories is that of Art.
// 22(2)(c), not of Art. 9(2)(a).
func conditionArticle(p *Purpose) string {
	if p.Condition == ExplicitConsent && !p.Special() {
		return "Art. 22(2)(c) explicit consent"
	}
	return p.Condition.Article()
}

// WriteJSON writes the record as indented JSON. It decodes back into a
// Record with encoding/json.
func (rec Record) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rec); err != nil {
		return fmt.Errorf("gdpr: write record of processing as JSON: %w", err)
	}
	return nil
}

// csvHeader is the header row WriteCSV writes.
var csvHeader = []string{
	"purpose_id", "purpose", "description",
	"lawful_basis", "art9_condition", "art10_authority", "law", "balancing_test",
	"data_subjects", "data_categories", "recipients", "third_country_transfers",
	"retention", "retention_criteria", "security_measures",
	"direct_marketing", "automated_decisions", "automated_decision_logic",
	"automated_decision_significance", "automated_decision_consequences", "children", "consent_age",
	"controller", "controller_contact", "joint_controllers", "representative", "representative_contact",
	"dpo", "dpo_contact",
}

// WriteCSV writes the record as CSV: a header naming the columns, then one row per
// activity. Lists are joined with "; "; the controller, the joint
// controllers (each as "name (contact)"), the representative and the DPO
// repeat on every row so that each row stands alone (Art. 30(1)(a)). A cell that a spreadsheet would
// read as a formula (starting with = + - @, tab or carriage return) is
// prefixed with an apostrophe.
func (rec Record) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("gdpr: write record of processing as CSV: %w", err)
	}
	var dpo, rep Party
	if rec.DPO != nil {
		dpo = *rec.DPO
	}
	if rec.Representative != nil {
		rep = *rec.Representative
	}
	joint := make([]string, len(rec.JointControllers))
	for i, j := range rec.JointControllers {
		joint[i] = j.Name
		if j.Contact != "" {
			joint[i] += " (" + j.Contact + ")"
		}
	}
	for _, a := range rec.Activities {
		cats := make([]string, len(a.Categories))
		for i, c := range a.Categories {
			cats[i] = string(c.Key)
		}
		recips := make([]string, len(a.Recipients))
		for i, r := range a.Recipients {
			where := r.Country
			if r.InternationalOrganisation {
				where = "international organisation"
				if r.Country != "" {
					where += ", " + r.Country
				}
			}
			recips[i] = fmt.Sprintf("%s (%s, %s)", r.Name, r.Role, where)
		}
		transfers := make([]string, len(a.Transfers))
		for i, r := range a.Transfers {
			where := r.Country
			if r.InternationalOrganisation {
				where = "international organisation"
			}
			t := fmt.Sprintf("%s (%s): %s", r.Name, where, r.Safeguard.Article())
			if r.Reference != "" {
				t += ", " + r.Reference
			}
			if r.ImpactAssessed {
				t += ", transfer impact assessed"
			}
			if r.Occasional {
				t += ", occasional transfers only"
			}
			transfers[i] = t
		}
		var decision DecisionInfo
		if a.AutomatedDecision != nil {
			decision = *a.AutomatedDecision
		}
		row := []string{
			a.PurposeID, a.Purpose, a.Description,
			a.BasisArticle, a.ConditionArticle, a.OfficialAuthority, a.Law, a.BalancingTest,
			strings.Join(a.DataSubjects, "; "), strings.Join(cats, "; "),
			strings.Join(recips, "; "), strings.Join(transfers, "; "),
			a.Retention, a.RetentionCriteria, strings.Join(a.SecurityMeasures, "; "),
			strconv.FormatBool(a.DirectMarketing), strconv.FormatBool(a.AutomatedDecisions),
			decision.Logic, decision.Significance, decision.Consequences,
			strconv.FormatBool(a.Children), consentAge(a.ConsentAge),
			rec.Controller.Name, rec.Controller.Contact, strings.Join(joint, "; "), rep.Name, rep.Contact,
			dpo.Name, dpo.Contact,
		}
		for i := range row {
			row[i] = safe.CSVCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("gdpr: write record of processing as CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("gdpr: write record of processing as CSV: %w", err)
	}
	return nil
}

func consentAge(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}
