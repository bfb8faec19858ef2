package gdprhttp_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdprhttp"
	"github.com/gdprkit/gdprkit/internal/dbtest"
)

func TestConsents(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		cs := decode[gdprhttp.Consents](t, f.api(http.MethodGet, "/api/consents", "", subjectHeader, "ada"))
		require.Len(t, cs.Consents, 1)
		assert.Equal(t, "newsletter", cs.Consents[0].Purpose)
		assert.Equal(t, "2026-01", cs.Consents[0].Notice)
		assert.False(t, cs.Consents[0].Given)

		const ua = "Mozilla/5.0 (X11; Linux x86_64) TestBrowser/1.0"
		w := f.api(http.MethodPost, "/api/consents", `{"consents":{"newsletter":true}}`, subjectHeader, "ada", "User-Agent", ua)
		require.Equal(t, http.StatusOK, w.Code)
		cs = decode[gdprhttp.Consents](t, w)
		assert.True(t, cs.Consents[0].Given)
		_, err := f.kit.Guard().Allow(ctx, "ada", "newsletter")
		require.NoError(t, err)

		// Withdrawn through the page's form.
		w = f.form("/consents", url.Values{"shown": {"newsletter"}}, subjectHeader, "ada", "User-Agent", ua)
		require.Equal(t, http.StatusOK, w.Code)
		assert.Contains(t, w.Body.String(), `id="notice"`)
		assert.NotContains(t, w.Body.String(), `id="consent-newsletter" checked`)

		events, err := f.kit.Ledger().History(ctx, "ada", "newsletter")
		require.NoError(t, err)
		require.Len(t, events, 2)
		g, wd := events[0], events[1]
		assert.Equal(t, consent.Grant, g.Kind)
		assert.Equal(t, "2026-01", g.Notice, "the notice version shown")
		assert.Equal(t, consent.MethodForm, g.Method)
		assert.Equal(t, gdprhttp.DefaultSource, g.Source)
		assert.Equal(t, ua, g.Proof.UserAgent)
		assert.Equal(t, "192.0.2.1", g.Proof.IP)
		assert.Equal(t, "newsletter=yes", g.Proof.Artifact)
		assert.Equal(t, consent.Withdrawal, wd.Kind)
		assert.Equal(t, "newsletter=no", wd.Proof.Artifact)

		// The proof is sealed at rest.
		var n int
		require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM gdprkit_consent_events").Scan(&n))
		require.Equal(t, 2, n)
		assert.False(t, tableHolds(t, db, "gdprkit_consent_events", "TestBrowser"), "user agent in clear")
	})
}

// tableHolds reports whether any text of the table's rows holds s.
func tableHolds(t *testing.T, db *sql.DB, table, s string) bool {
	rows, err := db.Query("SELECT * FROM " + table)
	require.NoError(t, err)
	defer rows.Close()
	cols, err := rows.Columns()
	require.NoError(t, err)
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		require.NoError(t, rows.Scan(ptrs...))
		for _, v := range vals {
			switch v := v.(type) {
			case string:
				if strings.Contains(v, s) {
					return true
				}
			case []byte:
				if strings.Contains(string(v), s) {
					return true
				}
			}
		}
	}
	require.NoError(t, rows.Err())
	return false
}

func TestConsentFormRefusesUnshownPurpose(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	f := newFixture(t, db)
	w := f.form("/consents", url.Values{"granted": {"newsletter"}}, subjectHeader, "ada")
	assert.Equal(t, http.StatusUnprocessableEntity, w.Code)
	w = f.form("/consents", url.Values{"shown": {"newsletter"}, "granted": {"newsletter"}})
	assert.Equal(t, http.StatusUnauthorized, w.Code, "nobody signed in")
}
