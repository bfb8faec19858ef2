package rights

import (
	"archive/zip"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"time"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
)

// Export answers an access request (Art. 15) or a portability request (Art.
// 20): it streams to w a ZIP archive holding, per source and record type, a
// JSON file (every subject and personal field labelled with its category)
// and a CSV file with the same records; a README in the subject's language
// (English, German or French, the closest to Request.Language); and, last,
// manifest.json (see Manifest): the request, every file with its SHA-256
// and size, the sources, and the information of Art. 15(1) and (2) drawn
// from the purpose register. It returns the manifest. A CSV cell or column
// name that a spreadsheet would read as a formula (starting with = + - @,
// a tab or a carriage return) is written after an apostrophe, as
// Record.WriteCSV writes it; the JSON holds every value exactly.
//
// Sealed fields are opened with the keys of each source's namespace;
// fields of an erased subject come out as their replace= text or empty. A
// record none of whose pii:"subject" fields holds the requester's ID, or
// whose type has none, fails the export, so that a faulty source cannot
// hand one person's data to another; fields of another subject in the
// requester's records (a group= field such as the other party of a
// message) are left out (Art. 15(4)), also inside slices, maps and
// interfaces: a nested value's group finds its subject in the struct that
// holds it, then outwards to the record, and a value of a named group
// with no subject in scope is left out too. A nested struct whose own
// subject field is empty (Contact: Person{ID: "", ...}) belongs to nobody
// known, as for pii.Walk and Seal, and its values are left out. A type
// with its own MarshalJSON or MarshalText that can hold personal data
// (pii.MayHold: a named slice, map or array of people, a struct with
// personal fields) is exported by its structure as if it had no
// marshaller, at any depth, so that these checks and labels reach inside
// it; other such types (a time, a decimal) are written by their
// marshallers.
//
// A portability export takes only sources with a purpose resting on
// consent or a contract, and only subject fields and personal fields whose
// origin is provided or observed (pii.Origin.Portable); fields without a
// pii tag are left out of it. Of a source that also serves purposes on
// other bases (legitimate interests, say), it takes only the personal
// fields whose category a consent or contract purpose of the source
// declares (lies within one, or holds one): Art. 20(1)(a) covers data
// processed on consent or a contract, not the rest of the source. The
// manifest then lists those purposes only.
//
// Memory stays flat however many records a source streams: each file's
// content is spooled, encrypted under a key held in memory only, to a
// temporary file in DeskConfig.TempDir while the source streams, then
// copied into the archive. The request completes when the archive is
// written; when Export fails, what it wrote to w is no archive and the
// request stays in progress for another try.
func (rt *Desk) Export(ctx context.Context, id string, w io.Writer) (Manifest, error) {
	u, err := rt.begin(ctx, id, "Export", RightAccess, RightPortability)
	if err != nil {
		return Manifest{}, err
	}
	defer u.release(ctx)
	x := &exporter{rt: rt, req: u.req, portable: u.req.Right == RightPortability, now: rt.clock(), run: u}
	m, err := x.write(ctx, w)
	if err != nil {
		return Manifest{}, &RequestError{ID: id, Op: "Export", Err: err}
	}
	for _, s := range m.Sources {
		state, outcome, reason := StepDone, audit.OutcomeDone, "records-"+strconv.Itoa(s.Records)
		if s.Skipped != "" {
			state, outcome, reason = StepSkipped, OutcomeSkipped, s.Skipped
		}
		if err := rt.record(ctx, &u.req, KindRequestSource, outcome, u.req.Right.String(), s.Name, reason); err != nil {
			return m, err
		}
		records := s.Records
		if err := u.update(ctx, func(r *Request) error {
			st := step(&r.Sources, s.Name)
			st.State, st.Records, st.Attempts, st.Error, st.At = state, records, st.Attempts+1, "", x.now
			return nil
		}); err != nil {
			return m, err
		}
	}
	if _, err := u.finish(ctx); err != nil {
		return m, err
	}
	return m, nil
}

// exporter writes one export.
type exporter struct {
	rt       *Desk
	run      *run
	req      Request
	portable bool
	now      time.Time
	renewed  time.Time // when the run's lease was last renewed
	zw       *zip.Writer
	spool    *spooler
	buf      []byte
	m        *Manifest
}

func (x *exporter) write(ctx context.Context, w io.Writer) (Manifest, error) {
	reg := x.rt.reg
	tag := readmeLanguage(x.req.Language)
	m := &Manifest{
		Format: ExportFormat,
		Request: ManifestRequest{
			ID: x.req.ID, Right: x.req.Right, Article: x.req.Right.Article(), Subject: x.req.Subject,
			ReceivedAt: x.req.ReceivedAt, Due: x.req.Due,
		},
		Generated:  x.now.UTC(),
		Language:   tag.String(),
		Controller: reg.Controller(),
		Files:      []ManifestFile{},
		Sources:    []ManifestSource{},
	}
	if r := reg.Representative(); r != (gdpr.Party{}) {
		m.Representative = &r
	}
	if d := reg.DPO(); d != (gdpr.Party{}) {
		m.DPO = &d
	}
	if a := x.rt.authority; a != (gdpr.Party{}) {
		m.Authority = &a
	}
	x.m = m
	var err error
	if x.spool, err = newSpooler(x.rt.tempDir); err != nil {
		return Manifest{}, err
	}
	x.zw = zip.NewWriter(w)
	x.buf = make([]byte, spoolBuffer)

	var purposes []*gdpr.Purpose
	for _, s := range x.rt.sources {
		ms := ManifestSource{Name: s.info.Name, Description: s.info.Description, Purposes: s.info.Purposes}
		if x.portable && !s.portable(x.rt.reg) {
			ms.Skipped = "not-portable"
			m.Sources = append(m.Sources, ms)
			continue
		}
		n, err := x.source(ctx, s)
		if err != nil {
			return Manifest{}, err
		}
		ms.Records = n
		m.Sources = append(m.Sources, ms)
		if n > 0 {
			for _, p := range s.purposes(x.rt.reg) {
				if x.portable && !portableBasis(p) {
					continue // not the part of the source exported (Art. 20(1)(a))
				}
				if !containsPurpose(purposes, p) {
					purposes = append(purposes, p)
				}
			}
		}
	}
	m.Processing = processing(purposes)
	if err := x.disclosedTo(ctx); err != nil {
		return Manifest{}, err
	}

	if err := x.file(ReadmeName, "text/plain; charset=utf-8", func(w io.Writer) error { return writeReadme(w, m, tag) }); err != nil {
		return Manifest{}, err
	}
	mw, err := x.entry(ManifestName)
	if err != nil {
		return Manifest{}, err
	}
	enc := json.NewEncoder(mw)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return Manifest{}, fmt.Errorf("write %s: %w", ManifestName, err)
	}
	if err := x.zw.Close(); err != nil {
		return Manifest{}, fmt.Errorf("write archive: %w", err)
	}
	return *m, nil
}

func containsPurpose(list []*gdpr.Purpose, p *gdpr.Purpose) bool {
	for _, q := range list {
		if q.ID == p.ID {
			return true
		}
	}
	return false
}

// entry starts a file in the archive.
func (x *exporter) entry(name string) (io.Writer, error) {
	w, err := x.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: x.now})
	if err != nil {
		return nil, fmt.Errorf("write archive: %w", err)
	}
	return w, nil
}

// file writes a small file to the archive and lists it in the manifest.
func (x *exporter) file(name, mediaType string, write func(io.Writer) error) error {
	w, err := x.entry(name)
	if err != nil {
		return err
	}
	h := newHashCounter()
	if err := write(io.MultiWriter(w, h)); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	x.m.Files = append(x.m.Files, ManifestFile{Path: name, SHA256: h.hex(), Size: h.n, MediaType: mediaType})
	return nil
}

// exportFile is the pair of files of one source and record type, spooled.
type exportFile struct {
	plan     *recordPlan
	name     string // the type's file name, such as "order_line"
	json     *spool
	csv      *spool
	cw       *csv.Writer
	records  int
	withheld int
}

// source streams one source's records of the subject into spools, one pair
// per record type, then copies them into the archive. It returns the
// number of records.
func (x *exporter) source(ctx context.Context, s *source) (int, error) {
	var (
		byType = map[reflect.Type]*exportFile{}
		files  []*exportFile
		names  = map[string]bool{}
		enc    = &encoder{subject: x.req.Subject, portable: x.portable}
		total  int
	)
	if keep := s.portablePart(x.rt.reg); x.portable && keep != nil {
		enc.plans = &planCache{portable: true, keep: keep}
	}
	defer func() {
		for _, f := range files {
			f.json.close()
			f.csv.close()
		}
	}()
	fail := func(op string, err error) error { return &SourceError{Source: s.info.Name, Op: op, Err: err} }
	emit := func(rec any) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		v := reflect.ValueOf(rec)
		switch {
		case v.Kind() == reflect.Struct:
		case v.Kind() == reflect.Pointer && !v.IsNil() && v.Elem().Kind() == reflect.Struct:
			v = v.Elem() // opened in place
		default:
			return fail("export", fmt.Errorf("record of type %T: want a struct or a pointer to one", rec))
		}
		t := v.Type()
		f := byType[t]
		if f == nil {
			var err error
			if f, err = x.newFile(s, t, names, enc); err != nil {
				return err
			}
			byType[t] = f
			files = append(files, f)
		}
		if err := enc.accept(f.plan, v); err != nil { // before anything is opened
			return fail("export", fmt.Errorf("%v record: %w", t, err))
		}
		if s.opener != nil {
			if !v.CanAddr() {
				p := reflect.New(t)
				p.Elem().Set(v)
				v = p.Elem()
			}
			if err := s.opener.Open(ctx, v.Addr().Interface()); err != nil && !erased(err) {
				return fail("open", err)
			}
		}
		enc.encode(f.plan, v)
		if err := f.add(enc); err != nil {
			return err
		}
		total++
		return x.renew(ctx, false)
	}
	// A source may take long before its first record: it starts with a
	// whole lease.
	if err := x.renew(ctx, true); err != nil {
		return 0, err
	}
	if err := s.Export(ctx, x.req.Subject, emit); err != nil {
		var se *SourceError
		if !errors.As(err, &se) {
			err = fail("export", err)
		}
		return 0, err
	}
	if err := x.renew(ctx, false); err != nil {
		return 0, err
	}
	for _, f := range files {
		if err := x.copyFile(s, f); err != nil {
			return 0, err
		}
	}
	return total, nil
}

// renew renews the run's lease when forced or when more than a third of
// it has passed since the last renewal, so that a long export, however
// slowly its sources stream, keeps the request from other instances. It
// looks at the clock on every record.
func (x *exporter) renew(ctx context.Context, force bool) error {
	if x.renewed.IsZero() {
		x.renewed = x.now
	}
	now := x.rt.clock()
	if !force && now.Sub(x.renewed) <= x.rt.lease/3 {
		return nil
	}
	x.renewed = now
	return x.run.update(ctx, func(*Request) error { return nil })
}

// newFile starts the spools of a new record type.
func (x *exporter) newFile(s *source, t reflect.Type, taken map[string]bool, enc *encoder) (*exportFile, error) {
	plan, err := enc.planOf(t)
	if err != nil {
		return nil, &SourceError{Source: s.info.Name, Op: "export", Err: fmt.Errorf("record type %v: %w", t, err)}
	}
	name := typeFileName(t.Name())
	for i := 2; taken[name]; i++ {
		name = typeFileName(t.Name()) + "_" + strconv.Itoa(i)
	}
	taken[name] = true
	f := &exportFile{plan: plan, name: name}
	if f.json, err = x.spool.create(); err != nil {
		return nil, err
	}
	if f.csv, err = x.spool.create(); err != nil {
		f.json.close()
		return nil, err
	}
	f.json.WriteString(`{"source":`)
	f.json.Write(appendJSONString(nil, s.info.Name))
	f.json.WriteString(`,"type":`)
	f.json.Write(appendJSONString(nil, name))
	f.json.WriteString(`,"records":[`)
	f.cw = csv.NewWriter(f.csv)
	if err := f.cw.Write(plan.header); err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	return f, nil
}

// add writes the encoded record to both spools.
func (f *exportFile) add(enc *encoder) error {
	if f.records > 0 {
		f.json.WriteByte(',')
	}
	f.json.WriteByte('\n')
	if _, err := f.json.Write(enc.json); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	if err := f.cw.Write(enc.row); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	f.records++
	f.withheld += enc.withheld
	enc.withheld = 0
	return nil
}

// copyFile ends a type's spools and copies them into the archive.
func (x *exporter) copyFile(s *source, f *exportFile) error {
	f.json.WriteString("\n]}\n")
	f.cw.Flush()
	if err := f.cw.Error(); err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	fields := fieldsOf(f.plan)
	for _, part := range []struct {
		sp        *spool
		ext, mime string
	}{{f.json, ".json", "application/json"}, {f.csv, ".csv", "text/csv; charset=utf-8"}} {
		path := s.info.Name + "/" + f.name + part.ext
		w, err := x.entry(path)
		if err != nil {
			return err
		}
		n, sum, err := part.sp.copyTo(w, x.buf)
		if err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		mf := ManifestFile{Path: path, SHA256: sum, Size: n, MediaType: part.mime, Source: s.info.Name,
			Type: f.name, Records: f.records, Fields: fields}
		if part.ext == ".json" {
			mf.Withheld = f.withheld
		}
		x.m.Files = append(x.m.Files, mf)
	}
	return nil
}

// erased reports whether err says a subject's key was erased: an error in
// its chain has an Erased() bool method that returns true (as pii/shred's
// do).
func erased(err error) bool {
	var e interface{ Erased() bool }
	return errors.As(err, &e) && e.Erased()
}
