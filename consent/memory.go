package consent

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"time"
)

// MemoryStore is a Store in memory, for tests, examples and single-process
// tools; its contents are lost with the process. The zero value is not
// usable: call NewMemoryStore.
//
// Reads take a shared lock and do not allocate: Latest finds the deciding
// event of a subject and purpose by binary search over an index of its
// events by time.
type MemoryStore struct {
	mu       sync.RWMutex // guards logs, subjects and notices; held for writing by Append and AddNotice
	logs     map[logKey]memLog
	subjects map[string]*memSubject
	notices  map[string][]Notice // by purpose, ordered by Effective, then Version
}

type logKey struct{ subject, purpose string }

// memSubject is what a subject's appends need across purposes.
type memSubject struct {
	last     int64     // the highest Seq given out
	lastAt   time.Time // the latest At stored
	purposes []string  // sorted
}

// memLog holds one subject's events for one purpose: the events in Seq
// order, and a compact index of them by (At, Seq) for Latest's binary
// search, in which each entry holds the position of the deciding event at
// its instant. A read touches the index and one event.
type memLog struct {
	events []Event
	byAt   []atEntry
}

type atEntry struct {
	at time.Time
	// best is the position in events of the highest Seq among the index
	// entries up to and including this one. As positions grow with Seq, it
	// is the largest of their positions.
	best int
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{logs: map[logKey]memLog{}, subjects: map[string]*memSubject{}, notices: map[string][]Notice{}}
}

// Append implements EventStore.
func (s *MemoryStore) Append(ctx context.Context, events []Event) error {
	if err := checkBatch(events); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	subject := events[0].Subject
	subj := s.subjects[subject]
	if subj == nil {
		subj = &memSubject{}
		s.subjects[subject] = subj
	}
	for i := range events {
		subj.last++
		events[i].Seq = subj.last
		if events[i].At.Before(subj.lastAt) {
			events[i].At = subj.lastAt // never before the subject's previous event
		}
		subj.lastAt = events[i].At
		events[i].Proof.Subject = subject
		key := logKey{subject, events[i].Purpose}
		log, ok := s.logs[key]
		if !ok {
			j, _ := slices.BinarySearch(subj.purposes, key.purpose)
			subj.purposes = slices.Insert(subj.purposes, j, key.purpose)
		}
		s.logs[key] = log.add(events[i])
	}
	return nil
}

// add appends e, the subject's newest event, and returns the log.
func (l memLog) add(e Event) memLog {
	l.events = append(l.events, e)
	pos := len(l.events) - 1
	// Insert after every entry not later than e.At; usually at the end.
	i := len(l.byAt)
	for i > 0 && l.byAt[i-1].at.After(e.At) {
		i--
	}
	l.byAt = slices.Insert(l.byAt, i, atEntry{at: e.At, best: pos})
	// pos is the highest position so far, so it is the best from i on.
	for j := i + 1; j < len(l.byAt); j++ {
		l.byAt[j].best = pos
	}
	return l
}

// Latest implements EventStore.
func (s *MemoryStore) Latest(ctx context.Context, subject, purpose string, at time.Time) (Event, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	log := s.logs[logKey{subject, purpose}]
	// n = how many events took effect at or before at.
	n, hi := 0, len(log.byAt)
	for n < hi {
		mid := int(uint(n+hi) >> 1)
		if log.byAt[mid].at.After(at) {
			hi = mid
		} else {
			n = mid + 1
		}
	}
	if n == 0 {
		return Event{}, false, nil
	}
	return log.events[log.byAt[n-1].best], true, nil
}

// Last implements EventStore.
func (s *MemoryStore) Last(ctx context.Context, subject, purpose string) (Event, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	events := s.logs[logKey{subject, purpose}].events
	if len(events) == 0 {
		return Event{}, false, nil
	}
	return events[len(events)-1], true, nil
}

// Events implements EventStore.
func (s *MemoryStore) Events(ctx context.Context, subject, purpose string) ([]Event, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if purpose != "" {
		return slices.Clone(s.logs[logKey{subject, purpose}].events), nil
	}
	subj := s.subjects[subject]
	if subj == nil {
		return nil, nil
	}
	out := make([]Event, 0, subj.last)
	for _, p := range subj.purposes {
		out = append(out, s.logs[logKey{subject, p}].events...)
	}
	slices.SortFunc(out, func(a, b Event) int { return cmp.Compare(a.Seq, b.Seq) })
	return out, nil
}

// Purposes implements EventStore.
func (s *MemoryStore) Purposes(ctx context.Context, subject string) ([]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if subj := s.subjects[subject]; subj != nil {
		return slices.Clone(subj.purposes), nil
	}
	return nil, nil
}

// AddNotice implements NoticeStore.
func (s *MemoryStore) AddNotice(ctx context.Context, n Notice) error {
	if err := checkNotice(n); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	list := s.notices[n.Purpose]
	for _, m := range list {
		if m.Version == n.Version {
			return &NoticeError{Purpose: n.Purpose, Version: n.Version, Err: ErrNoticeExists}
		}
	}
	i, _ := slices.BinarySearchFunc(list, n, compareNotices)
	s.notices[n.Purpose] = slices.Insert(list, i, n)
	return nil
}

func compareNotices(a, b Notice) int {
	if c := a.Effective.Compare(b.Effective); c != 0 {
		return c
	}
	return strings.Compare(a.Version, b.Version)
}

// Notices implements NoticeStore.
func (s *MemoryStore) Notices(ctx context.Context, purpose string) ([]Notice, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.notices[purpose]), nil
}

// Superseding implements NoticeStore.
func (s *MemoryStore) Superseding(ctx context.Context, purpose, version string, at time.Time) (Notice, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	list := s.notices[purpose]
	var since time.Time
	known := false
	for i := range list {
		if list[i].Version == version {
			since, known = list[i].Effective, true
			break
		}
	}
	for i := range list {
		n := &list[i]
		if n.Effective.After(at) {
			break
		}
		if n.Material && (!known || n.Effective.After(since)) {
			return *n, true, nil
		}
	}
	return Notice{}, false, nil
}
