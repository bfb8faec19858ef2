package gdprhttp_test

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/internal/dbtest"
)

// browserPath finds a Chromium or Chrome to drive.
func browserPath() string {
	if p := os.Getenv("GDPRKIT_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestBrowser drives the privacy center in headless Chromium: a request
// for a copy of one's data, its code, the download, a consent changed, an
// erasure. Screenshots of each step go to $GDPRKIT_SCREENSHOTS, or to the
// test's temporary directory.
func TestBrowser(t *testing.T) {
	exe := browserPath()
	if exe == "" {
		t.Skip("no Chromium found (install Debian's chromium package, or set GDPRKIT_CHROMIUM): the browser test needs one; .ci/run installs it")
	}
	shots := os.Getenv("GDPRKIT_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	require.NoError(t, os.MkdirAll(shots, 0o755))
	downloads := t.TempDir()

	db, _ := dbtest.SQLite(t)
	f := newFixture(t, db)
	srv := httptest.NewServer(f.root)
	defer srv.Close()

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.WindowSize(1000, 1400))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	require.NoError(t, chromedp.Do(ctx), "starting Chromium")
	step, cancelSteps := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelSteps()

	done := make(chan string, 1)
	require.NoError(t, chromedp.ListenBrowser(ctx, func(ev any) {
		if e, ok := ev.(*browser.EventDownloadProgress); ok && e.State == browser.DownloadProgressStateCompleted {
			select {
			case done <- e.GUID:
			default:
			}
		}
	}))
	_, err := chromedp.CallBrowser(step, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: downloads, EventsEnabled: new(true)})
	require.NoError(t, err)
	// The shop's session: the fixture's Subject reads this header.
	_, err = chromedp.Call(step, network.Enable, network.EnableParams{})
	require.NoError(t, err)
	_, err = chromedp.Call(step, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{subjectHeader: "ada"}})
	require.NoError(t, err)

	n := 0
	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(step, chromedp.FullScreenshot(100))
		require.NoError(t, err)
		n++
		require.NoError(t, os.WriteFile(filepath.Join(shots, filepath.Base(shotName(n, name))), png, 0o644))
	}
	request := func(right string) {
		t.Helper()
		require.NoError(t, chromedp.Do(step,
			chromedp.Navigate(srv.URL+"/privacy/"),
			chromedp.WaitVisible("#email"),
			chromedp.Click("#right-"+right),
			chromedp.SendKeys("#email", adaEmail),
			chromedp.Click("#send"),
			chromedp.WaitVisible("#code"),
		), "requesting %s", right)
	}
	enterCode := func(nth int, wait string) {
		t.Helper()
		require.NoError(t, chromedp.Do(step,
			chromedp.SendKeys("#code", f.code(adaEmail, nth)),
			chromedp.Click("#confirm"),
			chromedp.WaitVisible(wait),
		), "entering the code")
	}

	// 1. The page; 2. a request for a copy; 3. the code entered.
	require.NoError(t, chromedp.Do(step, chromedp.Navigate(srv.URL+"/privacy/"), chromedp.WaitVisible("#send")))
	shot("page")
	request("access")
	shot("code-asked")
	enterCode(1, "#download")
	shot("export-ready")

	// 4. The download: a whole ZIP with its manifest.
	require.NoError(t, chromedp.Do(step, chromedp.Click("#download")))
	var guid string
	select {
	case guid = <-done:
	case <-step.Done():
		t.Fatal("the download did not complete")
	}
	archive, err := os.ReadFile(filepath.Join(downloads, guid))
	require.NoError(t, err)
	files := zipFiles(t, archive)
	assert.Contains(t, files, rights.ManifestName)
	assert.Contains(t, string(files[rights.ManifestName]), `"right": "access"`)

	// 5. A consent given.
	require.NoError(t, chromedp.Do(step,
		chromedp.Navigate(srv.URL+"/privacy/"),
		chromedp.WaitVisible("#consent-newsletter"),
		chromedp.Click("#consent-newsletter"),
		chromedp.Click("#save"),
		chromedp.WaitVisible("#notice"),
	))
	shot("consent-saved")
	st, err := f.kit.Ledger().Status(context.Background(), "ada", "newsletter", time.Time{})
	require.NoError(t, err)
	assert.True(t, st.Given(), "the consent is recorded")

	// 6. An erasure, confirmed.
	request("erasure")
	enterCode(2, "#erased")
	shot("erased")
	assert.False(t, f.shop.has(t, "ada"), "the row is erased")
	t.Logf("screenshots in %s", shots)
}

func shotName(n int, name string) string {
	return string(rune('0'+n/10)) + string(rune('0'+n%10)) + "-" + name + ".png"
}
