// Package consenttest checks that a consent.Store keeps the guarantees the
// consent.Ledger relies on: gapless per-subject sequence numbers under
// concurrent appends, the deciding event for any instant, events and notices
// read back as written, the notice supersession rule, and, for a store that
// implements consent.BatchStore, batch reads that agree with Last. Run it from the
// store's own tests:
//
//	func TestStore(t *testing.T) {
//		consenttest.Run(t, func(t *testing.T) consent.Store {
//			return newStoreForTest(t)
//		})
//	}
//
// consent's MemoryStore and SQLStore (on SQLite and PostgreSQL) pass it.
package consenttest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"
)

// Run runs the conformance tests, each as a subtest on a new, empty store
// from open.
func Run(t *testing.T, open func(t *testing.T) consent.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, consent.Store)
	}{
		{"AppendNumbersEachSubject", appendNumbersEachSubject},
		{"AppendRefusesBadBatches", appendRefusesBadBatches},
		{"RoundTrip", roundTrip},
		{"LatestAtInstants", latestAtInstants},
		{"AppendKeepsTimesInSequence", appendKeepsTimesInSequence},
		{"LastIgnoresTime", lastIgnoresTime},
		{"EventsAndPurposes", eventsAndPurposes},
		{"Notices", notices},
		{"Superseding", superseding},
		{"ConcurrentAppends", concurrentAppends},
		{"BatchReads", batchReads},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

// base has a microsecond part, so that stores must keep times to the
// microsecond, the precision every gdprkit store keeps.
var base = time.Date(2025, 3, 1, 12, 0, 0, 123456000, time.UTC)

func at(minutes int) time.Time { return base.Add(time.Duration(minutes) * time.Minute) }

func event(subject, purpose string, k consent.EventKind, when time.Time) consent.Event {
	return consent.Event{Subject: subject, Purpose: purpose, Kind: k, At: when, Notice: "v1", Method: consent.MethodForm}
}

func appendOne(t *testing.T, s consent.Store, e consent.Event) consent.Event {
	t.Helper()
	batch := []consent.Event{e}
	require.NoError(t, s.Append(context.Background(), batch))
	return batch[0]
}

func appendNumbersEachSubject(t *testing.T, s consent.Store) {
	ctx := context.Background()
	batch := []consent.Event{event("alice", "news", consent.Grant, at(0)), event("alice", "ads", consent.Grant, at(0))}
	require.NoError(t, s.Append(ctx, batch))
	assert.Equal(t, []int64{1, 2}, []int64{batch[0].Seq, batch[1].Seq}, "a batch gets consecutive numbers")
	assert.Equal(t, int64(1), appendOne(t, s, event("bob", "news", consent.Grant, at(1))).Seq, "numbers are per subject")
	assert.Equal(t, int64(3), appendOne(t, s, event("alice", "news", consent.Withdrawal, at(2))).Seq)
	events, err := s.Events(ctx, "alice", "")
	require.NoError(t, err)
	require.Len(t, events, 3)
	for i, e := range events {
		assert.Equal(t, int64(i+1), e.Seq)
	}
}

func appendRefusesBadBatches(t *testing.T, s consent.Store) {
	ctx := context.Background()
	assert.ErrorIs(t, s.Append(ctx, nil), consent.ErrInvalidInput, "empty batch")
	mixed := []consent.Event{event("alice", "news", consent.Grant, at(0)), event("bob", "news", consent.Grant, at(0))}
	assert.ErrorIs(t, s.Append(ctx, mixed), consent.ErrInvalidInput, "two subjects in one batch")
	assert.ErrorIs(t, s.Append(ctx, []consent.Event{event("alice", "", consent.Grant, at(0))}), consent.ErrInvalidInput, "no purpose")
	assert.ErrorIs(t, s.Append(ctx, []consent.Event{event("alice", "news", 0, at(0))}), consent.ErrInvalidInput, "no kind")
	assert.ErrorIs(t, s.Append(ctx, []consent.Event{event("alice", "news", consent.Grant, time.Time{})}), consent.ErrInvalidInput, "no time")
	events, err := s.Events(ctx, "alice", "")
	require.NoError(t, err)
	assert.Empty(t, events, "a refused batch stores nothing")
}

func roundTrip(t *testing.T, s consent.Store) {
	ctx := context.Background()
	in := consent.Event{
		Subject:  "alice",
		Purpose:  "newsletter",
		Kind:     consent.Grant,
		At:       at(0),
		Expires:  at(60 * 24 * 180),
		Notice:   "2025-03",
		Language: language.MustParse("de-AT"),
		Method:   consent.MethodCheckbox,
		Source:   "web/signup",
		Proof: consent.Proof{Subject: "alice", IP: "192.0.2.7", UserAgent: "Mozilla/5.0", Artifact: "form#42",
			ParentalResponsibility: "parent account p-1"},
		Age: consent.Age{Country: "AT", AtLeast: 12, Parental: true},
	}
	in = appendOne(t, s, in)
	for _, read := range []func() (consent.Event, error){
		func() (consent.Event, error) {
			e, ok, err := s.Latest(ctx, "alice", "newsletter", at(1))
			if err == nil && !ok {
				err = fmt.Errorf("Latest found nothing")
			}
			return e, err
		},
		func() (consent.Event, error) {
			events, err := s.Events(ctx, "alice", "newsletter")
			if err == nil && len(events) != 1 {
				err = fmt.Errorf("Events returned %d events", len(events))
			}
			if err != nil {
				return consent.Event{}, err
			}
			return events[0], nil
		},
	} {
		out, err := read()
		require.NoError(t, err)
		assert.True(t, in.At.Equal(out.At), "At: %v != %v", in.At, out.At)
		assert.True(t, in.Expires.Equal(out.Expires), "Expires: %v != %v", in.Expires, out.Expires)
		out.At, out.Expires = in.At, in.Expires
		assert.Equal(t, in.Language.String(), out.Language.String())
		out.Language = in.Language
		assert.Equal(t, in, out)
	}

	withdrawal := appendOne(t, s, consent.Event{Subject: "alice", Purpose: "newsletter", Kind: consent.Withdrawal, At: at(5)})
	e, ok, err := s.Latest(ctx, "alice", "newsletter", at(5))
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, withdrawal.Seq, e.Seq)
	assert.True(t, e.Expires.IsZero(), "no expiry reads back as zero")
	assert.Equal(t, language.Und, e.Language, "no language reads back as und")
	assert.Equal(t, consent.Withdrawal, e.Kind)
}

func latestAtInstants(t *testing.T, s consent.Store) {
	ctx := context.Background()
	grant := appendOne(t, s, event("alice", "news", consent.Grant, at(10)))
	withdrawal := appendOne(t, s, event("alice", "news", consent.Withdrawal, at(20)))
	regrant := appendOne(t, s, event("alice", "news", consent.Grant, at(30)))
	for _, tc := range []struct {
		when time.Time
		want int64 // 0: none
	}{
		{at(0), 0},
		{at(10).Add(-time.Nanosecond), 0},
		{at(10), grant.Seq},
		{at(15), grant.Seq},
		{at(20), withdrawal.Seq},
		{at(25), withdrawal.Seq},
		{at(30), regrant.Seq},
		{at(60 * 24 * 365 * 100), regrant.Seq},
	} {
		e, ok, err := s.Latest(ctx, "alice", "news", tc.when)
		require.NoError(t, err)
		assert.Equal(t, tc.want != 0, ok, "at %v", tc.when)
		assert.Equal(t, tc.want, e.Seq, "at %v", tc.when)
	}
	_, ok, err := s.Latest(ctx, "alice", "ads", at(60))
	require.NoError(t, err)
	assert.False(t, ok, "another purpose has no events")
	_, ok, err = s.Latest(ctx, "bob", "news", at(60))
	require.NoError(t, err)
	assert.False(t, ok, "another subject has no events")
}

// appendKeepsTimesInSequence covers events stamped by clocks that
// disagree: an event whose At is before the subject's previous event's is
// stored, and returned, with the previous event's At, so that times never
// decrease along the sequence and Latest at an instant sees a prefix of it.
func appendKeepsTimesInSequence(t *testing.T, s consent.Store) {
	ctx := context.Background()
	first := appendOne(t, s, event("alice", "news", consent.Grant, at(10)))
	second := appendOne(t, s, event("alice", "ads", consent.Withdrawal, at(30)))
	third := appendOne(t, s, event("alice", "news", consent.Withdrawal, at(20))) // a slower clock
	assert.True(t, at(10).Equal(first.At), "a time in order is kept: %v", first.At)
	assert.True(t, at(30).Equal(third.At), "a time before the subject's previous event is raised to it: %v", third.At)
	other := appendOne(t, s, event("bob", "news", consent.Grant, at(5)))
	assert.True(t, at(5).Equal(other.At), "times are kept in order per subject: %v", other.At)

	batch := []consent.Event{event("alice", "news", consent.Grant, at(40)), event("alice", "ads", consent.Grant, at(35))}
	require.NoError(t, s.Append(ctx, batch))
	assert.True(t, at(40).Equal(batch[1].At), "also within a batch: %v", batch[1].At)

	events, err := s.Events(ctx, "alice", "")
	require.NoError(t, err)
	require.Len(t, events, 5)
	want := []time.Time{at(10), at(30), at(30), at(40), at(40)}
	for i, e := range events {
		assert.True(t, want[i].Equal(e.At), "event %d stored at %v, want %v", e.Seq, e.At, want[i])
	}
	for _, tc := range []struct {
		when time.Time
		want int64
	}{
		{at(5), 0},
		{at(20), first.Seq},
		{at(30).Add(-time.Nanosecond), first.Seq},
		{at(30), third.Seq},
		{at(40), batch[0].Seq},
	} {
		e, _, err := s.Latest(ctx, "alice", "news", tc.when)
		require.NoError(t, err)
		assert.Equal(t, tc.want, e.Seq, "at %v", tc.when)
	}
	assert.Less(t, second.Seq, third.Seq)
}

// lastIgnoresTime checks that Last returns the event with the highest Seq
// whatever its At, even one stamped far ahead of the others.
func lastIgnoresTime(t *testing.T, s consent.Store) {
	ctx := context.Background()
	_, ok, err := s.Last(ctx, "alice", "news")
	require.NoError(t, err)
	assert.False(t, ok, "no events")
	appendOne(t, s, event("alice", "news", consent.Grant, at(60*24*365)))
	withdrawal := appendOne(t, s, event("alice", "news", consent.Withdrawal, at(1)))
	appendOne(t, s, event("alice", "ads", consent.Grant, at(2)))
	appendOne(t, s, event("bob", "news", consent.Grant, at(3)))
	e, ok, err := s.Last(ctx, "alice", "news")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, withdrawal.Seq, e.Seq)
	assert.Equal(t, consent.Withdrawal, e.Kind)
	assert.Equal(t, "alice", e.Subject)
	assert.Equal(t, "news", e.Purpose)
}

func eventsAndPurposes(t *testing.T, s consent.Store) {
	ctx := context.Background()
	appendOne(t, s, event("alice", "news", consent.Grant, at(0)))
	appendOne(t, s, event("alice", "ads", consent.Grant, at(1)))
	appendOne(t, s, event("alice", "news", consent.Withdrawal, at(2)))
	appendOne(t, s, event("bob", "zz", consent.Grant, at(3)))

	all, err := s.Events(ctx, "alice", "")
	require.NoError(t, err)
	require.Len(t, all, 3)
	assert.Equal(t, []string{"news", "ads", "news"}, []string{all[0].Purpose, all[1].Purpose, all[2].Purpose})

	news, err := s.Events(ctx, "alice", "news")
	require.NoError(t, err)
	require.Len(t, news, 2)
	assert.Equal(t, []int64{1, 3}, []int64{news[0].Seq, news[1].Seq})
	assert.Equal(t, consent.Withdrawal, news[1].Kind)

	none, err := s.Events(ctx, "carol", "")
	require.NoError(t, err)
	assert.Empty(t, none)

	purposes, err := s.Purposes(ctx, "alice")
	require.NoError(t, err)
	assert.Equal(t, []string{"ads", "news"}, purposes)
	purposes, err = s.Purposes(ctx, "carol")
	require.NoError(t, err)
	assert.Empty(t, purposes)
}

func notices(t *testing.T, s consent.Store) {
	ctx := context.Background()
	v2 := consent.Notice{Purpose: "news", Version: "v2", Effective: at(20), Material: true}
	v1 := consent.Notice{Purpose: "news", Version: "v1", Effective: at(10)}
	require.NoError(t, s.AddNotice(ctx, v2))
	require.NoError(t, s.AddNotice(ctx, v1))
	require.NoError(t, s.AddNotice(ctx, consent.Notice{Purpose: "ads", Version: "v1", Effective: at(0)}))

	err := s.AddNotice(ctx, consent.Notice{Purpose: "news", Version: "v1", Effective: at(30)})
	assert.ErrorIs(t, err, consent.ErrNoticeExists)
	var ne *consent.NoticeError
	if assert.ErrorAs(t, err, &ne) {
		assert.Equal(t, "v1", ne.Version)
		assert.Equal(t, "news", ne.Purpose)
	}
	assert.ErrorIs(t, s.AddNotice(ctx, consent.Notice{Purpose: "news", Effective: at(30)}), consent.ErrInvalidInput, "no version")

	list, err := s.Notices(ctx, "news")
	require.NoError(t, err)
	require.Len(t, list, 2, "the refused duplicate is not stored")
	assert.Equal(t, "v1", list[0].Version, "ordered by Effective")
	assert.Equal(t, "v2", list[1].Version)
	assert.True(t, list[1].Material)
	assert.False(t, list[0].Material)
	assert.True(t, v2.Effective.Equal(list[1].Effective))

	list, err = s.Notices(ctx, "nothing")
	require.NoError(t, err)
	assert.Empty(t, list)
}

func superseding(t *testing.T, s consent.Store) {
	ctx := context.Background()
	for _, n := range []consent.Notice{
		{Purpose: "news", Version: "v1", Effective: at(10)},
		{Purpose: "news", Version: "v1.1", Effective: at(20)}, // wording fix
		{Purpose: "news", Version: "v2", Effective: at(30), Material: true},
		{Purpose: "news", Version: "v3", Effective: at(40), Material: true},
		{Purpose: "ads", Version: "v9", Effective: at(0), Material: true},
	} {
		require.NoError(t, s.AddNotice(ctx, n))
	}
	for _, tc := range []struct {
		version string
		when    time.Time
		want    string // "": none
	}{
		{"v1", at(25), ""},
		{"v1", at(30).Add(-time.Nanosecond), ""},
		{"v1", at(30), "v2"},
		{"v1", at(50), "v2"},
		{"v1.1", at(35), "v2"},
		{"v2", at(35), ""},
		{"v2", at(40), "v3"},
		{"v3", at(99), ""},
		{"never-published", at(5), ""},
		{"never-published", at(30), "v2"},
	} {
		n, ok, err := s.Superseding(ctx, "news", tc.version, tc.when)
		require.NoError(t, err)
		assert.Equal(t, tc.want != "", ok, "%s at %v", tc.version, tc.when)
		assert.Equal(t, tc.want, n.Version, "%s at %v", tc.version, tc.when)
	}
	_, ok, err := s.Superseding(ctx, "other", "v1", at(99))
	require.NoError(t, err)
	assert.False(t, ok, "a purpose without notices has no supersession")
}

// concurrentAppends races appends for one subject and checks that the
// numbers come out gapless and unique.
func concurrentAppends(t *testing.T, s consent.Store) {
	const writers, each = 8, 6
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				k := consent.Grant
				if (w+i)%2 == 1 {
					k = consent.Withdrawal
				}
				batch := []consent.Event{event("alice", "news", k, at(w*each+i))}
				errs <- s.Append(ctx, batch)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	events, err := s.Events(ctx, "alice", "news")
	require.NoError(t, err)
	require.Len(t, events, writers*each)
	for i, e := range events {
		assert.Equal(t, int64(i+1), e.Seq, "sequence numbers are gapless and unique")
		if i > 0 {
			assert.False(t, e.At.Before(events[i-1].At), "times never decrease along the sequence")
		}
	}
}

// batchReads checks a BatchStore: LastEach returns Last of each subject
// with events, and LastGrants pages through exactly the subjects whose
// last event is a grant, each once, whatever the page size. A store that
// is not a BatchStore skips it.
func batchReads(t *testing.T, s consent.Store) {
	bs, ok := s.(consent.BatchStore)
	if !ok {
		t.Skip("the store does not implement consent.BatchStore")
	}
	ctx := context.Background()
	var subjects []string
	granted := map[string]bool{}
	for i := range 23 {
		subject := fmt.Sprintf("s%02d", i)
		subjects = append(subjects, subject)
		appendOne(t, s, event(subject, "news", consent.Grant, at(i)))
		appendOne(t, s, event(subject, "ads", consent.Grant, at(i)))
		switch i % 4 {
		case 1:
			appendOne(t, s, event(subject, "news", consent.Withdrawal, at(i+1)))
		case 2:
			appendOne(t, s, event(subject, "news", consent.Expiry, at(i+1)))
		case 3:
			appendOne(t, s, event(subject, "news", consent.Withdrawal, at(i+1)))
			appendOne(t, s, event(subject, "news", consent.Grant, at(i+2)))
			granted[subject] = true
		default:
			granted[subject] = true
		}
	}
	events, err := bs.LastEach(ctx, "news", append(subjects, "nobody"))
	require.NoError(t, err)
	require.Len(t, events, len(subjects), "one event per subject with events")
	for _, e := range events {
		want, ok, err := s.Last(ctx, e.Subject, "news")
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, want.Seq, e.Seq, e.Subject)
		assert.Equal(t, want.Kind, e.Kind, e.Subject)
		assert.True(t, want.At.Equal(e.At), e.Subject)
		assert.Equal(t, want.Notice, e.Notice, e.Subject)
	}
	for _, size := range []int{1, 5, 100} {
		seen := map[string]bool{}
		after := ""
		for {
			page, err := bs.LastGrants(ctx, "news", after, size)
			require.NoError(t, err)
			require.LessOrEqual(t, len(page), size)
			for _, e := range page {
				assert.False(t, seen[e.Subject], "%s listed twice", e.Subject)
				seen[e.Subject] = true
				assert.Equal(t, consent.Grant, e.Kind)
			}
			if len(page) < size {
				break
			}
			after = page[len(page)-1].Subject
		}
		assert.Equal(t, granted, seen, "pages of %d", size)
	}
}
