package rights_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/gdprkit/gdprkit/pii"
)

// inbox is a RecipientNotifier that records what it delivered, and fails
// as tests say.
type inbox struct {
	mu    sync.Mutex
	got   []rights.Notice
	fail  int                      // fail this many calls
	crash func(rights.Notice) bool // end the goroutine after delivering, before the confirmation
}

func (b *inbox) Notify(_ context.Context, n rights.Notice) error {
	b.mu.Lock()
	if b.fail > 0 {
		b.fail--
		b.mu.Unlock()
		return errors.New("recipient endpoint returned 503 for jane@example.com")
	}
	b.got = append(b.got, n)
	crash := b.crash != nil && b.crash(n)
	b.mu.Unlock()
	if crash {
		runtime.Goexit() // the process dies: nothing after this runs
	}
	return nil
}

func (b *inbox) delivered() []rights.Notice {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]rights.Notice(nil), b.got...)
}

// recipientStores runs fn on the memory store and on SQLite and
// PostgreSQL.
func recipientStores(t *testing.T, fn func(t *testing.T, store rights.Store, rs rights.RecipientStore)) {
	t.Run("memory", func(t *testing.T) { fn(t, rights.NewMemoryStore(), rights.NewMemoryRecipientStore()) })
	dbtest.Each(t, func(t *testing.T, db *sql.DB) {
		ctx := context.Background()
		store, err := rights.NewSQLStore(ctx, db)
		require.NoError(t, err)
		rs, err := rights.NewSQLRecipientStore(ctx, db)
		require.NoError(t, err)
		fn(t, store, rs)
	})
}

// withRecipients configures a fixture's Desk with a recipient store, a
// notifier and a source that implements every optional interface.
func withRecipients(store rights.Store, rs rights.RecipientStore, box *inbox, src rights.Source) func(*rights.DeskConfig) {
	return func(c *rights.DeskConfig) {
		c.Store, c.Recipients, c.Notifier, c.Sources = store, rs, box, []rights.Source{src}
	}
}

// TestArt19NoticeOnFulfilment: fulfilling a rectification, an erasure or a
// restriction queues one notice per recipient the subject's data was
// disclosed to (Art. 19), naming the subject as disclosed and the
// categories; other subjects' recipients are not told, and the other
// rights queue nothing. Delivery confirms the notice and forgets the
// subject's ID in it.
func TestArt19NoticeOnFulfilment(t *testing.T) {
	recipientStores(t, func(t *testing.T, store rights.Store, rs rights.RecipientStore) {
		ctx := context.Background()
		box := &inbox{}
		src := newMemSource("crm", "account")
		f := newRightsFixture(t, withRecipients(store, rs, box, src))
		disclose := func(subject string, cats ...pii.Category) {
			require.NoError(t, f.rights.RecordDisclosure(ctx, rights.Disclosure{
				Subject: subject, Recipient: "Mail Co.", Purpose: "account", Categories: cats}))
		}
		for _, subject := range []string{"cust-rect", "cust-erase", "cust-restrict", "cust-access", "cust-object"} {
			disclose(subject, pii.Email)
			disclose(subject, pii.Name, pii.Email)
		}
		disclose("cust-other", pii.Phone)

		fulfil := map[rights.Right]func(id string) (rights.Request, error){
			rights.RightRectification: func(id string) (rights.Request, error) {
				return f.rights.Rectify(ctx, id, rights.Correction{Category: pii.Email, Value: "new@example.com"})
			},
			rights.RightErasure: func(id string) (rights.Request, error) {
				_, err := f.rights.Erase(ctx, id)
				r, _ := f.rights.Request(ctx, id)
				return r, err
			},
			rights.RightRestriction: func(id string) (rights.Request, error) { return f.rights.Restrict(ctx, id) },
			rights.RightAccess: func(id string) (rights.Request, error) {
				_, err := f.rights.Export(ctx, id, &bytes.Buffer{})
				r, _ := f.rights.Request(ctx, id)
				return r, err
			},
			rights.RightObjection: func(id string) (rights.Request, error) { return f.rights.Object(ctx, id) },
		}
		cases := []struct {
			right   rights.Right
			subject string
			notify  bool
		}{
			{rights.RightRectification, "cust-rect", true},
			{rights.RightErasure, "cust-erase", true},
			{rights.RightRestriction, "cust-restrict", true},
			{rights.RightAccess, "cust-access", false},
			{rights.RightObjection, "cust-object", false},
		}
		want := map[string]rights.Right{}
		for _, c := range cases {
			r := rights.Request{ID: "req-" + c.right.String(), Right: c.right, Subject: c.subject}
			switch c.right {
			case rights.RightRestriction:
				r.Ground = gdpr.Accuracy
			case rights.RightObjection:
				r.Purpose = "fraud"
			}
			f.receive(t, r)
			got, err := fulfil[c.right](r.ID)
			require.NoError(t, err, "%s", c.right)
			require.Equal(t, rights.RequestCompleted, got.State, "%s", c.right)
			if c.notify {
				want[c.subject] = c.right
			}
		}

		pending, err := f.rights.PendingNotices(ctx)
		require.NoError(t, err)
		assert.Len(t, pending, len(want), "one notice per fulfilled rectification, erasure and restriction")
		for _, n := range pending {
			right, ok := want[n.Subject]
			if assert.True(t, ok, "notice for %s: its recipient received nothing owed a notice", n.Subject) {
				assert.Equal(t, right, n.Right)
			}
			assert.Equal(t, "Mail Co.", n.Recipient)
			assert.ElementsMatch(t, []pii.Category{pii.Email, pii.Name}, n.Categories)
			assert.Equal(t, f.journal.Token(n.Subject), n.SubjectToken)
			assert.Equal(t, t0, n.Next.UTC(), "due at once")
		}

		rep, err := f.rights.DeliverNotices(ctx)
		require.NoError(t, err)
		assert.Equal(t, rights.DeliveryReport{Claimed: 3, Delivered: 3}, rep)
		got := box.delivered()
		require.Len(t, got, 3)
		for _, n := range got {
			assert.Equal(t, want[n.Subject], n.Right, "delivered with the subject's ID as disclosed")
		}
		pending, err = f.rights.PendingNotices(ctx)
		require.NoError(t, err)
		assert.Empty(t, pending)
		rep, err = f.rights.DeliverNotices(ctx)
		require.NoError(t, err)
		assert.Zero(t, rep.Claimed, "a delivered notice is not delivered again")
	})
}

// TestArt19NoticeQueuedOnceAcrossRuns: an erasure that needs a second run
// queues its notices once, and a completion retried after a crash between
// the queueing and the completion does not queue them twice (the notice's
// ID is fixed by request and recipient).
func TestArt19NoticeQueuedOnceAcrossRuns(t *testing.T) {
	recipientStores(t, func(t *testing.T, store rights.Store, rs rights.RecipientStore) {
		ctx := context.Background()
		box := &inbox{}
		src := newMemSource("crm", "account")
		src.failErase = 3 // the first run's three tries fail
		f := newRightsFixture(t, withRecipients(store, rs, box, src))
		require.NoError(t, f.rights.RecordDisclosure(ctx, rights.Disclosure{Subject: "cust-1", Recipient: "Mail Co.", Purpose: "account", Categories: []pii.Category{pii.Email}}))
		f.receive(t, rights.Request{ID: "e", Right: rights.RightErasure, Subject: "cust-1"})
		_, err := f.rights.Erase(ctx, "e")
		require.ErrorIs(t, err, rights.ErrIncomplete)
		pending, err := f.rights.PendingNotices(ctx)
		require.NoError(t, err)
		assert.Empty(t, pending, "no notice before the request is fulfilled")

		require.NoError(t, rs.EnqueueNotices(ctx, []rights.Notice{{ID: "ntc-other", Request: "x", Right: rights.RightErasure, Recipient: "Mail Co.", Subject: "s", Next: t0}}))
		_, err = f.rights.Erase(ctx, "e")
		require.NoError(t, err)
		pending, err = f.rights.PendingNotices(ctx)
		require.NoError(t, err)
		require.Len(t, pending, 2)
		// Queued again, as a completion retried after a crash would: no
		// second notice, and the first is as it was.
		require.NoError(t, rs.EnqueueNotices(ctx, []rights.Notice{{ID: pending[1].ID, Request: "e", Right: rights.RightErasure, Recipient: "Mail Co.", Subject: "changed", Next: t0}}))
		again, err := f.rights.PendingNotices(ctx)
		require.NoError(t, err)
		assert.Equal(t, pending, again)
	})
}

// TestArt19DeliveryRetriesWithBackoff: a notice whose delivery fails is due
// again after the backoff, not before, with the failure kept masked, and
// is delivered once the recipient answers.
func TestArt19DeliveryRetriesWithBackoff(t *testing.T) {
	recipientStores(t, func(t *testing.T, store rights.Store, rs rights.RecipientStore) {
		ctx := context.Background()
		box := &inbox{fail: 2}
		f := newRightsFixture(t, withRecipients(store, rs, box, newMemSource("crm", "account")))
		require.NoError(t, f.rights.RecordDisclosure(ctx, rights.Disclosure{Subject: "cust-1", Recipient: "Mail Co.", Purpose: "account", Categories: []pii.Category{pii.Email}}))
		f.receive(t, rights.Request{ID: "r", Right: rights.RightRestriction, Subject: "cust-1", Ground: gdpr.Accuracy})
		_, err := f.rights.Restrict(ctx, "r")
		require.NoError(t, err)

		deliver := func() rights.DeliveryReport {
			rep, err := f.rights.DeliverNotices(ctx)
			require.NoError(t, err)
			return rep
		}
		assert.Equal(t, rights.DeliveryReport{Claimed: 1, Failed: 1}, deliver())
		pending, err := f.rights.PendingNotices(ctx)
		require.NoError(t, err)
		require.Len(t, pending, 1)
		assert.Equal(t, 1, pending[0].Attempts)
		assert.Equal(t, t0.Add(rights.DefaultNoticeBackoff(1)), pending[0].Next.UTC())
		assert.NotContains(t, pending[0].Error, "jane@example.com", "the failure is kept masked")
		assert.Nil(t, pending[0].Lease, "a failed delivery gives its lease up")

		f.clock.Advance(rights.DefaultNoticeBackoff(1) - time.Second)
		assert.Zero(t, deliver().Claimed, "not due before the backoff")
		f.clock.Advance(time.Second)
		assert.Equal(t, rights.DeliveryReport{Claimed: 1, Failed: 1}, deliver())
		f.clock.Advance(rights.DefaultNoticeBackoff(2) - time.Second)
		assert.Zero(t, deliver().Claimed, "the wait grows")
		f.clock.Advance(time.Second)
		assert.Equal(t, rights.DeliveryReport{Claimed: 1, Delivered: 1}, deliver())
		require.Len(t, box.delivered(), 1)
		assert.Equal(t, 3, box.delivered()[0].Attempts)
	})
}

// TestArt19DeliveryAcrossCrash: an instance claims a notice, delivers it
// and dies before confirming. While its lease runs, another instance
// sharing the database leaves the notice alone; once the lease has run
// out, it delivers the notice again (at least once, with the same ID),
// and confirms it.
func TestArt19DeliveryAcrossCrash(t *testing.T) {
	run := func(t *testing.T, a, b *sql.DB) {
		ctx := context.Background()
		clk := &clock{now: t0}
		box := &inbox{}
		src := newMemSource("crm", "account")
		instance := func(db *sql.DB) *rightsFixture {
			store, err := rights.NewSQLStore(ctx, db)
			require.NoError(t, err)
			rs, err := rights.NewSQLRecipientStore(ctx, db)
			require.NoError(t, err)
			return newRightsFixture(t, func(c *rights.DeskConfig) {
				withRecipients(store, rs, box, src)(c)
				c.Now, c.Lease = clk.Now, time.Minute
			})
		}
		one, two := instance(a), instance(b)
		require.NoError(t, one.rights.RecordDisclosure(ctx, rights.Disclosure{Subject: "cust-1", Recipient: "Mail Co.", Purpose: "account", Categories: []pii.Category{pii.Email}}))
		one.receive(t, rights.Request{ID: "e", Right: rights.RightErasure, Subject: "cust-1"})
		_, err := one.rights.Erase(ctx, "e")
		require.NoError(t, err)

		box.crash = func(rights.Notice) bool { return true }
		died := make(chan struct{})
		go func() {
			defer close(died)
			_, _ = one.rights.DeliverNotices(ctx) // never returns: the goroutine ends in the notifier
			t.Error("DeliverNotices returned after the crash")
		}()
		<-died
		box.crash = nil
		require.Len(t, box.delivered(), 1, "the first instance delivered before it died")

		clk.Advance(time.Minute - time.Microsecond)
		rep, err := two.rights.DeliverNotices(ctx)
		require.NoError(t, err)
		assert.Zero(t, rep.Claimed, "the lease of the dead instance still runs")

		clk.Advance(time.Microsecond)
		rep, err = two.rights.DeliverNotices(ctx)
		require.NoError(t, err)
		assert.Equal(t, rights.DeliveryReport{Claimed: 1, Delivered: 1}, rep, "delivered once the lease ran out")
		got := box.delivered()
		require.Len(t, got, 2)
		assert.Equal(t, got[0].ID, got[1].ID, "the same notice, for the recipient to deduplicate")
		assert.Equal(t, "cust-1", got[1].Subject, "the subject's ID is kept until delivery, though the erasure forgot it")
		assert.Equal(t, 2, got[1].Attempts, "the crashed attempt counts")
		pending, err := one.rights.PendingNotices(ctx)
		require.NoError(t, err)
		assert.Empty(t, pending)

		var subject string
		require.NoError(t, a.QueryRow(`SELECT subject FROM gdprkit_notices`).Scan(&subject))
		assert.Empty(t, subject, "a delivered notice keeps no subject ID")
	}
	t.Run("sqlite", func(t *testing.T) {
		a, path := dbtest.SQLite(t)
		b, err := sql.Open("sqlite", dbtest.SQLiteDSN(path))
		require.NoError(t, err)
		t.Cleanup(func() { b.Close() })
		run(t, a, b)
	})
	t.Run("postgres", func(t *testing.T) {
		a, dsn := dbtest.Postgres(t)
		b, err := sql.Open("pgx", dsn)
		require.NoError(t, err)
		t.Cleanup(func() { b.Close() })
		run(t, a, b)
	})
}

// TestArt19ClaimsAreExclusive: two instances claiming the same notices at
// once never both get one.
func TestArt19ClaimsAreExclusive(t *testing.T) {
	run := func(t *testing.T, stores [2]rights.RecipientStore) {
		ctx := context.Background()
		var ns []rights.Notice
		for i := range 40 {
			ns = append(ns, rights.Notice{ID: fmt.Sprintf("ntc-%02d", i), Request: "r", Right: rights.RightErasure, Recipient: "Mail Co.", Subject: "s", Next: t0})
		}
		require.NoError(t, stores[0].EnqueueNotices(ctx, ns))
		var wg sync.WaitGroup
		claimed := [2][]rights.Notice{}
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 4 {
					got, err := stores[i].ClaimNotices(ctx, fmt.Sprintf("owner-%d", i), t0, t0.Add(time.Minute), 10)
					assert.NoError(t, err)
					claimed[i] = append(claimed[i], got...)
				}
			}()
		}
		wg.Wait()
		seen := map[string]bool{}
		for _, list := range claimed {
			for _, n := range list {
				assert.False(t, seen[n.ID], "%s claimed twice", n.ID)
				seen[n.ID] = true
			}
		}
		assert.Len(t, seen, 40)
	}
	t.Run("memory", func(t *testing.T) {
		m := rights.NewMemoryRecipientStore()
		run(t, [2]rights.RecipientStore{m, m})
	})
	open := func(t *testing.T, a, b *sql.DB) [2]rights.RecipientStore {
		var out [2]rights.RecipientStore
		for i, db := range []*sql.DB{a, b} {
			s, err := rights.NewSQLRecipientStore(context.Background(), db)
			require.NoError(t, err)
			out[i] = s
		}
		return out
	}
	t.Run("sqlite", func(t *testing.T) {
		a, path := dbtest.SQLite(t)
		b, err := sql.Open("sqlite", dbtest.SQLiteDSN(path))
		require.NoError(t, err)
		t.Cleanup(func() { b.Close() })
		run(t, open(t, a, b))
	})
	t.Run("postgres", func(t *testing.T) {
		a, dsn := dbtest.Postgres(t)
		b, err := sql.Open("pgx", dsn)
		require.NoError(t, err)
		t.Cleanup(func() { b.Close() })
		run(t, open(t, a, b))
	})
}

// TestArt19RecordDisclosureChecks: a disclosure names a subject, a
// registered purpose, a recipient that purpose declares (Art. 30(1)(d))
// and known categories; the store keeps the subject's token, not its ID.
func TestArt19RecordDisclosureChecks(t *testing.T) {
	ctx := context.Background()
	rs := rights.NewMemoryRecipientStore()
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Recipients = rs })
	ok := rights.Disclosure{Subject: "cust-1", Recipient: "Mail Co.", Purpose: "account", Categories: []pii.Category{pii.Email}}
	for name, edit := range map[string]func(*rights.Disclosure){
		"no subject":           func(d *rights.Disclosure) { d.Subject = "" },
		"unregistered purpose": func(d *rights.Disclosure) { d.Purpose = "nope" },
		"undeclared recipient": func(d *rights.Disclosure) { d.Recipient = "Ad Network Ltd" },
		"recipient of another": func(d *rights.Disclosure) { d.Purpose = "orders" },
		"no categories":        func(d *rights.Disclosure) { d.Categories = nil },
		"unknown category":     func(d *rights.Disclosure) { d.Categories = []pii.Category{"user.nope"} },
	} {
		d := ok
		edit(&d)
		assert.ErrorIs(t, f.rights.RecordDisclosure(ctx, d), rights.ErrInvalidDisclosure, name)
	}
	require.NoError(t, f.rights.RecordDisclosure(ctx, ok))
	ds, err := rs.Disclosures(ctx, f.journal.Token("cust-1"))
	require.NoError(t, err)
	require.Len(t, ds, 1)
	assert.Empty(t, ds[0].Subject, "content-free: the token, not the ID")
	assert.Equal(t, t0, ds[0].At.UTC())

	noStore := newRightsFixture(t, nil)
	assert.ErrorIs(t, noStore.rights.RecordDisclosure(ctx, ok), gdpr.ErrNotConfigured)
	_, err = noStore.rights.DeliverNotices(ctx)
	assert.ErrorIs(t, err, gdpr.ErrNotConfigured)
	_, err = f.rights.DeliverNotices(ctx)
	assert.ErrorIs(t, err, gdpr.ErrNotConfigured, "no Notifier")
}

// TestArt19RecipientsInExport: the subject learns the recipients of their
// data on request (Art. 19, last sentence): an access export of a request
// that asks lists them with the declared country and safeguard, and one
// that does not ask has no such list; Desk.Recipients answers directly.
func TestArt19RecipientsInExport(t *testing.T) {
	recipientStores(t, func(t *testing.T, store rights.Store, rs rights.RecipientStore) {
		ctx := context.Background()
		src := newMemSource("crm", "account")
		src.add("cust-1", Customer{ID: "cust-1", Email: "jane@example.com"})
		f := newRightsFixture(t, withRecipients(store, rs, &inbox{}, src))
		require.NoError(t, f.rights.RecordDisclosure(ctx, rights.Disclosure{Subject: "cust-1", Recipient: "Mail Co.", Purpose: "account", Categories: []pii.Category{pii.Email}}))
		f.clock.Advance(time.Hour)
		require.NoError(t, f.rights.RecordDisclosure(ctx, rights.Disclosure{Subject: "cust-1", Recipient: "Mail Co.", Purpose: "account", Categories: []pii.Category{pii.Name}}))

		list, err := f.rights.Recipients(ctx, "cust-1")
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.Equal(t, "US", list[0].Recipient.Country)
		assert.Equal(t, gdpr.StandardClauses, list[0].Recipient.Safeguard)
		assert.Equal(t, []pii.Category{pii.Email, pii.Name}, list[0].Categories)
		assert.Equal(t, t0, list[0].First.UTC())
		assert.Equal(t, t0.Add(time.Hour), list[0].Last.UTC())

		f.receive(t, rights.Request{ID: "asked", Right: rights.RightAccess, Subject: "cust-1", Recipients: true})
		var buf bytes.Buffer
		m, err := f.rights.Export(ctx, "asked", &buf)
		require.NoError(t, err)
		a := readArchive(t, buf.Bytes())
		require.Contains(t, a.files, rights.RecipientsName)
		var doc struct {
			Recipients []rights.DisclosedRecipient `json:"recipients"`
		}
		require.NoError(t, json.Unmarshal(a.files[rights.RecipientsName], &doc))
		require.Len(t, doc.Recipients, 1)
		assert.Equal(t, "Mail Co.", doc.Recipients[0].Recipient.Name)
		assert.Len(t, m.DisclosedTo, 1)

		f.receive(t, rights.Request{ID: "not-asked", Right: rights.RightAccess, Subject: "cust-1"})
		buf.Reset()
		m, err = f.rights.Export(ctx, "not-asked", &buf)
		require.NoError(t, err)
		assert.NotContains(t, readArchive(t, buf.Bytes()).files, rights.RecipientsName)
		assert.Empty(t, m.DisclosedTo)
	})
}

// TestArt19RecipientsAskedWithoutStore: a subject who asks for the
// recipients is never answered with silence: without a recipient store
// the export fails.
func TestArt19RecipientsAskedWithoutStore(t *testing.T) {
	f := newRightsFixture(t, func(c *rights.DeskConfig) { c.Sources = []rights.Source{newMemSource("crm", "account")} })
	f.receive(t, rights.Request{ID: "asked", Right: rights.RightAccess, Subject: "cust-1", Recipients: true})
	_, err := f.rights.Export(context.Background(), "asked", &bytes.Buffer{})
	assert.ErrorIs(t, err, gdpr.ErrNotConfigured)
}
