package shred_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/pii/shred"
)

var errInjected = errors.New("injected fault")

// faults counts the steps of a Store and a Journal and fails one of them:
// before it runs (the step is lost) or after it ran (its outcome is lost).
type faults struct {
	mu     sync.Mutex
	n      int      // steps taken
	failAt int      // the step to fail, from 1; 0 for none
	after  bool     // fail after the step ran
	steps  []string // the steps taken, by name
}

func (f *faults) step(name string, run func() error) error {
	f.mu.Lock()
	f.n++
	f.steps = append(f.steps, name)
	fail := f.n == f.failAt
	f.mu.Unlock()
	if fail && !f.after {
		return fmt.Errorf("%s: %w", name, errInjected)
	}
	err := run()
	if fail {
		return fmt.Errorf("%s: %w", name, errInjected)
	}
	return err
}

type faultStore struct {
	shred.Store
	f *faults
}

func (s faultStore) Get(ctx context.Context, ns, ref string) (r shred.KeyRecord, err error) {
	err = s.f.step("get", func() error { r, err = s.Store.Get(ctx, ns, ref); return err })
	return r, err
}

func (s faultStore) Create(ctx context.Context, r shred.KeyRecord) error {
	return s.f.step("create", func() error { return s.Store.Create(ctx, r) })
}

func (s faultStore) Update(ctx context.Context, r shred.KeyRecord) error {
	return s.f.step("update", func() error { return s.Store.Update(ctx, r) })
}

func (s faultStore) Erase(ctx context.Context, ns, ref string, at time.Time) error {
	return s.f.step("erase", func() error { return s.Store.Erase(ctx, ns, ref, at) })
}

func (s faultStore) List(ctx context.Context, ns, after string, limit int) (rs []shred.KeyRecord, err error) {
	err = s.f.step("list", func() error { rs, err = s.Store.List(ctx, ns, after, limit); return err })
	return rs, err
}

type faultJournal struct {
	shred.ErasureLog
	f *faults
}

func (j faultJournal) Append(ctx context.Context, e shred.ErasureEntry) error {
	return j.f.step("journal", func() error { return j.ErasureLog.Append(ctx, e) })
}

// steps runs fn once without faults and returns how many steps it took.
func countSteps(t *testing.T, fn func(f *faults)) int {
	t.Helper()
	f := &faults{}
	fn(f)
	require.NotZero(t, f.n)
	return f.n
}

// TestFaultsDuringFirstSeal fails each step of creating the namespace's
// reference key and the subject's key, before and after it runs: the
// subject then has either no key or a whole one, the value is either
// untouched or sealed, and sealing again works.
func TestFaultsDuringFirstSeal(t *testing.T) {
	ctx := context.Background()
	run := func(f *faults) (shred.Store, *shred.Shredder, *User, error) {
		inner := shred.NewMemoryStore()
		kek := newKEK(t)
		s := newShredder(t, faultStore{inner, f}, func(c *shred.ShredderConfig) { c.KEK = kek })
		u := newUser("u-1")
		err := s.Seal(ctx, u)
		healthy := newShredder(t, inner, func(c *shred.ShredderConfig) { c.KEK = kek })
		return inner, healthy, u, err
	}
	n := countSteps(t, func(f *faults) { _, _, _, err := run(f); require.NoError(t, err) })
	assert.Equal(t, 4, n, "get and create the reference key, get and create the subject's key")
	for step := 1; step <= n; step++ {
		for _, after := range []bool{false, true} {
			t.Run(fmt.Sprintf("step %d after %v", step, after), func(t *testing.T) {
				f := &faults{failAt: step, after: after}
				inner, healthy, u, err := run(f)
				require.ErrorIs(t, err, errInjected)
				assert.Equal(t, *newUser("u-1"), *u, "a failed Seal leaves the value untouched")

				recs := snapshot(t, inner)
				assert.LessOrEqual(t, len(recs), 2)
				for _, r := range recs {
					assert.False(t, r.Erased())
				}
				// Whatever was stored is whole: sealing and opening work.
				require.NoError(t, healthy.Seal(ctx, u))
				require.NoError(t, healthy.Open(ctx, u))
				assert.Equal(t, *newUser("u-1"), *u)
				assert.Len(t, snapshot(t, inner), 2, "one reference key, one subject key")
			})
		}
	}
}

// TestFaultsDuringErase fails each step of an erasure, before and after it
// runs: the subject is then either fully readable or fully erased, and a
// destroyed key is always in the journal.
func TestFaultsDuringErase(t *testing.T) {
	ctx := context.Background()
	type outcome struct {
		inner   shred.Store
		journal *shred.MemoryErasureLog
		sealed  *User
		healthy *shred.Shredder
		err     error
	}
	run := func(f *faults) outcome {
		inner := shred.NewMemoryStore()
		journal := shred.NewMemoryErasureLog()
		kek := newKEK(t)
		setup := newShredder(t, inner, func(c *shred.ShredderConfig) { c.KEK = kek })
		u := newUser("u-1")
		require.NoError(t, setup.Seal(ctx, u))
		s := newShredder(t, faultStore{inner, f}, func(c *shred.ShredderConfig) {
			c.KEK, c.ErasureLog = kek, faultJournal{journal, f}
		})
		err := s.Erase(ctx, "u-1")
		healthy := newShredder(t, inner, func(c *shred.ShredderConfig) { c.KEK, c.ErasureLog = kek, journal })
		return outcome{inner, journal, u, healthy, err}
	}
	n := countSteps(t, func(f *faults) { require.NoError(t, run(f).err) })
	assert.Equal(t, 4, n, "get the reference key, get the record, append to the journal, erase")
	for step := 1; step <= n; step++ {
		for _, after := range []bool{false, true} {
			t.Run(fmt.Sprintf("step %d after %v", step, after), func(t *testing.T) {
				o := run(&faults{failAt: step, after: after})
				require.ErrorIs(t, o.err, errInjected)

				erased, err := o.healthy.Erased(ctx, "u-1")
				require.NoError(t, err)
				v := *o.sealed.clone()
				err = o.healthy.Open(ctx, &v)
				entries, jerr := o.journal.Read(ctx, "app", 0, 10)
				require.NoError(t, jerr)
				if erased {
					var many shred.FieldErrors
					require.ErrorAs(t, err, &many)
					assert.Len(t, many, 4, "every field is erased")
					for _, fe := range many {
						assert.True(t, fe.Erased())
					}
					assert.Len(t, entries, 1, "a destroyed key is in the journal")
				} else {
					require.NoError(t, err, "every field opens")
					assert.Equal(t, *newUser("u-1"), v)
				}
				require.NoError(t, o.healthy.Erase(ctx, "u-1"), "erasing again completes the erasure")
				entries, jerr = o.journal.Read(ctx, "app", 0, 10)
				require.NoError(t, jerr)
				assert.Len(t, entries, 1)
				v = *o.sealed.clone()
				assert.ErrorIs(t, o.healthy.Open(ctx, &v), shred.ErrErased)
			})
		}
	}
}

// brokenStore fails every Get of a subject's key, as a key store that went
// down after the namespace's reference key ("!prf") was loaded.
type brokenStore struct {
	shred.Store
	err error
}

func (s brokenStore) Get(ctx context.Context, ns, ref string) (shred.KeyRecord, error) {
	if ref == "!prf" {
		return s.Store.Get(ctx, ns, ref)
	}
	return shred.KeyRecord{}, s.err
}

// TestKeyStoreFailureIsReportedOnce: when the key store fails, Seal, Open,
// Marshal and Unmarshal report the failure once, as a key store failure,
// not once per field or subject, nor under the first field's name.
func TestKeyStoreFailureIsReportedOnce(t *testing.T) {
	ctx := context.Background()
	inner := shred.NewMemoryStore()
	kek := newKEK(t)
	healthy := newShredder(t, inner, func(c *shred.ShredderConfig) { c.KEK = kek })
	users := []*User{newUser("alice"), newUser("bob")}
	require.NoError(t, healthy.Seal(ctx, &users))
	doc, err := healthy.Marshal(ctx, users)
	require.NoError(t, err)

	storeErr := fmt.Errorf("get: %w", errInjected)
	broken := newShredder(t, brokenStore{inner, storeErr}, func(c *shred.ShredderConfig) { c.KEK = kek })
	check := func(name string, err error) {
		t.Helper()
		require.Error(t, err, name)
		assert.ErrorIs(t, err, errInjected, name)
		var se *shred.StoreError
		assert.ErrorAs(t, err, &se, name)
		assert.Equal(t, 1, strings.Count(err.Error(), errInjected.Error()), "%s: %s", name, err)
		assert.NotContains(t, err.Error(), "User.", name)
	}
	opened := []*User{users[0].clone(), users[1].clone()}
	check("open", broken.Open(ctx, &opened))
	assert.Equal(t, users[0].Email, opened[0].Email, "left sealed")
	check("seal", broken.Seal(ctx, &[]*User{newUser("carol"), newUser("dave")}))
	_, err = broken.Marshal(ctx, []*User{newUser("carol"), newUser("dave")})
	check("marshal", err)
	var out []*User
	check("unmarshal", broken.Unmarshal(ctx, doc, &out))
}
