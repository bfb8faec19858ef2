package gdprhttp

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/rights"
)

// ErrInvalidConfig is matched by errors about a Config New cannot work with.
var ErrInvalidConfig = errors.New("gdprhttp: invalid config")

// Defaults of Config.
const (
	DefaultCodeTTL      = 15 * time.Minute
	DefaultCodeAttempts = 5
	DefaultLinkTTL      = 5 * time.Minute
	DefaultSpoolTTL     = time.Hour
	DefaultMaxBody      = 16 << 10
	DefaultSource       = "web/privacy-center"
)

// Rate is a token bucket: Burst requests at once, then one more every
// Every.
type Rate struct {
	Burst int
	Every time.Duration
}

// Default rates of Config.
var (
	DefaultRateIP      = Rate{Burst: 30, Every: 2 * time.Second}
	DefaultRateSubject = Rate{Burst: 5, Every: time.Minute}
)

// LookupFunc finds the data subject an e-mail address belongs to. It
// returns "" and no error for an address no subject has.
type LookupFunc func(ctx context.Context, address string) (subject string, err error)

// SubjectFunc tells which data subject a request belongs to: a logged-in
// session, say. It returns "" and no error for an anonymous request.
type SubjectFunc func(r *http.Request) (subject string, err error)

// Config configures a Handler. Kit, DB, Sender and Lookup are required.
type Config struct {
	// Kit is the wired library. Its Config.Verifier must accept the
	// requests this package verifies: wrap it with Verifier.
	Kit *gdprkit.Kit
	// DB keeps the requests that wait for their codes (SQLite or
	// PostgreSQL): the kit's database, shared by every instance. Required.
	DB *sql.DB
	// Sender delivers one-time codes. Required.
	Sender Sender
	// Lookup finds the subject of an address. Required.
	Lookup LookupFunc
	// Subject tells which subject a request belongs to, for consent
	// preferences and Global Privacy Control; nil: nobody.
	Subject SubjectFunc
	// Rights are the rights offered; access, portability, erasure,
	// rectification, restriction and objection when empty.
	Rights []rights.Right
	// GPCPurposes are the purposes of sale, sharing or targeted
	// advertising that a Global Privacy Control signal opts out of. Each
	// must be registered and either rest on consent (a given consent is
	// withdrawn, by consent.MethodGPC, once: a consent given again later
	// stands) or be objectable (legitimate interests or direct marketing:
	// an objection is recorded).
	GPCPurposes []string

	// CodeTTL is how long a code is valid; DefaultCodeTTL when zero.
	CodeTTL time.Duration
	// CodeAttempts bounds the codes tried per request; DefaultCodeAttempts
	// when zero. The request is then locked.
	CodeAttempts int
	// LinkTTL is how long a download link is valid; DefaultLinkTTL when zero.
	LinkTTL time.Duration
	// SpoolTTL is how long a written export waits to be downloaded;
	// DefaultSpoolTTL when zero.
	SpoolTTL time.Duration
	// MaxBody bounds request bodies, in bytes; DefaultMaxBody when zero.
	MaxBody int64
	// RateIP limits requests per client IP; RateSubject submissions and
	// code attempts per address, per ticket and per subject. The defaults
	// when zero.
	RateIP, RateSubject Rate
	// ClientIP returns the client's IP address; the host of RemoteAddr
	// when nil. Behind a proxy, return the address it forwards.
	ClientIP func(r *http.Request) string

	// Source names where consent changes come from; DefaultSource when empty.
	Source string
	// TempDir holds export spool files; os.TempDir when empty.
	TempDir string
	// Logger receives what the handlers log, through pii.NewHandler;
	// slog.Default when nil.
	Logger *slog.Logger
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

var defaultRights = []rights.Right{rights.RightAccess, rights.RightPortability, rights.RightErasure,
	rights.RightRectification, rights.RightRestriction, rights.RightObjection}

func (c *Config) check() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("gdprhttp: New: %s: %w", fmt.Sprintf(format, args...), ErrInvalidConfig)
	}
	switch {
	case c.Kit == nil:
		return bad("Config.Kit is nil")
	case c.DB == nil:
		return bad("Config.DB is nil: codes are kept in the database")
	case c.Sender == nil:
		return bad("Config.Sender is nil: codes must reach the requester")
	case c.Lookup == nil:
		return bad("Config.Lookup is nil")
	case c.CodeTTL < 0, c.LinkTTL < 0, c.SpoolTTL < 0, c.MaxBody < 0, c.CodeAttempts < 0:
		return bad("a negative limit")
	}
	if len(c.Rights) == 0 {
		c.Rights = defaultRights
	}
	for _, r := range c.Rights {
		if !r.Valid() || r == rights.RightReview {
			return bad("Rights: %v cannot be requested here", r)
		}
	}
	reg := c.Kit.Register()
	for _, id := range c.GPCPurposes {
		p, ok := reg.Purpose(id)
		switch {
		case !ok:
			return bad("GPCPurposes: purpose %q is not registered", id)
		case !p.Objectable() && p.Basis != gdpr.Consent:
			return bad("GPCPurposes: purpose %q rests on %s: nobody can object to it", id, p.Basis.Article())
		}
	}
	c.CodeTTL = or(c.CodeTTL, DefaultCodeTTL)
	c.CodeAttempts = or(c.CodeAttempts, DefaultCodeAttempts)
	c.LinkTTL = or(c.LinkTTL, DefaultLinkTTL)
	c.SpoolTTL = or(c.SpoolTTL, DefaultSpoolTTL)
	c.MaxBody = or(c.MaxBody, DefaultMaxBody)
	c.Source = or(c.Source, DefaultSource)
	if c.RateIP.Burst <= 0 || c.RateIP.Every <= 0 {
		c.RateIP = DefaultRateIP
	}
	if c.RateSubject.Burst <= 0 || c.RateSubject.Every <= 0 {
		c.RateSubject = DefaultRateSubject
	}
	if c.ClientIP == nil {
		c.ClientIP = remoteIP
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return nil
}

func (c *Config) offers(r rights.Right) bool { return slices.Contains(c.Rights, r) }

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// remoteIP is the host of RemoteAddr.
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
