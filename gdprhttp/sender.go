package gdprhttp

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"

	"github.com/gdprkit/gdprkit/gdpr/rights"
)

// Sender delivers a one-time code to the address a request was made
// from: by e-mail, in production. SendCode is called in the background,
// after the response has gone, so that how long it takes does not tell
// whether the address is known; it is called only for known addresses.
type Sender interface {
	SendCode(ctx context.Context, m CodeMessage) error
}

// SenderFunc adapts a function to a Sender.
type SenderFunc func(ctx context.Context, m CodeMessage) error

// SendCode calls f.
func (f SenderFunc) SendCode(ctx context.Context, m CodeMessage) error { return f(ctx, m) }

// CodeMessage is what a Sender delivers. Logged with log/slog it shows
// neither the address nor the code.
type CodeMessage struct {
	Address  string       `pii:"email"`   // where to send it
	Code     string       `pii:"content"` // the one-time code, six digits
	Right    rights.Right `pii:"-"`       // the right requested
	Language language.Tag `pii:"-"`       // the requester's language
	Expires  time.Time    `pii:"-"`       // when the code expires
}

// LogValue hides the address and the code.
func (m CodeMessage) LogValue() slog.Value {
	return slog.GroupValue(slog.String("right", m.Right.String()), slog.String("language", m.Language.String()),
		slog.Time("expires", m.Expires))
}

// MemorySender keeps the messages it is given, for tests and development.
// The zero value is ready to use.
type MemorySender struct {
	mu   sync.Mutex
	msgs []CodeMessage
	wait chan struct{}
}

// SendCode keeps m.
func (s *MemorySender) SendCode(_ context.Context, m CodeMessage) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	if s.wait != nil {
		close(s.wait)
		s.wait = nil
	}
	return nil
}

// Messages returns the messages sent so far.
func (s *MemorySender) Messages() []CodeMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]CodeMessage(nil), s.msgs...)
}

// Next waits for the n-th message (counting from 1) sent to address,
// compared case-insensitively, and returns it, or ctx's error.
func (s *MemorySender) Next(ctx context.Context, address string, n int) (CodeMessage, error) {
	for {
		s.mu.Lock()
		seen := 0
		for _, m := range s.msgs {
			if strings.EqualFold(m.Address, address) {
				if seen++; seen == n {
					s.mu.Unlock()
					return m, nil
				}
			}
		}
		if s.wait == nil {
			s.wait = make(chan struct{})
		}
		wait := s.wait
		s.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return CodeMessage{}, ctx.Err()
		}
	}
}
