package gdprtest

import (
	"context"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// RunObjections runs the ObjectionStore conformance tests as subtests,
// each on a new, empty store from open.
func RunObjections(t *testing.T, open func(t *testing.T) gdpr.ObjectionStore) {
	t.Run("Objections", func(t *testing.T) { objections(t, open(t)) })
	t.Run("ObjectedAmong", func(t *testing.T) { objectedAmong(t, open(t)) })
}

// RunRestrictions runs the RestrictionStore conformance tests as subtests,
// each on a new, empty store from open.
func RunRestrictions(t *testing.T, open func(t *testing.T) gdpr.RestrictionStore) {
	t.Run("Restrictions", func(t *testing.T) { restrictions(t, open(t)) })
	t.Run("RestrictionsAmong", func(t *testing.T) { restrictionsAmong(t, open(t)) })
}

// t0 has a microsecond part, the precision stores must keep.
var t0 = time.Date(2025, 3, 10, 9, 0, 0, 123456000, time.UTC)

func objections(t *testing.T, s gdpr.ObjectionStore) {
	ctx := context.Background()
	_, ok, err := s.Objection(ctx, "u1", "fraud")
	require.NoError(t, err)
	assert.False(t, ok)

	first := gdpr.Objection{Subject: "u1", Purpose: "fraud", At: t0}
	require.NoError(t, s.AddObjection(ctx, first))
	require.NoError(t, s.AddObjection(ctx, gdpr.Objection{Subject: "u1", Purpose: "fraud", At: t0.Add(time.Hour)}))
	require.NoError(t, s.AddObjection(ctx, gdpr.Objection{Subject: "u1", Purpose: gdpr.AllDirectMarketing, At: t0}))

	o, ok, err := s.Objection(ctx, "u1", "fraud")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "u1", o.Subject)
	assert.Equal(t, "fraud", o.Purpose)
	assert.True(t, t0.Equal(o.At), "the first objection is kept: %v", o.At)

	_, ok, err = s.Objection(ctx, "u2", "fraud")
	require.NoError(t, err)
	assert.False(t, ok, "per subject")
	_, ok, err = s.Objection(ctx, "u1", "census")
	require.NoError(t, err)
	assert.False(t, ok, "per purpose")

	ok, err = s.RemoveObjection(ctx, "u1", "fraud")
	require.NoError(t, err)
	assert.True(t, ok, "one was removed")
	ok, err = s.RemoveObjection(ctx, "u1", "fraud")
	require.NoError(t, err, "removing twice is fine")
	assert.False(t, ok, "nothing left to remove")
	_, ok, err = s.Objection(ctx, "u1", "fraud")
	require.NoError(t, err)
	assert.False(t, ok)
	_, ok, err = s.Objection(ctx, "u1", gdpr.AllDirectMarketing)
	require.NoError(t, err)
	assert.True(t, ok, "the other objection stays")
}

func restrictions(t *testing.T, s gdpr.RestrictionStore) {
	ctx := context.Background()
	_, ok, err := s.Restriction(ctx, "u1")
	require.NoError(t, err)
	assert.False(t, ok)

	require.NoError(t, s.AddRestriction(ctx, gdpr.Restriction{Subject: "u1", Ground: gdpr.Accuracy, At: t0}))
	require.NoError(t, s.AddRestriction(ctx, gdpr.Restriction{Subject: "u1", Ground: gdpr.ObjectionPending, At: t0.Add(time.Minute)}))
	r, ok, err := s.Restriction(ctx, "u1")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "u1", r.Subject)
	assert.Equal(t, gdpr.ObjectionPending, r.Ground, "the latest restriction replaces the earlier")
	assert.True(t, t0.Add(time.Minute).Equal(r.At))
	_, ok, err = s.Restriction(ctx, "u2")
	require.NoError(t, err)
	assert.False(t, ok)

	ok, err = s.RemoveRestriction(ctx, "u1")
	require.NoError(t, err)
	assert.True(t, ok, "one was removed")
	ok, err = s.RemoveRestriction(ctx, "u1")
	require.NoError(t, err, "removing twice is fine")
	assert.False(t, ok, "nothing left to remove")
	_, ok, err = s.Restriction(ctx, "u1")
	require.NoError(t, err)
	assert.False(t, ok)
}

// objectedAmong checks a BatchObjectionStore against Objection; a store
// that is not one skips it.
func objectedAmong(t *testing.T, s gdpr.ObjectionStore) {
	bs, ok := s.(gdpr.BatchObjectionStore)
	if !ok {
		t.Skip("the store does not implement gdpr.BatchObjectionStore")
	}
	ctx := context.Background()
	for _, o := range []gdpr.Objection{
		{Subject: "u1", Purpose: "fraud", At: t0},
		{Subject: "u2", Purpose: gdpr.AllDirectMarketing, At: t0},
		{Subject: "u3", Purpose: "profiling", At: t0},
		{Subject: `o'brien "x"`, Purpose: "fraud", At: t0},
	} {
		require.NoError(t, s.AddObjection(ctx, o))
	}
	got, err := bs.ObjectedAmong(ctx, []string{"u1", "u2", "u3", "u4", `o'brien "x"`}, []string{"fraud", gdpr.AllDirectMarketing})
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{"u1": true, "u2": true, `o'brien "x"`: true}, got)
	got, err = bs.ObjectedAmong(ctx, nil, []string{"fraud"})
	require.NoError(t, err)
	assert.Empty(t, got)
}

// restrictionsAmong checks a BatchRestrictionStore against Restriction; a
// store that is not one skips it.
func restrictionsAmong(t *testing.T, s gdpr.RestrictionStore) {
	bs, ok := s.(gdpr.BatchRestrictionStore)
	if !ok {
		t.Skip("the store does not implement gdpr.BatchRestrictionStore")
	}
	ctx := context.Background()
	want := map[string]gdpr.Restriction{
		"u1":  {Subject: "u1", Ground: gdpr.Accuracy, At: t0},
		`a\b`: {Subject: `a\b`, Ground: gdpr.Unlawful, At: t0},
	}
	for _, r := range want {
		require.NoError(t, s.AddRestriction(ctx, r))
	}
	got, err := bs.RestrictionsAmong(ctx, []string{"u1", "u2", `a\b`})
	require.NoError(t, err)
	require.Len(t, got, len(want))
	for subject, r := range want {
		assert.Equal(t, r.Ground, got[subject].Ground, subject)
		assert.True(t, r.At.Equal(got[subject].At), subject)
	}
}
