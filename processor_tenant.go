package gdprkit

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/pii/shred"
	"github.com/gdprkit/gdprkit/retention"
)

// TenantArchive describes the archive ExportTenant wrote; it is the
// archive's tenant.json.
type TenantArchive struct {
	Tenant    string    `json:"tenant"`
	Generated time.Time `json:"generated"`
	// Subjects is the number of data subjects exported, one access export
	// each, under subjects/.
	Subjects int `json:"subjects"`
	// JournalVerified reports whether the tenant's journal verified; its
	// error otherwise.
	JournalVerified bool       `json:"journal_verified"`
	JournalError    string     `json:"journal_error,omitempty"`
	JournalHead     audit.Head `json:"journal_head"`
	// Files lists the archive's files in the order written.
	Files      []string   `json:"files"`
	Controller gdpr.Party `json:"controller"`
}

// subjectEntry is a line of the archive's subjects.json.
type subjectEntry struct {
	Subject string `json:"subject"`
	Token   string `json:"token"`
	Request string `json:"request"`
	File    string `json:"file"`
}

// ExportTenant writes to w a portable archive (a ZIP file) of everything
// the processor holds for a tenant, to return it to the controller at the
// end of the service (Art. 28(3)(g)):
//
//	tenant.json         what the archive holds (TenantArchive)
//	record.json         the tenant's record of processing (Art. 30(1))
//	journal.jsonl       the tenant's journal, one entry a line
//	journal-verification.json  the result of verifying its hash chain
//	subjects.json       each data subject with the file of its export
//	subjects/<token>.zip  each subject's access export (rights.Desk.Export)
//
// The subjects are those the tenant's Config.Subjects list; each export is
// an access request the tenant's desk receives, verifies (the processor
// acts on the controller's instruction) and answers, evidenced in the
// tenant's journal. The processor's journal records the export by tenant.
func (p *Processor) ExportTenant(ctx context.Context, id string, w io.Writer) (TenantArchive, error) {
	t, err := p.kit(ctx, id)
	if err != nil {
		return TenantArchive{}, err
	}
	if len(t.cfg.Subjects) == 0 {
		return TenantArchive{}, fmt.Errorf("gdprkit: ExportTenant %s: the tenant's Config names no Subjects: its data subjects cannot be listed: %w", id, ErrInvalidConfig)
	}
	subjects, err := listSubjects(ctx, t.cfg.Subjects)
	if err != nil {
		return TenantArchive{}, fmt.Errorf("gdprkit: ExportTenant %s: %w", id, err)
	}
	kit := t.kit
	arc := TenantArchive{Tenant: id, Generated: p.cfg.Now().UTC(), Controller: kit.Register().Controller()}
	zw := zip.NewWriter(w)
	file := func(name string, method uint16) (io.Writer, error) {
		arc.Files = append(arc.Files, name)
		return zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: arc.Generated})
	}
	writeJSON := func(name string, v any) error {
		f, err := file(name, zip.Deflate)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(f)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}

	run := randomHex(4)
	sys := context.WithValue(ctx, processorKey{}, true)
	index := make([]subjectEntry, 0, len(subjects))
	for _, s := range subjects {
		tok := kit.Journal().Token(s)
		e := subjectEntry{Subject: s, Token: tok, Request: exportIDPrefix + run + ":" + tok, File: "subjects/" + tok + ".zip"}
		r, err := kit.Desk().Receive(sys, rights.Request{ID: e.Request, Right: rights.RightAccess, Subject: s})
		if err != nil {
			return TenantArchive{}, fmt.Errorf("gdprkit: ExportTenant %s: %w", id, err)
		}
		if r.State == rights.RequestUnverified {
			if _, err := kit.Desk().Verify(sys, e.Request); err != nil {
				return TenantArchive{}, fmt.Errorf("gdprkit: ExportTenant %s: %w", id, err)
			}
		}
		f, err := file(e.File, zip.Store) // already compressed
		if err != nil {
			return TenantArchive{}, err
		}
		if _, err := kit.Desk().Export(ctx, e.Request, f); err != nil {
			return TenantArchive{}, fmt.Errorf("gdprkit: ExportTenant %s: %w", id, err)
		}
		index = append(index, e)
	}
	arc.Subjects = len(index)
	if err := writeJSON("subjects.json", index); err != nil {
		return TenantArchive{}, err
	}
	f, err := file("record.json", zip.Deflate)
	if err != nil {
		return TenantArchive{}, err
	}
	if err := kit.Register().Record().WriteJSON(f); err != nil {
		return TenantArchive{}, err
	}
	if f, err = file("journal.jsonl", zip.Deflate); err != nil {
		return TenantArchive{}, err
	}
	enc := json.NewEncoder(f)
	for e, err := range kit.Journal().Entries(ctx, 0) {
		if err != nil {
			return TenantArchive{}, fmt.Errorf("gdprkit: ExportTenant %s: journal: %w", id, err)
		}
		if err := enc.Encode(e); err != nil {
			return TenantArchive{}, err
		}
	}
	if err := kit.Journal().Verify(ctx); err != nil {
		arc.JournalError = err.Error()
	} else {
		arc.JournalVerified = true
	}
	if arc.JournalHead, err = kit.Journal().Head(ctx); err != nil {
		return TenantArchive{}, err
	}
	if err := writeJSON("journal-verification.json", map[string]any{"verified": arc.JournalVerified,
		"error": arc.JournalError, "head": arc.JournalHead}); err != nil {
		return TenantArchive{}, err
	}
	arc.Files = append(arc.Files, "tenant.json") // listed in itself
	if err := writeJSONUnlisted(zw, "tenant.json", arc.Generated, arc); err != nil {
		return TenantArchive{}, err
	}
	if err := zw.Close(); err != nil {
		return TenantArchive{}, err
	}
	_, err = p.journal.Record(ctx, audit.Event{Kind: KindTenantExported, Outcome: audit.OutcomeDone, Ref: id,
		Reasons: []string{"subjects-" + strconv.Itoa(arc.Subjects)}})
	return arc, err
}

// listSubjects returns the IDs every source lists, each once, in order.
func listSubjects(ctx context.Context, sources map[string]retention.SubjectSource) ([]string, error) {
	seen := map[string]bool{}
	for name, src := range sources {
		for after := retention.Cursor(""); ; {
			page, next, err := src.Subjects(ctx, after, 500)
			if err != nil {
				return nil, fmt.Errorf("subjects of %s: %w", name, err)
			}
			for _, s := range page {
				seen[s.ID] = true
			}
			if next == "" || len(page) == 0 {
				break
			}
			after = next
		}
	}
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	slices.Sort(out)
	return out, nil
}

// TenantCertificate certifies the erasure of a whole tenant.
type TenantCertificate struct {
	Tenant   string    `json:"tenant"`
	ErasedAt time.Time `json:"erased_at"`
	// KeyDestroyed: the tenant's KEK was deleted, so that every subject
	// key it wrapped, in the tenant's database and in every copy of it,
	// cannot be unwrapped.
	KeyDestroyed bool `json:"key_destroyed"`
	// Logged: a tombstone is in the tenant erasure log, for
	// Processor.Replay after a restore of the processor's database.
	Logged bool `json:"logged"`
	// DatabaseDropped: the tenant's database was deleted.
	DatabaseDropped bool `json:"database_dropped"`
	// Journal is the processor journal's entry recording the erasure.
	Journal audit.Head `json:"journal"`
}

// EraseTenant ends the service for a tenant (Art. 28(3)(g)), after
// ExportTenant returned its data: it logs a tombstone in the tenant
// erasure log, destroys the tenant's KEK (one row), so that the tenant's
// data in every copy and backup can no longer be opened, drops the
// tenant's database, and journals the erasure, content-free, in the
// processor's journal. It returns the certificate. A tenant erased before
// gets ErrTenantErased (its database is dropped again, which is a no-op);
// an unknown one ErrUnknownTenant.
func (p *Processor) EraseTenant(ctx context.Context, id string) (TenantCertificate, error) {
	if err := checkTenant("EraseTenant", id); err != nil {
		return TenantCertificate{}, err
	}
	exists, erased, err := p.keys.state(ctx, id)
	switch {
	case err != nil:
		return TenantCertificate{}, err
	case !exists:
		return TenantCertificate{}, fmt.Errorf("gdprkit: EraseTenant %s: %w", id, ErrUnknownTenant)
	case erased:
		p.forget(id)
		return TenantCertificate{}, errors.Join(fmt.Errorf("gdprkit: EraseTenant %s: %w", id, ErrTenantErased), p.cfg.Databases.Drop(ctx, id))
	}
	c := TenantCertificate{Tenant: id, ErasedAt: p.cfg.Now().UTC()}
	if err := p.erasures.Append(ctx, shred.ErasureEntry{Namespace: NamespaceTenants, Ref: id, Generation: 1, At: c.ErasedAt}); err != nil {
		return TenantCertificate{}, fmt.Errorf("gdprkit: EraseTenant %s: %w", id, err)
	}
	c.Logged = true
	if c.KeyDestroyed, err = p.keys.destroy(ctx, id, c.ErasedAt); err != nil {
		return c, err
	}
	p.forget(id)
	if !c.KeyDestroyed { // another instance was first
		return TenantCertificate{}, errors.Join(fmt.Errorf("gdprkit: EraseTenant %s: %w", id, ErrTenantErased), p.cfg.Databases.Drop(ctx, id))
	}
	reasons := []string{"key-destroyed"}
	if err = p.cfg.Databases.Drop(ctx, id); err == nil {
		c.DatabaseDropped = true
		reasons = append(reasons, "database-dropped")
	}
	e, jerr := p.journal.Record(ctx, audit.Event{Kind: KindTenantErased, Outcome: audit.OutcomeDone, Ref: id, Reasons: reasons})
	c.Journal = audit.Head{Seq: e.Seq, Hash: e.Hash}
	return c, errors.Join(err, jerr)
}

func writeJSONUnlisted(zw *zip.Writer, name string, at time.Time, v any) error {
	f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: at})
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
