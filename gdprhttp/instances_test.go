package gdprhttp_test

import (
	"database/sql"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdprhttp"
	"github.com/gdprkit/gdprkit/internal/dbtest"
)

// TestInstancesShareCodes: two instances on one database count the same
// attempts, and a code is used once across them, even when tried at once.
func TestInstancesShareCodes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		f := newFixture(t, db, func(c *gdprhttp.Config) { c.RateSubject = gdprhttp.Rate{Burst: 1000, Every: 1} })
		a := f.root
		f.handler(func(c *gdprhttp.Config) { c.RateSubject = gdprhttp.Rate{Burst: 1000, Every: 1} })
		b := f.root
		verify := func(h http.Handler, ticket, code string) int {
			r := httptest.NewRequest(http.MethodPost, "/privacy/api/requests/"+ticket+"/verify", strings.NewReader(`{"code":"`+code+`"}`))
			r.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			return w.Code
		}

		// Wrong codes tried at once on both instances: the limit holds.
		f.root = a
		ticket := f.submit(`{"right":"access","email":"ada@example.org"}`)
		var mu sync.Mutex
		codes := map[int]int{}
		var wg sync.WaitGroup
		for i := range 12 {
			wg.Go(func() {
				code := verify([]http.Handler{a, b}[i%2], ticket, "bad")
				mu.Lock()
				codes[code]++
				mu.Unlock()
			})
		}
		wg.Wait()
		assert.Equal(t, gdprhttp.DefaultCodeAttempts, codes[http.StatusUnprocessableEntity], "wrong codes counted")
		assert.Equal(t, 12-gdprhttp.DefaultCodeAttempts, codes[http.StatusForbidden], "then locked")

		// A right code, sent to both at once, is used once.
		ticket = f.submit(`{"right":"restriction","email":"ada@example.org","ground":"accuracy"}`)
		code := f.code(adaEmail, 2)
		results := make([]int, 2)
		wg.Go(func() { results[0] = verify(a, ticket, code) })
		wg.Go(func() { results[1] = verify(b, ticket, code) })
		wg.Wait()
		require.ElementsMatch(t, []int{http.StatusOK, http.StatusConflict}, results)
	})
}
