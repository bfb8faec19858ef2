package gdprkit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/tink-crypto/tink-go/v2/tink"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/breach"
	"github.com/gdprkit/gdprkit/gdpr/rights"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/shred"
)

// ErrUnknownTenant is returned for a tenant the processor has no key for,
// or whose kit this instance cannot open (see ProcessorConfig.TenantConfig).
var ErrUnknownTenant = errors.New("gdprkit: unknown tenant")

// Journal kinds of the processor's own journal. Its entries name tenants
// (Ref) and requests, never a data subject.
const (
	KindTenantErased       audit.Kind = "processor.tenant_erased"
	KindTenantExported     audit.Kind = "processor.tenant_exported"
	KindRequestForwarded   audit.Kind = "processor.request_forwarded"
	KindControllerNotified audit.Kind = "processor.controller_notified"
)

// NamespaceProcessorJournal holds the key of the processor journal's
// tokens, in the processor's database.
const NamespaceProcessorJournal = "gdprkit.processor.journal"

// ProcessorConfig is everything OpenProcessor needs. KEK, Databases and
// Processor are required.
type ProcessorConfig struct {
	// KEK wraps each tenant's key-encryption key, which in turn wraps that
	// tenant's subject keys. Required.
	KEK tink.AEAD
	// KEKID names KEK in every tenant key record; "processor" when empty.
	// To rotate the KEK, give the new one a new ID, list the old one in
	// OldKEKs by its ID and run Processor.RotateKEK.
	KEKID string
	// OldKEKs are the KEKs rotated out, by ID: the tenant keys they still
	// wrap open until Processor.RotateKEK has re-wrapped them all.
	OldKEKs map[string]tink.AEAD
	// Databases gives each tenant a database of its own (SQLiteTenants,
	// PostgresTenants). Required.
	Databases TenantDatabases
	// ErasureLog records tenant erasures so that Processor.Replay can
	// redo them on a restored backup of the processor's database; keep it
	// in another database. The processor's database when nil.
	ErasureLog *sql.DB

	// Processor names the processor in its Art. 30(2) record. Required.
	Processor gdpr.Party
	// Representative (Art. 27) and DPO (Art. 37), where applicable.
	Representative, DPO gdpr.Party
	// SubProcessors are the processors the processor engages (Art.
	// 28(2)), with their countries and, outside the EEA, the safeguard of
	// the transfer. Role is set to gdpr.Processor.
	SubProcessors []gdpr.Recipient
	// SecurityMeasures are the technical and organisational measures of
	// Art. 32(1), for the record (Art. 30(2)(d)).
	SecurityMeasures []string

	// TenantConfig, when set, gives the Config of a tenant this instance
	// has not opened with Processor.Tenant, so that the processor-wide
	// operations (Record, ReportBreach, ExportTenant, Forward) reach every
	// tenant.
	TenantConfig func(ctx context.Context, tenant string) (Config, error)
	// Notifier tells a controller of a breach that affects it (Art.
	// 33(2)).
	Notifier ControllerNotifier

	// Actor is the processor journal's actor; "svc:gdprkit-processor" when
	// empty.
	Actor string
	// Now is the clock of every part; time.Now when nil.
	Now func() time.Time
}

// Processor is the library in processor mode (Art. 28): one kit per
// controller (tenant), each on a database of its own and under a key of
// its own, with the processor's own journal, breach log, record and
// tenant key store on the processor's database. Safe for concurrent use;
// any number of Processors may share the databases.
type Processor struct {
	cfg      ProcessorConfig
	db       *sql.DB
	keys     *tenantKeys
	tokens   *shred.Shredder // the key of the processor journal's tokens
	erasures shred.ErasureLog
	journal  *audit.Journal
	breaches *breach.Log
	notices  *processorTables

	mu      sync.Mutex // guards tenants
	tenants map[string]*tenantKit
}

type tenantKit struct {
	kit *Kit
	cfg Config
}

// OpenProcessor opens the processor on its own database db (never a
// tenant's): it creates and migrates its stores and loads (or creates
// once) the key of its journal's tokens.
func OpenProcessor(ctx context.Context, db *sql.DB, cfg ProcessorConfig) (*Processor, error) {
	switch {
	case db == nil:
		return nil, fmt.Errorf("gdprkit: OpenProcessor: db is nil: %w", ErrInvalidConfig)
	case cfg.KEK == nil:
		return nil, fmt.Errorf("gdprkit: OpenProcessor: ProcessorConfig.KEK is nil: %w", ErrInvalidConfig)
	case cfg.Databases == nil:
		return nil, fmt.Errorf("gdprkit: OpenProcessor: ProcessorConfig.Databases is nil (SQLiteTenants, PostgresTenants): %w", ErrInvalidConfig)
	case cfg.Processor.Name == "":
		return nil, fmt.Errorf("gdprkit: OpenProcessor: ProcessorConfig.Processor has no name (Art. 30(2)(a)): %w", ErrInvalidConfig)
	}
	for i, s := range cfg.SubProcessors {
		if err := checkSubProcessor(s); err != nil {
			return nil, fmt.Errorf("gdprkit: OpenProcessor: SubProcessors[%d]: %w", i, err)
		}
		cfg.SubProcessors[i].Role = gdpr.Processor
	}
	if cfg.KEKID == "" {
		cfg.KEKID = "processor"
	}
	if cfg.Actor == "" {
		cfg.Actor = "svc:gdprkit-processor"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ErasureLog == nil {
		cfg.ErasureLog = db
	}
	p := &Processor{cfg: cfg, db: db, tenants: map[string]*tenantKit{}}
	var err error
	if _, ok := cfg.OldKEKs[cfg.KEKID]; ok {
		return nil, fmt.Errorf("gdprkit: OpenProcessor: OldKEKs holds the current KEKID %q: %w", cfg.KEKID, ErrInvalidConfig)
	}
	if p.keys, err = newTenantKeys(ctx, db, cfg.KEK, cfg.KEKID, cfg.OldKEKs, cfg.Now); err != nil {
		return nil, err
	}
	if p.erasures, err = shred.NewSQLErasureLog(ctx, cfg.ErasureLog); err != nil {
		return nil, fmt.Errorf("gdprkit: tenant erasure log: %w", err)
	}
	keyStore, err := shred.NewSQLStore(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("gdprkit: processor key store: %w", err)
	}
	p.tokens, err = shred.New(shred.ShredderConfig{Store: keyStore, KEK: cfg.KEK, KEKID: cfg.KEKID, OldKEKs: cfg.OldKEKs,
		Namespace: NamespaceProcessorJournal, Now: cfg.Now})
	if err != nil {
		return nil, err
	}
	tok, err := p.tokens.Tokenizer(ctx)
	if err != nil {
		return nil, fmt.Errorf("gdprkit: processor journal tokenizer: %w", err)
	}
	store, err := audit.NewSQLStore(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("gdprkit: processor journal: %w", err)
	}
	if p.journal, err = audit.NewJournal(audit.JournalConfig{Store: store, Tokenizer: tok, Actor: cfg.Actor, Now: cfg.Now}); err != nil {
		return nil, err
	}
	bstore, err := breach.NewSQLStore(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("gdprkit: processor breaches: %w", err)
	}
	if p.breaches, err = breach.NewLog(breach.LogConfig{Store: bstore, Journal: p.journal, Now: cfg.Now}); err != nil {
		return nil, err
	}
	if p.notices, err = newProcessorTables(ctx, db); err != nil {
		return nil, err
	}
	return p, nil
}

func checkSubProcessor(s gdpr.Recipient) error {
	switch {
	case s.Name == "":
		return fmt.Errorf("no Name: %w", ErrInvalidConfig)
	case len(s.Country) != 2 || strings.ToUpper(s.Country) != s.Country:
		return fmt.Errorf("%s: Country %q is not an ISO 3166-1 alpha-2 code: %w", s.Name, s.Country, ErrInvalidConfig)
	case s.ThirdCountry() && !s.Safeguard.Valid():
		return fmt.Errorf("%s: a transfer to %s needs a Safeguard (Chapter V): %w", s.Name, s.Country, ErrInvalidConfig)
	}
	return nil
}

// Journal returns the processor's own journal: tenant erasures and
// exports, forwarded requests, breach notifications to controllers.
func (p *Processor) Journal() *audit.Journal { return p.journal }

// Breaches returns the processor's breach log.
func (p *Processor) Breaches() *breach.Log { return p.breaches }

// Tenant opens the kit of one controller: gdprkit.Open on the tenant's
// own database (Databases.Open) with the tenant's own KEK, a Tink keyset
// created once per tenant and kept in the processor's database wrapped by
// ProcessorConfig.KEK. cfg.KEK, cfg.KEKID and cfg.OldKEKs are set by the
// processor, and cfg.KeyDB must be nil: the tenant's keys live in its
// database. The kit is cached: later calls return it, whatever cfg they
// pass. A tenant erased by EraseTenant, on any instance, fails with
// ErrTenantErased.
func (p *Processor) Tenant(ctx context.Context, id string, cfg Config) (*Kit, error) {
	if err := checkTenant("Tenant", id); err != nil {
		return nil, err
	}
	if err := p.live(ctx, id); err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if t, ok := p.tenants[id]; ok {
		return t.kit, nil
	}
	if cfg.KeyDB != nil {
		return nil, fmt.Errorf("gdprkit: Tenant %s: Config.KeyDB is set: a tenant's keys live in its own database: %w", id, ErrInvalidConfig)
	}
	kek, err := p.keys.load(ctx, id, true)
	if err != nil {
		return nil, err
	}
	db, err := p.cfg.Databases.Open(ctx, id)
	if err != nil {
		return nil, err
	}
	cfg.KEK, cfg.KEKID, cfg.OldKEKs = kek, "tenant/"+id, nil
	if cfg.Now == nil {
		cfg.Now = p.cfg.Now
	}
	if cfg.Verifier != nil {
		cfg.Verifier = processorVerifier{cfg.Verifier}
	}
	kit, err := Open(ctx, db, cfg)
	if err != nil {
		return nil, fmt.Errorf("gdprkit: tenant %s: %w", id, err)
	}
	p.tenants[id] = &tenantKit{kit: kit, cfg: cfg}
	return kit, nil
}

// kit returns an opened tenant's kit and Config, opening it with
// ProcessorConfig.TenantConfig when this instance has not yet.
func (p *Processor) kit(ctx context.Context, id string) (*tenantKit, error) {
	if err := checkTenant("tenant", id); err != nil {
		return nil, err
	}
	exists, erased, err := p.keys.state(ctx, id)
	switch {
	case err != nil:
		return nil, err
	case !exists:
		return nil, fmt.Errorf("gdprkit: tenant %s: %w", id, ErrUnknownTenant)
	case erased:
		return nil, p.live(ctx, id)
	}
	p.mu.Lock()
	t, ok := p.tenants[id]
	p.mu.Unlock()
	if ok {
		return t, nil
	}
	if p.cfg.TenantConfig == nil {
		return nil, fmt.Errorf("gdprkit: tenant %s is not open on this instance (Processor.Tenant) and ProcessorConfig.TenantConfig is nil: %w", id, ErrUnknownTenant)
	}
	cfg, err := p.cfg.TenantConfig(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("gdprkit: tenant %s: config: %w", id, err)
	}
	if _, err := p.Tenant(ctx, id, cfg); err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.tenants[id], nil
}

// live fails with ErrTenantErased for a tenant erased, by this instance
// or another, and drops its kit and its database.
func (p *Processor) live(ctx context.Context, id string) error {
	_, erased, err := p.keys.state(ctx, id)
	if err != nil {
		return err
	}
	if erased {
		p.forget(id)
		// Close this instance's connections to what is left of it.
		return errors.Join(fmt.Errorf("gdprkit: tenant %s: %w", id, ErrTenantErased), p.cfg.Databases.Drop(ctx, id))
	}
	return nil
}

// forget drops a tenant's kit from the cache.
func (p *Processor) forget(id string) {
	p.mu.Lock()
	delete(p.tenants, id)
	p.mu.Unlock()
}

// Tenants lists the tenants with a live key, in order.
func (p *Processor) Tenants(ctx context.Context) ([]string, error) { return p.keys.tenants(ctx) }

// Close closes the tenant databases the processor's Databases opened, when
// they can be closed; the processor's own database is the caller's.
func (p *Processor) Close() error {
	p.mu.Lock()
	clear(p.tenants)
	p.mu.Unlock()
	if c, ok := p.cfg.Databases.(interface{ Close() error }); ok {
		return c.Close()
	}
	return nil
}

// Forward records that a data subject's request, sent to the processor,
// was forwarded to the controller it concerns (Art. 28(3)(e): the
// processor assists the controller): the request is received on the
// tenant's desk, where the controller verifies and answers it (the
// tenant's Kit.Desk: Verify, Export, Erase, each evidenced in the
// tenant's journal), and the processor's journal records the forwarding by
// tenant, request ID and right, without the subject. It returns the
// request as the tenant's desk received it.
func (p *Processor) Forward(ctx context.Context, tenant string, r rights.Request) (rights.Request, error) {
	t, err := p.kit(ctx, tenant)
	if err != nil {
		return rights.Request{}, err
	}
	if r.ID == "" {
		r.ID = "fwd-" + randomHex(8)
	}
	if !validRef(tenant + "/" + r.ID) {
		return rights.Request{}, fmt.Errorf("gdprkit: Forward: request ID %q is not a code of at most %d characters: %w",
			r.ID, 63-len(tenant), ErrInvalidConfig)
	}
	got, err := t.kit.Desk().Receive(ctx, r)
	if err != nil {
		return rights.Request{}, err
	}
	if err := p.notices.forwarded(ctx, tenant, got.ID, got.Right.String(), p.cfg.Now()); err != nil {
		return got, err
	}
	_, err = p.journal.Record(ctx, audit.Event{Kind: KindRequestForwarded, Outcome: audit.OutcomeDone,
		Ref: tenant + "/" + got.ID, Reasons: []string{got.Right.String()}})
	return got, err
}

// Forwarded lists the requests forwarded to a tenant, oldest first.
func (p *Processor) Forwarded(ctx context.Context, tenant string) ([]ForwardedRequest, error) {
	if err := checkTenant("Forwarded", tenant); err != nil {
		return nil, err
	}
	return p.notices.forwards(ctx, tenant)
}

// ForwardedRequest is a request forwarded to a controller.
type ForwardedRequest struct {
	Tenant      string    `json:"tenant"`
	Request     string    `json:"request"`
	Right       string    `json:"right"`
	ForwardedAt time.Time `json:"forwarded_at"`
}

// exportIDPrefix starts the IDs of the access requests ExportTenant makes.
const exportIDPrefix = "tenant-export:"

// processorKey marks, in a context, the processor's own whole-tenant
// export. Only this package can set it.
type processorKey struct{}

// processorVerifier verifies the access requests of the processor's
// whole-tenant export and asks the tenant's Verifier about every other.
type processorVerifier struct{ rights.Verifier }

func (v processorVerifier) Verify(ctx context.Context, r rights.Request) (bool, error) {
	if strings.HasPrefix(r.ID, exportIDPrefix) {
		ok, _ := ctx.Value(processorKey{}).(bool)
		return ok && r.Right == rights.RightAccess, nil
	}
	return v.Verifier.Verify(ctx, r)
}

// categoriesOf returns the data categories of a register's purposes.
func categoriesOf(reg *gdpr.Register) map[pii.Category]bool {
	out := map[pii.Category]bool{}
	for _, p := range reg.Purposes() {
		for _, c := range p.Categories {
			out[c] = true
		}
	}
	return out
}
