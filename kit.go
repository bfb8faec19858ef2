package gdprkit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/breach"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/shred"
	"github.com/gdprkit/gdprkit/retention"
)

// ErrInvalidConfig is matched by errors about a Config Open cannot work with.
var ErrInvalidConfig = errors.New("gdprkit: invalid config")

// Kit is the library wired on one database: the register, the Guard, the
// consent ledger, the request desk, the shredders, legal holds, the
// retention sweeper and the breach log, all journalling to one audit
// journal. Safe for concurrent use; any number of Kits may share a
// database and behave as one.
type Kit struct {
	db, keyDB  *sql.DB
	register   *gdpr.Register
	journal    *audit.Journal
	tokens     *pii.Tokenizer
	guard      *gdpr.Guard
	ledger     *consent.Ledger
	desk       *rights.Desk
	shredders  map[string]*shred.Shredder
	erasureLog *shred.SQLErasureLog
	retStore   *retention.SQLStore
	holds      *retention.Holds
	policy     *retention.Policy
	sweeper    *retention.Sweeper
	breaches   *breach.Log
	objections gdpr.ObjectionStore
	kept       gdpr.KeptStore // what erasures kept under Art. 17(3)
}

// Open wires the library on db (SQLite or PostgreSQL): it creates and
// migrates every store, loads or creates the kit's keys (wrapped by
// cfg.KEK in the key store), registers the purposes, publishes the
// notices, builds the retention policy from the purposes' Retention and
// cfg.Rules, and returns the Kit. Open is idempotent: every instance of a
// service calls it at start-up.
func Open(ctx context.Context, db *sql.DB, cfg Config) (*Kit, error) {
	switch {
	case db == nil:
		return nil, fmt.Errorf("gdprkit: Open: db is nil: %w", ErrInvalidConfig)
	case cfg.KEK == nil:
		return nil, fmt.Errorf("gdprkit: Open: Config.KEK is nil (shred.LocalKEK for development): %w", ErrInvalidConfig)
	case cfg.Verifier == nil:
		return nil, fmt.Errorf("gdprkit: Open: Config.Verifier is nil: requesters must be identified (Art. 12(6)): %w", ErrInvalidConfig)
	}
	k := &Kit{db: db, keyDB: cfg.KeyDB}
	if k.keyDB == nil {
		k.keyDB = db
	}
	if cfg.Actor == "" {
		cfg.Actor = "svc:gdprkit"
	}
	if len(cfg.Namespaces) == 0 {
		cfg.Namespaces = []string{"app"}
	}
	for _, step := range []func(context.Context, *Config) error{
		k.openKeys, k.bindTables, k.openJournal, k.openRegister, k.openConsent, k.openGuard,
		k.openRetention, k.openDesk, k.openSweeper, k.openBreaches,
	} {
		if err := step(ctx, &cfg); err != nil {
			return nil, err
		}
	}
	return k, nil
}

// bindTables gives the tables in cfg.Sources the kit's keys.
func (k *Kit) bindTables(ctx context.Context, cfg *Config) error {
	for _, s := range cfg.Sources {
		if t, ok := s.(binder); ok {
			if err := t.bind(ctx, k); err != nil {
				return err
			}
		}
	}
	return nil
}

func (k *Kit) openJournal(ctx context.Context, cfg *Config) error {
	store, err := audit.NewSQLStore(ctx, k.db)
	if err != nil {
		return fmt.Errorf("gdprkit: journal: %w", err)
	}
	k.journal, err = audit.NewJournal(audit.JournalConfig{Store: store, Tokenizer: k.tokens, Actor: cfg.Actor, Now: cfg.Now})
	return err
}

func (k *Kit) openRegister(ctx context.Context, cfg *Config) error {
	var err error
	rc := cfg.Register
	rc.Controller, rc.Now = cfg.Controller, cfg.Now
	k.register, err = gdpr.NewRegister(rc, cfg.Purposes...)
	return err
}

func (k *Kit) openConsent(ctx context.Context, cfg *Config) error {
	store, err := consent.NewSQLStore(ctx, k.db)
	if err != nil {
		return fmt.Errorf("gdprkit: consent ledger: %w", err)
	}
	k.ledger, err = consent.New(consent.LedgerConfig{Store: store, Sealer: k.shredders[NamespaceConsent], Now: cfg.Now,
		Observe: k.journalConsent})
	if err != nil {
		return err
	}
	for _, n := range cfg.Notices {
		if err := k.ledger.Publish(ctx, n); err != nil {
			return fmt.Errorf("gdprkit: notice %s/%s: %w", n.Purpose, n.Version, err)
		}
	}
	return nil
}

func (k *Kit) openGuard(ctx context.Context, cfg *Config) error {
	store, err := gdpr.NewSQLStore(ctx, k.db)
	if err != nil {
		return fmt.Errorf("gdprkit: objections and restrictions: %w", err)
	}
	k.objections, k.kept = store, store
	k.guard, err = gdpr.NewGuard(gdpr.GuardConfig{
		Register: k.register, Consent: k.ledger, Contract: cfg.Contract,
		Objections: store, Restrictions: store, Journal: k.journal, JournalAllowed: cfg.JournalAllowed, Now: cfg.Now,
	})
	return err
}

func (k *Kit) openDesk(ctx context.Context, cfg *Config) error {
	store, err := rights.NewSQLStore(ctx, k.db)
	if err != nil {
		return fmt.Errorf("gdprkit: requests: %w", err)
	}
	recipients, err := rights.NewSQLRecipientStore(ctx, k.db)
	if err != nil {
		return fmt.Errorf("gdprkit: recipients: %w", err)
	}
	sources := cfg.Sources
	if h, ok := newConsentHistory(k.ledger, k.register); ok {
		sources = append(sources[:len(sources):len(sources)], h)
	}
	var namespaces []gdpr.Namespace
	for _, ns := range append(cfg.Namespaces[:len(cfg.Namespaces):len(cfg.Namespaces)], NamespaceConsent) {
		namespaces = append(namespaces, gdpr.Namespace{Name: ns, Keys: k.shredders[ns]})
	}
	k.desk, err = rights.NewDesk(rights.DeskConfig{
		Register: k.register, Store: store, Journal: k.journal, Verifier: systemVerifier{cfg.Verifier},
		Sources: sources, Namespaces: namespaces, Consents: k.ledger, Guard: k.guard, Holds: k.holds,
		Deadline: cfg.Deadline, TempDir: cfg.TempDir, Now: cfg.Now,
		Recipients: recipients, Notifier: cfg.Notifier, Authority: cfg.Authority, // Art. 19, Art. 77
	})
	return err
}

func (k *Kit) openBreaches(ctx context.Context, cfg *Config) error {
	store, err := breach.NewSQLStore(ctx, k.db)
	if err != nil {
		return fmt.Errorf("gdprkit: breaches: %w", err)
	}
	lc := cfg.Breaches
	lc.Store, lc.Journal, lc.Contact, lc.Now = store, k.journal, cfg.Controller, cfg.Now
	if cfg.Register.DPO != (gdpr.Party{}) {
		lc.Contact = cfg.Register.DPO
	}
	k.breaches, err = breach.NewLog(lc)
	return err
}

// Register returns the purpose register (the Art. 30 record).
func (k *Kit) Register() *gdpr.Register { return k.register }

// Journal returns the one audit journal every part records to.
func (k *Kit) Journal() *audit.Journal { return k.journal }

// Guard returns the Guard to ask before processing.
func (k *Kit) Guard() *gdpr.Guard { return k.guard }

// Ledger returns the consent ledger the Guard reads. Prefer Kit.Grant and
// Kit.Withdraw, which journal the change too.
func (k *Kit) Ledger() *consent.Ledger { return k.ledger }

// Desk returns the desk that answers data-subject requests.
func (k *Kit) Desk() *rights.Desk { return k.desk }

// Shredder returns the Shredder of a namespace named in Config.Namespaces,
// or of NamespaceConsent; nil for any other name.
func (k *Kit) Shredder(namespace string) *shred.Shredder {
	if namespace == NamespaceJournal {
		return nil
	}
	return k.shredders[namespace]
}

// ErasureLog returns the log of key erasures (in the data database):
// replay it into the key store after restoring a backup of the keys
// (shred.Shredder.Replay).
func (k *Kit) ErasureLog() *shred.SQLErasureLog { return k.erasureLog }

// Holds returns the legal holds: placing one keeps the subject's data from
// sweeps and erasures (Art. 17(3)).
func (k *Kit) Holds() *retention.Holds { return k.holds }

// Policy returns the retention policy: the purposes' rules and Config.Rules.
func (k *Kit) Policy() *retention.Policy { return k.policy }

// Sweeper returns the retention sweeper; nil when Config names no
// Subjects and no Records.
func (k *Kit) Sweeper() *retention.Sweeper { return k.sweeper }

// Breaches returns the breach log and its notification clock.
func (k *Kit) Breaches() *breach.Log { return k.breaches }

// Objected reports whether the subject's objection to purpose (a purpose
// ID or gdpr.AllDirectMarketing) is recorded, so that a signal repeated on
// every request, such as Global Privacy Control, is recorded once.
func (k *Kit) Objected(ctx context.Context, subject, purpose string) (bool, error) {
	_, ok, err := k.objections.Objection(ctx, subject, purpose)
	if err != nil {
		return false, fmt.Errorf("gdprkit: Objected: %w", err)
	}
	return ok, nil
}
