package gdpr_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// want states the rules the Guard must follow, in the order the law
// applies them, independently of how the Guard is written.
func want(p gdpr.Purpose, state consent.State, objection string, restricted, contract bool) gdpr.Reason {
	// Art. 18(2): restricted data is only stored, used for legal claims,
	// the protection of others or important public interest, or with
	// consent given after the restriction (the matrix's consent predates
	// it).
	if restricted && !p.Storage && !p.LegalClaims && !p.ProtectsOthers && !p.PublicInterest {
		return gdpr.ReasonRestricted
	}
	// Art. 21(2)-(3): an objection to direct marketing is absolute.
	if p.DirectMarketing && objection != "" {
		return gdpr.ReasonObjectedMarketing
	}
	// Art. 21(1): objection to processing on public task or legitimate
	// interests, which spares legal claims.
	objected := objection == "purpose" && (p.Basis == gdpr.PublicTask || p.Basis == gdpr.LegitimateInterests)
	if objected && !p.LegalClaims {
		return gdpr.ReasonObjected
	}
	// Art. 6(1)(a) and Art. 9(2)(a).
	if p.Basis == gdpr.Consent || p.Condition == gdpr.ExplicitConsent {
		switch state {
		case consent.None:
			return gdpr.ReasonConsentMissing
		case consent.Withdrawn:
			return gdpr.ReasonConsentWithdrawn
		case consent.Expired:
			return gdpr.ReasonConsentExpired
		case consent.Outdated:
			return gdpr.ReasonConsentOutdated
		}
	}
	if p.Basis == gdpr.Contract && !contract {
		return gdpr.ReasonNoContract
	}
	if restricted {
		return gdpr.ReasonRestrictionExempt
	}
	if objected {
		return gdpr.ReasonLegalClaimsOverObjection
	}
	switch p.Basis {
	case gdpr.Consent:
		return gdpr.ReasonConsent
	case gdpr.Contract:
		return gdpr.ReasonContract
	case gdpr.LegitimateInterests:
		return gdpr.ReasonLegitimateInterests
	}
	return gdpr.ReasonDeclared
}

var sentinels = map[gdpr.Reason]error{
	gdpr.ReasonRestricted:        gdpr.ErrRestricted,
	gdpr.ReasonObjected:          gdpr.ErrObjected,
	gdpr.ReasonObjectedMarketing: gdpr.ErrObjected,
	gdpr.ReasonConsentMissing:    gdpr.ErrNoConsent,
	gdpr.ReasonConsentWithdrawn:  gdpr.ErrNoConsent,
	gdpr.ReasonConsentExpired:    gdpr.ErrNoConsent,
	gdpr.ReasonConsentOutdated:   gdpr.ErrNoConsent,
	gdpr.ReasonNoContract:        gdpr.ErrNoContract,
}

// TestGuardMatrix runs every purpose (one per basis, direct marketing on
// consent and on legitimate interests, storage, legal claims, health on
// explicit consent) against every consent state, objection (none, to the
// purpose, to all direct marketing), restriction and contract.
func TestGuardMatrix(t *testing.T) {
	ctx := context.Background()
	states := []consent.State{consent.None, consent.Granted, consent.Withdrawn, consent.Expired, consent.Outdated}
	objections := []string{"", "purpose", "all-dm"}
	f := newFixture(t, false)
	seen := map[gdpr.Reason]bool{}
	n := 0
	for _, p := range purposes() {
		for _, state := range states {
			for _, objection := range objections {
				for _, restricted := range []bool{false, true} {
					for _, contract := range []bool{false, true} {
						n++
						subject := fmt.Sprintf("user-%d", n)
						name := fmt.Sprintf("%s/%s/objection=%q/restricted=%t/contract=%t", p.ID, state, objection, restricted, contract)
						f.consent.set(subject, p.ID, state)
						f.contracts.with[subject] = contract
						switch objection {
						case "purpose": // straight into the store: the Guard must ignore it where Art. 21 does not apply
							require.NoError(t, f.store.AddObjection(ctx, gdpr.Objection{Subject: subject, Purpose: p.ID}))
						case "all-dm":
							require.NoError(t, f.guard.Object(ctx, gdpr.Objection{Subject: subject, Purpose: gdpr.AllDirectMarketing}))
						}
						if restricted {
							require.NoError(t, f.guard.Restrict(ctx, gdpr.Restriction{Subject: subject, Ground: gdpr.Accuracy}))
						}

						expected := want(p, state, objection, restricted, contract)
						seen[expected] = true
						d, err := f.guard.Allow(ctx, subject, p.ID)

						assert.Equal(t, expected, d.Reason, name)
						assert.Equal(t, p.Basis, d.Basis, name)
						assert.Equal(t, p.ID, d.Purpose, name)
						assert.Equal(t, t0, d.At, name)
						if expected.Denial() {
							assert.False(t, d.Allowed, name)
							assert.ErrorIs(t, err, gdpr.ErrNoLawfulBasis, name)
							assert.ErrorIs(t, err, sentinels[expected], name)
							var denial *gdpr.DenialError
							if assert.ErrorAs(t, err, &denial, name) {
								assert.Equal(t, expected, denial.Reason, name)
								assert.NotContains(t, err.Error(), subject, "errors never name the subject")
							}
						} else {
							assert.True(t, d.Allowed, name)
							assert.NoError(t, err, name)
						}
						if d.Allowed && (p.Basis == gdpr.Consent || p.Condition == gdpr.ExplicitConsent) {
							assert.Equal(t, "v1", d.Notice, "the notice consent was given under: %s", name)
						}
					}
				}
			}
		}
	}
	for _, r := range []gdpr.Reason{
		gdpr.ReasonConsent, gdpr.ReasonContract, gdpr.ReasonDeclared, gdpr.ReasonLegitimateInterests,
		gdpr.ReasonRestrictionExempt, gdpr.ReasonRestricted, gdpr.ReasonObjected, gdpr.ReasonObjectedMarketing,
		gdpr.ReasonLegalClaimsOverObjection,
		gdpr.ReasonConsentMissing, gdpr.ReasonConsentWithdrawn, gdpr.ReasonConsentExpired,
		gdpr.ReasonConsentOutdated, gdpr.ReasonNoContract,
	} {
		assert.True(t, seen[r], "the matrix reaches %s", r)
	}
}

// TestGuardCases spells out the decisions the issue names, one by one.
func TestGuardCases(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, false)

	d, err := f.guard.Allow(ctx, "alice", "newsletter")
	require.ErrorIs(t, err, gdpr.ErrNoConsent)
	assert.Equal(t, gdpr.ReasonConsentMissing, d.Reason)
	assert.EqualError(t, err, `gdpr: purpose "newsletter" denied: consent never given (lawful basis: Art. 6(1)(a) consent)`)

	f.consent.set("alice", "newsletter", consent.Granted)
	d, err = f.guard.Allow(ctx, "alice", "newsletter")
	require.NoError(t, err)
	assert.Equal(t, gdpr.Decision{Purpose: "newsletter", Allowed: true, Basis: gdpr.Consent, Reason: gdpr.ReasonConsent,
		At: t0, Notice: "v1", Since: t0.Add(-time.Hour)}, d)

	for _, id := range []string{"tax", "emergency", "census"} {
		d, err = f.guard.Allow(ctx, "alice", id)
		require.NoError(t, err, id)
		assert.Equal(t, gdpr.ReasonDeclared, d.Reason, "%s holds as declared", id)
	}

	d, err = f.guard.Allow(ctx, "alice", "billing")
	assert.ErrorIs(t, err, gdpr.ErrNoContract)
	f.contracts.with["alice"] = true
	d, err = f.guard.Allow(ctx, "alice", "billing")
	require.NoError(t, err)
	assert.Equal(t, gdpr.ReasonContract, d.Reason)

	// Legitimate interests hold until the subject objects, then stop at once.
	_, err = f.guard.Allow(ctx, "alice", "fraud")
	require.NoError(t, err)
	require.NoError(t, f.guard.Object(ctx, gdpr.Objection{Subject: "alice", Purpose: "fraud"}))
	d, err = f.guard.Allow(ctx, "alice", "fraud")
	assert.ErrorIs(t, err, gdpr.ErrObjected)
	assert.Equal(t, gdpr.ReasonObjected, d.Reason)
	require.NoError(t, f.guard.LiftObjection(ctx, "alice", "fraud"))
	_, err = f.guard.Allow(ctx, "alice", "fraud")
	assert.NoError(t, err, "lifted after compelling grounds were shown")

	// An objection to direct marketing beats consent.
	f.consent.set("alice", "offers", consent.Granted)
	_, err = f.guard.Allow(ctx, "alice", "offers")
	require.NoError(t, err)
	require.NoError(t, f.guard.Object(ctx, gdpr.Objection{Subject: "alice", Purpose: gdpr.AllDirectMarketing}))
	d, err = f.guard.Allow(ctx, "alice", "offers")
	assert.ErrorIs(t, err, gdpr.ErrObjected)
	assert.Equal(t, gdpr.ReasonObjectedMarketing, d.Reason)
	_, err = f.guard.Allow(ctx, "alice", "newsletter")
	assert.NoError(t, err, "a newsletter not marked direct marketing is not covered")

	// Explicit consent (Art. 9(2)(a)) is checked on top of the contract.
	d, err = f.guard.Allow(ctx, "alice", "health")
	assert.ErrorIs(t, err, gdpr.ErrNoConsent)
	assert.Equal(t, gdpr.ExplicitConsent, d.Condition)
	f.consent.set("alice", "health", consent.Granted)
	d, err = f.guard.Allow(ctx, "alice", "health")
	require.NoError(t, err)
	assert.Equal(t, gdpr.ReasonContract, d.Reason)

	// A restriction stops all but storage and legal claims, at once.
	require.NoError(t, f.guard.Restrict(ctx, gdpr.Restriction{Subject: "alice", Ground: gdpr.Accuracy}))
	_, err = f.guard.Allow(ctx, "alice", "billing")
	assert.ErrorIs(t, err, gdpr.ErrRestricted)
	d, err = f.guard.Allow(ctx, "alice", "archive")
	require.NoError(t, err)
	assert.Equal(t, gdpr.ReasonRestrictionExempt, d.Reason)
	_, err = f.guard.Allow(ctx, "alice", "claims")
	require.NoError(t, err)
	require.NoError(t, f.guard.LiftRestriction(ctx, "alice"))
	_, err = f.guard.Allow(ctx, "alice", "billing")
	assert.NoError(t, err)

	// An unknown purpose has no declared basis.
	d, err = f.guard.Allow(ctx, "alice", "profiling")
	assert.ErrorIs(t, err, gdpr.ErrUnknownPurpose)
	assert.ErrorIs(t, err, gdpr.ErrNoLawfulBasis)
	assert.Equal(t, gdpr.Basis(0), d.Basis)
	assert.EqualError(t, err, `gdpr: purpose "profiling" denied: purpose not in the register`)

	// No subject is the caller's mistake, not a denial.
	d, err = f.guard.Allow(ctx, "", "newsletter")
	assert.ErrorIs(t, err, gdpr.ErrNoSubject)
	assert.NotErrorIs(t, err, gdpr.ErrNoLawfulBasis)
	assert.False(t, d.Allowed)
}

func TestGuardObjectRefusesPurposesWithoutTheRight(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, false)
	for _, id := range []string{"newsletter", "billing", "tax", "emergency", "unknown"} {
		err := f.guard.Object(ctx, gdpr.Objection{Subject: "bob", Purpose: id})
		assert.ErrorIs(t, err, gdpr.ErrNotObjectable, id)
		assert.ErrorContains(t, err, fmt.Sprintf("%q", id))
	}
	for _, id := range []string{"census", "fraud", "offers", "postal-ads", gdpr.AllDirectMarketing} {
		assert.NoError(t, f.guard.Object(ctx, gdpr.Objection{Subject: "bob", Purpose: id}), id)
	}
	assert.ErrorIs(t, f.guard.Object(ctx, gdpr.Objection{Purpose: "fraud"}), gdpr.ErrNoSubject)
	assert.ErrorIs(t, f.guard.Restrict(ctx, gdpr.Restriction{Subject: "bob"}), gdpr.ErrInvalidArgument, "no ground")
	assert.ErrorIs(t, f.guard.Restrict(ctx, gdpr.Restriction{Ground: gdpr.Unlawful}), gdpr.ErrNoSubject)

	o, ok, err := f.store.Objection(ctx, "bob", "fraud")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, t0, o.At, "stamped with the Guard's clock")
}

func TestGuardJournalsDenialsNotAllowedByDefault(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, false)
	f.consent.set("carol", "newsletter", consent.Granted)
	_, err := f.guard.Allow(ctx, "carol", "newsletter")
	require.NoError(t, err)
	assert.Empty(t, entries(t, f.journal), "allowed calls are not journalled by default")

	_, err = f.guard.Allow(ctx, "carol", "offers")
	require.Error(t, err)
	_, err = f.guard.Allow(ctx, "carol", "Mail to carol@example.com")
	require.Error(t, err)
	es := entries(t, f.journal)
	require.Len(t, es, 2)
	assert.Equal(t, audit.KindDecision, es[0].Kind)
	assert.Equal(t, audit.OutcomeDenied, es[0].Outcome)
	assert.Equal(t, "offers", es[0].Purpose)
	assert.Equal(t, []string{"consent-missing", "consent"}, es[0].Reasons)
	assert.Equal(t, f.journal.Token("carol"), es[0].Subject)
	assert.NotEqual(t, "carol", es[0].Subject)
	assert.Equal(t, "svc:test", es[0].Actor)
	assert.Empty(t, es[1].Purpose, "a purpose that is not a code is not journalled")
	assert.Equal(t, []string{"unknown-purpose"}, es[1].Reasons)
	require.NoError(t, f.journal.Verify(ctx))
}

func TestGuardJournalsAllowedWhenAsked(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, true)
	_, err := f.guard.Allow(ctx, "dave", "tax")
	require.NoError(t, err)
	require.NoError(t, f.guard.Object(ctx, gdpr.Objection{Subject: "dave", Purpose: "fraud"}))
	require.NoError(t, f.guard.Restrict(ctx, gdpr.Restriction{Subject: "dave", Ground: gdpr.ObjectionPending}))
	es := entries(t, f.journal)
	require.Len(t, es, 3)
	assert.Equal(t, audit.OutcomeAllowed, es[0].Outcome)
	assert.Equal(t, []string{"declared", "legal-obligation"}, es[0].Reasons)
	assert.Equal(t, audit.KindObjection, es[1].Kind)
	assert.Equal(t, "fraud", es[1].Purpose)
	assert.Equal(t, audit.KindRestriction, es[2].Kind)
	assert.Equal(t, []string{"objection-pending"}, es[2].Reasons)
}

// failingJournal fails every append.
type failingJournal struct{ *audit.MemoryStore }

func (failingJournal) Append(context.Context, func(audit.Head) (audit.Entry, error)) (audit.Entry, error) {
	return audit.Entry{}, errStore
}

// failingStore fails every read.
type failingStore struct{ *gdpr.MemoryStore }

func (failingStore) Objection(context.Context, string, string) (gdpr.Objection, bool, error) {
	return gdpr.Objection{}, false, errStore
}

func (failingStore) Restriction(context.Context, string) (gdpr.Restriction, bool, error) {
	return gdpr.Restriction{}, false, errStore
}

func TestGuardFailsClosed(t *testing.T) {
	ctx := context.Background()
	reg := newRegister(t, purposes()...)
	cm := newConsentMap()
	cm.set("erin", "newsletter", consent.Granted)
	j, err := audit.NewJournal(audit.JournalConfig{Store: failingJournal{audit.NewMemoryStore()}, Tokenizer: newTokenizer(t)})
	require.NoError(t, err)
	mem := gdpr.NewMemoryStore()
	ct := &contracts{err: errStore}

	cases := []struct {
		name    string
		cfg     gdpr.GuardConfig
		purpose string
		denial  bool // still a denial, with the journal failure joined
	}{
		{"restriction store down", gdpr.GuardConfig{Objections: mem, Restrictions: failingStore{mem}}, "tax", false},
		{"objection store down", gdpr.GuardConfig{Objections: failingStore{mem}, Restrictions: mem}, "fraud", false},
		{"consent reader down", gdpr.GuardConfig{Objections: mem, Restrictions: mem, Consent: &consentMap{err: errStore}}, "newsletter", false},
		{"contract hook down", gdpr.GuardConfig{Objections: mem, Restrictions: mem, Contract: ct.hook}, "billing", false},
		{"journal down on allowed", gdpr.GuardConfig{Objections: mem, Restrictions: mem, Journal: j, JournalAllowed: true}, "tax", false},
		{"journal down on denial", gdpr.GuardConfig{Objections: mem, Restrictions: mem, Journal: j}, "nope", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := c.cfg
			cfg.Register = reg
			if cfg.Consent == nil {
				cfg.Consent = cm
			}
			if cfg.Contract == nil {
				cfg.Contract = (&contracts{}).hook
			}
			g, err := gdpr.NewGuard(cfg)
			require.NoError(t, err)
			d, err := g.Allow(ctx, "erin", c.purpose)
			assert.False(t, d.Allowed)
			require.Error(t, err)
			assert.ErrorIs(t, err, errStore, "the cause is kept")
			assert.Equal(t, c.denial, errors.Is(err, gdpr.ErrNoLawfulBasis))
		})
	}
}

func TestNewGuardNamesWhatIsMissing(t *testing.T) {
	reg := newRegister(t, purposes()...)
	mem := gdpr.NewMemoryStore()
	hook := (&contracts{}).hook
	cm := newConsentMap()
	cases := []struct {
		cfg  gdpr.GuardConfig
		want string
	}{
		{gdpr.GuardConfig{Objections: mem, Restrictions: mem}, "GuardConfig.Register is nil"},
		{gdpr.GuardConfig{Register: reg, Restrictions: mem}, "GuardConfig.Objections is nil"},
		{gdpr.GuardConfig{Register: reg, Objections: mem}, "GuardConfig.Restrictions is nil"},
		{gdpr.GuardConfig{Register: reg, Objections: mem, Restrictions: mem, Contract: hook}, "GuardConfig.Consent is nil"},
		{gdpr.GuardConfig{Register: reg, Objections: mem, Restrictions: mem, Consent: cm}, "GuardConfig.Contract is nil"},
	}
	for _, c := range cases {
		_, err := gdpr.NewGuard(c.cfg)
		assert.ErrorContains(t, err, c.want)
	}

	// A purpose added later that needs a missing collaborator cannot be decided.
	g, err := gdpr.NewGuard(gdpr.GuardConfig{Register: newRegister(t), Objections: mem, Restrictions: mem})
	require.NoError(t, err)
	require.NoError(t, g.Register().Add(purposes()[0]))
	d, err := g.Allow(context.Background(), "frank", "newsletter")
	assert.ErrorIs(t, err, gdpr.ErrNotConfigured)
	assert.NotErrorIs(t, err, gdpr.ErrNoLawfulBasis)
	assert.False(t, d.Allowed)
}

// TestGuardLiftJournalsOnlyRealRemovals: lifting an objection or a
// restriction that does not exist does nothing and journals nothing; a
// purpose that is not a code is refused before anything is deleted.
func TestGuardLiftJournalsOnlyRealRemovals(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, false)

	require.NoError(t, f.guard.LiftObjection(ctx, "erin", "fraud"))
	require.NoError(t, f.guard.LiftObjection(ctx, "erin", gdpr.AllDirectMarketing))
	require.NoError(t, f.guard.LiftRestriction(ctx, "erin"))
	assert.Empty(t, entries(t, f.journal), "nothing was lifted")

	require.NoError(t, f.guard.Object(ctx, gdpr.Objection{Subject: "erin", Purpose: "fraud"}))
	require.NoError(t, f.guard.Restrict(ctx, gdpr.Restriction{Subject: "erin", Ground: gdpr.Accuracy}))
	require.NoError(t, f.guard.LiftObjection(ctx, "erin", "fraud"))
	require.NoError(t, f.guard.LiftObjection(ctx, "erin", "fraud"))
	require.NoError(t, f.guard.LiftRestriction(ctx, "erin"))
	require.NoError(t, f.guard.LiftRestriction(ctx, "erin"))
	var kinds []audit.Kind
	for _, e := range entries(t, f.journal) {
		kinds = append(kinds, e.Kind)
	}
	assert.Equal(t, []audit.Kind{audit.KindObjection, audit.KindRestriction, audit.KindObjectionLifted, audit.KindRestrictionLifted}, kinds,
		"one lift each, the second ones removed nothing")

	// A stored objection under a purpose that is not a code stays put.
	require.NoError(t, f.store.AddObjection(ctx, gdpr.Objection{Subject: "erin", Purpose: "Fraud Team", At: t0}))
	err := f.guard.LiftObjection(ctx, "erin", "Fraud Team")
	assert.ErrorIs(t, err, gdpr.ErrInvalidArgument)
	assert.ErrorContains(t, err, `"Fraud Team"`)
	_, ok, err := f.store.Objection(ctx, "erin", "Fraud Team")
	require.NoError(t, err)
	assert.True(t, ok, "validated before deleting")
	assert.Len(t, entries(t, f.journal), 4)
}
