package consent_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzMemoryLatest checks the MemoryStore's indexed Latest against a plain
// scan of the events: of those not after the instant, the highest Seq. The
// input is read two bytes at a time: an operation (append a grant, append a
// withdrawal, query) with a purpose, and a time in seconds, so that times
// arrive out of order, as from skewed clocks.
func FuzzMemoryLatest(f *testing.F) {
	f.Add([]byte{0, 10, 1, 20, 2, 15, 0, 5, 2, 5, 2, 30})
	f.Add([]byte{0, 50, 4, 40, 1, 30, 5, 20, 2, 45, 6, 25, 2, 60})
	f.Add([]byte{0, 7, 0, 7, 1, 7, 2, 7, 2, 6})
	f.Fuzz(func(t *testing.T, ops []byte) {
		ctx := context.Background()
		s := consent.NewMemoryStore()
		var all []consent.Event
		for i := 0; i+1 < len(ops); i += 2 {
			op, when := ops[i], t0.Add(time.Duration(ops[i+1])*time.Second)
			purpose := "p" + string('0'+rune(op>>2&1))
			switch op % 3 {
			case 0, 1:
				k := consent.Grant
				if op%3 == 1 {
					k = consent.Withdrawal
				}
				batch := []consent.Event{{Subject: "s", Purpose: purpose, Kind: k, At: when}}
				require.NoError(t, s.Append(ctx, batch))
				require.Equal(t, int64(len(all)+1), batch[0].Seq)
				all = append(all, batch[0])
			case 2:
				var want consent.Event
				for _, e := range all {
					if e.Purpose == purpose && !e.At.After(when) && e.Seq > want.Seq {
						want = e
					}
				}
				got, ok, err := s.Latest(ctx, "s", purpose, when)
				require.NoError(t, err)
				assert.Equal(t, want.Seq != 0, ok)
				assert.Equal(t, want.Seq, got.Seq, "%s at +%ds", purpose, ops[i+1])
			}
		}
		events, err := s.Events(ctx, "s", "")
		require.NoError(t, err)
		assert.Equal(t, len(all), len(events))
		for i := range events {
			assert.Equal(t, int64(i+1), events[i].Seq)
		}
	})
}

// FuzzGrant records grants with arbitrary text and checks that the ledger
// either refuses them with a *InputError or stores them so that they read
// back unchanged; it never panics.
func FuzzGrant(f *testing.F) {
	f.Add("user-42", "newsletter", "v1", "form", "web/signup", "203.0.113.9")
	f.Add("", "", "", "", "", "")
	f.Add(" padded", "news\n", "v\x00", "\xff", "src", "::1")
	f.Add("ユーザー", "ニュース", "版1", "checkbox", "app", "2001:db8::1")
	f.Fuzz(func(t *testing.T, subject, purpose, notice, method, source, ip string) {
		ctx := context.Background()
		l := newLedger(t, consent.LedgerConfig{Now: newClock().Now})
		r := consent.Act{
			Subject: subject, Purposes: []string{purpose}, Notice: notice,
			Method: consent.Method(method), Source: source, Proof: consent.Proof{IP: ip},
		}
		events, err := l.Grant(ctx, r)
		if err != nil {
			var fe *consent.InputError
			require.True(t, errors.As(err, &fe), "refusals name the field: %v", err)
			assert.Contains(t, err.Error(), fe.Field)
			return
		}
		require.Len(t, events, 1)
		history, err := l.History(ctx, subject, purpose)
		require.NoError(t, err)
		require.Len(t, history, 1)
		assert.Equal(t, events[0], history[0])
		st, err := l.Status(ctx, subject, purpose, time.Time{})
		require.NoError(t, err)
		assert.Equal(t, consent.Granted, st.State)
	})
}
