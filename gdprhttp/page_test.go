package gdprhttp_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/internal/dbtest"
)

func TestPageLanguages(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	f := newFixture(t, db)
	for header, want := range map[string]string{
		"":                           "Privacy center",
		"de-CH,de;q=0.9,en;q=0.8":    "Datenschutz-Center",
		"fr-FR":                      "Espace confidentialité",
		"ja":                         "Privacy center",
		"en-GB;q=0.2,de;q=0.9":       "Datenschutz-Center",
		"de;q=oops,,;;==\x7f":        "Privacy center",
		strings.Repeat("de-,", 5000): "Privacy center",
	} {
		r := httptestRequest(http.MethodGet, "/privacy/", "")
		r.Header.Set("Accept-Language", header)
		w := f.do(r)
		require.Equal(t, http.StatusOK, w.Code, "Accept-Language %.20q", header)
		assert.Contains(t, w.Body.String(), "<h1>"+want+"</h1>", "Accept-Language %.20q", header)
	}
}

func TestPageIsSelfContainedAndLabelled(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	f := newFixture(t, db)
	r := httptestRequest(http.MethodGet, "/privacy/", "")
	r.Header.Set(subjectHeader, "ada")
	w := f.do(r)
	require.Equal(t, http.StatusOK, w.Code)
	page := w.Body.String()
	assert.Contains(t, w.Header().Get("Content-Security-Policy"), "default-src 'none'")
	assert.NotRegexp(t, `(src|href|action)="(https?:)?//`, page, "no request to another site")
	assert.NotContains(t, page, "<script")
	assert.Contains(t, page, `href="/privacy/assets/style.css"`, "links follow the mount point")

	// Every visible control has a label.
	ids := regexp.MustCompile(`<(?:input|select) type="(?:email|text|radio|checkbox)"[^>]*id="([^"]+)"|<select id="([^"]+)"`).FindAllStringSubmatch(page, -1)
	require.NotEmpty(t, ids)
	for _, m := range ids {
		id := m[1] + m[2]
		labelled := strings.Contains(page, `<label for="`+id+`"`) || regexp.MustCompile(`<label><input[^>]*id="`+regexp.QuoteMeta(id)+`"`).MatchString(page)
		assert.True(t, labelled, "control %s has no label", id)
	}

	css := f.do(httptestRequest(http.MethodGet, "/privacy/assets/style.css", ""))
	assert.Equal(t, http.StatusOK, css.Code)
	assert.Equal(t, "text/css; charset=utf-8", css.Header().Get("Content-Type"))
}

func TestPageFlow(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	f := newFixture(t, db)
	w := f.form("/request", url.Values{"right": {"erasure"}, "email": {adaEmail}}, "Accept-Language", "de")
	require.Equal(t, http.StatusOK, w.Code)
	ticket := regexp.MustCompile(`name="ticket" value="([^"]+)"`).FindStringSubmatch(w.Body.String())
	require.Len(t, ticket, 2, "the page asks for the code")

	w = f.form("/verify", url.Values{"ticket": {ticket[1]}, "code": {"x"}}, "Accept-Language", "de")
	assert.Equal(t, http.StatusUnprocessableEntity, w.Code)
	assert.Contains(t, w.Body.String(), "Der Code ist falsch. Verbleibende Versuche: 4.")
	assert.Contains(t, w.Body.String(), `name="code"`, "asked again")

	w = f.form("/verify", url.Values{"ticket": {ticket[1]}, "code": {f.code(adaEmail, 1)}})
	require.Equal(t, http.StatusOK, w.Code)
	assert.Contains(t, w.Body.String(), `id="erased"`)

	w = f.do(httptestRequest(http.MethodGet, "/privacy/status/"+ticket[1], ""))
	require.Equal(t, http.StatusOK, w.Code)
	assert.Contains(t, w.Body.String(), `data-state="completed"`)
	assert.Contains(t, w.Body.String(), "Completed on")

	w = f.do(httptestRequest(http.MethodGet, "/privacy/status/web-nope", ""))
	assert.Equal(t, http.StatusNotFound, w.Code)

	r := httptestRequest(http.MethodPost, "/privacy/request", `{"right":"access"}`)
	r.Header.Set("Content-Type", "application/json")
	assert.Equal(t, http.StatusUnsupportedMediaType, f.do(r).Code, "forms are url-encoded")
}
