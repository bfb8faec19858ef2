package rights_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/internal/dbtest"
)

// skew is how far instance A's clock runs ahead of instance B's.
const skew = 10 * time.Minute

// instance is one service instance: its own connection to the shared
// database, its own consent Ledger and Guard, on its own clock.
type instance struct {
	ledger *consent.Ledger
	guard  *gdpr.Guard
}

func newInstance(t *testing.T, db *sql.DB, reg *gdpr.Register, now func() time.Time) instance {
	t.Helper()
	store, err := consent.NewSQLStore(context.Background(), db)
	require.NoError(t, err)
	ledger, err := consent.New(consent.LedgerConfig{Store: store, Now: now})
	require.NoError(t, err)
	ms := gdpr.NewMemoryStore()
	guard, err := gdpr.NewGuard(gdpr.GuardConfig{
		Register: reg, Consent: ledger, Objections: ms, Restrictions: ms, Now: now,
		Contract: func(context.Context, string, string) (bool, error) { return true, nil },
	})
	require.NoError(t, err)
	return instance{ledger: ledger, guard: guard}
}

// skewedFixture is the erasure fixture with two instances on one SQL
// database: A, whose clock runs skew ahead, and B, on the fixture's clock,
// whose Guard and Ledger Rights uses.
type skewedFixture struct {
	*erasureFixture
	a, b instance
}

// twoConnections opens the same database twice, on SQLite and on
// PostgreSQL, and runs fn with both.
func twoConnections(t *testing.T, fn func(t *testing.T, db1, db2 *sql.DB)) {
	t.Run("sqlite", func(t *testing.T) {
		db1, path := dbtest.SQLite(t)
		db2, err := sql.Open("sqlite", dbtest.SQLiteDSN(path))
		require.NoError(t, err)
		t.Cleanup(func() { db2.Close() })
		fn(t, db1, db2)
	})
	t.Run("postgres", func(t *testing.T) {
		db1, dsn := dbtest.Postgres(t)
		db2, err := sql.Open("pgx", dsn)
		require.NoError(t, err)
		t.Cleanup(func() { db2.Close() })
		fn(t, db1, db2)
	})
}

func newSkewedFixture(t *testing.T, db1, db2 *sql.DB) *skewedFixture {
	f := &skewedFixture{}
	f.erasureFixture = newErasureFixture(t, func(c *rights.DeskConfig) {
		now := c.Now
		f.a = newInstance(t, db1, c.Register, func() time.Time { return now().Add(skew) })
		f.b = newInstance(t, db2, c.Register, now)
		c.Guard, c.Consents = f.b.guard, f.b.ledger
	})
	return f
}

func record(t *testing.T, l *consent.Ledger, k consent.EventKind, subject string, purposes ...string) consent.Event {
	t.Helper()
	r := consent.Act{Subject: subject, Purposes: purposes, Notice: "v1", Method: consent.MethodForm, Source: "web"}
	var (
		events []consent.Event
		err    error
	)
	if k == consent.Grant {
		events, err = l.Grant(context.Background(), r)
	} else {
		events, err = l.Withdraw(context.Background(), r)
	}
	require.NoError(t, err)
	require.NotEmpty(t, events)
	return events[len(events)-1]
}

// assertDecides asserts what both instances' Guards decide for subject and
// purpose.
func (f *skewedFixture) assertDecides(t *testing.T, subject, purpose string, want gdpr.Reason, msg string) {
	t.Helper()
	for name, in := range map[string]instance{"A": f.a, "B": f.b} {
		d, err := in.guard.Allow(context.Background(), subject, purpose)
		assert.Equal(t, want, d.Reason, "%s: Guard of %s", msg, name)
		assert.Equal(t, !want.Denial(), d.Allowed, "%s: Guard of %s", msg, name)
		if want.Denial() {
			assert.ErrorIs(t, err, gdpr.ErrNoLawfulBasis, "%s: Guard of %s", msg, name)
		} else {
			assert.NoError(t, err, "%s: Guard of %s", msg, name)
		}
	}
}

// TestGuardConsentAcrossSkewedClocks: two instances share one database, A's
// clock 10 minutes ahead of B's. Whatever instance recorded a consent event,
// and however far ahead the store stamped it, both Guards decide by the
// subject's last event at once: a grant on A holds on B, a withdrawal on B
// (stamped at A's time or later) is denied on both, and so is a withdrawal
// stamped ahead because A recorded an event for another purpose; a new
// grant holds again.
func TestGuardConsentAcrossSkewedClocks(t *testing.T) {
	twoConnections(t, func(t *testing.T, db1, db2 *sql.DB) {
		f := newSkewedFixture(t, db1, db2)

		granted := record(t, f.a.ledger, consent.Grant, "cust-1", "newsletter")
		f.assertDecides(t, "cust-1", "newsletter", gdpr.ReasonConsent, "granted on A")
		withdrawn := record(t, f.b.ledger, consent.Withdrawal, "cust-1", "newsletter")
		require.False(t, withdrawn.At.Before(granted.At), "the store stamps B's withdrawal no earlier than A's grant")
		f.assertDecides(t, "cust-1", "newsletter", gdpr.ReasonConsentWithdrawn, "withdrawn on B")
		record(t, f.b.ledger, consent.Grant, "cust-1", "newsletter")
		f.assertDecides(t, "cust-1", "newsletter", gdpr.ReasonConsent, "granted again on B")

		// B's own grant and withdrawal, with an event of A's for another
		// purpose in between pushing the withdrawal ahead of B's clock.
		record(t, f.b.ledger, consent.Grant, "cust-2", "newsletter")
		f.assertDecides(t, "cust-2", "newsletter", gdpr.ReasonConsent, "granted on B")
		record(t, f.a.ledger, consent.Grant, "cust-2", "surveys")
		withdrawn = record(t, f.b.ledger, consent.Withdrawal, "cust-2", "newsletter")
		require.True(t, withdrawn.At.After(f.clock.Now()), "the withdrawal is stamped ahead of B's clock")
		f.assertDecides(t, "cust-2", "newsletter", gdpr.ReasonConsentWithdrawn, "withdrawn on B after an event of A")
	})
}

// TestEraseWithdrawsConsentAcrossSkewedClocks: an erasure run on B
// withdraws, through its consent step, a consent granted on B after A
// recorded an event for the subject; the withdrawals are stamped ahead of
// B's clock, yet both Guards deny at once.
func TestEraseWithdrawsConsentAcrossSkewedClocks(t *testing.T) {
	twoConnections(t, func(t *testing.T, db1, db2 *sql.DB) {
		ctx := context.Background()
		f := newSkewedFixture(t, db1, db2)
		record(t, f.b.ledger, consent.Grant, "cust-1", "newsletter")
		record(t, f.a.ledger, consent.Grant, "cust-1", "surveys")
		f.assertDecides(t, "cust-1", "newsletter", gdpr.ReasonConsent, "granted on B")

		f.receive(t, rights.Request{ID: "e", Right: rights.RightErasure, Subject: "cust-1"})
		cert, err := f.rights.Erase(ctx, "e")
		require.NoError(t, err)
		require.Equal(t, 2, cert.Withdrawn())
		f.assertDecides(t, "cust-1", "newsletter", gdpr.ReasonConsentWithdrawn, "erased on B")
	})
}
