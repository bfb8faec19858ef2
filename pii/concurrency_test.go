package pii_test

import (
	"bytes"
	"io"
	"log/slog"
	"sync"
	"testing"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConcurrentFirstUse builds schemas, logs and walks from many goroutines
// at once; run under -race it proves the cache and the redactors share no
// unguarded state.
func TestConcurrentFirstUse(t *testing.T) {
	type fresh struct {
		ID    string `pii:"subject"`
		Email string `pii:"email"`
		Kids  []fresh
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var out bytes.Buffer
	log := slog.New(pii.NewHandler(slog.NewJSONHandler(io.Discard, nil), nil))
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := fresh{ID: "s", Email: "kid@example.com", Kids: []fresh{{Email: "kid@example.com"}}}
			_, err := pii.SchemaFor[fresh]()
			assert.NoError(t, err)
			log.Info("x", "v", v)
			err = pii.Walk(&v, func(*pii.Visit) error { return nil })
			assert.NoError(t, err)
			mu.Lock()
			out.WriteString(pii.Redact(v).String())
			mu.Unlock()
		}()
	}
	wg.Wait()
	require.NotEmpty(t, out.String())
	assert.NotContains(t, out.String(), "kid@example.com")
}
