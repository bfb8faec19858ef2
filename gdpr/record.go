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
	BalancingTest     string    `json:"balancing_test,omitempty"`

	DataSubjects []string       `json:"data_subjects"`   // Art. 30(1)(c)
	Categories   []DataCategory `json:"data_categories"` // Art. 30(1)(c)
	Recipients   []Recipient    `json:"recipients"`      // Art. 30(1)(d)
	// Transfers are the recipients outside the EEA with their safeguards
	// (Art. 30(1)(e)).
	Transfers        []Recipient `json:"third_country_transfers"`
	Retention        string      `json:"retention"`         // Art. 30(1)(f), ISO 8601
	SecurityMeasures []string    `json:"security_measures"` // Art. 30(1)(g)

	DirectMarketing    bool `json:"direct_marketing"`
	AutomatedDecisions bool `json:"automated_decisions"`
	Children           bool `json:"children"`
	ConsentAge         int  `json:"consent_age,omitempty"`
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
			ConditionArticle:   p.Condition.Article(),
			OfficialAuthority:  p.OfficialAuthority,
			BalancingTest:      p.BalancingTest,
			DataSubjects:       p.DataSubjects,
			Recipients:         p.Recipients,
			Transfers:          []Recipient{},
			Retention:          p.Retention,
			SecurityMeasures:   append(slices.Clone(r.cfg.SecurityMeasures), p.SecurityMeasures...),
			DirectMarketing:    p.DirectMarketing,
			AutomatedDecisions: p.AutomatedDecisions,
			Children:           p.children(),
			ConsentAge:         p.ConsentAge,
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
	"lawful_basis", "art9_condition", "art10_authority", "balancing_test",
	"data_subjects", "data_categories", "recipients", "third_country_transfers",
	"retention", "security_measures",
	"direct_marketing", "automated_decisions", "children", "consent_age",
	"controller", "controller_contact", "dpo", "dpo_contact",
}

// WriteCSV writes the record as CSV: a header naming the columns, then one row per
// activity. Lists are joined with "; "; the controller and the DPO repeat on
// every row so that each row stands alone. A cell that a spreadsheet would
// read as a formula (starting with = + - @, tab or carriage return) is
// prefixed with an apostrophe.
func (rec Record) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("gdpr: write record of processing as CSV: %w", err)
	}
	var dpo Party
	if rec.DPO != nil {
		dpo = *rec.DPO
	}
	for _, a := range rec.Activities {
		cats := make([]string, len(a.Categories))
		for i, c := range a.Categories {
			cats[i] = string(c.Key)
		}
		recips := make([]string, len(a.Recipients))
		for i, r := range a.Recipients {
			recips[i] = fmt.Sprintf("%s (%s, %s)", r.Name, r.Role, r.Country)
		}
		transfers := make([]string, len(a.Transfers))
		for i, r := range a.Transfers {
			t := fmt.Sprintf("%s (%s): %s", r.Name, r.Country, r.Safeguard.Article())
			if r.Reference != "" {
				t += ", " + r.Reference
			}
			transfers[i] = t
		}
		row := []string{
			a.PurposeID, a.Purpose, a.Description,
			a.BasisArticle, a.ConditionArticle, a.OfficialAuthority, a.BalancingTest,
			strings.Join(a.DataSubjects, "; "), strings.Join(cats, "; "),
			strings.Join(recips, "; "), strings.Join(transfers, "; "),
			a.Retention, strings.Join(a.SecurityMeasures, "; "),
			strconv.FormatBool(a.DirectMarketing), strconv.FormatBool(a.AutomatedDecisions),
			strconv.FormatBool(a.Children), consentAge(a.ConsentAge),
			rec.Controller.Name, rec.Controller.Contact, dpo.Name, dpo.Contact,
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
