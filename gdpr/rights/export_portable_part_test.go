package rights_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr/rights"
)

// TestPortabilityExportsOnlyTheArt20Part: Art. 20(1)(a) covers data
// processed on consent or a contract. Of a source serving a contract
// purpose (account: names, e-mail, phone, addresses) and a
// legitimate-interests purpose (fraud: IP addresses), a
// portability export takes the shipping address, which the contract
// purpose declares, and leaves out the IP address, which only the
// legitimate-interests purpose declares; the manifest lists the contract
// purpose only. An access export (Art. 15) of the same source takes
// both; and where a contract purpose declares the IP too (orders), it is
// portable.
func TestPortabilityExportsOnlyTheArt20Part(t *testing.T) {
	ctx := context.Background()
	mixed := newMemSource("mixed", "account", "fraud")
	mixed.add("cust-1", &Order{Number: "o-1", Customer: "cust-1", Shipping: "Ockham Park", IP: "192.0.2.7"})
	both := newMemSource("both", "orders", "fraud")
	both.add("cust-1", &Order{Number: "o-2", Customer: "cust-1", Shipping: "St James's Square", IP: "192.0.2.8"})
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{mixed, both} })

	export := func(right rights.Right) (archive, rights.Manifest) {
		r := f.receive(t, rights.Request{Right: right, Subject: "cust-1"})
		var buf bytes.Buffer
		m, err := f.rights.Export(ctx, r.ID, &buf)
		require.NoError(t, err)
		return readArchive(t, buf.Bytes()), m
	}

	a, m := export(rights.RightPortability)
	rows := a.csv(t, "mixed/order.csv")
	assert.Equal(t, []string{"customer", "shipping"}, rows[0], "the IP serves legitimate interests only: not portable")
	assert.Contains(t, string(a.files["mixed/order.json"]), "Ockham Park")
	assertNotIn(t, a.files["mixed/order.json"], "192.0.2.7", "the IP address is left out")
	assertNotIn(t, a.files["mixed/order.csv"], "192.0.2.7", "the IP address is left out")
	assert.Equal(t, []string{"customer", "shipping", "ip"}, a.csv(t, "both/order.csv")[0], "a contract purpose declares the IP too")
	var ids []string
	for _, p := range m.Processing.Purposes {
		ids = append(ids, p.ID)
	}
	assert.ElementsMatch(t, []string{"account", "orders"}, ids, "the purposes of the exported part")

	a, _ = export(rights.RightAccess)
	assert.Contains(t, string(a.files["mixed/order.json"]), "192.0.2.7", "an access export takes all of it (Art. 15)")
}
