package gdprkit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/gdpr/breach"
	"github.com/gdprkit/gdprkit/pii"
)

// ControllerNotifier tells a controller of a personal data breach that
// affects the data the processor processes on its behalf (Art. 33(2)).
type ControllerNotifier interface {
	NotifyController(ctx context.Context, n ControllerBreach) error
}

// ControllerNotifierFunc is a ControllerNotifier as a function.
type ControllerNotifierFunc func(ctx context.Context, n ControllerBreach) error

// NotifyController implements ControllerNotifier.
func (f ControllerNotifierFunc) NotifyController(ctx context.Context, n ControllerBreach) error {
	return f(ctx, n)
}

// ControllerBreach is what a controller is told of a breach: the tenant,
// its controller and the breach as the processor's breach log holds it.
type ControllerBreach struct {
	Tenant     string
	Controller gdpr.Party
	Breach     breach.Breach
}

// ControllerNotice is the notice of a breach owed to one controller; its
// NotifiedAt is zero until the Notifier succeeded.
type ControllerNotice struct {
	Breach     string    `json:"breach"`
	Tenant     string    `json:"tenant"`
	NotifiedAt time.Time `json:"notified_at,omitzero"`
}

// BreachScope says which controllers a breach affects: the tenants named,
// and every tenant whose purpose register holds one of the categories.
// The zero scope takes the breach's own Categories.
type BreachScope struct {
	Tenants    []string
	Categories []pii.Category
}

// ReportBreach records a breach in the processor's breach log and notifies
// each affected controller, and only those, without undue delay (Art.
// 33(2)): the tenants of the scope. Each notice is recorded when the
// Notifier succeeds; a notice that failed stays owed, for
// DeliverBreachNotices to retry. It returns the breach and its notices.
func (p *Processor) ReportBreach(ctx context.Context, b breach.Breach, scope BreachScope) (breach.Breach, []ControllerNotice, error) {
	if len(scope.Tenants) == 0 && len(scope.Categories) == 0 {
		scope.Categories = b.Categories
	}
	affected, err := p.affected(ctx, scope)
	if err != nil {
		return breach.Breach{}, nil, err
	}
	b, err = p.breaches.Report(ctx, b)
	if err != nil && b.ID == "" {
		return breach.Breach{}, nil, err
	}
	for _, t := range affected {
		if err := p.notices.owe(ctx, b.ID, t, b.AwareAt); err != nil {
			return b, nil, err
		}
	}
	_, derr := p.DeliverBreachNotices(ctx)
	notices, nerr := p.notices.notices(ctx, b.ID)
	return b, notices, errors.Join(err, derr, nerr)
}

// affected computes the tenants a scope names.
func (p *Processor) affected(ctx context.Context, scope BreachScope) ([]string, error) {
	set := map[string]bool{}
	for _, t := range scope.Tenants {
		if _, err := p.keys.load(ctx, t, false); err != nil {
			if err := checkTenant("ReportBreach", t); err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("gdprkit: ReportBreach: %w", err)
		}
		set[t] = true
	}
	if len(scope.Categories) > 0 {
		all, err := p.keys.tenants(ctx)
		if err != nil {
			return nil, err
		}
		for _, id := range all {
			if set[id] {
				continue
			}
			t, err := p.kit(ctx, id)
			if err != nil {
				return nil, fmt.Errorf("gdprkit: ReportBreach: cannot tell whether tenant %s is affected: %w", id, err)
			}
			held := categoriesOf(t.kit.Register())
			if slices.ContainsFunc(scope.Categories, func(c pii.Category) bool { return held[c] }) {
				set[id] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for id := range set {
		out = append(out, id)
	}
	slices.Sort(out)
	return out, nil
}

// DeliverBreachNotices notifies the controllers still owed a breach notice
// and returns how many it notified. It fails, notifying none, without a
// ProcessorConfig.Notifier.
func (p *Processor) DeliverBreachNotices(ctx context.Context) (int, error) {
	pending, err := p.notices.pending(ctx)
	if err != nil || len(pending) == 0 {
		return 0, err
	}
	if p.cfg.Notifier == nil {
		return 0, fmt.Errorf("gdprkit: %d breach notices owed to controllers and ProcessorConfig.Notifier is nil: %w", len(pending), ErrInvalidConfig)
	}
	n := 0
	var errs []error
	for _, bt := range pending {
		if err := p.notify(ctx, bt[0], bt[1]); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

func (p *Processor) notify(ctx context.Context, breachID, tenant string) error {
	b, err := p.breaches.Breach(ctx, breachID)
	if err != nil {
		return err
	}
	t, err := p.kit(ctx, tenant)
	if err != nil {
		return err
	}
	if err := p.cfg.Notifier.NotifyController(ctx, ControllerBreach{Tenant: tenant, Controller: t.kit.Register().Controller(), Breach: b}); err != nil {
		return fmt.Errorf("gdprkit: breach %s: notify the controller of tenant %s: %w", breachID, tenant, err)
	}
	first, err := p.notices.notified(ctx, breachID, tenant, p.cfg.Now())
	if err != nil || !first {
		return err
	}
	_, err = p.journal.Record(ctx, audit.Event{Kind: KindControllerNotified, Outcome: audit.OutcomeDone, Ref: breachID,
		Reasons: []string{"tenant-" + tenant}})
	return err
}

// BreachNotices returns the notices of a breach owed to controllers, by
// tenant, with when each was notified.
func (p *Processor) BreachNotices(ctx context.Context, breachID string) ([]ControllerNotice, error) {
	return p.notices.notices(ctx, breachID)
}
