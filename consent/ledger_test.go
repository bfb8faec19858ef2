package consent_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

func TestStatusAtInstants(t *testing.T) {
	eachStore(t, func(t *testing.T, s consent.Store) {
		ctx := context.Background()
		c := newClock()
		l := newLedger(t, consent.LedgerConfig{Store: s, Now: c.Now})

		t1 := c.Advance(time.Hour)
		r := grantRecord("alice", "newsletter")
		r.Language = language.German
		granted, err := l.Grant(ctx, r)
		require.NoError(t, err)
		require.Len(t, granted, 1)
		assert.Equal(t, int64(1), granted[0].Seq)
		assert.Equal(t, t1, granted[0].At)
		assert.Equal(t, "203.0.113.9", granted[0].Proof.IP, "the returned event holds the proof as given")

		t2 := c.Advance(24 * time.Hour)
		_, err = l.Withdraw(ctx, withdrawRecord("alice", "newsletter"))
		require.NoError(t, err)
		t3 := c.Advance(24 * time.Hour)
		_, err = l.Grant(ctx, grantRecord("alice", "newsletter"))
		require.NoError(t, err)

		for _, tc := range []struct {
			name  string
			at    time.Time
			state consent.State
			since time.Time
			seq   int64
		}{
			{"before any event", t0, consent.None, time.Time{}, 0},
			{"a nanosecond before the grant", t1.Add(-1), consent.None, time.Time{}, 0},
			{"at the grant", t1, consent.Granted, t1, 1},
			{"between grant and withdrawal", t1.Add(time.Hour), consent.Granted, t1, 1},
			{"at the withdrawal", t2, consent.Withdrawn, t2, 2},
			{"between withdrawal and new grant", t3.Add(-time.Minute), consent.Withdrawn, t2, 2},
			{"at the new grant", t3, consent.Granted, t3, 3},
			{"long after", t3.AddDate(5, 0, 0), consent.Granted, t3, 3},
		} {
			st, err := l.Status(ctx, "alice", "newsletter", tc.at)
			require.NoError(t, err, tc.name)
			assert.Equal(t, tc.state, st.State, tc.name)
			assert.True(t, tc.since.Equal(st.Since), "%s: since %v, want %v", tc.name, st.Since, tc.since)
			assert.Equal(t, tc.seq, st.Seq, tc.name)
			assert.Equal(t, tc.at, st.At, tc.name)
			assert.Equal(t, tc.state == consent.Granted, st.Given(), tc.name)
		}

		st, err := l.Status(ctx, "alice", "newsletter", time.Time{})
		require.NoError(t, err)
		assert.Equal(t, consent.Granted, st.State, "zero instant means now")
		assert.Equal(t, c.Now(), st.At)

		st, err = l.Status(ctx, "alice", "ads", t3)
		require.NoError(t, err)
		assert.Equal(t, consent.None, st.State, "another purpose is untouched")

		history, err := l.History(ctx, "alice", "newsletter")
		require.NoError(t, err)
		require.Len(t, history, 3)
		assert.Equal(t, []consent.EventKind{consent.Grant, consent.Withdrawal, consent.Grant},
			[]consent.EventKind{history[0].Kind, history[1].Kind, history[2].Kind})
		assert.Equal(t, "v1", history[0].Notice)
		assert.Equal(t, "de", history[0].Language.String())
		assert.Equal(t, consent.MethodCheckbox, history[0].Method)
		assert.Equal(t, "web/signup", history[0].Source)
		assert.Equal(t, "203.0.113.9", history[0].Proof.IP)
		assert.Equal(t, "alice", history[0].Proof.Subject)
		assert.False(t, history[0].Proof.Erased)
	})
}

func TestMaterialNoticeChangeRequiresNewConsent(t *testing.T) {
	eachStore(t, func(t *testing.T, s consent.Store) {
		ctx := context.Background()
		c := newClock()
		l := newLedger(t, consent.LedgerConfig{Store: s, Now: c.Now})

		require.NoError(t, l.Publish(ctx, consent.Notice{Purpose: "newsletter", Version: "v1", Effective: t0.AddDate(-1, 0, 0)}),
			"a non-material version may be registered for the past")
		granted := c.Advance(time.Hour)
		_, err := l.Grant(ctx, grantRecord("alice", "newsletter"))
		require.NoError(t, err)

		unknown := grantRecord("alice", "newsletter")
		unknown.Notice = "v7"
		_, err = l.Grant(ctx, unknown)
		require.ErrorIs(t, err, consent.ErrUnknownNotice)
		var ne *consent.NoticeError
		require.ErrorAs(t, err, &ne)
		assert.Equal(t, "v7", ne.Version)

		c.Advance(time.Hour)
		require.NoError(t, l.Publish(ctx, consent.Notice{Purpose: "newsletter", Version: "v1.1"}), "a wording fix")
		st, err := l.Status(ctx, "alice", "newsletter", c.Now())
		require.NoError(t, err)
		assert.Equal(t, consent.Granted, st.State, "a non-material change keeps consent")

		err = l.Publish(ctx, consent.Notice{Purpose: "newsletter", Version: "v2", Material: true, Effective: c.Now().Add(-time.Second)})
		assert.ErrorIs(t, err, consent.ErrRetroactive, "a material change cannot rewrite the past")
		assert.ErrorIs(t, l.Publish(ctx, consent.Notice{Purpose: "newsletter", Version: "v1", Material: true, Effective: c.Now()}),
			consent.ErrNoticeExists)

		effective := c.Now().Add(7 * 24 * time.Hour)
		require.NoError(t, l.Publish(ctx, consent.Notice{Purpose: "newsletter", Version: "v2", Material: true, Effective: effective}))

		st, err = l.Status(ctx, "alice", "newsletter", effective.Add(-time.Nanosecond))
		require.NoError(t, err)
		assert.Equal(t, consent.Granted, st.State, "until the new notice takes effect")
		st, err = l.Status(ctx, "alice", "newsletter", effective)
		require.NoError(t, err)
		assert.Equal(t, consent.Outdated, st.State)
		assert.False(t, st.Given())
		assert.True(t, effective.Equal(st.Since))
		assert.Equal(t, "v2", st.SupersededBy)
		assert.Equal(t, "v1", st.Notice)
		st, err = l.Status(ctx, "alice", "newsletter", granted)
		require.NoError(t, err)
		assert.Equal(t, consent.Granted, st.State, "the past is not rewritten")

		c.Set(effective.Add(time.Hour))
		stale := grantRecord("alice", "newsletter") // a page cached from before v2
		_, err = l.Grant(ctx, stale)
		require.ErrorIs(t, err, consent.ErrSupersededNotice, "consent under a superseded notice is refused")
		require.ErrorAs(t, err, &ne)
		assert.Equal(t, "v1", ne.Version)
		assert.Equal(t, "newsletter", ne.Purpose)
		assert.ErrorContains(t, err, `notice "v1" of purpose "newsletter"`)
		st, err = l.Status(ctx, "alice", "newsletter", c.Now())
		require.NoError(t, err)
		assert.Equal(t, consent.Outdated, st.State, "the refused grant is not recorded")
		assert.True(t, effective.Equal(st.Since), "outdated since v2 took effect")
		history, err := l.History(ctx, "alice", "newsletter")
		require.NoError(t, err)
		assert.Len(t, history, 1, "nothing stored for the refused grant")

		wording := grantRecord("alice", "newsletter")
		wording.Notice = "v1.1"
		_, err = l.Grant(ctx, wording)
		assert.ErrorIs(t, err, consent.ErrSupersededNotice, "a wording fix of the old notice is superseded too")

		fresh := grantRecord("alice", "newsletter")
		fresh.Notice = "v2"
		reconsent := c.Advance(time.Minute)
		_, err = l.Grant(ctx, fresh)
		require.NoError(t, err)
		st, err = l.Status(ctx, "alice", "newsletter", c.Now())
		require.NoError(t, err)
		assert.Equal(t, consent.Granted, st.State, "re-consent under the new notice")
		assert.Equal(t, "v2", st.Notice)
		assert.True(t, reconsent.Equal(st.Since))
		assert.Empty(t, st.SupersededBy)

		notices, err := l.Notices(ctx, "newsletter")
		require.NoError(t, err)
		assert.Len(t, notices, 3)
	})
}

func TestExpiry(t *testing.T) {
	eachStore(t, func(t *testing.T, s consent.Store) {
		ctx := context.Background()
		c := newClock()
		const month = 30 * 24 * time.Hour
		l := newLedger(t, consent.LedgerConfig{
			Store:           s,
			Now:             c.Now,
			Validity:        6 * month,
			PurposeValidity: map[string]time.Duration{"cookies": month, "research": 0},
		})
		events, err := l.Grant(ctx, grantRecord("alice", "newsletter", "cookies", "research"))
		require.NoError(t, err)
		require.Len(t, events, 3)
		assert.Equal(t, []int64{1, 2, 3}, []int64{events[0].Seq, events[1].Seq, events[2].Seq})
		assert.True(t, t0.Add(6*month).Equal(events[0].Expires), "LedgerConfig.Validity")
		assert.True(t, t0.Add(month).Equal(events[1].Expires), "LedgerConfig.PurposeValidity")
		assert.True(t, events[2].Expires.IsZero(), "a zero purpose validity never expires")

		st, err := l.Status(ctx, "alice", "cookies", t0.Add(month-time.Nanosecond))
		require.NoError(t, err)
		assert.Equal(t, consent.Granted, st.State)
		assert.True(t, t0.Add(month).Equal(st.Expires), "a holding consent tells when it lapses")

		st, err = l.Status(ctx, "alice", "cookies", t0.Add(month))
		require.NoError(t, err)
		assert.Equal(t, consent.Expired, st.State)
		assert.True(t, t0.Add(month).Equal(st.Since))
		assert.True(t, st.Expires.IsZero())

		st, err = l.Status(ctx, "alice", "research", t0.AddDate(10, 0, 0))
		require.NoError(t, err)
		assert.Equal(t, consent.Granted, st.State)

		short := grantRecord("bob", "newsletter")
		short.Expires = t0.Add(48 * time.Hour)
		events, err = l.Grant(ctx, short)
		require.NoError(t, err)
		assert.True(t, short.Expires.Equal(events[0].Expires), "a record's own end comes first")
		st, err = l.Status(ctx, "bob", "newsletter", t0.Add(48*time.Hour))
		require.NoError(t, err)
		assert.Equal(t, consent.Expired, st.State)

		late := grantRecord("bob", "cookies")
		late.Expires = t0.Add(12 * month)
		events, err = l.Grant(ctx, late)
		require.NoError(t, err)
		assert.True(t, t0.Add(month).Equal(events[0].Expires), "the configured validity is not extended by a record")

		expiring := c.Advance(time.Hour)
		_, err = l.Expire(ctx, consent.Act{Subject: "alice", Purposes: []string{"research"}, Method: consent.MethodSystem})
		require.NoError(t, err)
		st, err = l.Status(ctx, "alice", "research", expiring)
		require.NoError(t, err)
		assert.Equal(t, consent.Expired, st.State, "an expiry event")
		assert.True(t, expiring.Equal(st.Since))
	})
}

func TestExpiredBeforeOutdated(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	l := newLedger(t, consent.LedgerConfig{Now: c.Now, Validity: time.Hour})
	_, err := l.Grant(ctx, grantRecord("alice", "news"))
	require.NoError(t, err)
	require.NoError(t, l.Publish(ctx, consent.Notice{Purpose: "news", Version: "v2", Material: true, Effective: t0.Add(2 * time.Hour)}))
	st, err := l.Status(ctx, "alice", "news", t0.Add(3*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, consent.Expired, st.State, "the first reason to stop holding is reported")
	assert.True(t, t0.Add(time.Hour).Equal(st.Since))
	assert.Empty(t, st.SupersededBy)
}

func TestWithdrawAll(t *testing.T) {
	eachStore(t, func(t *testing.T, s consent.Store) {
		ctx := context.Background()
		c := newClock()
		l := newLedger(t, consent.LedgerConfig{Store: s, Now: c.Now})
		_, err := l.Grant(ctx, grantRecord("alice", "news", "ads", "research"))
		require.NoError(t, err)
		c.Advance(time.Minute)
		_, err = l.Withdraw(ctx, withdrawRecord("alice", "ads"))
		require.NoError(t, err)
		_, err = l.Grant(ctx, grantRecord("bob", "news"))
		require.NoError(t, err)

		c.Advance(time.Minute)
		withdrawn, err := l.WithdrawAll(ctx, consent.Act{Subject: "alice", Method: consent.MethodGPC})
		require.NoError(t, err)
		require.Len(t, withdrawn, 2, "only what was granted")
		assert.Equal(t, "news", withdrawn[0].Purpose)
		assert.Equal(t, "research", withdrawn[1].Purpose)
		assert.Equal(t, consent.MethodGPC, withdrawn[0].Method)

		statuses, err := l.Statuses(ctx, "alice", c.Now())
		require.NoError(t, err)
		require.Len(t, statuses, 3)
		for _, st := range statuses {
			assert.Equal(t, consent.Withdrawn, st.State, st.Purpose)
		}
		st, err := l.Status(ctx, "bob", "news", c.Now())
		require.NoError(t, err)
		assert.Equal(t, consent.Granted, st.State, "another subject is untouched")

		again, err := l.WithdrawAll(ctx, consent.Act{Subject: "alice"})
		require.NoError(t, err)
		assert.Empty(t, again, "nothing left to withdraw")

		_, err = l.WithdrawAll(ctx, consent.Act{Subject: "alice", Purposes: []string{"news"}})
		assert.ErrorIs(t, err, consent.ErrInvalidInput)
	})
}

// TestWithdrawAllDecidesBySequence has a grant recorded by an instance
// whose clock runs ahead: WithdrawAll on an instance with a correct clock
// must still withdraw it, and it must never take effect later.
func TestWithdrawAllDecidesBySequence(t *testing.T) {
	eachTwoInstances(t, func(t *testing.T, a, b consent.Store) {
		ctx := context.Background()
		fast := newLedger(t, consent.LedgerConfig{Store: a, Now: func() time.Time { return t0.Add(2 * time.Second) }})
		correct := newLedger(t, consent.LedgerConfig{Store: b, Now: func() time.Time { return t0 }})
		_, err := fast.Grant(ctx, grantRecord("alice", "news"))
		require.NoError(t, err)

		withdrawn, err := correct.WithdrawAll(ctx, consent.Act{Subject: "alice", Method: consent.MethodSystem})
		require.NoError(t, err)
		require.Len(t, withdrawn, 1, "the grant stamped ahead of this clock is withdrawn")
		assert.Equal(t, "news", withdrawn[0].Purpose)

		for _, l := range []*consent.Ledger{fast, correct} {
			st, err := l.Status(ctx, "alice", "news", t0.Add(time.Hour))
			require.NoError(t, err)
			assert.Equal(t, consent.Withdrawn, st.State, "the grant does not take effect later")
		}
		again, err := fast.WithdrawAll(ctx, consent.Act{Subject: "alice"})
		require.NoError(t, err)
		assert.Empty(t, again, "the last event in sequence is a withdrawal")
	})
}

// TestWithdrawAllWithdrawsLapsedConsent: WithdrawAll leaves no purpose
// whose last event is a grant or an expiry, so that a grant cannot be
// revived by anything but a new grant.
func TestWithdrawAllWithdrawsLapsedConsent(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	l := newLedger(t, consent.LedgerConfig{Now: c.Now, Validity: time.Hour})
	_, err := l.Grant(ctx, grantRecord("alice", "news", "ads"))
	require.NoError(t, err)
	_, err = l.Expire(ctx, withdrawRecord("alice", "ads"))
	require.NoError(t, err)
	c.Advance(2 * time.Hour)
	withdrawn, err := l.WithdrawAll(ctx, consent.Act{Subject: "alice"})
	require.NoError(t, err)
	require.Len(t, withdrawn, 2)
	assert.Equal(t, []string{"ads", "news"}, []string{withdrawn[0].Purpose, withdrawn[1].Purpose})
}

func TestRecordValidation(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	l := newLedger(t, consent.LedgerConfig{Now: c.Now})
	for _, tc := range []struct {
		name  string
		edit  func(*consent.Act)
		field string
	}{
		{"no subject", func(r *consent.Act) { r.Subject = "" }, "Act.Subject"},
		{"subject with a newline", func(r *consent.Act) { r.Subject = "alice\n" }, "Act.Subject"},
		{"subject padded", func(r *consent.Act) { r.Subject = " alice" }, "Act.Subject"},
		{"subject too long", func(r *consent.Act) { r.Subject = strings.Repeat("a", 256) }, "Act.Subject"},
		{"subject not UTF-8", func(r *consent.Act) { r.Subject = "\xff" }, "Act.Subject"},
		{"no purposes", func(r *consent.Act) { r.Purposes = nil }, "Act.Purposes"},
		{"empty purpose", func(r *consent.Act) { r.Purposes = []string{"news", ""} }, "Act.Purposes[1]"},
		{"purpose twice", func(r *consent.Act) { r.Purposes = []string{"news", "news"} }, "Act.Purposes[1]"},
		{"no notice", func(r *consent.Act) { r.Notice = "" }, "Act.Notice"},
		{"no method", func(r *consent.Act) { r.Method = "" }, "Act.Method"},
		{"expires in the past", func(r *consent.Act) { r.Expires = t0.Add(-time.Hour) }, "Act.Expires"},
		{"proof of someone else", func(r *consent.Act) { r.Proof.Subject = "bob" }, "Act.Proof.Subject"},
	} {
		r := grantRecord("alice", "news")
		tc.edit(&r)
		_, err := l.Grant(ctx, r)
		require.ErrorIs(t, err, consent.ErrInvalidInput, tc.name)
		var fe *consent.InputError
		require.ErrorAs(t, err, &fe, tc.name)
		assert.Equal(t, tc.field, fe.Field, tc.name)
		assert.Contains(t, err.Error(), tc.field, "%s: the message names the field", tc.name)
	}

	_, err := l.Withdraw(ctx, consent.Act{Subject: "alice", Purposes: []string{"news"}})
	assert.NoError(t, err, "a withdrawal needs only subject and purposes")
	_, err = l.Withdraw(ctx, consent.Act{Subject: "alice", Purposes: []string{"news"}, Expires: t0.Add(time.Hour)})
	assert.ErrorIs(t, err, consent.ErrInvalidInput, "only grants expire")

	_, err = l.Status(ctx, "", "news", t0)
	assert.ErrorIs(t, err, consent.ErrInvalidInput)
	_, err = l.Status(ctx, "alice", "", t0)
	assert.ErrorIs(t, err, consent.ErrInvalidInput)
	_, err = l.History(ctx, "", "")
	assert.ErrorIs(t, err, consent.ErrInvalidInput)

	history, err := l.History(ctx, "alice", "")
	require.NoError(t, err)
	assert.Len(t, history, 1, "refused records store nothing")
}

func TestErrorMessagesOmitTheSubject(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t, consent.LedgerConfig{})
	r := grantRecord("alice@example.com", "news")
	r.Notice = ""
	_, err := l.Grant(ctx, r)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "alice@example.com")
}

func TestStateAndKindText(t *testing.T) {
	for s := consent.None; s <= consent.Outdated; s++ {
		text, err := s.MarshalText()
		require.NoError(t, err)
		var back consent.State
		require.NoError(t, back.UnmarshalText(text))
		assert.Equal(t, s, back)
		assert.Equal(t, s.String(), string(text))
	}
	var st consent.State
	assert.Error(t, st.UnmarshalText([]byte("maybe")))
	_, err := consent.State(9).MarshalText()
	assert.Error(t, err)
	assert.Equal(t, "unknown", consent.State(9).String())

	for k := consent.Grant; k <= consent.Expiry; k++ {
		text, err := k.MarshalText()
		require.NoError(t, err)
		var back consent.EventKind
		require.NoError(t, back.UnmarshalText(text))
		assert.Equal(t, k, back)
	}
	_, err = consent.ParseEventKind("revoke")
	assert.ErrorContains(t, err, `"revoke"`)
	_, err = consent.EventKind(0).MarshalText()
	assert.Error(t, err)
	assert.Equal(t, "EventKind(7)", consent.EventKind(7).String())
}

// failingStore fails every call, to check that store errors reach the caller.
type failingStore struct{ consent.Store }

var errDown = errors.New("database down")

func (failingStore) Append(context.Context, []consent.Event) error { return errDown }
func (failingStore) Latest(context.Context, string, string, time.Time) (consent.Event, bool, error) {
	return consent.Event{}, false, errDown
}
func (failingStore) Last(context.Context, string, string) (consent.Event, bool, error) {
	return consent.Event{}, false, errDown
}

func TestStoreErrorsReachTheCaller(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t, consent.LedgerConfig{Store: failingStore{consent.NewMemoryStore()}})
	_, err := l.Grant(ctx, grantRecord("alice", "news"))
	assert.ErrorIs(t, err, errDown)
	_, err = l.Status(ctx, "alice", "news", time.Time{})
	assert.ErrorIs(t, err, errDown, "a failing store is never read as None")
	_, err = l.Status(ctx, "alice", "news", t0)
	assert.ErrorIs(t, err, errDown, "nor at an explicit instant")
}

// TestNewRefusesInvalidConfig checks that every configuration New refuses,
// a missing store first of all, matches ErrInvalidConfig and not the
// sentinel of invalid input.
func TestNewRefusesInvalidConfig(t *testing.T) {
	store := consent.NewMemoryStore()
	for name, cfg := range map[string]consent.LedgerConfig{
		"no store":                  {Now: time.Now},
		"negative validity":         {Store: store, Validity: -time.Hour},
		"negative purpose validity": {Store: store, PurposeValidity: map[string]time.Duration{"ads": -1}},
	} {
		t.Run(name, func(t *testing.T) {
			l, err := consent.New(cfg)
			assert.Nil(t, l)
			require.ErrorIs(t, err, consent.ErrInvalidConfig)
			assert.NotErrorIs(t, err, consent.ErrInvalidInput)
			assert.True(t, strings.HasPrefix(err.Error(), "consent: "), err.Error())
		})
	}
	_, err := consent.New(consent.LedgerConfig{Store: store, PurposeValidity: map[string]time.Duration{"ads": -1}})
	assert.ErrorContains(t, err, `LedgerConfig.PurposeValidity["ads"]`)

	_, err = consent.NewSQLStore(context.Background(), nil)
	assert.ErrorIs(t, err, consent.ErrInvalidConfig)
	assert.True(t, strings.HasPrefix(err.Error(), "consent: "), err.Error())
}
