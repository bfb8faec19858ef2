package consent_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGrantRecordsAgeBand: a grant records the subject's country and age
// band (Art. 8), never the birth month; a birth month proves an age only
// once the whole month has passed, so the band moves at the first instant
// of the next month (UTC).
func TestGrantRecordsAgeBand(t *testing.T) {
	run := func(t *testing.T, store consent.Store) {
		ctx := context.Background()
		c := newClock()
		l := newLedger(t, consent.LedgerConfig{Store: store, Now: c.Now})
		grant := func(subject string, at time.Time, age consent.Age) consent.Status {
			t.Helper()
			c.Set(at)
			r := grantRecord(subject, "games")
			r.Age = age
			events, err := l.Grant(ctx, r)
			require.NoError(t, err)
			assert.Empty(t, events[0].Age.BirthMonth, "the birth month is not kept")
			st, err := l.Status(ctx, subject, "games", time.Time{})
			require.NoError(t, err)
			return st
		}
		lastDay := time.Date(2025, 5, 31, 23, 59, 59, 999999000, time.UTC)
		st := grant("a", lastDay, consent.Age{Country: "de", BirthMonth: "2009-05"})
		assert.Equal(t, consent.Age{Country: "DE", AtLeast: 15}, st.Age, "still in the birth month: 15")
		st = grant("b", lastDay.Add(time.Microsecond), consent.Age{Country: "DE", BirthMonth: "2009-05"})
		assert.Equal(t, consent.Age{Country: "DE", AtLeast: 16}, st.Age, "the month has passed: 16")
		st = grant("c", lastDay, consent.Age{Country: "UK", AtLeast: 13})
		assert.Equal(t, consent.Age{Country: "GB", AtLeast: 13}, st.Age)
		st = grant("d", lastDay, consent.Age{Country: "EL", AtLeast: 18, BirthMonth: "2012-01"})
		assert.Equal(t, consent.Age{Country: "GR", AtLeast: 13}, st.Age, "the lower of the two")

		c.Set(lastDay)
		r := grantRecord("e", "games")
		r.Age = consent.Age{Country: "FR", Parental: true}
		r.Proof.ParentalResponsibility = "parent account p-7, verified by card check"
		_, err := l.Grant(ctx, r)
		require.NoError(t, err)
		hist, err := l.History(ctx, "e", "games")
		require.NoError(t, err)
		require.Len(t, hist, 1)
		assert.Equal(t, consent.Age{Country: "FR", Parental: true}, hist[0].Age)
		assert.Equal(t, "parent account p-7, verified by card check", hist[0].Proof.ParentalResponsibility)

		_, err = l.Withdraw(ctx, withdrawRecord("e", "games"))
		require.NoError(t, err)
		st, err = l.Status(ctx, "e", "games", time.Time{})
		require.NoError(t, err)
		assert.Zero(t, st.Age, "a withdrawal decides, not the grant")
	}
	t.Run("memory", func(t *testing.T) { run(t, consent.NewMemoryStore()) })
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		s, err := consent.NewSQLStore(context.Background(), db)
		require.NoError(t, err)
		run(t, s)
	})
}

// TestGrantRefusesInconsistentAge: Art. 8(2) parental consent needs the
// holder of parental responsibility; a bad country or birth month, or an
// age on a withdrawal, is refused.
func TestGrantRefusesInconsistentAge(t *testing.T) {
	ctx := context.Background()
	l := newLedger(t, consent.LedgerConfig{Now: newClock().Now})
	cases := map[string]consent.Age{
		"parental without holder": {Country: "DE", Parental: true},
		"unknown country":         {Country: "QQ", AtLeast: 16},
		"bad birth month":         {Country: "DE", BirthMonth: "May 2009"},
		"born in the future":      {Country: "DE", BirthMonth: "2031-01"},
		"negative age":            {AtLeast: -1},
	}
	for name, age := range cases {
		r := grantRecord("a", "games")
		r.Age = age
		_, err := l.Grant(ctx, r)
		assert.ErrorIs(t, err, consent.ErrInvalidInput, name)
	}
	w := withdrawRecord("a", "games")
	w.Age = consent.Age{Country: "DE"}
	_, err := l.Withdraw(ctx, w)
	assert.ErrorIs(t, err, consent.ErrInvalidInput)
}

func TestAgeConsentAgeByCountry(t *testing.T) {
	assert.Equal(t, 16, consent.Age{Country: "DE"}.ConsentAge())
	assert.Equal(t, 13, consent.Age{Country: "BE"}.ConsentAge())
	assert.Equal(t, 16, consent.Age{Country: "US"}.ConsentAge(), "outside the table: Art. 8(1)'s 16")
	assert.Equal(t, 16, consent.Age{}.ConsentAge())
	assert.True(t, consent.Age{AtLeast: 16}.Meets(16))
	assert.False(t, consent.Age{AtLeast: 15}.Meets(16))
	assert.True(t, consent.Age{Parental: true}.Meets(16))
}
