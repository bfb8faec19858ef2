package gdprhttp_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/gdprhttp"
	"github.com/gdprkit/gdprkit/internal/dbtest"
)

func TestAccessRequest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		f := newFixture(t, db)
		ticket := f.submit(`{"right":"access","email":"Ada@Example.org"}`)

		st := decode[gdprhttp.Status](t, f.api(http.MethodGet, "/api/requests/"+ticket, ""))
		assert.Equal(t, "unverified", st.State)

		w := f.api(http.MethodPost, "/api/requests/"+ticket+"/verify", `{"code":"`+f.code(adaEmail, 1)+`"}`)
		require.Equal(t, http.StatusOK, w.Code, "verify")
		st = decode[gdprhttp.Status](t, w)
		assert.Equal(t, "completed", st.State)
		require.NotNil(t, st.Download)
		assert.True(t, strings.HasPrefix(st.Download.Path, "download/"))

		// The export: whole, with its length and name, once; a HEAD
		// request (a link checker) leaves the link unused.
		assert.Equal(t, http.StatusOK, f.api(http.MethodHead, "/"+st.Download.Path, "").Code)
		w = f.api(http.MethodGet, "/"+st.Download.Path, "")
		require.Equal(t, http.StatusOK, w.Code, "download")
		assert.Equal(t, "application/zip", w.Header().Get("Content-Type"))
		assert.Equal(t, strconv.Itoa(w.Body.Len()), w.Header().Get("Content-Length"))
		assert.Equal(t, `attachment; filename="personal-data-2026-03-01.zip"`, w.Header().Get("Content-Disposition"))
		files := zipFiles(t, w.Body.Bytes())
		assert.Contains(t, files, rights.ManifestName)
		assert.Contains(t, string(files[rights.ManifestName]), ticket)

		again := f.api(http.MethodGet, "/"+st.Download.Path, "")
		assert.Equal(t, http.StatusGone, again.Code, "a link works once")
		st = decode[gdprhttp.Status](t, f.api(http.MethodGet, "/api/requests/"+ticket, ""))
		assert.False(t, st.Exportable, "the export was downloaded")
		problem(t, f.api(http.MethodPost, "/api/requests/"+ticket+"/link", `{}`), http.StatusGone)
	})
}

func TestExportSpooledFirst(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	f := newFixture(t, db)
	f.failing = true
	ticket := f.submit(`{"right":"portability","email":"ada@example.org"}`)
	w := f.api(http.MethodPost, "/api/requests/"+ticket+"/verify", `{"code":"`+f.code(adaEmail, 1)+`"}`)
	require.Equal(t, http.StatusOK, w.Code)
	st := decode[gdprhttp.Status](t, w)
	assert.Nil(t, st.Download, "a failed export has no link")
	assert.Equal(t, "in-progress", st.State)
	assert.True(t, st.Exportable)

	f.failing = false
	w = f.api(http.MethodPost, "/api/requests/"+ticket+"/link", `{}`)
	require.Equal(t, http.StatusOK, w.Code)
	st = decode[gdprhttp.Status](t, w)
	require.NotNil(t, st.Download)

	// A link expires; the export waits for a new one until the spool does.
	f.clk.Add(gdprhttp.DefaultLinkTTL + time.Second)
	assert.Equal(t, http.StatusGone, f.api(http.MethodGet, "/"+st.Download.Path, "").Code)
	st = decode[gdprhttp.Status](t, f.api(http.MethodPost, "/api/requests/"+ticket+"/link", `{}`))
	require.NotNil(t, st.Download)
	w = f.api(http.MethodGet, "/"+st.Download.Path, "")
	require.Equal(t, http.StatusOK, w.Code)
	assert.Contains(t, zipFiles(t, w.Body.Bytes()), rights.ManifestName)

	// An export not downloaded in time is gone.
	ticket = f.submit(`{"right":"access","email":"ada@example.org"}`)
	st = decode[gdprhttp.Status](t, f.api(http.MethodPost, "/api/requests/"+ticket+"/verify", `{"code":"`+f.code(adaEmail, 2)+`"}`))
	require.NotNil(t, st.Download)
	f.clk.Add(gdprhttp.DefaultSpoolTTL + time.Second)
	assert.Equal(t, http.StatusGone, f.api(http.MethodGet, "/"+st.Download.Path, "").Code)
	problem(t, f.api(http.MethodPost, "/api/requests/"+ticket+"/link", `{}`), http.StatusGone)
}

func TestUnknownAddressSameShape(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	f := newFixture(t, db)
	unknown := f.api(http.MethodPost, "/api/requests", `{"right":"access","email":"nobody@example.org"}`)
	known := f.api(http.MethodPost, "/api/requests", `{"right":"access","email":"ada@example.org"}`)
	require.Equal(t, known.Code, unknown.Code)
	assert.Equal(t, http.StatusAccepted, unknown.Code)
	assert.Equal(t, shape(known.Body.String()), shape(unknown.Body.String()))
	f.code(adaEmail, 1)
	assert.Len(t, f.sender.Messages(), 1, "no code goes to an unknown address")

	u := decode[gdprhttp.Submitted](t, unknown).Ticket
	k := decode[gdprhttp.Submitted](t, known).Ticket
	assert.Equal(t, shape(f.api(http.MethodGet, "/api/requests/"+k, "").Body.String()),
		shape(f.api(http.MethodGet, "/api/requests/"+u, "").Body.String()))
	pu := problem(t, f.api(http.MethodPost, "/api/requests/"+u+"/verify", `{"code":"000000"}`), http.StatusUnprocessableEntity)
	pk := problem(t, f.api(http.MethodPost, "/api/requests/"+k+"/verify", `{"code":"abcdef"}`), http.StatusUnprocessableEntity)
	assert.Equal(t, pk, pu)
	// Even the code of another request does not open it.
	problem(t, f.api(http.MethodPost, "/api/requests/"+u+"/verify", `{"code":"`+f.code(adaEmail, 1)+`"}`), http.StatusUnprocessableEntity)
}

// shape replaces the values of a JSON text's strings, keeping its keys.
func shape(s string) string {
	var out strings.Builder
	in, key := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' && !in:
			in, key = true, strings.HasPrefix(strings.TrimLeft(s[i+1:], "abcdefghijklmnopqrstuvwxyz_"), `":`)
			out.WriteByte(c)
		case c == '"' && in:
			in = false
			out.WriteByte(c)
		case in && !key:
		default:
			out.WriteByte(c)
		}
	}
	return out.String()
}

func TestWrongCodesLock(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	f := newFixture(t, db, func(c *gdprhttp.Config) { c.RateSubject = gdprhttp.Rate{Burst: 100, Every: time.Second} })
	ticket := f.submit(`{"right":"access","email":"ada@example.org"}`)
	code := f.code(adaEmail, 1)
	wrong := fmt.Sprintf("%06d", (mustAtoi(t, code)+1)%1_000_000)
	for left := gdprhttp.DefaultCodeAttempts - 1; left >= 0; left-- {
		p := problem(t, f.api(http.MethodPost, "/api/requests/"+ticket+"/verify", `{"code":"`+wrong+`"}`), http.StatusUnprocessableEntity)
		assert.Equal(t, "wrong-code", p.Code)
		require.NotNil(t, p.AttemptsLeft)
		assert.Equal(t, left, *p.AttemptsLeft)
	}
	p := problem(t, f.api(http.MethodPost, "/api/requests/"+ticket+"/verify", `{"code":"`+code+`"}`), http.StatusForbidden)
	assert.Equal(t, "attempts-exhausted", p.Code, "past the limit even the right code fails")
	_, err := f.kit.Desk().Request(context.Background(), ticket)
	assert.ErrorIs(t, err, rights.ErrUnknownRequest)
}

func mustAtoi(t *testing.T, s string) int {
	n, err := strconv.Atoi(s)
	require.NoError(t, err)
	return n
}

func TestExpiredAndReplayedCodes(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	f := newFixture(t, db)
	ticket := f.submit(`{"right":"access","email":"ada@example.org"}`)
	code := f.code(adaEmail, 1)
	f.clk.Add(gdprhttp.DefaultCodeTTL + time.Second)
	assert.Equal(t, "code-expired", problem(t, f.api(http.MethodPost, "/api/requests/"+ticket+"/verify", `{"code":"`+code+`"}`), http.StatusGone).Code)

	ticket = f.submit(`{"right":"access","email":"ada@example.org"}`)
	code = f.code(adaEmail, 2)
	require.Equal(t, http.StatusOK, f.api(http.MethodPost, "/api/requests/"+ticket+"/verify", `{"code":"`+code+`"}`).Code)
	assert.Equal(t, "code-used", problem(t, f.api(http.MethodPost, "/api/requests/"+ticket+"/verify", `{"code":"`+code+`"}`), http.StatusConflict).Code)

	assert.Equal(t, "unknown-ticket", problem(t, f.api(http.MethodPost, "/api/requests/web-aaaaaaaaaaaaaaaaaaaaaaaaaa/verify", `{"code":"123456"}`), http.StatusNotFound).Code)
	assert.Equal(t, "unknown-ticket", problem(t, f.api(http.MethodGet, "/api/requests/req-1", ""), http.StatusNotFound).Code)
}

func TestErasureObjectionRestriction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		ticket := f.submit(`{"right":"objection","email":"ada@example.org","purpose":"ads"}`)
		st := decode[gdprhttp.Status](t, f.api(http.MethodPost, "/api/requests/"+ticket+"/verify", `{"code":"`+f.code(adaEmail, 1)+`"}`))
		assert.Equal(t, "completed", st.State)
		_, err := f.kit.Guard().Allow(ctx, "ada", "ads")
		assert.ErrorIs(t, err, gdpr.ErrObjected)

		ticket = f.submit(`{"right":"restriction","email":"ada@example.org","ground":"accuracy"}`)
		st = decode[gdprhttp.Status](t, f.api(http.MethodPost, "/api/requests/"+ticket+"/verify", `{"code":"`+f.code(adaEmail, 2)+`"}`))
		assert.Equal(t, "completed", st.State)
		_, err = f.kit.Guard().Allow(ctx, "ada", "orders")
		assert.ErrorIs(t, err, gdpr.ErrRestricted)

		ticket = f.submit(`{"right":"erasure","email":"ada@example.org"}`)
		st = decode[gdprhttp.Status](t, f.api(http.MethodPost, "/api/requests/"+ticket+"/verify", `{"code":"`+f.code(adaEmail, 3)+`"}`))
		assert.Equal(t, "completed", st.State)
		assert.False(t, f.shop.has(t, "ada"), "the source erased the row")
	})
}

func TestBadInput(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	f := newFixture(t, db)
	ticket := f.submit(`{"right":"access","email":"ada@example.org"}`)
	big := `{"right":"access","email":"` + strings.Repeat("a", gdprhttp.DefaultMaxBody) + `@example.org"}`
	for _, c := range []struct {
		name, method, path, ctype, body string
		status                          int
		code                            string
	}{
		{"oversized", "POST", "/api/requests", "application/json", big, 413, "body-too-large"},
		{"no content type", "POST", "/api/requests", "", `{"right":"access"}`, 415, "unsupported-media-type"},
		{"form to the API", "POST", "/api/requests", "application/x-www-form-urlencoded", "right=access", 415, "unsupported-media-type"},
		{"text/plain", "POST", "/api/requests/" + ticket + "/verify", "text/plain", `{"code":"1"}`, 415, "unsupported-media-type"},
		{"other charset", "POST", "/api/requests", "application/json; charset=latin1", `{}`, 415, "unsupported-media-type"},
		{"not JSON", "POST", "/api/requests", "application/json", `right=access`, 400, "bad-request"},
		{"unknown field", "POST", "/api/requests", "application/json", `{"right":"access","email":"a@b.c","subject":"ada"}`, 400, "bad-request"},
		{"two objects", "POST", "/api/requests", "application/json", `{"right":"access"}{}`, 400, "bad-request"},
		{"unknown right", "POST", "/api/requests", "application/json", `{"right":"review","email":"a@b.c"}`, 422, "invalid"},
		{"bad address", "POST", "/api/requests", "application/json", `{"right":"access","email":"ada"}`, 422, "invalid"},
		{"named address", "POST", "/api/requests", "application/json", `{"right":"access","email":"Ada <ada@example.org>"}`, 422, "invalid"},
		{"objection, no purpose", "POST", "/api/requests", "application/json", `{"right":"objection","email":"a@b.c"}`, 422, "invalid"},
		{"objection to consent", "POST", "/api/requests", "application/json", `{"right":"objection","email":"a@b.c","purpose":"orders"}`, 422, "invalid"},
		{"restriction, bad ground", "POST", "/api/requests", "application/json", `{"right":"restriction","email":"a@b.c","ground":"x"}`, 422, "invalid"},
		{"access with purpose", "POST", "/api/requests", "application/json", `{"right":"access","email":"a@b.c","purpose":"ads"}`, 422, "invalid"},
		{"bad ticket", "GET", "/api/requests/..%2f..%2fetc", "", "", 404, ""},
		{"consents, no subject", "GET", "/api/consents", "", "", 401, "no-subject"},
		{"consents change, no subject", "POST", "/api/consents", "application/json", `{"consents":{"newsletter":true}}`, 401, "no-subject"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptestRequest(c.method, "/privacy"+c.path, c.body)
			if c.ctype != "" {
				r.Header.Set("Content-Type", c.ctype)
			}
			w := f.do(r)
			if c.code == "" {
				assert.Equal(t, c.status, w.Code)
				return
			}
			assert.Equal(t, c.code, problem(t, w, c.status).Code)
		})
	}
}

func TestOversizedForm(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	f := newFixture(t, db)
	w := f.form("/request", url.Values{"right": {"access"}, "email": {strings.Repeat("a", gdprhttp.DefaultMaxBody) + "@example.org"}})
	assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code)
	assert.Contains(t, w.Body.String(), `data-code="body-too-large"`)
	r := httptestRequest(http.MethodPost, "/privacy/consents", "--x\r\n")
	r.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	assert.Equal(t, http.StatusUnsupportedMediaType, f.do(r).Code, "forms are url-encoded")
	assert.Empty(t, f.sender.Messages())
}

func TestConsentChangeUnknownPurpose(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	f := newFixture(t, db)
	p := problem(t, f.api(http.MethodPost, "/api/consents", `{"consents":{"ads":true}}`, subjectHeader, "ada"), http.StatusUnprocessableEntity)
	assert.Equal(t, "invalid", p.Code, "ads rests on legitimate interests, not consent")
}

func TestCSRF(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	f := newFixture(t, db)
	body := url.Values{"right": {"access"}, "email": {adaEmail}}

	post := func(mod func(*http.Request)) int {
		r := httptestRequest(http.MethodPost, "/privacy/request", body.Encode())
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		mod(r)
		return f.do(r).Code
	}
	assert.Equal(t, http.StatusForbidden, post(func(r *http.Request) {}), "no token")
	assert.Equal(t, http.StatusForbidden, post(func(r *http.Request) {
		r.AddCookie(&http.Cookie{Name: "gdprhttp_csrf", Value: csrf})
	}), "cookie without the field")
	bad := url.Values{"right": {"access"}, "email": {adaEmail}, "csrf": {strings.Repeat("x", 43)}}
	r := httptestRequest(http.MethodPost, "/privacy/request", bad.Encode())
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.AddCookie(&http.Cookie{Name: "gdprhttp_csrf", Value: csrf})
	assert.Equal(t, http.StatusForbidden, f.do(r).Code, "a field unlike the cookie")

	// Cross-site requests are refused, forms and API alike.
	assert.Equal(t, http.StatusForbidden, f.form("/request", body, "Sec-Fetch-Site", "cross-site").Code)
	assert.Equal(t, "csrf", problem(t, f.api(http.MethodPost, "/api/requests", `{"right":"access","email":"ada@example.org"}`,
		"Origin", "https://evil.example"), http.StatusForbidden).Code)
	assert.Empty(t, f.sender.Messages())

	// The page hands out the token; the form then goes through.
	assert.Equal(t, http.StatusOK, f.form("/request", body, "Sec-Fetch-Site", "same-origin").Code)
	page := f.do(httptestRequest(http.MethodGet, "/privacy/", ""))
	assert.NotEmpty(t, page.Result().Cookies(), "the page sets the CSRF cookie")
}

func TestRateLimits(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	f := newFixture(t, db, func(c *gdprhttp.Config) {
		c.RateIP = gdprhttp.Rate{Burst: 3, Every: time.Minute}
		c.RateSubject = gdprhttp.Rate{Burst: 1, Every: time.Hour}
	})
	f.submit(`{"right":"access","email":"ada@example.org"}`)
	p := problem(t, f.api(http.MethodPost, "/api/requests", `{"right":"access","email":"ADA@example.org"}`), http.StatusTooManyRequests)
	assert.Equal(t, "rate-limited", p.Code, "per address")
	assert.Positive(t, p.RetryAfter)
	f.submit(`{"right":"access","email":"bob@example.org"}`)
	w := f.api(http.MethodGet, "/api/requests/web-aaaaaaaaaaaaaaaaaaaaaaaaaa", "")
	assert.Equal(t, http.StatusTooManyRequests, w.Code, "per IP")
	assert.Equal(t, "60", w.Header().Get("Retry-After"))

	r := httptestRequest(http.MethodGet, "/privacy/", "")
	r.RemoteAddr = "192.0.2.7:1234"
	assert.Equal(t, http.StatusOK, f.do(r).Code, "another IP")
	f.clk.Add(time.Minute)
	assert.Equal(t, http.StatusNotFound, f.api(http.MethodGet, "/api/requests/web-aaaaaaaaaaaaaaaaaaaaaaaaaa", "").Code, "a token back")
}

func TestCodeAttemptsRateLimitedPerTicket(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	f := newFixture(t, db, func(c *gdprhttp.Config) {
		c.CodeAttempts = 100
		c.RateSubject = gdprhttp.Rate{Burst: 2, Every: time.Hour}
	})
	ticket := f.submit(`{"right":"access","email":"ada@example.org"}`)
	for range 2 {
		problem(t, f.api(http.MethodPost, "/api/requests/"+ticket+"/verify", `{"code":"x"}`), http.StatusUnprocessableEntity)
	}
	problem(t, f.api(http.MethodPost, "/api/requests/"+ticket+"/verify", `{"code":"x"}`), http.StatusTooManyRequests)
}

func TestNoPersonalDataInLogs(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	f := newFixture(t, db, func(c *gdprhttp.Config) {
		c.Lookup = func(ctx context.Context, address string) (string, error) {
			return "", errors.New("lookup of " + address + " failed")
		}
	})
	p := problem(t, f.api(http.MethodPost, "/api/requests", `{"right":"access","email":"grace@example.org"}`), http.StatusInternalServerError)
	assert.NotContains(t, p.Detail+p.Title, "grace")
	require.NotZero(t, f.logs.Len())
	assert.NotContains(t, f.logs.String(), "grace@example.org")
}

func TestVerifier(t *testing.T) {
	ctx := context.Background()
	yes := rights.VerifierFunc(func(context.Context, rights.Request) (bool, error) { return true, nil })
	ok, err := gdprhttp.Verifier(yes).Verify(ctx, rights.Request{ID: "req-1", Subject: "ada"})
	require.NoError(t, err)
	assert.True(t, ok, "other requests go to the next Verifier")
	ok, err = gdprhttp.Verifier(yes).Verify(ctx, rights.Request{ID: gdprhttp.TicketPrefix + "x", Subject: "ada"})
	require.NoError(t, err)
	assert.False(t, ok, "a ticket is verified by its code only")
	ok, err = gdprhttp.Verifier(nil).Verify(ctx, rights.Request{ID: "req-1", Subject: "ada"})
	require.NoError(t, err)
	assert.False(t, ok)
}

func TestNewConfig(t *testing.T) {
	_, err := gdprhttp.New(context.Background(), gdprhttp.Config{})
	assert.ErrorIs(t, err, gdprhttp.ErrInvalidConfig)
	db, _ := dbtest.SQLite(t)
	f := newFixture(t, db)
	for name, edit := range map[string]func(*gdprhttp.Config){
		"no sender":       func(c *gdprhttp.Config) { c.Sender = nil },
		"no DB":           func(c *gdprhttp.Config) { c.DB = nil },
		"no lookup":       func(c *gdprhttp.Config) { c.Lookup = nil },
		"review":          func(c *gdprhttp.Config) { c.Rights = []rights.Right{rights.RightReview} },
		"GPC on contract": func(c *gdprhttp.Config) { c.GPCPurposes = []string{"orders"} },
		"GPC unknown":     func(c *gdprhttp.Config) { c.GPCPurposes = []string{"nope"} },
	} {
		cfg := gdprhttp.Config{Kit: f.kit, DB: db, Sender: f.sender, Lookup: f.shop.lookup}
		edit(&cfg)
		_, err := gdprhttp.New(context.Background(), cfg)
		assert.ErrorIs(t, err, gdprhttp.ErrInvalidConfig, name)
	}
}

// blockingSender holds every code until released, as a slow mail server
// would.
type blockingSender struct {
	release chan struct{}
	got     chan gdprhttp.CodeMessage
}

func (s blockingSender) SendCode(ctx context.Context, m gdprhttp.CodeMessage) error {
	select {
	case <-s.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	s.got <- m
	return nil
}

// TestSendingDoesNotDelayTheAnswer: the answer to a known address does not
// wait for the code to be sent, so its timing is that of an unknown one.
func TestSendingDoesNotDelayTheAnswer(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	s := blockingSender{release: make(chan struct{}), got: make(chan gdprhttp.CodeMessage, 1)}
	f := newFixture(t, db, func(c *gdprhttp.Config) { c.Sender = s })
	ticket := f.submit(`{"right":"access","email":"ada@example.org"}`) // returns while the sender blocks
	close(s.release)
	m := <-s.got
	assert.Equal(t, adaEmail, m.Address)
	assert.Equal(t, rights.RightAccess, m.Right)
	assert.Len(t, m.Code, 6)
	w := f.api(http.MethodPost, "/api/requests/"+ticket+"/verify", `{"code":"`+m.Code+`"}`)
	assert.Equal(t, http.StatusOK, w.Code)
}
