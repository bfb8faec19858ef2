package consent_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tink-crypto/tink-go/v2/aead"
	"github.com/tink-crypto/tink-go/v2/keyset"
	"github.com/tink-crypto/tink-go/v2/tink"
)

// tinkSealer is a small Sealer for tests that really encrypts: every
// personal string field with one Tink AES-256-GCM keyset, bound to the
// subject and the field. Erasing a subject makes its values unreadable, as
// shredding its key would.
type tinkSealer struct {
	aead tink.AEAD

	mu     sync.Mutex
	erased map[string]bool
	fail   error // when set, Seal fails with it
}

const sealedPrefix = "sealed:"

// errKeyErased is what tinkSealer reports for an erased subject, wrapped,
// as the pii/shred Shredder does.
type errKeyErased struct{}

func (errKeyErased) Error() string { return "subject key erased" }
func (errKeyErased) Erased() bool  { return true }

func newTinkSealer(t *testing.T) *tinkSealer {
	t.Helper()
	h, err := keyset.NewHandle(aead.AES256GCMKeyTemplate())
	require.NoError(t, err)
	a, err := aead.New(h)
	require.NoError(t, err)
	return &tinkSealer{aead: a, erased: map[string]bool{}}
}

func (s *tinkSealer) erase(subject string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.erased[subject] = true
}

func (s *tinkSealer) state(subject string) (erased bool, fail error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.erased[subject], s.fail
}

func (s *tinkSealer) Seal(ctx context.Context, v any) error {
	return pii.Walk(v, func(f *pii.Visit) error {
		if !f.Field.Personal() || f.Value.Kind() != reflect.String || f.Value.String() == "" {
			return nil
		}
		erased, fail := s.state(f.Subject)
		switch {
		case fail != nil:
			return fail
		case erased:
			return fmt.Errorf("seal %s: %w", f.Field.ID, errKeyErased{})
		}
		ct, err := s.aead.Encrypt([]byte(f.Value.String()), []byte(f.Subject+"\x00"+f.Field.ID))
		if err != nil {
			return err
		}
		f.Value.SetString(sealedPrefix + base64.RawURLEncoding.EncodeToString(ct))
		return nil
	})
}

func (s *tinkSealer) Open(ctx context.Context, v any) error {
	return pii.Walk(v, func(f *pii.Visit) error {
		if !f.Field.Personal() || f.Value.Kind() != reflect.String {
			return nil
		}
		text, ok := strings.CutPrefix(f.Value.String(), sealedPrefix)
		if !ok {
			return nil
		}
		if erased, _ := s.state(f.Subject); erased {
			return fmt.Errorf("open %s: %w", f.Field.ID, errKeyErased{})
		}
		ct, err := base64.RawURLEncoding.DecodeString(text)
		if err != nil {
			return err
		}
		plain, err := s.aead.Decrypt(ct, []byte(f.Subject+"\x00"+f.Field.ID))
		if err != nil {
			return fmt.Errorf("open %s: %w", f.Field.ID, err)
		}
		f.Value.SetString(string(plain))
		return nil
	})
}

const (
	testIP    = "203.0.113.9"
	testAgent = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"
)

func TestProofIsSealedAtRest(t *testing.T) {
	eachStore(t, func(t *testing.T, s consent.Store) {
		ctx := context.Background()
		sealer := newTinkSealer(t)
		l := newLedger(t, consent.LedgerConfig{Store: s, Sealer: sealer, Now: newClock().Now})
		r := grantRecord("alice", "newsletter", "ads")
		r.Proof.Artifact = "CQIdQsAQIdQsAAKA1AENBeFgAP_gAEPgAAqIKBNV_G__bWlr-bb3aftkeYxP9_hr7sQxBgbJk24FzLvW7JwWx2E5NAzatqIKmRIAu3TBIQNlHJDURVCgKIgFryDMaEyUoTNKJ6BkiFMRI2NYCFxvm4pjWQCY5vr99lc1mB-N7dr82dzyy6hHn3a5_2S1WJCdIYetDfv8ZBKT-9IEd_x8v4v4_F7pE2-eS1n_pGvp6j9-YnM_dBmxt-bSffzPn__rl_e7X_vf_n37v943H77v____f_-7___wXYAAAAAA"
		_, err := l.Grant(ctx, r)
		require.NoError(t, err)

		stored, err := s.Events(ctx, "alice", "")
		require.NoError(t, err)
		require.Len(t, stored, 2)
		for _, e := range stored {
			for name, v := range map[string]string{"IP": e.Proof.IP, "UserAgent": e.Proof.UserAgent, "Artifact": e.Proof.Artifact} {
				assert.True(t, strings.HasPrefix(v, sealedPrefix), "%s is sealed in the store: %q", name, v)
			}
			assert.NotContains(t, e.Proof.IP, testIP)
			assert.NotContains(t, e.Proof.UserAgent, "Firefox")
		}

		history, err := l.History(ctx, "alice", "newsletter")
		require.NoError(t, err)
		require.Len(t, history, 1)
		assert.Equal(t, testIP, history[0].Proof.IP, "History opens the proof")
		assert.Equal(t, testAgent, history[0].Proof.UserAgent)
		assert.Equal(t, r.Proof.Artifact, history[0].Proof.Artifact)
		assert.False(t, history[0].Proof.Erased)
	})
}

func TestHistorySurvivesErasure(t *testing.T) {
	eachStore(t, func(t *testing.T, s consent.Store) {
		ctx := context.Background()
		c := newClock()
		sealer := newTinkSealer(t)
		l := newLedger(t, consent.LedgerConfig{Store: s, Sealer: sealer, Now: c.Now})
		_, err := l.Grant(ctx, grantRecord("alice", "newsletter"))
		require.NoError(t, err)
		_, err = l.Grant(ctx, grantRecord("bob", "newsletter"))
		require.NoError(t, err)
		c.Advance(1)
		w := withdrawRecord("alice", "newsletter")
		w.Proof = consent.Proof{IP: testIP}
		_, err = l.Withdraw(ctx, w)
		require.NoError(t, err)

		sealer.erase("alice")

		history, err := l.History(ctx, "alice", "newsletter")
		require.NoError(t, err, "erasure is no error")
		require.Len(t, history, 2, "the events remain")
		for _, e := range history {
			assert.True(t, e.Proof.Erased)
			assert.Empty(t, e.Proof.IP)
			assert.Empty(t, e.Proof.UserAgent)
			assert.Empty(t, e.Proof.Artifact)
			assert.Equal(t, "alice", e.Proof.Subject)
		}
		assert.Equal(t, consent.Grant, history[0].Kind, "the content-free fact stays")
		assert.Equal(t, "v1", history[0].Notice)
		assert.Equal(t, consent.MethodCheckbox, history[0].Method)

		st, err := l.Status(ctx, "alice", "newsletter", c.Now())
		require.NoError(t, err)
		assert.Equal(t, consent.Withdrawn, st.State, "Status needs no proof")

		bob, err := l.History(ctx, "bob", "newsletter")
		require.NoError(t, err)
		require.Len(t, bob, 1)
		assert.Equal(t, testIP, bob[0].Proof.IP, "another subject's proof still opens")

		c.Advance(1)
		again := withdrawRecord("alice", "newsletter")
		again.Proof.IP = testIP
		events, err := l.Withdraw(ctx, again)
		require.NoError(t, err, "a withdrawal for an erased subject is recorded, without its proof")
		require.Len(t, events, 1)
		assert.True(t, events[0].Proof.Erased)
		assert.Empty(t, events[0].Proof.IP)

		_, err = l.Grant(ctx, grantRecord("alice", "newsletter"))
		require.ErrorIs(t, err, consent.ErrProof, "a grant is refused when its proof cannot be sealed")
		var erased interface{ Erased() bool }
		require.ErrorAs(t, err, &erased)
		assert.True(t, erased.Erased())
	})
}

func TestWithdrawalIsRecordedWhenSealingFails(t *testing.T) {
	eachStore(t, func(t *testing.T, s consent.Store) {
		ctx := context.Background()
		c := newClock()
		sealer := newTinkSealer(t)
		l := newLedger(t, consent.LedgerConfig{Store: s, Sealer: sealer, Now: c.Now})
		_, err := l.Grant(ctx, grantRecord("alice", "newsletter"))
		require.NoError(t, err)

		kmsDown := errors.New("key service unavailable")
		sealer.mu.Lock()
		sealer.fail = kmsDown
		sealer.mu.Unlock()

		c.Advance(1)
		_, err = l.Grant(ctx, grantRecord("alice", "ads"))
		require.ErrorIs(t, err, kmsDown)
		st, err := l.Status(ctx, "alice", "ads", c.Now())
		require.NoError(t, err)
		assert.Equal(t, consent.None, st.State, "a refused grant stores nothing")

		w := withdrawRecord("alice", "newsletter")
		w.Proof = consent.Proof{IP: testIP, UserAgent: testAgent}
		events, err := l.Withdraw(ctx, w)
		require.ErrorIs(t, err, consent.ErrProof, "the lost proof is reported")
		require.ErrorIs(t, err, kmsDown)
		var pe *consent.ProofError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, "seal", pe.Op)
		require.Len(t, events, 1, "but the withdrawal is recorded")
		assert.True(t, events[0].Proof.Erased)

		st, err = l.Status(ctx, "alice", "newsletter", c.Now())
		require.NoError(t, err)
		assert.Equal(t, consent.Withdrawn, st.State, "and holds at once")

		stored, err := s.Events(ctx, "alice", "newsletter")
		require.NoError(t, err)
		require.Len(t, stored, 2)
		assert.Empty(t, stored[1].Proof.IP, "nothing personal is stored in clear")
		assert.Empty(t, stored[1].Proof.UserAgent)
	})
}

// tamperingSealer opens nothing: every Open fails as a corrupted ciphertext.
type tamperingSealer struct{ *tinkSealer }

func (tamperingSealer) Open(context.Context, any) error {
	return errors.New("message authentication failed")
}

func TestHistoryReportsProofsThatCannotBeOpened(t *testing.T) {
	ctx := context.Background()
	store := consent.NewMemoryStore()
	writer := newLedger(t, consent.LedgerConfig{Store: store, Sealer: newTinkSealer(t)})
	_, err := writer.Grant(ctx, grantRecord("alice", "newsletter"))
	require.NoError(t, err)

	reader := newLedger(t, consent.LedgerConfig{Store: store, Sealer: tamperingSealer{newTinkSealer(t)}})
	_, err = reader.History(ctx, "alice", "newsletter")
	require.ErrorIs(t, err, consent.ErrProof)
	var pe *consent.ProofError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "open", pe.Op)
	assert.Equal(t, int64(1), pe.Seq)
	assert.Equal(t, "newsletter", pe.Purpose)
	assert.ErrorContains(t, err, "message authentication failed")
}
