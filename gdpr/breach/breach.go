package breach

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/internal/safe"
	"github.com/gdprkit/gdprkit/pii"
)

// LegalNotificationDeadline is the longest time the law allows from
// awareness of a breach to the notification of the supervisory authority:
// 72 hours (Art. 33(1)). A notification made later must give the reasons
// for the delay.
const LegalNotificationDeadline = 72 * time.Hour

// DefaultNotificationDeadline is the deadline a Log keeps when
// LogConfig.Deadline is zero: the legal 72 hours (Art. 33(1)).
const DefaultNotificationDeadline = LegalNotificationDeadline

// DefaultCommunicationDeadline is the internal deadline a Log keeps for
// communicating a high-risk breach to the subjects when
// LogConfig.CommunicationDeadline is zero: 72 hours from awareness. Art.
// 34(1) says "without undue delay" and fixes no figure; this default is a
// policy, not the law.
const DefaultCommunicationDeadline = 72 * time.Hour

// Breach is a personal data breach (Art. 4(12)) as the breach register
// documents it (Art. 33(5)), with what a notification must describe (Art.
// 33(3)). Describe the breach, not the people: no personal data in the
// text fields.
type Breach struct {
	// ID identifies the breach; the register assigns one when empty. A
	// code: letters, digits and ". _ - : /".
	ID string `json:"id"`
	// DetectedAt is when the breach was detected (the register's clock when
	// zero); AwareAt when the controller became reasonably certain that it
	// is a personal data breach, which starts the clock (DetectedAt when
	// zero); OccurredAt when it happened, if known.
	DetectedAt time.Time `json:"detected_at"`
	AwareAt    time.Time `json:"aware_at"`
	OccurredAt time.Time `json:"occurred_at,omitzero"`

	// Nature and Description say what happened (Art. 33(3)(a)).
	Nature      Nature `json:"nature"`
	Description string `json:"description"`
	// Categories of personal data concerned, and the approximate number of
	// subjects and of records (Art. 33(3)(a)).
	Categories []pii.Category `json:"categories,omitempty"`
	Subjects   int            `json:"subjects"`
	Records    int            `json:"records"`
	// Consequences likely to follow (Art. 33(3)(c)) and Measures taken or
	// proposed (Art. 33(3)(d)).
	Consequences string `json:"consequences,omitempty"`
	Measures     string `json:"measures,omitempty"`
	// Risk to the rights and freedoms of the subjects decides who must be
	// told.
	Risk Risk `json:"risk"`
	// Contact is the data protection officer or other contact point where
	// more information can be obtained (Art. 33(3)(b)): required to notify
	// the authority and to communicate to the subjects (Art. 34(2)). The
	// Log's LogConfig.Contact when empty.
	Contact gdpr.Party `json:"contact,omitzero"`

	// Deadline for notifying the supervisory authority: AwareAt plus the
	// register's deadline. Set by the register.
	Deadline time.Time `json:"deadline"`
	// AuthorityNotifiedAt, AuthorityRef and DelayReason record the first
	// notification of the supervisory authority, the one that counts for
	// the deadline; a late one must give the reasons for the delay (Art.
	// 33(1)). Follow-ups (Art. 33(4)) do not change them.
	AuthorityNotifiedAt time.Time `json:"authority_notified_at,omitzero"`
	AuthorityRef        string    `json:"authority_ref,omitempty"`
	DelayReason         string    `json:"delay_reason,omitempty"`
	// SubjectsNotifiedAt records the first communication to the subjects
	// (Art. 34).
	SubjectsNotifiedAt time.Time `json:"subjects_notified_at,omitzero"`
	// CommunicationDeadline is the internal deadline for communicating a
	// high-risk breach to the subjects "without undue delay" (Art. 34(1)):
	// AwareAt plus LogConfig.CommunicationDeadline. Set by the register.
	CommunicationDeadline time.Time `json:"communication_deadline,omitzero"`
	// Exemption records why a high-risk breach is not communicated to the
	// subjects (Art. 34(3)); set with Log.Exempt.
	Exemption Exemption `json:"exemption,omitzero"`
	// PublicNotifiedAt records the first public communication that
	// replaces the individual one under Art. 34(3)(c).
	PublicNotifiedAt time.Time `json:"public_notified_at,omitzero"`
	// Notifications lists every notification, first ones and follow-ups,
	// in the order of their times.
	Notifications []Notification `json:"notifications,omitempty"`
}

// NotifyAuthority reports whether the supervisory authority must be
// notified: unless the breach is unlikely to result in a risk (Art. 33(1)).
// A breach whose risk is not assessed yet counts as one that must.
func (b *Breach) NotifyAuthority() bool { return b.Risk != RiskUnlikely }

// NotifySubjects reports whether the subjects must be told without undue
// delay: when the risk is high (Art. 34(1)).
func (b *Breach) NotifySubjects() bool { return b.Risk == RiskHigh }

// Overdue reports whether the authority must be notified, has not been, and
// the deadline has passed at now.
func (b *Breach) Overdue(now time.Time) bool {
	return b.NotifyAuthority() && b.AuthorityNotifiedAt.IsZero() && now.After(b.Deadline)
}

// LegalDeadline is when the 72 hours of Art. 33(1) from awareness run out:
// a first notification of the authority after it must give the reasons for
// the delay, whatever the internal Deadline.
func (b *Breach) LegalDeadline() time.Time { return b.AwareAt.Add(LegalNotificationDeadline) }

// CommunicationOverdue reports whether the breach must be communicated to
// the subjects (high risk, Art. 34(1)), has not been, is not exempt (Art.
// 34(3)(a) or (b); under (c) until the public communication is recorded),
// and its CommunicationDeadline has passed at now.
func (b *Breach) CommunicationOverdue(now time.Time) bool {
	if !b.NotifySubjects() || !b.SubjectsNotifiedAt.IsZero() {
		return false
	}
	switch b.Exemption.Ground {
	case Unintelligible, RiskContained:
		return false
	case DisproportionateEffort:
		if !b.PublicNotifiedAt.IsZero() {
			return false
		}
	}
	deadline := b.CommunicationDeadline
	if deadline.IsZero() { // recorded before the deadline was kept
		deadline = b.AwareAt.Add(DefaultCommunicationDeadline)
	}
	return now.After(deadline)
}

// Exemption records why a high-risk breach is not communicated to each data
// subject (Art. 34(3)).
type Exemption struct {
	// Ground is the point of Art. 34(3) relied on.
	Ground ExemptionGround `json:"ground"`
	// Reason documents why the ground applies, such as the encryption used
	// and why its key is safe. Required.
	Reason string `json:"reason"`
	// At is when the exemption was decided; the register's clock when zero.
	At time.Time `json:"at"`
}

// ExemptionGround is a point of Art. 34(3). The zero ExemptionGround is
// none.
type ExemptionGround uint8

// Grounds of Art. 34(3).
const (
	// Unintelligible, Art. 34(3)(a): protection measures, such as
	// encryption, applied to the data concerned render it unintelligible
	// to anyone not authorised to access it.
	Unintelligible ExemptionGround = iota + 1
	// RiskContained, Art. 34(3)(b): subsequent measures ensure that the
	// high risk is no longer likely to materialise.
	RiskContained
	// DisproportionateEffort, Art. 34(3)(c): an individual communication
	// would involve disproportionate effort; a public communication or
	// similar measure informs the subjects instead (record it with
	// Notify to Public).
	DisproportionateEffort
)

var exemptionInfo = [...]struct{ code, letter string }{
	Unintelligible:         {"unintelligible", "a"},
	RiskContained:          {"risk-contained", "b"},
	DisproportionateEffort: {"disproportionate-effort", "c"},
}

// Valid reports whether g is one of the three grounds.
func (g ExemptionGround) Valid() bool { return g >= Unintelligible && g <= DisproportionateEffort }

// String returns the ground's code, such as "unintelligible"; "" for none.
func (g ExemptionGround) String() string {
	switch {
	case g == 0:
		return ""
	case g.Valid():
		return exemptionInfo[g].code
	}
	return fmt.Sprintf("ExemptionGround(%d)", uint8(g))
}

// Article returns the legal reference, such as "Art. 34(3)(a)".
func (g ExemptionGround) Article() string {
	if !g.Valid() {
		return g.String()
	}
	return "Art. 34(3)(" + exemptionInfo[g].letter + ")"
}

// MarshalText encodes the ground as its code.
func (g ExemptionGround) MarshalText() ([]byte, error) {
	if g != 0 && !g.Valid() {
		return nil, fmt.Errorf("breach: cannot encode %v: not an Art. 34(3) ground", g)
	}
	return []byte(g.String()), nil
}

// UnmarshalText decodes a ground code.
func (g *ExemptionGround) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*g = 0
		return nil
	}
	for v := Unintelligible; v <= DisproportionateEffort; v++ {
		if exemptionInfo[v].code == string(text) {
			*g = v
			return nil
		}
	}
	return fmt.Errorf("breach: unknown Art. 34(3) ground %q (want unintelligible, risk-contained or disproportionate-effort)", text)
}

// Nature is the kind of breach as a set: a breach of confidentiality
// (disclosure or access), integrity (alteration) or availability (loss or
// destruction), or several.
type Nature uint8

// Natures of breaches.
const (
	Confidentiality Nature = 1 << iota // disclosed to or accessed by someone not entitled
	Integrity                          // altered without authority
	Availability                       // lost or destroyed, even for a while
)

var natureNames = [...]string{"confidentiality", "integrity", "availability"}

// String lists the set's members joined by "+", such as
// "confidentiality+availability".
func (n Nature) String() string {
	var parts []string
	for i, name := range natureNames {
		if n&(1<<i) != 0 {
			parts = append(parts, name)
		}
	}
	if rest := n &^ (Confidentiality | Integrity | Availability); rest != 0 {
		parts = append(parts, fmt.Sprintf("Nature(%d)", uint8(rest)))
	}
	return strings.Join(parts, "+")
}

// MarshalText encodes the set as String does.
func (n Nature) MarshalText() ([]byte, error) { return []byte(n.String()), nil }

// UnmarshalText decodes names joined by "+".
func (n *Nature) UnmarshalText(text []byte) error {
	var v Nature
	for name := range strings.SplitSeq(string(text), "+") {
		if name == "" {
			continue
		}
		i := slices.Index(natureNames[:], name)
		if i < 0 {
			return fmt.Errorf("breach: unknown breach nature %q (want confidentiality, integrity or availability)", name)
		}
		v |= 1 << i
	}
	*n = v
	return nil
}

// Risk is the assessed risk of a breach to the subjects' rights and
// freedoms.
type Risk uint8

// Risk levels. The zero Risk is not assessed yet.
const (
	RiskUnassessed Risk = iota
	// RiskUnlikely: unlikely to result in a risk; documented, not notified.
	RiskUnlikely
	// RiskLikely: notify the supervisory authority.
	RiskLikely
	// RiskHigh: notify the authority and tell the subjects.
	RiskHigh
)

var riskCodes = [...]string{RiskUnassessed: "unassessed", RiskUnlikely: "unlikely", RiskLikely: "risk", RiskHigh: "high"}

// String returns the risk's code.
func (r Risk) String() string {
	if int(r) < len(riskCodes) {
		return riskCodes[r]
	}
	return fmt.Sprintf("Risk(%d)", uint8(r))
}

// MarshalText encodes the risk as its code.
func (r Risk) MarshalText() ([]byte, error) {
	if int(r) >= len(riskCodes) {
		return nil, fmt.Errorf("breach: cannot encode %v: not a risk level", r)
	}
	return []byte(r.String()), nil
}

// UnmarshalText decodes a risk code.
func (r *Risk) UnmarshalText(text []byte) error {
	i := slices.Index(riskCodes[:], string(text))
	if i < 0 {
		return fmt.Errorf("breach: unknown breach risk %q (want unassessed, unlikely, risk or high)", text)
	}
	*r = Risk(i)
	return nil
}

// Store keeps breaches. MemoryStore and SQLStore implement it; package
// breachtest checks another implementation.
type Store interface {
	// CreateBreach stores a new breach; an existing ID is ErrBreachExists.
	CreateBreach(ctx context.Context, b Breach) error
	// Breach returns the breach with the ID, or ErrUnknownBreach.
	Breach(ctx context.Context, id string) (Breach, error)
	// UpdateBreach calls fn on the stored breach and stores the result, as
	// one atomic step across instances; an error from fn leaves it as it
	// was and is returned.
	UpdateBreach(ctx context.Context, id string, fn func(*Breach) error) (Breach, error)
	// Breaches returns every breach, in no particular order.
	Breaches(ctx context.Context) ([]Breach, error)
}

// Errors of the breach register.
var (
	// ErrUnknownBreach: no breach has the ID.
	ErrUnknownBreach = errors.New("breach: unknown breach")
	// ErrBreachExists: a breach with the ID is already recorded.
	ErrBreachExists = errors.New("breach: breach ID already used")
	// ErrInvalidBreach is matched by errors about a breach record that is
	// incomplete or inconsistent.
	ErrInvalidBreach = errors.New("breach: invalid breach")
	// ErrNoDelayReason: the authority was notified more than 72 hours after
	// awareness and no reasons for the delay were given (Art. 33(1)).
	ErrNoDelayReason = fmt.Errorf("%w: late notification without reasons for the delay", ErrInvalidBreach)
	// ErrIncompleteNotification: a notification lacks what the law requires
	// it to contain: the contact point (Art. 33(3)(b)) for the authority;
	// for the subjects the nature, the contact point, the likely
	// consequences and the measures (Art. 34(2)).
	ErrIncompleteNotification = fmt.Errorf("%w: incomplete notification", ErrInvalidBreach)
)

// LogConfig configures a Log.
type LogConfig struct {
	// Store keeps the breaches. Required.
	Store Store
	// Deadline from awareness to the notification of the authority;
	// DefaultNotificationDeadline (72 hours) when zero. It may be shorter
	// than the 72 hours of Art. 33(1), as an internal target, never longer
	// (ErrInvalidConfig); a notification later than 72 hours needs reasons
	// for the delay whatever this deadline.
	Deadline time.Duration
	// CommunicationDeadline from awareness to the communication of a
	// high-risk breach to the subjects ("without undue delay", Art. 34(1));
	// DefaultCommunicationDeadline when zero.
	CommunicationDeadline time.Duration
	// Contact is the data protection officer or other contact point (Art.
	// 33(3)(b)) recorded on a breach that names none.
	Contact gdpr.Party
	// Journal, when set, records each report, update and notification
	// (by breach ID and codes; never the description).
	Journal *audit.Journal
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// Log documents personal data breaches (Art. 33(5)) and keeps
// the notification clock.
type Log struct {
	store         Store
	deadline      time.Duration
	communication time.Duration
	contact       gdpr.Party
	journal       *audit.Journal
	now           func() time.Time
}

// NewLog returns a breach register.
func NewLog(cfg LogConfig) (*Log, error) {
	if cfg.Store == nil {
		return nil, configError("NewLog", "LogConfig.Store is nil")
	}
	if cfg.Deadline < 0 {
		return nil, configError("NewLog", "LogConfig.Deadline is negative")
	}
	// Art. 33(1): 72 hours is the legal maximum; an internal deadline may
	// only be shorter.
	if cfg.Deadline > LegalNotificationDeadline {
		return nil, configError("NewLog", fmt.Sprintf("LogConfig.Deadline %v is longer than the 72 hours of Art. 33(1)", cfg.Deadline))
	}
	if cfg.Deadline == 0 {
		cfg.Deadline = DefaultNotificationDeadline
	}
	if cfg.CommunicationDeadline < 0 {
		return nil, configError("NewLog", "LogConfig.CommunicationDeadline is negative")
	}
	if cfg.CommunicationDeadline == 0 {
		cfg.CommunicationDeadline = DefaultCommunicationDeadline
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Log{store: cfg.Store, deadline: cfg.Deadline, communication: cfg.CommunicationDeadline,
		contact: cfg.Contact, journal: cfg.Journal, now: cfg.Now}, nil
}

// Report records a breach and starts its clock: the deadline is AwareAt
// plus the register's deadline. It assigns an ID when b has none and
// returns the stored breach; when only the journalling failed, it returns
// the stored breach with the error.
func (r *Log) Report(ctx context.Context, b Breach) (Breach, error) {
	now := r.now()
	if b.ID == "" {
		var buf [8]byte
		_, _ = rand.Read(buf[:])
		b.ID = "breach-" + hex.EncodeToString(buf[:])
	}
	if b.DetectedAt.IsZero() {
		b.DetectedAt = now
	}
	if b.AwareAt.IsZero() {
		b.AwareAt = b.DetectedAt
	}
	b.Categories = slices.Clone(b.Categories)
	b.Notifications = slices.Clone(b.Notifications)
	if err := b.check(now); err != nil {
		return Breach{}, err
	}
	if b.Contact == (gdpr.Party{}) {
		b.Contact = r.contact
	}
	b.Deadline = b.AwareAt.Add(r.deadline)
	b.CommunicationDeadline = b.AwareAt.Add(r.communication)
	if err := r.store.CreateBreach(ctx, b); err != nil {
		return Breach{}, fmt.Errorf("breach: report breach %s: %w", b.ID, err)
	}
	return b, r.event(ctx, audit.KindBreach, b)
}

// check validates what a breach record must hold.
func (b *Breach) check(now time.Time) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("breach: breach %s: %s: %w", b.ID, fmt.Sprintf(format, args...), ErrInvalidBreach)
	}
	switch {
	case !safe.Code(b.ID, true):
		return fmt.Errorf("breach: breach ID %q is not a code (1 to 64 letters, digits and . _ - : /): %w", b.ID, ErrInvalidBreach)
	case b.AwareAt.Before(b.DetectedAt):
		return bad("AwareAt %s is before DetectedAt %s", b.AwareAt.Format(time.RFC3339), b.DetectedAt.Format(time.RFC3339))
	case b.AwareAt.After(now):
		return bad("AwareAt %s is in the future", b.AwareAt.Format(time.RFC3339))
	case !b.OccurredAt.IsZero() && b.OccurredAt.After(b.DetectedAt):
		return bad("OccurredAt is after DetectedAt")
	case b.Nature == 0 || b.Nature&^(Confidentiality|Integrity|Availability) != 0:
		return bad("Nature must be Confidentiality, Integrity, Availability or a union of them (Art. 33(3)(a))")
	case b.Description == "":
		return bad("Description is empty: describe the nature of the breach (Art. 33(3)(a))")
	case b.Subjects < 0 || b.Records < 0:
		return bad("Subjects and Records are approximate counts and cannot be negative")
	case int(b.Risk) >= len(riskCodes):
		return bad("unknown Risk %d", b.Risk)
	}
	for i, c := range b.Categories {
		if _, ok := pii.LookupCategory(string(c)); !ok {
			return bad("Categories[%d]: unknown category %q", i, c)
		}
	}
	return nil
}

// Update changes a breach's assessment as the investigation goes on (Art.
// 33(4) allows information in phases): fn edits a copy, which is checked
// and stored. The ID, the times that fix the clock and the notifications
// cannot be changed this way.
func (r *Log) Update(ctx context.Context, id string, fn func(*Breach) error) (Breach, error) {
	now := r.now()
	b, err := r.store.UpdateBreach(ctx, id, func(b *Breach) error {
		keep := *b
		if err := fn(b); err != nil {
			return err
		}
		b.ID, b.DetectedAt, b.AwareAt, b.Deadline = keep.ID, keep.DetectedAt, keep.AwareAt, keep.Deadline
		b.AuthorityNotifiedAt, b.AuthorityRef, b.DelayReason, b.SubjectsNotifiedAt = keep.AuthorityNotifiedAt, keep.AuthorityRef, keep.DelayReason, keep.SubjectsNotifiedAt
		b.CommunicationDeadline, b.Exemption, b.PublicNotifiedAt = keep.CommunicationDeadline, keep.Exemption, keep.PublicNotifiedAt
		b.Notifications = slices.Clone(keep.Notifications)
		b.Categories = slices.Clone(b.Categories)
		return b.check(now)
	})
	if err != nil {
		return Breach{}, fmt.Errorf("breach: update breach %s: %w", id, err)
	}
	return b, r.event(ctx, audit.KindBreachUpdated, b)
}

// Audience is who a breach is notified to.
type Audience uint8

// Audiences.
const (
	// Authority is the competent supervisory authority (Art. 33).
	Authority Audience = iota + 1
	// Subjects are the data subjects concerned (Art. 34).
	Subjects
	// Public is a public communication or similar measure that informs the
	// subjects instead of an individual communication (Art. 34(3)(c)).
	Public
)

// Notification records that a breach was notified.
type Notification struct {
	To Audience `json:"to"`
	// At is when it was notified; the register's clock when zero.
	At time.Time `json:"at"`
	// Reference is the authority's case number, if any.
	Reference string `json:"reference,omitempty"`
	// DelayReason is required when the authority is first notified more
	// than 72 hours after awareness (Art. 33(1)).
	DelayReason string `json:"delay_reason,omitempty"`
}

// Notify records a notification of the breach. The earliest notification
// of each audience is the one that counts (AuthorityNotifiedAt,
// SubjectsNotifiedAt); later ones are follow-ups (Art. 33(4)) and are only
// listed in Breach.Notifications, so a follow-up after the deadline does
// not make an on-time notification late. n.At must lie between the
// breach's AwareAt and now (ErrInvalidBreach). Notifying the authority for
// the first time more than 72 hours after awareness (LegalDeadline, Art.
// 33(1)) without reasons for the delay is ErrNoDelayReason; a shorter
// internal Deadline only makes the breach Overdue. Notifying the authority
// needs the contact point (Art. 33(3)(b)); communicating to the subjects,
// or publicly (Art. 34(3)(c)), needs the content of Art. 34(2): the
// nature (Description), the contact point, the likely consequences and the
// measures (ErrIncompleteNotification).
func (r *Log) Notify(ctx context.Context, id string, n Notification) (Breach, error) {
	now := r.now()
	if n.At.IsZero() {
		n.At = now
	}
	first := false
	b, err := r.store.UpdateBreach(ctx, id, func(b *Breach) error {
		switch {
		case n.To != Authority && n.To != Subjects && n.To != Public:
			return fmt.Errorf("Notification.To is %d: want Authority, Subjects or Public: %w", n.To, ErrInvalidBreach)
		case n.At.Before(b.AwareAt):
			return fmt.Errorf("Notification.At %s is before AwareAt %s: %w", n.At.Format(time.RFC3339), b.AwareAt.Format(time.RFC3339), ErrInvalidBreach)
		case n.At.After(now):
			return fmt.Errorf("Notification.At %s is in the future (now %s): %w", n.At.Format(time.RFC3339), now.Format(time.RFC3339), ErrInvalidBreach)
		}
		if err := b.content(n.To); err != nil {
			return err
		}
		switch n.To {
		case Authority:
			if b.AuthorityNotifiedAt.IsZero() || n.At.Before(b.AuthorityNotifiedAt) {
				// Art. 33(1): the reasons for a delay are owed after the
				// legal 72 hours, whatever the internal deadline.
				if n.At.After(b.LegalDeadline()) && n.DelayReason == "" {
					return fmt.Errorf("notified %s, more than 72 hours after awareness (%s): %w", n.At.Format(time.RFC3339Nano), b.LegalDeadline().Format(time.RFC3339Nano), ErrNoDelayReason)
				}
				b.AuthorityNotifiedAt, b.AuthorityRef, b.DelayReason = n.At, n.Reference, n.DelayReason
				first = true
			}
		case Subjects:
			if b.SubjectsNotifiedAt.IsZero() || n.At.Before(b.SubjectsNotifiedAt) {
				b.SubjectsNotifiedAt = n.At
				first = true
			}
		case Public:
			if b.PublicNotifiedAt.IsZero() || n.At.Before(b.PublicNotifiedAt) {
				b.PublicNotifiedAt = n.At
				first = true
			}
		}
		b.Notifications = append(slices.Clone(b.Notifications), n)
		slices.SortStableFunc(b.Notifications, func(x, y Notification) int { return x.At.Compare(y.At) })
		return nil
	})
	if err != nil {
		return Breach{}, fmt.Errorf("breach: notify breach %s: %w", id, err)
	}
	return b, r.notified(ctx, b, n.To, first)
}

// content checks that the breach holds what a notification to the audience
// must contain.
func (b *Breach) content(to Audience) error {
	var missing []string
	if b.Contact.Name == "" || b.Contact.Contact == "" {
		missing = append(missing, "Contact (name and contact details of the DPO or contact point, Art. 33(3)(b))")
	}
	article := "Art. 33(3)"
	if to != Authority {
		// Art. 34(2): the nature of the breach in clear and plain
		// language, and at least the information of Art. 33(3)(b)-(d).
		article = "Art. 34(2)"
		if b.Description == "" {
			missing = append(missing, "Description (the nature of the breach)")
		}
		if b.Consequences == "" {
			missing = append(missing, "Consequences (Art. 33(3)(c))")
		}
		if b.Measures == "" {
			missing = append(missing, "Measures (Art. 33(3)(d))")
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("%s requires %s: %w", article, strings.Join(missing, ", "), ErrIncompleteNotification)
}

// Exempt records that a high-risk breach is not communicated to the
// subjects on a ground of Art. 34(3), with the reasons (both required,
// ErrInvalidBreach). e.At is the register's clock when zero and must lie
// between the breach's AwareAt and now. Only a breach that must be
// communicated (high risk) can be exempt. A later exemption replaces an
// earlier one, such as when the supervisory authority decides (Art. 34(4)).
// Under Art. 34(3)(c) the breach stays CommunicationOverdue until a public
// communication is recorded (Notify to Public).
func (r *Log) Exempt(ctx context.Context, id string, e Exemption) (Breach, error) {
	now := r.now()
	if e.At.IsZero() {
		e.At = now
	}
	b, err := r.store.UpdateBreach(ctx, id, func(b *Breach) error {
		switch {
		case !e.Ground.Valid():
			return fmt.Errorf("Exemption.Ground %d is not one of Art. 34(3)(a)-(c): %w", e.Ground, ErrInvalidBreach)
		case e.Reason == "":
			return fmt.Errorf("Exemption.Reason is empty: document why %s applies: %w", e.Ground.Article(), ErrInvalidBreach)
		case !b.NotifySubjects():
			return fmt.Errorf("the risk is %s, not high: the subjects need not be told (Art. 34(1)), so no exemption applies: %w", b.Risk, ErrInvalidBreach)
		case e.At.Before(b.AwareAt) || e.At.After(now):
			return fmt.Errorf("Exemption.At %s is not between AwareAt and now: %w", e.At.Format(time.RFC3339), ErrInvalidBreach)
		}
		b.Exemption = e
		return nil
	})
	if err != nil {
		return Breach{}, fmt.Errorf("breach: exempt breach %s: %w", id, err)
	}
	if r.journal == nil {
		return b, nil
	}
	ev := audit.Event{Kind: audit.KindBreachUpdated, Outcome: audit.OutcomeDone, Ref: b.ID,
		Reasons: []string{"risk-" + b.Risk.String(), "exempt-" + e.Ground.String()}}
	if _, err := r.journal.Record(ctx, ev); err != nil {
		return b, fmt.Errorf("breach: breach %s recorded but not journalled: %w", b.ID, err)
	}
	return b, nil
}

// CommunicationOverdue returns the high-risk breaches whose communication
// to the subjects is due and late at now (Breach.CommunicationOverdue), the
// longest overdue first.
func (r *Log) CommunicationOverdue(ctx context.Context, now time.Time) ([]Breach, error) {
	all, err := r.store.Breaches(ctx)
	if err != nil {
		return nil, fmt.Errorf("breach: overdue communications: %w", err)
	}
	all = slices.DeleteFunc(all, func(b Breach) bool { return !b.CommunicationOverdue(now) })
	slices.SortFunc(all, func(a, b Breach) int { return a.CommunicationDeadline.Compare(b.CommunicationDeadline) })
	return all, nil
}

// notified journals a notification by breach ID and codes.
func (r *Log) notified(ctx context.Context, b Breach, to Audience, first bool) error {
	if r.journal == nil {
		return nil
	}
	ev := audit.Event{Kind: audit.KindBreachNotified, Outcome: audit.OutcomeDone, Ref: b.ID, Reasons: []string{"risk-" + b.Risk.String()}}
	switch to {
	case Authority:
		ev.Reasons = append(ev.Reasons, "authority-notified")
	case Subjects:
		ev.Reasons = append(ev.Reasons, "subjects-notified")
	default:
		ev.Reasons = append(ev.Reasons, "public-notified")
	}
	if !first {
		ev.Reasons = append(ev.Reasons, "follow-up")
	}
	if _, err := r.journal.Record(ctx, ev); err != nil {
		return fmt.Errorf("breach: breach %s recorded but not journalled: %w", b.ID, err)
	}
	return nil
}

// Breach returns the breach with the ID.
func (r *Log) Breach(ctx context.Context, id string) (Breach, error) {
	b, err := r.store.Breach(ctx, id)
	if err != nil {
		return Breach{}, fmt.Errorf("breach: breach %s: %w", id, err)
	}
	return b, nil
}

// Breaches returns every breach, the most recent awareness first.
func (r *Log) Breaches(ctx context.Context) ([]Breach, error) {
	all, err := r.store.Breaches(ctx)
	if err != nil {
		return nil, fmt.Errorf("breach: list breaches: %w", err)
	}
	slices.SortFunc(all, func(a, b Breach) int { return b.AwareAt.Compare(a.AwareAt) })
	return all, nil
}

// Overdue returns the breaches whose notification to the authority is due
// and late at now, the longest overdue first.
func (r *Log) Overdue(ctx context.Context, now time.Time) ([]Breach, error) {
	all, err := r.store.Breaches(ctx)
	if err != nil {
		return nil, fmt.Errorf("breach: overdue breaches: %w", err)
	}
	all = slices.DeleteFunc(all, func(b Breach) bool { return !b.Overdue(now) })
	slices.SortFunc(all, func(a, b Breach) int { return a.Deadline.Compare(b.Deadline) })
	return all, nil
}

// event journals a breach event by ID and codes.
func (r *Log) event(ctx context.Context, kind audit.Kind, b Breach) error {
	if r.journal == nil {
		return nil
	}
	ev := audit.Event{Kind: kind, Outcome: audit.OutcomeDone, Ref: b.ID, Reasons: []string{"risk-" + b.Risk.String()}}
	if _, err := r.journal.Record(ctx, ev); err != nil {
		return fmt.Errorf("breach: breach %s recorded but not journalled: %w", b.ID, err)
	}
	return nil
}
