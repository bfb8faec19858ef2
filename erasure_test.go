package gdprkit_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/retention"
)

// activity lists subjects whose data the erasure does not delete, such as
// an activity log kept elsewhere: the sweep sees them again and again.
type activity []retention.Subject

func (a activity) Subjects(_ context.Context, after retention.Cursor, limit int) ([]retention.Subject, retention.Cursor, error) {
	var out []retention.Subject
	for _, s := range a {
		if s.ID > string(after) {
			out = append(out, s)
		}
	}
	return out, "", nil
}

func TestSweepErasesEachSubjectOnce(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		clk := newClock()
		old := clk.t.AddDate(-3, 0, 0)
		log := activity{{ID: "carl", LastActive: old}, {ID: "dan", LastActive: old}, {ID: "eve", LastActive: clk.t}}
		kit, _ := openShop(t, db, filepath.Join(t.TempDir(), "kek.json"), clk.Now, func(c *gdprkit.Config) {
			c.Subjects = map[string]retention.SubjectSource{"activity": log}
		})

		// dan asked for erasure himself before the sweep.
		req, err := kit.Desk().Receive(ctx, rights.Request{Right: rights.RightErasure, Subject: "dan"})
		require.NoError(t, err)
		_, err = kit.Desk().Erase(ctx, req.ID)
		require.NoError(t, err)

		for i, want := range []int{1, 0, 0} {
			clk.t = clk.t.Add(time.Hour)
			report, err := kit.Sweep(ctx)
			require.NoError(t, err)
			assert.Equal(t, want, report.Acted(retention.Shred), "sweep %d", i+1)
		}
		for subject, want := range map[string]int{"carl": 1, "dan": 0, "eve": 0} {
			assert.Equal(t, want, journalKinds(t, kit.Journal(), kit.Journal().Token(subject))[audit.KindRetentionActed], subject)
		}
		assert.Equal(t, 1, journalKinds(t, kit.Journal(), kit.Journal().Token("dan"))[rights.KindRequestCompleted])

		_, err = kit.Erase(ctx, "dan")
		assert.ErrorIs(t, err, gdprkit.ErrAlreadyErased)
	})
}

func TestControllerErasureNeedsNoRequesterVerification(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	ctx := context.Background()
	clk := newClock()
	kit, shop := openShop(t, db, filepath.Join(t.TempDir(), "kek.json"), clk.Now, func(c *gdprkit.Config) {
		c.Verifier = rights.VerifierFunc(func(context.Context, rights.Request) (bool, error) { return false, nil })
	})
	shop.add(t, "ada", "ada@example.org", clk.t)

	req, err := kit.Desk().Receive(ctx, rights.Request{Right: rights.RightErasure, Subject: "ada"})
	require.NoError(t, err)
	assert.Equal(t, rights.RequestUnverified, req.State, "a requester still needs the Verifier")
	assert.True(t, shop.has(t, "ada"))

	cert, err := kit.Erase(ctx, "ada")
	require.NoError(t, err)
	assert.Equal(t, gdprkit.ErasureIDPrefix+kit.Journal().Token("ada"), cert.Request)
	assert.False(t, shop.has(t, "ada"))
}

func TestRequestersCannotTakeTheKitsErasureIDs(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	ctx := context.Background()
	clk := newClock()
	kit, shop := openShop(t, db, filepath.Join(t.TempDir(), "kek.json"), clk.Now) // its Verifier says yes to everyone
	shop.add(t, "ada", "ada@example.org", clk.t)

	spoof, err := kit.Desk().Receive(ctx, rights.Request{ID: gdprkit.ErasureIDPrefix + kit.Journal().Token("bob"),
		Right: rights.RightErasure, Subject: "ada"})
	require.NoError(t, err)
	assert.Equal(t, rights.RequestUnverified, spoof.State, "the kit's request IDs are not a requester's")
	_, err = kit.Erase(ctx, "bob")
	assert.ErrorIs(t, err, rights.ErrRequestExists)
	assert.True(t, shop.has(t, "ada"), "another subject's erasure is not run under bob's ID")
}

func TestErasureHonoursLegalHolds(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	ctx := context.Background()
	clk := newClock()
	kit, shop := openShop(t, db, filepath.Join(t.TempDir(), "kek.json"), clk.Now)
	shop.add(t, "bob", "bob@example.org", clk.t.AddDate(-3, 0, 0))
	_, err := kit.Holds().Place(ctx, retention.Hold{Case: "LIT-7", Subject: "bob", Reason: "pending litigation"})
	require.NoError(t, err)

	report, err := kit.Sweep(ctx)
	require.NoError(t, err)
	assert.Zero(t, report.Acted(retention.Shred))
	assert.Equal(t, 1, report.SubjectVerdicts.Held)

	cert, err := kit.Erase(ctx, "bob")
	require.NoError(t, err)
	require.NotEmpty(t, cert.Sources)
	for _, s := range cert.Sources {
		assert.Equal(t, rights.StepExempt, s.State, s.Name)
	}
	assert.True(t, shop.has(t, "bob"), "held data is kept")
	assert.Equal(t, 1, journalKinds(t, kit.Journal(), kit.Journal().Token("bob"))[audit.KindRetentionHoldPlaced])
}

func TestOpenRefusesIncompleteConfig(t *testing.T) {
	db, _ := dbtest.SQLite(t)
	ctx := context.Background()
	_, err := gdprkit.Open(ctx, db, gdprkit.Config{})
	assert.ErrorIs(t, err, gdprkit.ErrInvalidConfig)
	_, err = gdprkit.Open(ctx, nil, gdprkit.Config{})
	assert.ErrorIs(t, err, gdprkit.ErrInvalidConfig)
}

// TestHeldDataIsErasedOnceTheHoldIsReleased: what an erasure kept under a
// legal hold is erased by the next sweep (or Kit.Erase) once the hold is
// released — whether the kit's own erasure or the subject's request kept
// it — and by one follow-up erasure only.
func TestHeldDataIsErasedOnceTheHoldIsReleased(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		clk := newClock()
		kit, shop := openShop(t, db, filepath.Join(t.TempDir(), "kek.json"), clk.Now)
		old := clk.t.AddDate(-3, 0, 0)
		shop.add(t, "bob", "bob@example.org", old)
		shop.add(t, "dan", "dan@example.org", old)
		for _, s := range []string{"bob", "dan"} {
			_, err := kit.Holds().Place(ctx, retention.Hold{ID: "HOLD-" + s, Case: "LIT-7", Subject: s, Reason: "pending litigation"})
			require.NoError(t, err)
		}
		first, err := kit.Erase(ctx, "bob")
		require.NoError(t, err)
		require.NotEmpty(t, first.Kept(), "the hold keeps bob's data")
		req, err := kit.Desk().Receive(ctx, rights.Request{Right: rights.RightErasure, Subject: "dan"})
		require.NoError(t, err)
		_, err = kit.Desk().Erase(ctx, req.ID)
		require.NoError(t, err)

		// While the holds stand, nothing more is erased, and nothing re-run.
		report, err := kit.Sweep(ctx)
		require.NoError(t, err)
		assert.Zero(t, report.Acted(retention.Shred))
		again, err := kit.Erase(ctx, "bob")
		require.NoError(t, err)
		assert.Equal(t, first.Request, again.Request, "the same erasure, not a new one")
		assert.True(t, shop.has(t, "bob"))
		assert.True(t, shop.has(t, "dan"))

		for _, s := range []string{"bob", "dan"} {
			_, err := kit.Holds().Release(ctx, "HOLD-"+s)
			require.NoError(t, err)
		}
		clk.t = clk.t.Add(time.Hour)
		report, err = kit.Sweep(ctx)
		require.NoError(t, err)
		assert.Equal(t, 2, report.Acted(retention.Shred))
		assert.False(t, shop.has(t, "bob"), "released: bob's held row is erased")
		assert.False(t, shop.has(t, "dan"), "released: dan's held row is erased")

		followUp, err := kit.Erase(ctx, "bob")
		require.NoError(t, err)
		assert.Equal(t, first.Request+"/2", followUp.Request)
		assert.Empty(t, followUp.Kept())
		report, err = kit.Sweep(ctx)
		require.NoError(t, err)
		assert.Zero(t, report.Acted(retention.Shred), "erased once")
		for subject, want := range map[string]int{"bob": 2, "dan": 2} {
			assert.Equal(t, want, journalKinds(t, kit.Journal(), kit.Journal().Token(subject))[rights.KindRequestCompleted], subject)
		}
		_, err = kit.Guard().Allow(ctx, "dan", "orders")
		assert.NotErrorIs(t, err, gdpr.ErrKeptForException, "nothing is kept any more")
	})
}

// TestTwoInstancesRunOneFollowUpErasure: after a hold's release, two
// instances erasing the subject at once run one follow-up erasure between
// them; each returns its certificate, or ErrRequestBusy while the other
// runs it and the certificate when asked again.
func TestTwoInstancesRunOneFollowUpErasure(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		clk := newClock()
		kek := filepath.Join(t.TempDir(), "kek.json")
		one, shop := openShop(t, db, kek, clk.Now)
		two, _ := openShop(t, db, kek, clk.Now)
		shop.add(t, "bob", "bob@example.org", clk.t)
		_, err := one.Holds().Place(ctx, retention.Hold{ID: "HOLD-bob", Case: "LIT-7", Subject: "bob", Reason: "pending litigation"})
		require.NoError(t, err)
		first, err := one.Erase(ctx, "bob")
		require.NoError(t, err)
		_, err = two.Holds().Release(ctx, "HOLD-bob")
		require.NoError(t, err)

		var wg sync.WaitGroup
		certs := make([]rights.Certificate, 2)
		errs := make([]error, 2)
		for i, kit := range []*gdprkit.Kit{one, two} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				certs[i], errs[i] = kit.Erase(ctx, "bob")
			}()
		}
		wg.Wait()
		for i, kit := range []*gdprkit.Kit{one, two} {
			if errors.Is(errs[i], rights.ErrRequestBusy) { // the other was running it: ask again
				certs[i], errs[i] = kit.Erase(ctx, "bob")
			}
			require.NoError(t, errs[i], "instance %d", i+1)
			assert.Equal(t, first.Request+"/2", certs[i].Request, "instance %d", i+1)
		}
		assert.False(t, shop.has(t, "bob"))
		assert.Equal(t, 2, journalKinds(t, one.Journal(), one.Journal().Token("bob"))[rights.KindRequestCompleted], "the first erasure and one follow-up")
	})
}
