package gdpr_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/internal/dbtest"
)

// TestKeptDataServesOnlyTheExceptionsPurposes: after an erasure that an
// exception of Art. 17(3) kept part of, the Guard allows only the
// exception's purposes for the subject: a legitimate-interests purpose
// and a contract purpose, whose bases still hold, are denied; the
// legal-claims purpose of the hold is allowed; other subjects are
// untouched; releasing the record lifts the limit. On the memory store
// and on SQLite and PostgreSQL, across two Guards on one database.
func TestKeptDataServesOnlyTheExceptionsPurposes(t *testing.T) {
	run := func(t *testing.T, stores ...gdpr.KeptStore) {
		ctx := context.Background()
		contracts := &contracts{with: map[string]bool{"u1": true, "u2": true}}
		guards := make([]*gdpr.Guard, len(stores))
		for i, s := range stores {
			var err error
			guards[i], err = gdpr.NewGuard(gdpr.GuardConfig{
				Register: newRegister(t, purposes()...), Consent: newConsentMap(), Contract: contracts.hook,
				Objections: s.(gdpr.ObjectionStore), Restrictions: s.(gdpr.RestrictionStore), Now: (&clock{now: t0}).Now,
			})
			require.NoError(t, err)
		}
		one, two := guards[0], guards[len(guards)-1]
		for _, p := range []string{"fraud", "billing", "claims"} {
			_, err := two.Allow(ctx, "u1", p)
			require.NoError(t, err, "before: %s", p)
		}

		require.NoError(t, one.Keep(ctx, gdpr.Kept{Subject: "u1", Purposes: []string{"claims"}, Exceptions: []string{"legal-hold"}}))
		for _, p := range []string{"fraud", "billing", "tax", "archive"} {
			d, err := two.Allow(ctx, "u1", p)
			assert.ErrorIs(t, err, gdpr.ErrKeptForException, p)
			assert.ErrorIs(t, err, gdpr.ErrNoLawfulBasis, p)
			assert.Equal(t, gdpr.ReasonKeptForException, d.Reason, p)
			assert.False(t, d.Allowed, p)
		}
		d, err := two.Allow(ctx, "u1", "claims")
		require.NoError(t, err, "the hold's legal-claims purpose")
		assert.True(t, d.Allowed)
		_, err = two.Allow(ctx, "u2", "billing")
		assert.NoError(t, err, "another subject")

		require.NoError(t, one.ReleaseKept(ctx, "u1"))
		_, err = two.Allow(ctx, "u1", "billing")
		assert.NoError(t, err, "released")
		require.NoError(t, one.ReleaseKept(ctx, "u1"), "releasing none is no error")
	}
	t.Run("memory", func(t *testing.T) { run(t, gdpr.NewMemoryStore()) })
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		open := func(testing.TB) *sql.DB { return db }
		run(t, newSQLStore(t, open), newSQLStore(t, open))
	})
}

// TestKeepRefusesWhatItCannotEnforce: no subject, an unregistered
// purpose, or an exception that is not a code; no purposes denies all.
func TestKeepRefusesWhatItCannotEnforce(t *testing.T) {
	f := newFixture(t, false)
	ctx := context.Background()
	assert.ErrorIs(t, f.guard.Keep(ctx, gdpr.Kept{Purposes: []string{"claims"}}), gdpr.ErrNoSubject)
	assert.ErrorIs(t, f.guard.Keep(ctx, gdpr.Kept{Subject: "u1", Purposes: []string{"nope"}}), gdpr.ErrInvalidArgument)
	assert.ErrorIs(t, f.guard.Keep(ctx, gdpr.Kept{Subject: "u1", Purposes: []string{"claims"}, Exceptions: []string{"Legal Hold"}}), gdpr.ErrInvalidArgument)
	_, err := f.guard.Allow(ctx, "u1", "fraud")
	assert.NoError(t, err, "nothing was kept")
	require.NoError(t, f.guard.Keep(ctx, gdpr.Kept{Subject: "u1"}))
	for _, p := range []string{"fraud", "claims", "archive"} {
		_, err = f.guard.Allow(ctx, "u1", p)
		assert.ErrorIs(t, err, gdpr.ErrKeptForException, p)
	}
}
