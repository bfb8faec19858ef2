package gdprkit

import (
	"database/sql"
	"time"

	"github.com/tink-crypto/tink-go/v2/tink"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/breach"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/retention"
)

// Config is everything Open needs. KEK, Controller, Purposes and Verifier
// are required; the rest is optional.
type Config struct {
	// KEK wraps every key the kit keeps: a KMS AEAD in production,
	// shred.LocalKEK for development. Required.
	KEK tink.AEAD
	// KEKID names KEK in every key record it wraps; change it with the KEK
	// and list the old one in OldKEKs until shred's RotateKEK is done.
	KEKID   string
	OldKEKs map[string]tink.AEAD
	// KeyDB holds the keys, apart from the data so that a backup of the
	// data carries none; the data database when nil.
	KeyDB *sql.DB

	// Controller is the controller named in the Art. 30 record. Required.
	Controller gdpr.Party
	// Register names the rest of the Art. 30(1)(a) record: joint
	// controllers, the representative (Art. 27), the data protection officer
	// (Art. 37), and the security measures (Art. 30(1)(g)). Its Controller
	// and Now are the kit's. The DPO, when named, is also the contact point
	// of breach notifications (Art. 33(3)(b)); the controller otherwise.
	Register gdpr.RegisterConfig
	// Breaches sets the internal deadlines of the breach log: notifying
	// the authority (at most the 72 hours of Art. 33(1), the default) and
	// communicating to subjects (Art. 34(1)). Its Store, Journal, Contact and
	// Now are the kit's.
	Breaches breach.LogConfig
	// Purposes are registered once; each one's Retention period also
	// becomes a retention rule (see Open and PurposeRules; retention given
	// only as criteria gives none).
	Purposes []gdpr.Purpose
	// Notices are published at every Open; publishing is idempotent.
	Notices []consent.Notice
	// Rules are retention rules besides those the purposes declare.
	Rules []retention.Rule

	// Sources hold personal data: access exports read them, erasures erase
	// them. The kit adds the consent history (SourceConsentHistory). A
	// Table made without TableConfig.Keys gets the kit's Shredder of its
	// namespace; it must be on the kit's database.
	Sources []rights.Source
	// Namespaces name the crypto-shredding namespaces the application
	// seals data in; a Shredder is made for each (Kit.Shredder). ["app"]
	// when empty. NamespaceConsent and NamespaceJournal are the kit's own.
	Namespaces []string
	// Subjects list data subjects with their last activity: the sweep
	// erases those inactive beyond every rule, through Kit.Erase.
	Subjects map[string]retention.SubjectSource
	// Records are record stores the sweep keeps within the rules.
	Records map[string]retention.RecordSource

	// Verifier establishes a requester's identity (Art. 12(6)). Required.
	Verifier rights.Verifier
	// Contract confirms contracts; required when a purpose rests on one.
	Contract gdpr.ContractFunc
	// Deadline computes request time limits (Art. 12(3)) in the
	// controller's time zone: set Deadline.Location, such as
	// time.LoadLocation("Europe/Berlin"). The zero Deadline counts in UTC,
	// whose days end one or two hours after a Berlin controller's.
	Deadline rights.Deadline
	// Actor is the journal's actor for events that name none; "svc:gdprkit"
	// when empty.
	Actor string
	// JournalAllowed journals allowed Guard decisions too, not only denials.
	JournalAllowed bool
	// TempDir holds export spool files; os.TempDir when empty.
	TempDir string
	// Now is the clock of every part; time.Now when nil.
	Now func() time.Time

	// Notifier tells recipients of a rectification, erasure or
	// restriction (Art. 19), for Kit.Desk().DeliverNotices; disclosures
	// and the notices owed are kept in the database either way.
	Notifier rights.RecipientNotifier
	// Authority is the supervisory authority an export's README names for
	// complaints (Art. 77).
	Authority gdpr.Party
}
