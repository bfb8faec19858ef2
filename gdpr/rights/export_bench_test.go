package rights_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"hash"
	"io"
	"runtime"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/pii"
)

// Visit is the benchmark's record: a subject, five personal fields and
// two ordinary ones.
type Visit struct {
	Customer string `json:"customer" pii:"subject"`
	Name     string `json:"name" pii:"name"`
	Email    string `json:"email" pii:"email"`
	Phone    string `json:"phone" pii:"phone"`
	City     string `json:"city" pii:"city"`
	IP       string `json:"ip" pii:"ip,origin=observed"`
	Page     string `json:"page"`
	Seconds  int    `json:"seconds"`
}

func visits(n int) []*Visit {
	out := make([]*Visit, n)
	for i := range out {
		out[i] = &Visit{Customer: "cust-1", Name: "Ada Lovelace", Email: "ada@example.org", Phone: "+44 20 7946 0018",
			City: "London", IP: "192.0.2." + strconv.Itoa(i%256), Page: "/products/" + strconv.Itoa(i), Seconds: i % 600}
	}
	return out
}

// sliceSource streams records from memory, as fast as a source can.
type sliceSource struct{ records []*Visit }

func (s *sliceSource) Describe() rights.SourceInfo {
	return rights.SourceInfo{Name: "web", Description: "observed when you browsed", Purposes: []string{"account"}}
}

func (s *sliceSource) Export(_ context.Context, _ string, emit func(any) error) error {
	for _, r := range s.records {
		if err := emit(r); err != nil {
			return err
		}
	}
	return nil
}

func (s *sliceSource) Erase(context.Context, string) error { return nil }

// BenchmarkExport exports one subject's records from an in-memory source
// ("gdprkit", 10,000 records) against the same archive written by hand
// ("handwritten": the JSON and CSV files, labelled the same way, and a
// manifest with their SHA-256, with archive/zip, encoding/json,
// encoding/csv and crypto/sha256, at the same compression level).
// gdprkit-1k and gdprkit-10k report the bytes allocated per record.
func BenchmarkExport(b *testing.B) {
	b.Run("gdprkit", func(b *testing.B) { benchGdprkit(b, 10000) })
	b.Run("handwritten", func(b *testing.B) {
		records := visits(10000)
		b.ReportAllocs()
		for b.Loop() {
			if err := handwrittenExport(io.Discard, records); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gdprkit-1k", func(b *testing.B) { benchGdprkit(b, 1000) })
	b.Run("gdprkit-10k", func(b *testing.B) { benchGdprkit(b, 10000) })
}

func benchGdprkit(b *testing.B, n int) {
	ctx := context.Background()
	src := &sliceSource{records: visits(n)}
	f := newRightsFixture(b, func(c *rights.DeskConfig) { c.Sources = []rights.Source{src} })
	ids := make([]string, b.N)
	for i := range ids {
		ids[i] = f.receive(b, rights.Request{Right: rights.RightAccess, Subject: "cust-1"}).ID
	}
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f.rights.Export(ctx, ids[i], io.Discard); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N*n), "B/record")
}

// Hand-written: the labelled record as a struct for encoding/json.
type labelledValue struct {
	Value    string `json:"value"`
	Category string `json:"category"`
}

type labelledVisit struct {
	Customer labelledValue `json:"customer"`
	Name     labelledValue `json:"name"`
	Email    labelledValue `json:"email"`
	Phone    labelledValue `json:"phone"`
	City     labelledValue `json:"city"`
	IP       labelledValue `json:"ip"`
	Page     string        `json:"page"`
	Seconds  int           `json:"seconds"`
}

type handFile struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

type countingHash struct {
	hash.Hash
	n int64
}

func (c *countingHash) Write(p []byte) (int, error) { c.n += int64(len(p)); return c.Hash.Write(p) }

func handwrittenExport(w io.Writer, records []*Visit) error {
	zw := zip.NewWriter(w)
	var files []handFile
	file := func(path string, write func(io.Writer) error) error {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: path, Method: zip.Deflate})
		if err != nil {
			return err
		}
		h := &countingHash{Hash: sha256.New()}
		if err := write(io.MultiWriter(fw, h)); err != nil {
			return err
		}
		files = append(files, handFile{path, hex.EncodeToString(h.Sum(nil)), h.n})
		return nil
	}
	label := func(v string, c pii.Category) labelledValue { return labelledValue{v, string(c)} }
	err := file("web/visit.json", func(w io.Writer) error {
		if _, err := io.WriteString(w, `{"source":"web","type":"visit","records":[`); err != nil {
			return err
		}
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for i, r := range records {
			sep := ",\n"
			if i == 0 {
				sep = "\n"
			}
			if _, err := io.WriteString(w, sep); err != nil {
				return err
			}
			if err := enc.Encode(labelledVisit{
				Customer: label(r.Customer, pii.UniqueID), Name: label(r.Name, pii.Name), Email: label(r.Email, pii.Email),
				Phone: label(r.Phone, pii.Phone), City: label(r.City, pii.City), IP: label(r.IP, pii.IPAddress),
				Page: r.Page, Seconds: r.Seconds,
			}); err != nil {
				return err
			}
		}
		_, err := io.WriteString(w, "]}\n")
		return err
	})
	if err != nil {
		return err
	}
	err = file("web/visit.csv", func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write([]string{"customer", "name", "email", "phone", "city", "ip", "page", "seconds"}); err != nil {
			return err
		}
		row := make([]string, 8)
		for _, r := range records {
			row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7] = r.Customer, r.Name, r.Email, r.Phone, r.City, r.IP, r.Page, strconv.Itoa(r.Seconds)
			for i := range 7 {
				row[i] = defused(row[i]) // formulas defused, as the export does
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
	if err != nil {
		return err
	}
	mw, err := zw.Create("manifest.json")
	if err != nil {
		return err
	}
	if err := json.NewEncoder(mw).Encode(map[string]any{"format": "hand", "files": files}); err != nil {
		return err
	}
	return zw.Close()
}

// TestHandwrittenMatchesTheExport keeps the benchmark honest: the
// hand-written archive holds the same data files as the export.
func TestHandwrittenMatchesTheExport(t *testing.T) {
	records := visits(3)
	var hand bytes.Buffer
	require.NoError(t, handwrittenExport(&hand, records))
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{&sliceSource{records: records}} })
	r := f.receive(t, rights.Request{Right: rights.RightAccess, Subject: "cust-1"})
	var ours bytes.Buffer
	_, err := f.rights.Export(context.Background(), r.ID, &ours)
	require.NoError(t, err)
	h, o := readArchive(t, hand.Bytes()), readArchive(t, ours.Bytes())
	assert.JSONEq(t, string(h.files["web/visit.json"]), string(o.files["web/visit.json"]))
	assert.Equal(t, string(h.files["web/visit.csv"]), string(o.files["web/visit.csv"]))
}
