package gdprhttp_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdprhttp"
	"github.com/gdprkit/gdprkit/internal/dbtest"
)

// specTC is the example TC string of the TCF v2.3 specification: vendor 2
// has consent.
const specTC = "CQSbk4AQSbk4ANwAAAENAwCgAAAAAAAAAAYgACPAAAAA.IDKQA4AAgAKAGQAygAAA.YAAAAAAAAAAA"

// seen is what a handler behind the middleware saw.
type seen struct {
	subject string
	tcf     bool
	vendor2 bool
	gpc     bool
}

func behind(f *fixture, h *gdprhttp.Handler) (http.Handler, *seen) {
	s := &seen{}
	return h.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.subject, _ = gdprhttp.SubjectFrom(r.Context())
		tc, ok := gdprhttp.TCF(r.Context())
		s.tcf, s.vendor2 = ok, ok && tc.VendorConsent(2)
		s.gpc = gdprhttp.GPC(r.Context())
	})), s
}

func TestTCFMiddleware(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	f := newFixture(t, db)
	mw, s := behind(f, f.h)
	for name, c := range map[string]struct {
		cookie string
		ok     bool
	}{
		"valid":         {specTC, true},
		"none":          {"", false},
		"truncated":     {"CQSbk4AQ", false},
		"bad alphabet":  {"CQSbk4AQ$bk4", false},
		"empty segment": {"CQSbk4AQSbk4ANwAAAENAwCgAAAAAAAAAAYgACPAAAAA..", false},
		"huge":          {strings.Repeat("A", 9000), false},
		"garbage":       {"not a tc string at all", false},
	} {
		t.Run(name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			if c.cookie != "" {
				r.Header.Set("Cookie", gdprhttp.TCFCookie+"="+c.cookie)
			}
			w := httptest.NewRecorder()
			mw.ServeHTTP(w, r)
			assert.Equal(t, http.StatusOK, w.Code)
			assert.Equal(t, c.ok, s.tcf)
			assert.Equal(t, c.ok, s.vendor2)
		})
	}
}

func TestGPC(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		_, err := f.kit.Ledger().Grant(ctx, consent.Act{Subject: "ada", Purposes: []string{"newsletter"}, Notice: "2026-01", Method: consent.MethodCheckbox})
		require.NoError(t, err)

		gpc := func(h *gdprhttp.Handler, subject string) *seen {
			mw, s := behind(f, h)
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.Header.Set("Sec-GPC", "1")
			if subject != "" {
				r.Header.Set(subjectHeader, subject)
			}
			w := httptest.NewRecorder()
			mw.ServeHTTP(w, r)
			require.Equal(t, http.StatusOK, w.Code)
			return s
		}
		s := gpc(f.h, "")
		assert.True(t, s.gpc)
		assert.Empty(t, s.subject)

		for range 3 {
			s = gpc(f.h, "ada")
		}
		assert.Equal(t, "ada", s.subject)
		gpc(f.handler(), "ada") // another instance
		_, err = f.kit.Guard().Allow(ctx, "ada", "ads")
		assert.ErrorIs(t, err, gdpr.ErrObjected)
		_, err = f.kit.Guard().Allow(ctx, "ada", "newsletter")
		assert.ErrorIs(t, err, gdpr.ErrNoLawfulBasis)

		objections := 0
		for e, err := range f.kit.Journal().Entries(ctx, 0) {
			require.NoError(t, err)
			if e.Kind == audit.KindObjection && e.Subject == f.kit.Journal().Token("ada") {
				objections++
			}
		}
		assert.Equal(t, 1, objections, "recorded once")
		events, err := f.kit.Ledger().History(ctx, "ada", "newsletter")
		require.NoError(t, err)
		require.Len(t, events, 2)
		assert.Equal(t, consent.MethodGPC, events[1].Method)

		// A consent given again after the signal stands, on any instance.
		_, err = f.kit.Ledger().Grant(ctx, consent.Act{Subject: "ada", Purposes: []string{"newsletter"}, Notice: "2026-01", Method: consent.MethodForm})
		require.NoError(t, err)
		gpc(f.handler(), "ada")
		st, err := f.kit.Ledger().Status(ctx, "ada", "newsletter", time.Time{})
		require.NoError(t, err)
		assert.True(t, st.Given())

		// Without the signal nothing is recorded.
		_, err = f.kit.Guard().Allow(ctx, "bob", "ads")
		require.NoError(t, err)
	})
}
