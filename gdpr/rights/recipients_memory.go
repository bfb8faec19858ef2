package rights

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"
)

// MemoryRecipientStore keeps disclosures and notices (Art. 19) in memory,
// for tests and single-instance services. It is safe for concurrent use.
// Its zero value is not usable: call NewMemoryRecipientStore.
type MemoryRecipientStore struct {
	mu          sync.Mutex // guards the fields below
	disclosures []Disclosure
	notices     map[string]*Notice
}

var _ RecipientStore = (*MemoryRecipientStore)(nil)

// NewMemoryRecipientStore returns an empty in-memory store.
func NewMemoryRecipientStore() *MemoryRecipientStore {
	return &MemoryRecipientStore{notices: map[string]*Notice{}}
}

// micro drops what a database column in microseconds would not keep.
func micro(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return time.UnixMicro(t.UnixMicro()).UTC()
}

// AddDisclosure implements RecipientStore.
func (m *MemoryRecipientStore) AddDisclosure(_ context.Context, d Disclosure) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	d.Subject, d.Categories, d.At = "", slices.Clone(d.Categories), micro(d.At)
	m.disclosures = append(m.disclosures, d)
	return nil
}

// Disclosures implements RecipientStore.
func (m *MemoryRecipientStore) Disclosures(_ context.Context, token string) ([]Disclosure, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Disclosure
	for _, d := range m.disclosures {
		if d.SubjectToken == token {
			d.Categories = slices.Clone(d.Categories)
			out = append(out, d)
		}
	}
	slices.SortStableFunc(out, func(a, b Disclosure) int { return a.At.Compare(b.At) })
	return out, nil
}

// EnqueueNotices implements RecipientStore.
func (m *MemoryRecipientStore) EnqueueNotices(_ context.Context, ns []Notice) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, n := range ns {
		if _, ok := m.notices[n.ID]; ok {
			continue
		}
		c := cloneNotice(n)
		c.Fulfilled, c.Next, c.Delivered = micro(c.Fulfilled), micro(c.Next), micro(c.Delivered)
		m.notices[n.ID] = &c
	}
	return nil
}

// ClaimNotices implements RecipientStore.
func (m *MemoryRecipientStore) ClaimNotices(_ context.Context, owner string, now, until time.Time, limit int) ([]Notice, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var due []*Notice
	for _, n := range m.notices {
		if n.Delivered.IsZero() && !n.Next.After(now) && (n.Lease == nil || !now.Before(n.Lease.Until)) {
			due = append(due, n)
		}
	}
	slices.SortFunc(due, func(a, b *Notice) int { return cmp.Or(a.Next.Compare(b.Next), cmp.Compare(a.ID, b.ID)) })
	if len(due) > limit {
		due = due[:limit]
	}
	out := make([]Notice, 0, len(due))
	for _, n := range due {
		n.Attempts++
		n.Lease = &Lease{Owner: owner, Until: micro(until)}
		out = append(out, cloneNotice(*n))
	}
	return out, nil
}

// ConfirmNotice implements RecipientStore.
func (m *MemoryRecipientStore) ConfirmNotice(_ context.Context, id string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if n, ok := m.notices[id]; ok && n.Delivered.IsZero() {
		n.Delivered, n.Subject, n.Lease, n.Error = micro(at), "", nil, ""
	}
	return nil
}

// RetryNotice implements RecipientStore.
func (m *MemoryRecipientStore) RetryNotice(_ context.Context, id, owner string, next time.Time, msg string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if n, ok := m.notices[id]; ok && n.Delivered.IsZero() && n.Lease != nil && n.Lease.Owner == owner {
		n.Next, n.Error, n.Lease = micro(next), msg, nil
	}
	return nil
}

// PendingNotices implements RecipientStore.
func (m *MemoryRecipientStore) PendingNotices(context.Context) ([]Notice, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Notice
	for _, n := range m.notices {
		if n.Delivered.IsZero() {
			out = append(out, cloneNotice(*n))
		}
	}
	slices.SortFunc(out, func(a, b Notice) int { return cmp.Or(a.Next.Compare(b.Next), cmp.Compare(a.ID, b.ID)) })
	return out, nil
}

// cloneNotice returns a copy of n that shares nothing with it.
func cloneNotice(n Notice) Notice {
	n.Categories = slices.Clone(n.Categories)
	if n.Lease != nil {
		l := *n.Lease
		n.Lease = &l
	}
	return n
}
