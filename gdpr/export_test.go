package gdpr_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/pii"
)

func ada() *Customer {
	return &Customer{ID: "cust-1", Name: "Ada Lovelace", Email: "ada@example.org", Phone: "+44 20 7946 0018",
		Address: &Address{Street: "12 St James's Square", City: "London"}, Score: "A+", Plan: "gold",
		Since: time.Date(2024, 5, 1, 8, 30, 0, 0, time.UTC)}
}

func exportFixture(t *testing.T) (*rightsFixture, *memSource, *memSource) {
	crm := newMemSource("crm", "account", "scoring")
	shop := newMemSource("shop", "orders", "fraud")
	crm.add("cust-1", ada())
	crm.add("cust-2", &Customer{ID: "cust-2", Name: "Bob", Email: "bob@example.org"})
	shop.add("cust-1",
		Order{Number: "o-1", Customer: "cust-1", Shipping: "12 St James's Square, London", IP: "192.0.2.7", Items: []string{"tea", "cups"}, Total: 4200},
		&Order{Number: "o-2", Customer: "cust-1", Shipping: "Ockham Park", IP: "2001:db8::7", Total: 990},
	)
	shop.info.Description = "collected when you order"
	f := newRightsFixture(t, func(c *gdpr.RightsConfig) { c.Sources = []gdpr.Source{crm, shop} })
	return f, crm, shop
}

func TestExportAccess(t *testing.T) {
	ctx := context.Background()
	f, _, _ := exportFixture(t)
	r := f.receive(t, gdpr.Request{Right: gdpr.RightAccess, Subject: "cust-1", Language: "de-AT"})
	var buf bytes.Buffer
	m, err := f.rights.Export(ctx, r.ID, &buf)
	require.NoError(t, err)
	a := readArchive(t, buf.Bytes())
	assert.Equal(t, m.Files, a.manifest.Files, "the returned manifest is the archive's")

	paths := make([]string, 0, len(a.manifest.Files))
	for _, file := range a.manifest.Files {
		paths = append(paths, file.Path)
		content, ok := a.files[file.Path]
		require.True(t, ok, "%s listed but missing", file.Path)
		sum := sha256.Sum256(content)
		assert.Equal(t, hex.EncodeToString(sum[:]), file.SHA256, "%s: SHA-256", file.Path)
		assert.EqualValues(t, len(content), file.Size, "%s: size", file.Path)
	}
	assert.Equal(t, []string{"crm/customer.json", "crm/customer.csv", "shop/order.json", "shop/order.csv", gdpr.ReadmeName}, paths)
	assert.Equal(t, append(paths, gdpr.ManifestName), a.order, "the manifest comes last")

	var got []labelled
	for _, p := range []string{"crm/customer.json", "shop/order.json"} {
		d := a.json(t, p)
		for _, rec := range d.Records {
			labels(rec, &got)
		}
	}
	want := []labelled{
		{"cust-1", string(pii.UniqueID)}, {"Ada Lovelace", string(pii.Name)}, {"ada@example.org", string(pii.Email)},
		{"+44 20 7946 0018", string(pii.Phone)}, {"12 St James's Square", string(pii.Address)}, {"London", string(pii.City)},
		{"A+", string(pii.Observational)},
		{"cust-1", string(pii.UniqueID)}, {"12 St James's Square, London", string(pii.Address)}, {"192.0.2.7", string(pii.IPAddress)},
		{"cust-1", string(pii.UniqueID)}, {"Ockham Park", string(pii.Address)}, {"2001:db8::7", string(pii.IPAddress)},
	}
	assert.ElementsMatch(t, want, got)
	assertAgree(t, a, "crm/customer")
	assertAgree(t, a, "shop/order")
	assert.NotContains(t, string(a.files["crm/customer.json"]), "bob", "another customer's record stays out")

	readme := string(a.files[gdpr.ReadmeName])
	assert.Contains(t, readme, "Kopie Ihrer personenbezogenen Daten")
	assert.Contains(t, readme, "shop/order.json: 2 Datensätze aus shop (collected when you order)")
	assert.Equal(t, "de", a.manifest.Language)

	p := a.manifest.Processing
	var ids []string
	for _, pu := range p.Purposes {
		ids = append(ids, pu.ID)
	}
	assert.Equal(t, []string{"account", "scoring", "orders", "fraud"}, ids)
	assert.Equal(t, []string{"scoring"}, p.AutomatedDecisions)
	require.Len(t, p.Recipients, 1)
	assert.Equal(t, gdpr.StandardClauses, p.Recipients[0].Safeguard)
	assert.Equal(t, "P10Y", p.Purposes[2].Retention)
	assert.Equal(t, "Art. 6(1)(f) legitimate interests", p.Purposes[3].BasisArticle)
	assert.Equal(t, "provided by you at sign-up", a.manifest.Sources[0].Description)
	assert.Equal(t, "DPO Office", a.manifest.DPO.Name)

	done, err := f.rights.Request(ctx, r.ID)
	require.NoError(t, err)
	assert.Equal(t, gdpr.RequestCompleted, done.State)
	st, ok := done.Source("shop")
	require.True(t, ok)
	assert.Equal(t, 2, st.Records)
	assert.Equal(t, gdpr.StepDone, st.State)
}

func TestExportCSVHoldsTheJSON(t *testing.T) {
	f, _, _ := exportFixture(t)
	r := f.receive(t, gdpr.Request{Right: gdpr.RightAccess, Subject: "cust-1"})
	var buf bytes.Buffer
	_, err := f.rights.Export(context.Background(), r.ID, &buf)
	require.NoError(t, err)
	a := readArchive(t, buf.Bytes())
	rows := a.csv(t, "crm/customer.csv")
	assert.Equal(t, []string{"id", "name", "email", "phone", "address.street", "address.city", "score", "plan", "Since"}, rows[0])
	assert.Equal(t, []string{"cust-1", "Ada Lovelace", "ada@example.org", "+44 20 7946 0018", "12 St James's Square", "London", "A+", "gold", "2024-05-01T08:30:00Z"}, rows[1])
	orders := a.csv(t, "shop/order.csv")
	assert.Equal(t, `["tea","cups"]`, orders[1][4])
	assert.Equal(t, "", orders[2][4], "a nil slice is null, an empty cell")
	assert.True(t, strings.HasPrefix(string(a.files["shop/order.json"]), `{"source":"shop","type":"order","records":[`))
}
