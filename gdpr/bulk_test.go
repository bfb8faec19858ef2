package gdpr_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bulkEnv is a Guard on a real consent ledger, objection and restriction
// stores and a journal: in memory, or on one SQL database.
type bulkEnv struct {
	guard     *gdpr.Guard
	ledger    *consent.Ledger
	journal   *audit.Journal
	contracts *contracts
	clock     *clock
	plain     bool // the stores' batch methods are hidden
}

// envOptions choose the variants of a bulkEnv.
type envOptions struct {
	db    *sql.DB // nil: memory stores
	plain bool    // hide the stores' batch methods, so that the bulk run falls back to one read per subject
	batch bool    // give the Guard a batch contract hook
	at    time.Time
}

// plainConsent hides the ledger's batch methods.
type plainConsent struct{ l *consent.Ledger }

func (p plainConsent) Status(ctx context.Context, subject, purpose string, at time.Time) (consent.Status, error) {
	return p.l.Status(ctx, subject, purpose, at)
}

// plainStore hides the store's batch methods.
type plainStore struct {
	gdpr.ObjectionStore
	gdpr.RestrictionStore
}

func newBulkEnv(t testing.TB, o envOptions) *bulkEnv {
	t.Helper()
	ctx := context.Background()
	if o.at.IsZero() {
		o.at = t0
	}
	e := &bulkEnv{contracts: &contracts{with: map[string]bool{}}, clock: &clock{now: o.at}, plain: o.plain}
	var (
		cstore consent.Store = consent.NewMemoryStore()
		objs   gdpr.ObjectionStore
		rests  gdpr.RestrictionStore
		jstore audit.Store = audit.NewMemoryStore()
		mem                = gdpr.NewMemoryStore()
		err    error
	)
	objs, rests = mem, mem
	if o.db != nil {
		if cstore, err = consent.NewSQLStore(ctx, o.db); err != nil {
			t.Fatal(err)
		}
		s, err := gdpr.NewSQLStore(ctx, o.db)
		require.NoError(t, err)
		objs, rests = s, s
		jstore, err = audit.NewSQLStore(ctx, o.db)
		require.NoError(t, err)
	}
	e.ledger, err = consent.New(consent.LedgerConfig{Store: cstore, Now: e.clock.Now, PurposeValidity: map[string]time.Duration{"offers": 30 * 24 * time.Hour}})
	require.NoError(t, err)
	e.journal, err = audit.NewJournal(audit.JournalConfig{Store: jstore, Tokenizer: newTokenizer(t), Actor: "svc:test", Now: e.clock.Now})
	require.NoError(t, err)
	cfg := gdpr.GuardConfig{
		Register: newRegister(t, append(purposes(), kidsPurpose)...), Consent: e.ledger, Contract: e.contracts.hook,
		Objections: objs, Restrictions: rests, Journal: e.journal, Now: e.clock.Now,
	}
	if o.plain {
		cfg.Consent = plainConsent{e.ledger}
		cfg.Objections, cfg.Restrictions = plainStore{objs, rests}, plainStore{objs, rests}
		cfg.Kept = plainKept{mem} // its KeptStore methods only, not KeptAmong
	}
	if o.batch {
		cfg.Contracts = func(ctx context.Context, subjects []string, purpose string) ([]bool, error) {
			out := make([]bool, len(subjects))
			for i, s := range subjects {
				out[i], _ = e.contracts.hook(ctx, s, purpose)
			}
			return out, nil
		}
	}
	e.guard, err = gdpr.NewGuard(cfg)
	require.NoError(t, err)
	return e
}

// plainKept is a KeptStore without batch reads.
type plainKept struct{ gdpr.KeptStore }

// kidsPurpose offers a service to children on their consent (Art. 8).
var kidsPurpose = gdpr.Purpose{ID: "kids", Name: "kids", Basis: gdpr.Consent, Children: true,
	Categories: []pii.Category{pii.Email}, DataSubjects: []string{"children"}, Retention: "P1Y"}

var (
	consentPurposes    = []string{"newsletter", "offers", "health", "kids"}
	objectablePurposes = []string{"fraud", "postal-ads", "offers", "census", "claims", gdpr.AllDirectMarketing}
)

// populate records a seeded random history for n subjects: grants (some
// expiring), withdrawals, expiries, objections and their lifting,
// restrictions and their lifting, erasures (which withdraw every consent,
// as the erasure pipeline does) and contracts, with time passing between
// them, so that some grants expire. Some steps go through other, an
// instance on the same stores whose clock runs an hour behind (nil for
// none). It returns the subjects and a few that have no records at all.
func populate(t testing.TB, e, other *bulkEnv, n int, seed uint64) []string {
	t.Helper()
	ctx := context.Background()
	r := rand.New(rand.NewPCG(seed, 1))
	subjects := make([]string, n)
	for i := range subjects {
		subjects[i] = fmt.Sprintf("cus_%05d", i)
		if r.IntN(2) == 0 {
			e.contracts.with[subjects[i]] = true
		}
	}
	for range 5 * n {
		s := subjects[r.IntN(n)]
		at := e
		if other != nil && r.IntN(3) == 0 {
			at = other
		}
		var err error
		switch k := r.IntN(20); {
		case k < 8:
			act := consent.Act{Subject: s, Purposes: []string{consentPurposes[r.IntN(len(consentPurposes))]}, Notice: "v1", Method: consent.MethodCheckbox}
			if act.Purposes[0] == "kids" { // ages about the German and French ages of digital consent
				act.Age = consent.Age{Country: []string{"DE", "FR"}[r.IntN(2)], AtLeast: 13 + r.IntN(5)}
				if r.IntN(4) == 0 {
					act.Age.Parental, act.Proof.ParentalResponsibility = true, "mother, checked by card payment"
				}
			}
			if r.IntN(4) == 0 {
				act.Expires = e.clock.Now().Add(time.Duration(1+r.IntN(72)) * time.Hour)
			}
			_, err = at.ledger.Grant(ctx, act)
		case k < 11:
			_, err = at.ledger.Withdraw(ctx, consent.Act{Subject: s, Purposes: []string{consentPurposes[r.IntN(3)]}})
		case k < 12:
			_, err = at.ledger.Expire(ctx, consent.Act{Subject: s, Purposes: []string{consentPurposes[r.IntN(3)]}})
		case k < 14:
			err = at.guard.Object(ctx, gdpr.Objection{Subject: s, Purpose: objectablePurposes[r.IntN(len(objectablePurposes))]})
		case k < 15:
			err = at.guard.LiftObjection(ctx, s, objectablePurposes[r.IntN(len(objectablePurposes))])
		case k < 17:
			err = at.guard.Restrict(ctx, gdpr.Restriction{Subject: s, Ground: gdpr.Ground(1 + r.IntN(4))})
		case k < 18:
			err = at.guard.LiftRestriction(ctx, s)
		default: // erasure: every consent withdrawn, in sequence order
			_, err = at.ledger.WithdrawAll(ctx, consent.Act{Subject: s, Method: consent.MethodSystem, Source: "gdpr/erasure"})
			if err == nil && k == 18 { // a legal hold kept part of it, for legal claims only (Art. 17(3))
				err = at.guard.Keep(ctx, gdpr.Kept{Subject: s, Purposes: []string{"claims"}, Exceptions: []string{"legal-hold"}})
			}
		}
		require.NoError(t, err)
		d := time.Duration(r.IntN(4)) * time.Hour
		e.clock.Advance(d)
		if other != nil {
			other.clock.Advance(d)
		}
	}
	if other != nil {
		for k, v := range e.contracts.with {
			other.contracts.with[k] = v
		}
	}
	return append(subjects, "cus_none", "cus_never")
}

// collect reads a bulk run to the end.
func collect[T any](t testing.TB, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

// assertAgreement checks that, for every registered purpose and an unknown
// one, AllowEach decides for every subject exactly as Allow does, Allowed
// yields exactly the subjects Allow allows, and, for purposes resting on
// consent, Audience yields them too; and that each bulk run wrote one
// journal entry per batch, whose proofs verify.
func assertAgreement(t *testing.T, e *bulkEnv, subjects []string, size int) {
	t.Helper()
	ctx := context.Background()
	reasons := map[gdpr.Reason]int{}
	purposeIDs := []string{"unknown"}
	for _, p := range e.guard.Register().Purposes() {
		purposeIDs = append(purposeIDs, p.ID)
	}
	for _, purpose := range purposeIDs {
		var want []string
		decisions := map[string]gdpr.Decision{}
		for _, s := range subjects {
			d, err := e.guard.Allow(ctx, s, purpose)
			var denial *gdpr.DenialError
			require.True(t, err == nil || errors.As(err, &denial), "Allow %s %s: %v", s, purpose, err)
			decisions[s] = d
			reasons[d.Reason]++
			if d.Allowed {
				want = append(want, s)
			}
		}
		before := batchEntries(t, e.journal)
		var receipts []gdpr.BatchReceipt
		opts := gdpr.BulkOptions{Batch: size, OnBatch: func(_ context.Context, r gdpr.BatchReceipt) error {
			receipts = append(receipts, r)
			return nil
		}}
		verdicts := collect(t, e.guard.AllowEach(ctx, purpose, slices.Values(subjects), opts))
		require.Len(t, verdicts, len(subjects))
		for i, v := range verdicts {
			assert.Equal(t, subjects[i], v.Subject)
			assert.Equal(t, decisions[v.Subject], v.Decision, "%s %s", v.Subject, purpose)
		}
		batches := (len(subjects) + size - 1) / size
		assert.Equal(t, before+batches, batchEntries(t, e.journal), "%s: one journal entry per batch", purpose)
		require.Len(t, receipts, batches)
		for _, s := range []string{subjects[0], subjects[len(subjects)-1]} {
			p, ok := receipts[slices.Index(subjects, s)/size].Tree.Prove(e.journal.Token(s))
			require.True(t, ok)
			assert.Equal(t, decisions[s].Reason.String(), p.Leaf.Reason)
			assert.NoError(t, audit.VerifyInclusion(receipts[slices.Index(subjects, s)/size].Entry, p))
		}
		assert.Equal(t, want, collect(t, e.guard.Allowed(ctx, purpose, slices.Values(subjects), gdpr.BulkOptions{Batch: size})), purpose)
		if p, ok := e.guard.Register().Purpose(purpose); ok && !e.plain && (p.Basis == gdpr.Consent || p.Condition == gdpr.ExplicitConsent) {
			got := collect(t, e.guard.Audience(ctx, purpose, gdpr.BulkOptions{Batch: size}))
			slices.Sort(got)
			assert.Equal(t, want, got, "Audience %s", purpose)
		}
	}
	require.NoError(t, e.journal.Verify(ctx))
	for _, r := range []gdpr.Reason{gdpr.ReasonConsent, gdpr.ReasonContract, gdpr.ReasonDeclared, gdpr.ReasonLegitimateInterests,
		gdpr.ReasonRestrictionExempt, gdpr.ReasonUnknownPurpose, gdpr.ReasonConsentMissing, gdpr.ReasonConsentWithdrawn,
		gdpr.ReasonConsentExpired, gdpr.ReasonNoContract, gdpr.ReasonObjected, gdpr.ReasonObjectedMarketing, gdpr.ReasonRestricted,
		gdpr.ReasonKeptForException, gdpr.ReasonUnderAge, gdpr.ReasonRestrictionConsent, gdpr.ReasonLegalClaimsOverObjection} {
		assert.Positive(t, reasons[r], "the population never leads to %s", r)
	}
}

// batchEntries counts the journal's batch entries.
func batchEntries(t testing.TB, j *audit.Journal) int {
	n := 0
	for _, e := range entries(t, j) {
		if e.Kind == audit.KindDecisionBatch {
			n++
		}
	}
	return n
}

// TestBulkAgreesWithAllow: on a seeded random population with grants,
// withdrawals, expiries, objections, restrictions and erasures, recorded
// partly by a second instance whose clock runs behind, the bulk run
// decides every subject exactly as Allow does, for every purpose, on
// memory, SQLite and PostgreSQL stores, with and without the stores' batch
// reads and the batch contract hook.
func TestBulkAgreesWithAllow(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		e := newBulkEnv(t, envOptions{})
		assertAgreement(t, e, populate(t, e, nil, 400, 1), 64)
	})
	t.Run("memory-plain", func(t *testing.T) {
		e := newBulkEnv(t, envOptions{plain: true})
		assertAgreement(t, e, populate(t, e, nil, 200, 2), 50)
	})
	dbtest.EachNew(t, func(t *testing.T, open func(testing.TB) *sql.DB) {
		db := open(t)
		e := newBulkEnv(t, envOptions{db: db, batch: true})
		other := newBulkEnv(t, envOptions{db: db, at: t0.Add(-time.Hour)})
		assertAgreement(t, e, populate(t, e, other, 150, 3), 40)
	})
}

// TestBulkHonoursWithdrawalOnEveryInstance: a withdrawal recorded by one
// instance, whose clock runs an hour behind the grant's, is honoured by
// the next bulk run on every instance: consent is read in sequence order.
func TestBulkHonoursWithdrawalOnEveryInstance(t *testing.T) {
	dbtest.EachNew(t, func(t *testing.T, open func(testing.TB) *sql.DB) {
		ctx := context.Background()
		db := open(t)
		ahead := newBulkEnv(t, envOptions{db: db, at: t0.Add(time.Hour)})
		behind := newBulkEnv(t, envOptions{db: db})
		subjects := []string{"cus_1", "cus_2", "cus_3"}
		for _, s := range subjects {
			_, err := ahead.ledger.Grant(ctx, consent.Act{Subject: s, Purposes: []string{"newsletter"}, Notice: "v1", Method: consent.MethodForm})
			require.NoError(t, err)
		}
		_, err := behind.ledger.Withdraw(ctx, consent.Act{Subject: "cus_2", Purposes: []string{"newsletter"}})
		require.NoError(t, err)
		for _, e := range []*bulkEnv{ahead, behind} {
			assert.Equal(t, []string{"cus_1", "cus_3"}, collect(t, e.guard.Allowed(ctx, "newsletter", slices.Values(subjects), gdpr.BulkOptions{})))
			assert.Equal(t, []string{"cus_1", "cus_3"}, collect(t, e.guard.Audience(ctx, "newsletter", gdpr.BulkOptions{})))
		}
	})
}

func TestBulkRefusesWhatAllowRefuses(t *testing.T) {
	ctx := context.Background()
	e := newBulkEnv(t, envOptions{})
	for _, err := range e.guard.AllowEach(ctx, "newsletter", slices.Values([]string{"a", ""}), gdpr.BulkOptions{}) {
		if err != nil {
			assert.ErrorIs(t, err, gdpr.ErrNoSubject)
		}
	}
	for _, n := range []int{-1, gdpr.MaxBatch + 1} {
		for _, err := range e.guard.Allowed(ctx, "newsletter", slices.Values([]string{"a"}), gdpr.BulkOptions{Batch: n}) {
			assert.ErrorIs(t, err, gdpr.ErrInvalidArgument)
		}
	}
	for purpose, want := range map[string]error{"unknown": gdpr.ErrUnknownPurpose, "fraud": gdpr.ErrInvalidArgument} {
		for _, err := range e.guard.Audience(ctx, purpose, gdpr.BulkOptions{}) {
			assert.ErrorIs(t, err, want)
		}
	}
	plain := newBulkEnv(t, envOptions{plain: true})
	for _, err := range plain.guard.Audience(ctx, "newsletter", gdpr.BulkOptions{}) {
		assert.ErrorIs(t, err, gdpr.ErrNotConfigured)
	}
}

// TestBulkStopsWhenJournalFails: a batch that cannot be journalled ends
// the run with an error and yields none of its decisions.
func TestBulkStopsWhenJournalFails(t *testing.T) {
	ctx := context.Background()
	e := newBulkEnv(t, envOptions{})
	_, err := e.ledger.Grant(ctx, consent.Act{Subject: "a", Purposes: []string{"newsletter"}, Notice: "v1", Method: consent.MethodForm})
	require.NoError(t, err)
	boom := errors.New("receipt store offline")
	n := 0
	for _, err := range e.guard.Allowed(ctx, "newsletter", slices.Values([]string{"a"}),
		gdpr.BulkOptions{OnBatch: func(context.Context, gdpr.BatchReceipt) error { return boom }}) {
		n++
		assert.ErrorIs(t, err, boom)
	}
	assert.Equal(t, 1, n)
}

// TestBulkStopsEarly: a caller that stops reading ends the run at once;
// the batches read ahead are not journalled, only the one decided.
func TestBulkStopsEarly(t *testing.T) {
	ctx := context.Background()
	dbtest.EachNew(t, func(t *testing.T, open func(testing.TB) *sql.DB) {
		e := newBulkEnv(t, envOptions{db: open(t)})
		subjects := make([]string, 50)
		for i := range subjects {
			subjects[i] = fmt.Sprintf("cus_%02d", i)
			_, err := e.ledger.Grant(ctx, consent.Act{Subject: subjects[i], Purposes: []string{"newsletter"}, Notice: "v1", Method: consent.MethodForm})
			require.NoError(t, err)
		}
		for _, run := range []iter.Seq2[string, error]{
			e.guard.Allowed(ctx, "newsletter", slices.Values(subjects), gdpr.BulkOptions{Batch: 10}),
			e.guard.Audience(ctx, "newsletter", gdpr.BulkOptions{Batch: 10}),
		} {
			before := batchEntries(t, e.journal)
			for s, err := range run {
				require.NoError(t, err)
				require.Equal(t, "cus_00", s)
				break
			}
			assert.Equal(t, before+1, batchEntries(t, e.journal))
		}
	})
}
