package rightstest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Run runs the conformance tests, each as a subtest on a new, empty store
// from open.
func Run(t *testing.T, open func(t *testing.T) rights.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, rights.Store)
	}{
		{"CreateReadUpdate", createReadUpdate},
		{"UpdatesSerialise", updatesSerialise},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

// t0 has a nanosecond part, so that stores must keep full precision.
var t0 = time.Date(2025, 3, 10, 9, 0, 0, 123456789, time.UTC)

func ids(rs []rights.Request) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func sampleRequest() rights.Request {
	ex := rights.Exemption{Exception: rights.ExceptionLegalHold, Ref: "HOLD-7"}
	return rights.Request{
		ID: "req-1", Right: rights.RightErasure, Subject: "cust-1", SubjectToken: "tok", Language: "de",
		State: rights.RequestInProgress, ReceivedAt: t0, VerifiedAt: t0.Add(time.Hour),
		Due:       time.Date(2025, 4, 10, 23, 59, 59, 999999999, time.UTC),
		Extension: &rights.Extension{Months: 1, Reason: "complex", At: t0.Add(2 * time.Hour)},
		Sources: []rights.Step{
			{Name: "crm", State: rights.StepFailed, Attempts: 2, Error: "timeout", At: t0},
			{Name: "billing", State: rights.StepExempt, Exemption: &ex, At: t0},
		},
		Keys:  []rights.Step{{Name: "app", State: rights.StepDone, Attempts: 1, At: t0}},
		Lease: &rights.Lease{Owner: "run-1", Until: t0.Add(time.Minute)},
	}
}

// createReadUpdate stores, reads, updates and lists requests.
func createReadUpdate(t *testing.T, s rights.Store) {
	ctx := context.Background()
	want := sampleRequest()
	require.NoError(t, s.CreateRequest(ctx, want))
	assert.ErrorIs(t, s.CreateRequest(ctx, want), rights.ErrRequestExists)
	got, err := s.Request(ctx, "req-1")
	require.NoError(t, err)
	assertSameRequest(t, want, got)
	_, err = s.Request(ctx, "nope")
	assert.ErrorIs(t, err, rights.ErrUnknownRequest)

	got.Sources[0].Error = "changed by the caller"
	again, err := s.Request(ctx, "req-1")
	require.NoError(t, err)
	assert.Equal(t, "timeout", again.Sources[0].Error, "a returned request shares nothing with the store")

	updated, err := s.UpdateRequest(ctx, "req-1", func(r *rights.Request) error {
		r.Sources[0].State, r.Sources[0].Attempts = rights.StepDone, 3
		r.ID = "renamed"
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, "req-1", updated.ID, "the ID cannot change")
	assert.Equal(t, 3, updated.Sources[0].Attempts)
	boom := errors.New("boom")
	_, err = s.UpdateRequest(ctx, "req-1", func(r *rights.Request) error {
		r.State = rights.RequestCompleted
		return boom
	})
	assert.ErrorIs(t, err, boom)
	got, err = s.Request(ctx, "req-1")
	require.NoError(t, err)
	assert.Equal(t, rights.RequestInProgress, got.State, "a failed update changes nothing")
	_, err = s.UpdateRequest(ctx, "nope", func(*rights.Request) error { return nil })
	assert.ErrorIs(t, err, rights.ErrUnknownRequest)

	for _, r := range []rights.Request{
		{ID: "open", Right: rights.RightAccess, State: rights.RequestOpen, ReceivedAt: t0},
		{ID: "unverified", Right: rights.RightAccess, State: rights.RequestUnverified, ReceivedAt: t0},
		{ID: "done", Right: rights.RightAccess, State: rights.RequestCompleted, ReceivedAt: t0},
		{ID: "refused", Right: rights.RightAccess, State: rights.RequestRefused, ReceivedAt: t0},
	} {
		require.NoError(t, s.CreateRequest(ctx, r))
	}
	open, err := s.OpenRequests(ctx)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"open", "req-1", "unverified"}, ids(open))
	_, err = s.UpdateRequest(ctx, "open", func(r *rights.Request) error { r.State = rights.RequestCompleted; return nil })
	require.NoError(t, err)
	open, err = s.OpenRequests(ctx)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{"req-1", "unverified"}, ids(open), "the state column follows the document")
}

// updatesSerialise: concurrent read-modify-write updates lose none.
func updatesSerialise(t *testing.T, s rights.Store) {
	ctx := context.Background()
	require.NoError(t, s.CreateRequest(ctx, rights.Request{ID: "r", Right: rights.RightErasure, State: rights.RequestOpen, ReceivedAt: t0}))
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 5 {
				_, err := s.UpdateRequest(ctx, "r", func(r *rights.Request) error {
					if len(r.Keys) == 0 {
						r.Keys = []rights.Step{{Name: "n", State: rights.StepFailed}}
					}
					r.Keys[0].Attempts++
					return nil
				})
				assert.NoError(t, err)
			}
		})
	}
	wg.Wait()
	r, err := s.Request(ctx, "r")
	require.NoError(t, err)
	assert.Equal(t, 20, r.Keys[0].Attempts)
}

// assertSameRequest compares times with Equal, so that a store may
// return them in another location.
func assertSameRequest(t *testing.T, want, got rights.Request) {
	t.Helper()
	for _, p := range []struct{ w, g *time.Time }{
		{&want.ReceivedAt, &got.ReceivedAt}, {&want.VerifiedAt, &got.VerifiedAt}, {&want.Due, &got.Due},
		{&want.CompletedAt, &got.CompletedAt}, {&want.Extension.At, &got.Extension.At}, {&want.Lease.Until, &got.Lease.Until},
	} {
		assert.True(t, p.w.Equal(*p.g), "%v != %v", *p.w, *p.g)
		*p.g = *p.w
	}
	for i := range want.Sources {
		assert.True(t, want.Sources[i].At.Equal(got.Sources[i].At))
		got.Sources[i].At = want.Sources[i].At
	}
	for i := range want.Keys {
		assert.True(t, want.Keys[i].At.Equal(got.Keys[i].At))
		got.Keys[i].At = want.Keys[i].At
	}
	assert.Equal(t, want, got)
}
