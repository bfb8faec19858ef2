package retention

import (
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustPeriod(t testing.TB, s string) Period {
	t.Helper()
	p, err := ParsePeriod(s)
	require.NoError(t, err)
	return p
}

func TestPrecedence(t *testing.T) {
	p, err := NewPolicy(
		Rule{Name: "catch-all", Period: mustPeriod(t, "P10Y"), Action: Review},
		Rule{Name: "marketing", Purpose: "marketing", Period: mustPeriod(t, "P2Y"), Action: Erase},
		Rule{Name: "contact", Category: pii.Category("user.contact"), Period: mustPeriod(t, "P3Y"), Action: Erase},
		Rule{Name: "email", Category: pii.Email, Period: mustPeriod(t, "P1Y"), Action: Erase},
		Rule{Name: "contact-marketing", Category: "user.contact", Purpose: "marketing", Period: mustPeriod(t, "P6M"), Action: Erase},
		Rule{Name: "email-marketing", Category: "email", Purpose: "marketing", Period: mustPeriod(t, "P30D"), Action: Anonymise},
	)
	require.NoError(t, err)
	decides := func(c pii.Category, purpose string) string {
		m := p.Match(c, purpose)
		if len(m) == 0 {
			return ""
		}
		require.Len(t, m, 1)
		return m[0].Name
	}
	// Category and purpose over category over purpose over catch-all.
	assert.Equal(t, "email-marketing", decides(pii.Email, "marketing"))
	assert.Equal(t, "email", decides(pii.Email, "billing"))
	assert.Equal(t, "email", decides(pii.Email, ""))
	assert.Equal(t, "marketing", decides(pii.Health, "marketing"))
	assert.Equal(t, "catch-all", decides(pii.Health, "billing"))
	assert.Equal(t, "catch-all", decides("", ""))
	// A deeper category key over its parent, at the same level.
	assert.Equal(t, "contact-marketing", decides(pii.Phone, "marketing"))
	assert.Equal(t, "contact", decides(pii.Phone, "billing"))
	// Category and purpose beat a deeper key without purpose.
	assert.Equal(t, "contact-marketing", decides(pii.Address, "marketing"))
	// Aliases and categories nobody registered resolve through their parent.
	assert.Equal(t, "email-marketing", decides("email", "marketing"))
	assert.Equal(t, "contact", decides("user.contact.fax", ""))
	assert.Equal(t, "email", decides("user.contact.email.work", ""))
	assert.Equal(t, "catch-all", decides("user.unknownthing", ""))
}

func TestEqualRulesLongestWins(t *testing.T) {
	p, err := NewPolicy(
		Rule{Name: "a-year-after-collection", Category: pii.Email, Period: mustPeriod(t, "P1Y"), From: Collection, Action: Erase},
		Rule{Name: "a-month-after-activity", Category: pii.Email, Period: mustPeriod(t, "P1M"), From: LastActivity, Action: Review},
	)
	require.NoError(t, err)
	assert.Len(t, p.Match(pii.Email, ""), 2, "both are equally specific")

	collected := time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC)
	c := Candidate{Categories: []pii.Category{pii.Email}, Collected: collected, LastActive: collected.AddDate(0, 3, 0)}
	now := collected.AddDate(0, 6, 0)
	v := p.Evaluate(&c, now, nil)
	require.Len(t, v, 1)
	assert.Equal(t, "a-year-after-collection", v[0].Rule.Name, "the year ends later than a month after activity")
	assert.Equal(t, Retained, v[0].State)

	c.LastActive = collected.AddDate(2, 0, 0)
	v = p.Evaluate(&c, now.AddDate(2, 0, 0), v)
	assert.Equal(t, "a-month-after-activity", v[0].Rule.Name, "late activity now keeps the data longest")
	assert.Equal(t, Expired, v[0].State)
	assert.Equal(t, Review, v[0].Rule.Action)

	c.LastActive = time.Time{}
	v = p.Evaluate(&c, now, v)
	assert.Equal(t, Undetermined, v[0].State, "an unknown trigger time keeps the data")
}

func TestNewPolicyRejects(t *testing.T) {
	year := Period{Years: 1}
	for _, tc := range []struct {
		name  string
		rules []Rule
		is    error
		want  string
	}{
		{"no name", []Rule{{Period: year, Action: Erase}}, ErrInvalidRule, "rule #0: Name"},
		{"no action", []Rule{{Name: "r", Period: year}}, ErrInvalidRule, `rule "r": Action: missing`},
		{"shred", []Rule{{Name: "r", Period: year, Action: Shred}}, ErrInvalidRule, "shred is taken"},
		{"unknown action", []Rule{{Name: "r", Period: year, Action: 42}}, ErrInvalidRule, "unknown action 42"},
		{"unknown category", []Rule{{Name: "r", Category: "user.nope", Period: year, Action: Erase}}, ErrInvalidRule, `Category: unknown category "user.nope"`},
		{"bad period", []Rule{{Name: "r", Period: Period{Days: -3}, Action: Erase}}, ErrInvalidPeriod, "Period"},
		{"bad trigger", []Rule{{Name: "r", Period: year, From: "Contract End", Action: Erase}}, ErrInvalidRule, "From: trigger"},
		{"spaced purpose", []Rule{{Name: "r", Purpose: " ads", Period: year, Action: Erase}}, ErrInvalidRule, "surrounding space"},
		{"duplicate name", []Rule{{Name: "r", Period: year, Action: Erase}, {Name: "r", Purpose: "x", Period: year, Action: Erase}}, ErrInvalidRule, "duplicate name"},
		{"different periods", []Rule{
			{Name: "a", Category: pii.Email, Period: year, Action: Erase},
			{Name: "b", Category: "email", Period: Period{Years: 2}, Action: Erase},
		}, ErrRuleConflict, `rules "a" and "b" both cover user.contact.email for any purpose from collection`},
		{"different actions", []Rule{
			{Name: "a", Purpose: "ads", Period: year, From: LastActivity, Action: Erase},
			{Name: "b", Purpose: "ads", Period: year, From: LastActivity, Action: Review},
		}, ErrRuleConflict, "any category for ads from last_activity"},
		{"identical", []Rule{
			{Name: "a", Period: year, Action: Erase},
			{Name: "b", Period: year, From: Collection, Action: Erase},
		}, ErrRuleConflict, "merge them"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := NewPolicy(tc.rules...)
			assert.Nil(t, p)
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.is)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	var ce *RuleConflictError
	_, err := NewPolicy(Rule{Name: "a", Period: year, Action: Erase}, Rule{Name: "b", Period: year, Action: Review})
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "a", ce.First)
	assert.Equal(t, "b", ce.Second)

	_, err = NewPolicy(Rule{Period: year}, Rule{Name: "x", Period: year, Action: 9})
	assert.ErrorContains(t, err, "#0")
	assert.ErrorContains(t, err, `"x"`, "every fault is reported at once")
	var re *RuleError
	require.ErrorAs(t, err, &re)
}

func TestSameScopeDifferentTriggersIsNoConflict(t *testing.T) {
	_, err := NewPolicy(
		Rule{Name: "a", Category: pii.Email, Period: mustPeriod(t, "P1Y"), Action: Erase},
		Rule{Name: "b", Category: pii.Email, Period: mustPeriod(t, "P1Y"), From: "account_closed", Action: Erase},
	)
	assert.NoError(t, err)
}

func TestRulesAreNormalised(t *testing.T) {
	p, err := NewPolicy(Rule{Name: "r", Category: "email", Period: mustPeriod(t, "P30D"), Action: Erase})
	require.NoError(t, err)
	rules := p.Rules()
	require.Len(t, rules, 1)
	assert.Equal(t, pii.Email, rules[0].Category, "alias resolved to its key")
	assert.Equal(t, Collection, rules[0].From, "empty trigger means collection")
	rules[0].Name = "changed"
	assert.Equal(t, "r", p.Rules()[0].Name, "Rules returns a copy")
}

func TestEvaluate(t *testing.T) {
	p, err := NewPolicy(
		Rule{Name: "email", Category: pii.Email, Period: mustPeriod(t, "P30D"), Action: Erase},
		Rule{Name: "contact", Category: "user.contact", Period: mustPeriod(t, "P1Y"), Action: Anonymise},
		Rule{Name: "closed", Category: pii.Financial, Period: mustPeriod(t, "P10Y"), From: "account_closed", Action: Erase},
		Rule{Name: "records", Purpose: "support", Period: mustPeriod(t, "P2Y"), From: ContractEnd, Action: Review},
	)
	require.NoError(t, err)
	collected := time.Date(2025, 1, 31, 9, 0, 0, 0, time.UTC)
	c := Candidate{
		Subject: "s1", Record: "r1", Categories: []pii.Category{pii.Email, pii.Phone, pii.Address, pii.BankAccount, pii.Health},
		Collected: collected,
	}
	now := collected.AddDate(0, 2, 0)
	v := p.Evaluate(&c, now, nil)
	require.Len(t, v, 5)
	assert.Equal(t, pii.Email, v[0].Category)
	assert.Equal(t, Expired, v[0].State)
	assert.True(t, time.Date(2025, 3, 2, 9, 0, 0, 0, time.UTC).Equal(v[0].Due), "%s", v[0].Due)
	assert.Equal(t, "contact", v[1].Rule.Name)
	assert.Equal(t, Retained, v[1].State)
	assert.True(t, collected.AddDate(1, 0, 0).Equal(v[1].Due))
	assert.Equal(t, pii.Address, v[2].Category, "shares the phone's verdict, with its own category")
	assert.Equal(t, "contact", v[2].Rule.Name)
	assert.Equal(t, Undetermined, v[3].State, "account_closed unknown")
	assert.Equal(t, Unruled, v[4].State)
	assert.Nil(t, v[4].Rule)

	c.Events = map[string]time.Time{"account_closed": collected}
	v = p.Evaluate(&c, collected.AddDate(10, 0, 0), v)
	assert.Equal(t, Expired, v[3].State, "a caller-defined trigger counts from Events")

	// A record listing no categories is judged as a whole by category-less rules.
	whole := Candidate{Purpose: "support", ContractEnd: collected}
	v = p.Evaluate(&whole, collected.AddDate(2, 0, 0), v)
	require.Len(t, v, 1)
	assert.Equal(t, pii.Category(""), v[0].Category)
	assert.Equal(t, "records", v[0].Rule.Name)
	assert.Equal(t, Expired, v[0].State, "due exactly now is expired")
	v = p.Evaluate(&whole, collected.AddDate(2, 0, 0).Add(-time.Nanosecond), v)
	assert.Equal(t, Retained, v[0].State)
}

func TestEvaluateDoesNotAllocate(t *testing.T) {
	p, err := NewPolicy(
		Rule{Name: "email", Category: pii.Email, Period: mustPeriod(t, "P30D"), Action: Erase},
		Rule{Name: "ads", Purpose: "ads", Period: mustPeriod(t, "P1Y"), From: LastActivity, Action: Erase},
	)
	require.NoError(t, err)
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	c := Candidate{Purpose: "ads", Categories: []pii.Category{pii.Email, pii.IPAddress, "e-mail", "ip"}, Collected: now, LastActive: now}
	buf := p.Evaluate(&c, now, nil)
	allocs := testing.AllocsPerRun(100, func() { buf = p.Evaluate(&c, now, buf) })
	assert.Zero(t, allocs)
}

func TestEvaluateSubject(t *testing.T) {
	p, err := NewPolicy(
		Rule{Name: "email", Category: pii.Email, Period: mustPeriod(t, "P30D"), Action: Erase},
		Rule{Name: "billing", Category: pii.Billing, Purpose: "accounting", Period: mustPeriod(t, "P10Y"), Action: Erase},
		Rule{Name: "ads", Purpose: "ads", Period: mustPeriod(t, "P1Y"), Action: Erase},
	)
	require.NoError(t, err)
	last := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	now := last.AddDate(2, 0, 0)

	s := Subject{ID: "s", LastActive: last, Categories: []pii.Category{pii.Email}, Purposes: []string{"ads"}}
	v := p.EvaluateSubject(&s, now)
	assert.Equal(t, Expired, v.State)
	assert.Equal(t, "ads", v.Rule.Name, "the rule that runs out last")

	s.Purposes = []string{"ads", "accounting"}
	s.Categories = []pii.Category{pii.Email, pii.Billing}
	v = p.EvaluateSubject(&s, now)
	assert.Equal(t, Retained, v.State, "billing data is kept ten years")
	assert.Equal(t, "billing", v.Rule.Name)

	s.Categories, s.Purposes = nil, nil
	v = p.EvaluateSubject(&s, now)
	assert.Equal(t, "billing", v.Rule.Name, "unknown data: every rule applies")

	s = Subject{ID: "s", LastActive: last, Categories: []pii.Category{pii.Health}, Purposes: []string{"care"}}
	assert.Equal(t, Unruled, p.EvaluateSubject(&s, now).State)
	s = Subject{ID: "s", Categories: []pii.Category{pii.Email}}
	assert.Equal(t, Undetermined, p.EvaluateSubject(&s, now).State)
}

func TestEvaluateResolvesAliases(t *testing.T) {
	p, err := NewPolicy(
		Rule{Name: "email", Category: pii.Email, Period: Period{Years: 5}, Action: Erase},
		Rule{Name: "all", Period: Period{Days: 30}, Action: Erase},
	)
	require.NoError(t, err)
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	c := Candidate{Subject: "s", Record: "r", Categories: []pii.Category{"email", "e-mail", pii.Email, "user", "emial"}, Collected: now.AddDate(0, 0, -60)}
	v := p.Evaluate(&c, now, nil)
	require.Len(t, v, 5)
	for _, x := range v[:3] {
		assert.Equal(t, pii.Email, x.Category, "judged as its key")
		assert.Equal(t, "email", x.Rule.Name, "the e-mail rule decides, not the catch-all")
		assert.Equal(t, Retained, x.State)
	}
	assert.Equal(t, "all", v[3].Rule.Name, "a parent key no rule names")
	assert.Equal(t, Expired, v[3].State)
	assert.Equal(t, Verdict{Category: "emial", State: UnknownCategory}, v[4])
	assert.Equal(t, "unknown category", v[4].State.String())
}

func TestEvaluateSubjectResolvesAliases(t *testing.T) {
	p, err := NewPolicy(
		Rule{Name: "email", Category: pii.Email, Period: Period{Years: 5}, Action: Erase},
		Rule{Name: "health", Category: pii.Health, Period: Period{Years: 1}, Action: Erase},
	)
	require.NoError(t, err)
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	s := Subject{ID: "s", LastActive: now.AddDate(-2, 0, 0), Categories: []pii.Category{"e-mail"}}
	v := p.EvaluateSubject(&s, now)
	require.NotNil(t, v.Rule)
	assert.Equal(t, "email", v.Rule.Name, "the alias brings the e-mail rule in")
	assert.Equal(t, Retained, v.State)

	s.Categories = []pii.Category{pii.Health, "emial"}
	assert.Equal(t, Verdict{Category: "emial", State: UnknownCategory}, p.EvaluateSubject(&s, now), "kept, never shredded")
}
