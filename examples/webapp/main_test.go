package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdprhttp"
)

// clock is the test's clock, moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// visitor is a browser with its own cookies.
type visitor struct {
	t *testing.T
	c *http.Client
	u string
}

func newVisitor(t *testing.T, srv *httptest.Server) *visitor {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &visitor{t: t, c: &http.Client{Jar: jar}, u: srv.URL}
}

func (v *visitor) post(path string, form url.Values) string {
	resp, err := v.c.PostForm(v.u+path, form)
	require.NoError(v.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(v.t, err)
	require.Equal(v.t, http.StatusOK, resp.StatusCode, "POST %s", path)
	return string(b)
}

func (v *visitor) json(method, path, body string, out any) int {
	req, err := http.NewRequest(method, v.u+path, strings.NewReader(body))
	require.NoError(v.t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := v.c.Do(req)
	require.NoError(v.t, err)
	defer resp.Body.Close()
	if out != nil {
		require.NoError(v.t, json.NewDecoder(resp.Body).Decode(out))
	}
	return resp.StatusCode
}

func (v *visitor) get(path string) (*http.Response, []byte) {
	resp, err := v.c.Get(v.u + path)
	require.NoError(v.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(v.t, err)
	return resp, b
}

// mails returns the outbox's mails to an address.
func mails(a *app, to string) []Mail {
	var out []Mail
	for _, m := range a.outbox.list() {
		if m.To == to {
			out = append(out, m)
		}
	}
	return out
}

// code waits for the n-th mail to an address and returns the code in it.
func code(t *testing.T, a *app, to string, n int) string {
	re := regexp.MustCompile(`Your code is (\d{6})`)
	for {
		next := a.outbox.next()
		ms := mails(a, to)
		var codes []string
		for _, m := range ms {
			if c := re.FindStringSubmatch(m.Body); c != nil {
				codes = append(codes, c[1])
			}
		}
		if len(codes) >= n {
			return codes[n-1]
		}
		select {
		case <-next:
		case <-time.After(10 * time.Second):
			t.Fatal("no code mailed")
		}
	}
}

// request makes a privacy center request and enters its code.
func request(t *testing.T, a *app, v *visitor, right, email string, n int) gdprhttp.Status {
	var sub gdprhttp.Submitted
	require.Equal(t, http.StatusAccepted, v.json("POST", "/privacy/api/requests", `{"right":"`+right+`","email":"`+email+`"}`, &sub))
	var st gdprhttp.Status
	require.Equal(t, http.StatusOK, v.json("POST", "/privacy/api/requests/"+sub.Ticket+"/verify", `{"code":"`+code(t, a, email, n)+`"}`, &st))
	return st
}

func TestShop(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	a, err := open(context.Background(), t.TempDir(), clk.now)
	require.NoError(t, err)
	defer a.close()
	srv := httptest.NewServer(a.handler())
	defer srv.Close()

	// Ada signs up with consent, Bob without.
	ada, bob := newVisitor(t, srv), newVisitor(t, srv)
	assert.Contains(t, ada.post("/signup", url.Values{"email": {"ada@example.org"}, "newsletter": {"yes"}}), "You are signed up")
	assert.Contains(t, bob.post("/signup", url.Values{"email": {"bob@example.org"}}), "You are signed up")

	// The campaign honours consent through the Guard.
	assert.Contains(t, ada.post("/campaign", nil), "Newsletter sent to 1 subscribers.")
	require.Len(t, mails(a, "ada@example.org"), 1)
	assert.Empty(t, mails(a, "bob@example.org"))

	// Ada's consents, in the privacy center of her session.
	var cs gdprhttp.Consents
	require.Equal(t, http.StatusOK, ada.json("GET", "/privacy/api/consents", "", &cs))
	require.Len(t, cs.Consents, 1)
	assert.True(t, cs.Consents[0].Given)
	assert.Equal(t, notice, cs.Consents[0].Notice)

	// Ada's copy of her data.
	st := request(t, a, ada, "access", "ada@example.org", 1)
	require.NotNil(t, st.Download)
	resp, archive := ada.get("/privacy/" + st.Download.Path)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	require.NoError(t, err)
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	assert.Contains(t, names, "manifest.json")
	assert.Contains(t, strings.Join(names, " "), "subscribers/")

	// Ada unsubscribes through the link in the mail.
	link := regexp.MustCompile(`/unsubscribe\?t=(\S+)`).FindStringSubmatch(mails(a, "ada@example.org")[0].Body)
	require.Len(t, link, 2)
	_, page := ada.get("/unsubscribe?t=" + link[1])
	assert.Contains(t, string(page), `id="unsubscribe"`)
	assert.Contains(t, ada.post("/unsubscribe", url.Values{"t": {link[1]}}), "You are unsubscribed.")
	assert.Contains(t, ada.post("/campaign", nil), "Newsletter sent to 0 subscribers.")

	// Bob erases his data.
	st = request(t, a, bob, "erasure", "bob@example.org", 1)
	assert.Equal(t, "completed", st.State)
	id, err := subscribers{a}.lookup(context.Background(), "bob@example.org")
	require.NoError(t, err)
	assert.Empty(t, id, "Bob's row is gone")

	// Three years later the sweep erases Ada, inactive since.
	clk.add(3 * 365 * 24 * time.Hour)
	assert.Contains(t, ada.post("/sweep", nil), "Retention sweep: 1 subscribers erased.")
	id, err = subscribers{a}.lookup(context.Background(), "ada@example.org")
	require.NoError(t, err)
	assert.Empty(t, id, "Ada's row is gone")
	require.NoError(t, a.kit.Journal().Verify(context.Background()))
}

func TestRunPrintsURL(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, "127.0.0.1:0", pw); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err)
	u := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`).FindString(line)
	require.NotEmpty(t, u, "no URL printed")
	resp, err := http.Get(u + "privacy/")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	go io.Copy(io.Discard, pr)
	cancel()
	require.NoError(t, <-done)
}
