package gdprkit

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/gdprkit/gdprkit/gdpr"
)

// ProcessorRecord is the record of processing activities a processor
// keeps (Art. 30(2)).
type ProcessorRecord struct {
	// Art. 30(2)(a): the processor, its representative and DPO.
	Processor      gdpr.Party  `json:"processor"`
	Representative *gdpr.Party `json:"representative,omitempty"`
	DPO            *gdpr.Party `json:"dpo,omitempty"`
	Generated      time.Time   `json:"generated"`
	// Controllers are the controllers on whose behalf the processor
	// acts, by tenant ID (Art. 30(2)(a) and (b)).
	Controllers []ControllerRecord `json:"controllers"`
	// SubProcessors are the processors engaged, with their countries and
	// safeguards (Art. 28(2), (4)).
	SubProcessors []gdpr.Recipient `json:"sub_processors"`
	// Transfers are the sub-processors outside the EEA with the
	// safeguards of the transfer (Art. 30(2)(c)).
	Transfers []gdpr.Recipient `json:"third_country_transfers"`
	// SecurityMeasures are the measures of Art. 32(1) (Art. 30(2)(d)).
	SecurityMeasures []string `json:"security_measures"`
}

// ControllerRecord is one controller of the processor's record.
type ControllerRecord struct {
	Tenant         string      `json:"tenant"`
	Controller     gdpr.Party  `json:"controller"`
	Representative *gdpr.Party `json:"representative,omitempty"`
	DPO            *gdpr.Party `json:"dpo,omitempty"`
	// Processing are the categories of processing carried out on the
	// controller's behalf: its register's purposes (Art. 30(2)(b)).
	Processing []ProcessingCategory `json:"processing"`
	// Transfers are the third-country transfers its purposes declare
	// (Art. 30(2)(c)).
	Transfers []gdpr.Recipient `json:"third_country_transfers"`
}

// ProcessingCategory is a category of processing carried out for a
// controller: one of its purposes, with the data and the subjects.
type ProcessingCategory struct {
	Purpose      string              `json:"purpose"`
	Name         string              `json:"name"`
	Categories   []gdpr.DataCategory `json:"data_categories"`
	DataSubjects []string            `json:"data_subjects"`
	Retention    string              `json:"retention,omitempty"`
}

// Record writes the processor's Art. 30(2) record: every tenant with a
// live key, from its kit's register (opened through
// ProcessorConfig.TenantConfig when this instance has not opened it).
func (p *Processor) Record(ctx context.Context) (ProcessorRecord, error) {
	rec := ProcessorRecord{
		Processor:        p.cfg.Processor,
		Generated:        p.cfg.Now().UTC(),
		Controllers:      []ControllerRecord{},
		SubProcessors:    slices.Clone(p.cfg.SubProcessors),
		Transfers:        []gdpr.Recipient{},
		SecurityMeasures: slices.Clone(p.cfg.SecurityMeasures),
	}
	if rec.SubProcessors == nil {
		rec.SubProcessors = []gdpr.Recipient{}
	}
	if rec.SecurityMeasures == nil {
		rec.SecurityMeasures = []string{}
	}
	rec.Representative, rec.DPO = partyPtr(p.cfg.Representative), partyPtr(p.cfg.DPO)
	for _, s := range p.cfg.SubProcessors {
		if s.ThirdCountry() {
			rec.Transfers = append(rec.Transfers, s)
		}
	}
	tenants, err := p.keys.tenants(ctx)
	if err != nil {
		return ProcessorRecord{}, err
	}
	for _, id := range tenants {
		t, err := p.kit(ctx, id)
		if err != nil {
			return ProcessorRecord{}, fmt.Errorf("gdprkit: Record: %w", err)
		}
		r := t.kit.Register().Record()
		c := ControllerRecord{Tenant: id, Controller: r.Controller, Representative: r.Representative, DPO: r.DPO,
			Processing: []ProcessingCategory{}, Transfers: []gdpr.Recipient{}}
		for _, a := range r.Activities {
			c.Processing = append(c.Processing, ProcessingCategory{Purpose: a.PurposeID, Name: a.Purpose,
				Categories: a.Categories, DataSubjects: a.DataSubjects, Retention: a.Retention})
			for _, tr := range a.Transfers {
				if !slices.Contains(c.Transfers, tr) {
					c.Transfers = append(c.Transfers, tr)
				}
			}
		}
		rec.Controllers = append(rec.Controllers, c)
	}
	return rec, nil
}

func partyPtr(p gdpr.Party) *gdpr.Party {
	if p == (gdpr.Party{}) {
		return nil
	}
	return &p
}

// WriteJSON writes the record as indented JSON.
func (rec ProcessorRecord) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rec); err != nil {
		return fmt.Errorf("gdprkit: write processor record: %w", err)
	}
	return nil
}
