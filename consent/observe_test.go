package consent_test

import (
	"context"
	"errors"
	"testing"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/stretchr/testify/require"
)

func TestObserveSeesEveryRecordedChange(t *testing.T) {
	ctx := context.Background()
	var seen []consent.EventKind
	l := newLedger(t, consent.LedgerConfig{Now: newClock().Now, Observe: func(_ context.Context, events []consent.Event) error {
		for _, e := range events {
			seen = append(seen, e.Kind)
		}
		return nil
	}})
	_, err := l.Grant(ctx, grantRecord("ada", "newsletter", "profiling"))
	require.NoError(t, err)
	_, err = l.Withdraw(ctx, consent.Act{Subject: "ada", Purposes: []string{"newsletter"}})
	require.NoError(t, err)
	_, err = l.WithdrawAll(ctx, consent.Act{Subject: "ada"})
	require.NoError(t, err)
	_, err = l.Expire(ctx, consent.Act{Subject: "ada", Purposes: []string{"newsletter"}})
	require.NoError(t, err)
	require.Equal(t, []consent.EventKind{consent.Grant, consent.Grant, consent.Withdrawal, consent.Withdrawal, consent.Expiry}, seen)

	_, err = l.Grant(ctx, consent.Act{Subject: "ada"})
	require.Error(t, err)
	require.Len(t, seen, 5, "a refused act is not observed")
}

func TestObserveFailureKeepsTheEvents(t *testing.T) {
	ctx := context.Background()
	boom := errors.New("journal down")
	l := newLedger(t, consent.LedgerConfig{Now: newClock().Now, Observe: func(context.Context, []consent.Event) error { return boom }})
	events, err := l.Withdraw(ctx, consent.Act{Subject: "ada", Purposes: []string{"newsletter"}})
	require.ErrorIs(t, err, boom)
	require.Len(t, events, 1)
	history, err := l.History(ctx, "ada", "newsletter")
	require.NoError(t, err)
	require.Len(t, history, 1, "the withdrawal stays recorded")
}
