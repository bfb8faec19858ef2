package codegen_test

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/examples/codegen/ent"
	"github.com/gdprkit/gdprkit/examples/codegen/openapi"
	customerpb "github.com/gdprkit/gdprkit/examples/codegen/proto"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/piitest"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// field is what a source document declares for one generated field.
type field struct {
	category string // "" for the subject field
	redact   pii.Style
	replace  string
	plain    bool
	origin   pii.Origin
}

// generated is one generator's output: a fresh customer value and what its
// source document declares.
type generated struct {
	name     string
	customer func() any // a pointer to a customer "cus_1815"
	subject  string     // the subject field's Go name
	fields   map[string]field
}

var (
	email = field{category: "email", redact: pii.Mask}
	name  = field{category: "name", replace: "Former customer"}
	phone = field{category: "phone", redact: pii.Last4}
)

func generators() []generated {
	phoneNo, ip := "+44 20 7946 0958", "203.0.113.7"
	return []generated{
		{
			name: "oapi-codegen",
			customer: func() any {
				return &openapi.Customer{Id: "cus_1815", Email: "ada@example.org", Name: "Ada Lovelace", Phone: &phoneNo, LastLoginIp: &ip}
			},
			subject: "Id",
			fields:  map[string]field{"Email": email, "Name": name, "Phone": phone, "LastLoginIp": {category: "ip", plain: true, origin: pii.Observed}},
		},
		{
			name: "ent",
			customer: func() any {
				return &ent.Customer{ID: "cus_1815", Email: "ada@example.org", Name: "Ada Lovelace", Phone: phoneNo, Plan: "free"}
			},
			subject: "ID",
			fields:  map[string]field{"Email": email, "Name": name, "Phone": phone},
		},
		{
			name: "protoc-gen-go",
			customer: func() any {
				return &customerpb.Customer{Id: "cus_1815", Email: "ada@example.org", Name: "Ada Lovelace", Phone: phoneNo, Plan: "free"}
			},
			subject: "Id",
			fields:  map[string]field{"Email": email, "Name": name, "Phone": phone},
		},
	}
}

// TestSchemasAreWhatTheSourcesDeclare checks every generated type's tags
// against its OpenAPI document, ent schema or .proto file.
func TestSchemasAreWhatTheSourcesDeclare(t *testing.T) {
	for _, g := range generators() {
		t.Run(g.name, func(t *testing.T) {
			s, err := pii.SchemaOf(reflect.TypeOf(g.customer()).Elem())
			require.NoError(t, err)
			got := map[string]field{}
			for _, f := range s.Fields() {
				if f.Subject() {
					assert.Equal(t, g.subject, f.Name, "the subject field")
					continue
				}
				got[f.Name] = field{category: string(f.Tag.Category), redact: f.Tag.Redact, replace: f.Tag.Replace, plain: f.Tag.Plain, origin: f.Tag.Origin}
			}
			want := map[string]field{}
			for n, f := range g.fields {
				c, ok := pii.LookupCategory(f.category)
				require.True(t, ok, f.category)
				f.category = string(c)
				want[n] = f
			}
			assert.Equal(t, want, got)
		})
	}
}

func TestGeneratedTypesLogRedacted(t *testing.T) {
	for _, g := range generators() {
		t.Run(g.name, func(t *testing.T) {
			var out bytes.Buffer
			log := slog.New(pii.NewHandler(slog.NewJSONHandler(&out, nil), nil))
			c := g.customer()
			log.Info("signup", "customer", c)
			log.Info("signup", slog.Group("g", "customer", c))
			log.With("customer", c).Info("signup")
			piitest.NoPersonalValues(t, out.String(), c)
			assert.Contains(t, out.String(), "cus_1815", "the subject ID is shown")
		})
	}
}

func TestGeneratedTypesSealAndOpen(t *testing.T) {
	ctx := context.Background()
	s := newShredder(t)
	for _, g := range generators() {
		t.Run(g.name, func(t *testing.T) {
			c := g.customer()
			require.NoError(t, s.Seal(ctx, c))
			piitest.Sealed(t, c)
			opened := reflect.ValueOf(c).Elem().FieldByName("Email")
			require.NoError(t, s.Open(ctx, c))
			assert.Equal(t, "ada@example.org", opened.String())
		})
	}
	t.Run("erased", func(t *testing.T) {
		sealed := make([]any, 0, 3)
		for _, g := range generators() {
			c := g.customer()
			require.NoError(t, s.Seal(ctx, c))
			sealed = append(sealed, c)
		}
		require.NoError(t, s.Erase(ctx, "cus_1815"))
		for _, c := range sealed {
			require.ErrorIs(t, s.Open(ctx, c), shred.ErrErased)
			v := reflect.ValueOf(c).Elem()
			assert.Equal(t, "Former customer", v.FieldByName("Name").String(), "%T", c)
			assert.Empty(t, v.FieldByName("Email").String(), "%T", c)
		}
	})
}

// TestEntEntityRoundTrip stores a customer through ent's generated client
// on SQLite, then seals what ent returns: the generated entity is an
// ordinary tagged struct.
func TestEntEntityRoundTrip(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "ent.db")+"?_pragma=foreign_keys(1)")
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	client := ent.NewClient(ent.Driver(entsql.OpenDB("sqlite3", db)))
	require.NoError(t, client.Schema.Create(ctx))
	created, err := client.Customer.Create().SetID("cus_1815").SetEmail("ada@example.org").SetName("Ada Lovelace").Save(ctx)
	require.NoError(t, err)
	got, err := client.Customer.Get(ctx, created.ID)
	require.NoError(t, err)

	var out bytes.Buffer
	slog.New(pii.NewHandler(slog.NewJSONHandler(&out, nil), nil)).Info("loaded", "customer", got)
	piitest.NoPersonalValues(t, out.String(), got)
	s := newShredder(t)
	require.NoError(t, s.Seal(ctx, got))
	piitest.Sealed(t, got)
}

// TestGeneratedTypesInAnAccessExport exports one customer of each
// generator through the kit and checks the manifest's categories.
func TestGeneratedTypesInAnAccessExport(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "kit.db")+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)")
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	kek, err := shred.LocalKEK(filepath.Join(t.TempDir(), "kek.json"))
	require.NoError(t, err)
	var sources []rights.Source
	for _, g := range generators() {
		sources = append(sources, source{g})
	}
	kit, err := gdprkit.Open(ctx, db, gdprkit.Config{
		KEK: kek, KEKID: "dev-1",
		Controller: gdpr.Party{Name: "Example Shop GmbH", Contact: "privacy@shop.example"},
		Purposes: []gdpr.Purpose{{ID: "accounts", Name: "Customer accounts", Basis: gdpr.Contract,
			Categories: []pii.Category{pii.Email, pii.Name}, DataSubjects: []string{"customers"}, Retention: "P2Y"}},
		Sources:  sources,
		Contract: func(context.Context, string, string) (bool, error) { return true, nil },
		Verifier: rights.VerifierFunc(func(context.Context, rights.Request) (bool, error) { return true, nil }),
		Now:      func() time.Time { return time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC) },
	})
	require.NoError(t, err)
	req, err := kit.Desk().Receive(ctx, rights.Request{Right: rights.RightAccess, Subject: "cus_1815"})
	require.NoError(t, err)
	var archive bytes.Buffer
	manifest, err := kit.Desk().Export(ctx, req.ID, &archive)
	require.NoError(t, err)

	for _, g := range generators() {
		file, ok := fileOf(manifest, g.name)
		require.True(t, ok, "no file from %s", g.name)
		assert.Equal(t, 1, file.Records)
		categories := map[string]pii.Category{}
		for _, f := range file.Fields {
			categories[f.Name] = f.Category
		}
		assert.Equal(t, pii.Email, categories["email"], g.name)
		assert.Equal(t, pii.Name, categories["name"], g.name)
		assert.Contains(t, readZip(t, archive.Bytes(), file.Path), "ada@example.org", g.name)
	}
}

// source exports one generator's customer.
type source struct{ g generated }

func (s source) Describe() rights.SourceInfo {
	return rights.SourceInfo{Name: s.g.name, Description: "generated by " + s.g.name, Purposes: []string{"accounts"}}
}

func (s source) Export(_ context.Context, subject string, emit func(any) error) error {
	return emit(s.g.customer())
}

func (s source) Erase(context.Context, string) error { return nil }

func fileOf(m rights.Manifest, source string) (rights.ManifestFile, bool) {
	for _, f := range m.Files {
		if f.Source == source && f.MediaType == "application/json" {
			return f, true
		}
	}
	return rights.ManifestFile{}, false
}

func readZip(t *testing.T, archive []byte, path string) string {
	t.Helper()
	r, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	require.NoError(t, err)
	f, err := r.Open(path)
	require.NoError(t, err)
	defer f.Close()
	b, err := io.ReadAll(f)
	require.NoError(t, err)
	require.True(t, json.Valid(b))
	return string(b)
}

func newShredder(t *testing.T) *shred.Shredder {
	t.Helper()
	kek, err := shred.LocalKEK(filepath.Join(t.TempDir(), "kek.json"))
	require.NoError(t, err)
	s, err := shred.New(shred.ShredderConfig{Store: shred.NewMemoryStore(), KEK: kek, KEKID: "dev-1", Namespace: "app"})
	require.NoError(t, err)
	return s
}
