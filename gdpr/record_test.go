package gdpr_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func recordRegister(t *testing.T) *gdpr.Register {
	t.Helper()
	ads := gdpr.Purpose{
		ID: "ads", Name: "=HYPERLINK(\"http://evil\")", Basis: gdpr.Consent, DirectMarketing: true,
		Categories:   []pii.Category{pii.Email, pii.Browsing},
		DataSubjects: []string{"visitors", "customers"},
		Retention:    "P6M",
		Recipients: []gdpr.Recipient{
			{Name: "Mailer GmbH", Role: gdpr.Processor, Country: "DE"},
			{Name: "Cloud Inc.", Role: gdpr.Processor, Country: "US", Safeguard: gdpr.StandardClauses, Reference: "SCC 2021/914 module 2", ImpactAssessed: true},
		},
		SecurityMeasures: []string{"pseudonymised audiences"},
	}
	health := gdpr.Purpose{
		ID: "care", Name: "Care plans", Description: "Plans written with the patient", Basis: gdpr.Contract,
		Condition: gdpr.HealthCare, Law: "§ 22(1) no. 1(b) BDSG", Categories: []pii.Category{pii.Health, pii.Name},
		DataSubjects: []string{"patients"}, Retention: "P10Y",
	}
	reg, err := gdpr.NewRegister(gdpr.RegisterConfig{
		Controller:       gdpr.Party{Name: "Example Care GmbH", Contact: "Hauptstr. 1, Berlin"},
		DPO:              gdpr.Party{Name: "DPO office", Contact: "dpo@care.example"},
		Representative:   gdpr.Party{},
		SecurityMeasures: []string{"encryption at rest", "access control"},
		Now:              func() time.Time { return t0 },
	}, ads, health)
	require.NoError(t, err)
	return reg
}

func TestRecordJSONDecodesBack(t *testing.T) {
	rec := recordRegister(t).Record()
	var buf bytes.Buffer
	require.NoError(t, rec.WriteJSON(&buf))

	var back gdpr.Record
	require.NoError(t, json.Unmarshal(buf.Bytes(), &back))
	assert.Equal(t, rec, back)

	require.Len(t, back.Activities, 2)
	ads, care := back.Activities[0], back.Activities[1]
	assert.Equal(t, "ads", ads.PurposeID, "sorted by purpose ID")
	assert.Equal(t, gdpr.Consent, ads.Basis)
	assert.Equal(t, "Art. 6(1)(a) consent", ads.BasisArticle)
	assert.Equal(t, []string{"visitors", "customers"}, ads.DataSubjects)
	assert.Equal(t, []gdpr.DataCategory{
		{Key: pii.Email, Title: "E-mail address"},
		{Key: pii.Browsing, Title: "Browsing activity"},
	}, ads.Categories)
	require.Len(t, ads.Transfers, 1, "only the recipient outside the EEA is a transfer")
	assert.Equal(t, "Cloud Inc.", ads.Transfers[0].Name)
	assert.Equal(t, gdpr.StandardClauses, ads.Transfers[0].Safeguard)
	assert.Equal(t, []string{"encryption at rest", "access control", "pseudonymised audiences"}, ads.SecurityMeasures)
	assert.Equal(t, gdpr.HealthCare, care.Condition)
	assert.True(t, care.Categories[0].Special)
	assert.Empty(t, care.Transfers)
	assert.Equal(t, "Example Care GmbH", back.Controller.Name)
	require.NotNil(t, back.DPO)
	assert.Equal(t, "dpo@care.example", back.DPO.Contact)
	assert.Nil(t, back.Representative, "an empty representative is left out")
	assert.Equal(t, t0, back.Generated)

	assert.Contains(t, buf.String(), `"lawful_basis": "consent"`)
	assert.Contains(t, buf.String(), `"safeguard": "standard-clauses"`)
	assert.Contains(t, buf.String(), `"role": "processor"`)
}

func TestRecordCSV(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, recordRegister(t).Record().WriteCSV(&buf))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 3, "a header and one row per purpose")
	assert.Equal(t, []string{
		"purpose_id", "purpose", "description",
		"lawful_basis", "art9_condition", "art10_authority", "law", "balancing_test",
		"data_subjects", "data_categories", "recipients", "third_country_transfers",
		"retention", "retention_criteria", "security_measures",
		"direct_marketing", "automated_decisions", "automated_decision_logic",
		"automated_decision_significance", "automated_decision_consequences", "children", "consent_age",
		"controller", "controller_contact", "joint_controllers", "representative", "representative_contact",
		"dpo", "dpo_contact",
	}, rows[0])
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	ads, care := rows[1], rows[2]
	assert.Equal(t, "ads", ads[col["purpose_id"]])
	assert.Equal(t, `'=HYPERLINK("http://evil")`, ads[col["purpose"]], "a formula is defused")
	assert.Equal(t, "Art. 6(1)(a) consent", ads[col["lawful_basis"]])
	assert.Equal(t, "user.contact.email; user.behavior.browsing_history", ads[col["data_categories"]])
	assert.Equal(t, "Mailer GmbH (processor, DE); Cloud Inc. (processor, US)", ads[col["recipients"]])
	assert.Equal(t, "Cloud Inc. (US): standard contractual clauses (Art. 46(2)(c)), SCC 2021/914 module 2, transfer impact assessed", ads[col["third_country_transfers"]])
	assert.Equal(t, "P6M", ads[col["retention"]])
	assert.Equal(t, "true", ads[col["direct_marketing"]])
	assert.Equal(t, "Art. 9(2)(h) health or social care", care[col["art9_condition"]])
	assert.Equal(t, "§ 22(1) no. 1(b) BDSG", care[col["law"]])
	assert.Equal(t, "", care[col["third_country_transfers"]])
	assert.Equal(t, "Example Care GmbH", care[col["controller"]])
	assert.Equal(t, "dpo@care.example", care[col["dpo_contact"]])
}

func TestRecordOfEmptyRegister(t *testing.T) {
	var buf bytes.Buffer
	rec := newRegister(t).Record()
	require.NoError(t, rec.WriteCSV(&buf))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	assert.Len(t, rows, 1, "the header alone")
	buf.Reset()
	require.NoError(t, rec.WriteJSON(&buf))
	assert.Contains(t, buf.String(), `"activities": []`)
}

// TestRecordCSVNamesJointControllersAndRepresentative: Art. 30(1)(a) asks
// for the joint controllers and the representative as well; the CSV names
// them on every row, as it does the controller and the DPO.
func TestRecordCSVNamesJointControllersAndRepresentative(t *testing.T) {
	reg, err := gdpr.NewRegister(gdpr.RegisterConfig{
		Controller:       gdpr.Party{Name: "Example Inc.", Contact: "1 Main St, Springfield, US"},
		JointControllers: []gdpr.Party{{Name: "Partner AG", Contact: "privacy@partner.example"}, {Name: "Other SAS"}},
		Representative:   gdpr.Party{Name: "EU Rep Ltd", Contact: "rep@eurep.example"},
		Now:              func() time.Time { return t0 },
	}, valid())
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, reg.Record().WriteCSV(&buf))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 2)
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	assert.Equal(t, "Partner AG (privacy@partner.example); Other SAS", rows[1][col["joint_controllers"]])
	assert.Equal(t, "EU Rep Ltd", rows[1][col["representative"]])
	assert.Equal(t, "rep@eurep.example", rows[1][col["representative_contact"]])
}
