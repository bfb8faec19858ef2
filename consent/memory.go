package consent

import (
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
// event by binary search over the purpose's events ordered by time.
type MemoryStore struct {
	mu       sync.RWMutex
	subjects map[string]*memSubject
	notices  map[string][]Notice // by purpose, ordered by Effective, then Version
}

// memSubject is one subject's log.
type memSubject struct {
	events   []Event // in Seq order: events[i].Seq == i+1
	purposes map[string]*memPurpose
}

// memPurpose indexes a subject's events for one purpose by time.
type memPurpose struct {
	// byAt holds positions in memSubject.events ordered by (At, Seq).
	byAt []int
	// best[i] is the position of the highest Seq among byAt[:i+1]. As
	// positions grow with Seq, it is their maximum.
	best []int
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{subjects: map[string]*memSubject{}, notices: map[string][]Notice{}}
}

// Append implements EventStore.
func (s *MemoryStore) Append(ctx context.Context, events []Event) error {
	if err := checkBatch(events); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	subj := s.subjects[events[0].Subject]
	if subj == nil {
		subj = &memSubject{purposes: map[string]*memPurpose{}}
		s.subjects[events[0].Subject] = subj
	}
	for i := range events {
		events[i].Seq = int64(len(subj.events)) + 1
		events[i].Proof.Subject = events[i].Subject
		subj.events = append(subj.events, events[i])
		p := subj.purposes[events[i].Purpose]
		if p == nil {
			p = &memPurpose{}
			subj.purposes[events[i].Purpose] = p
		}
		p.add(subj.events, len(subj.events)-1)
	}
	return nil
}

// add indexes the event at position pos, the subject's newest.
func (p *memPurpose) add(events []Event, pos int) {
	at := events[pos].At
	// Insert after every event not later than at; usually at the end.
	i := len(p.byAt)
	for i > 0 && events[p.byAt[i-1]].At.After(at) {
		i--
	}
	p.byAt = slices.Insert(p.byAt, i, pos)
	p.best = slices.Insert(p.best, i, pos)
	// pos is the highest position so far, so it is the best from i on.
	for j := i; j < len(p.best); j++ {
		p.best[j] = pos
	}
}

// Latest implements EventStore.
func (s *MemoryStore) Latest(ctx context.Context, subject, purpose string, at time.Time) (Event, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	subj := s.subjects[subject]
	if subj == nil {
		return Event{}, false, nil
	}
	p := subj.purposes[purpose]
	if p == nil {
		return Event{}, false, nil
	}
	// n = how many events took effect at or before at.
	lo, hi := 0, len(p.byAt)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if subj.events[p.byAt[mid]].At.After(at) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if lo == 0 {
		return Event{}, false, nil
	}
	return subj.events[p.best[lo-1]], true, nil
}

// Events implements EventStore.
func (s *MemoryStore) Events(ctx context.Context, subject, purpose string) ([]Event, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	subj := s.subjects[subject]
	if subj == nil {
		return nil, nil
	}
	if purpose == "" {
		return slices.Clone(subj.events), nil
	}
	p := subj.purposes[purpose]
	if p == nil {
		return nil, nil
	}
	out := make([]Event, 0, len(p.byAt))
	for i := range subj.events {
		if subj.events[i].Purpose == purpose {
			out = append(out, subj.events[i])
		}
	}
	return out, nil
}

// Purposes implements EventStore.
func (s *MemoryStore) Purposes(ctx context.Context, subject string) ([]string, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	subj := s.subjects[subject]
	if subj == nil {
		return nil, nil
	}
	out := make([]string, 0, len(subj.purposes))
	for p := range subj.purposes {
		out = append(out, p)
	}
	slices.Sort(out)
	return out, nil
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
