package gdprkit

import (
	"context"
	"errors"
	"fmt"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/retention"
)

// RulePrefix starts the name of the retention rule made from a purpose's
// declared Retention: "purpose." followed by the purpose ID.
const RulePrefix = "purpose."

// PurposeRules returns a retention rule for each purpose that declares a
// Retention period: its data is erased once the period has run out,
// counted from collection (from the last activity, for a subject as a
// whole). A purpose's retention is so declared once, in the purpose, and
// the same declaration is written in the Art. 30 record and the subject's
// export.
//
// A purpose whose retention is given only as criteria
// (Purpose.RetentionCriteria, Art. 13(2)(a)) has no period to count, so it
// gives no rule: the sweeper does not erase its data by itself. Add a rule
// of your own to Config.Rules, or erase through Kit.Erase, when the
// criteria are met.
func PurposeRules(purposes ...gdpr.Purpose) ([]retention.Rule, error) {
	rules := make([]retention.Rule, 0, len(purposes))
	for _, p := range purposes {
		period, err := p.RetentionPeriod()
		if errors.Is(err, gdpr.ErrNoRetentionPeriod) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("gdprkit: purpose %q: Retention: %w", p.ID, err)
		}
		rules = append(rules, retention.Rule{Name: RulePrefix + p.ID, Purpose: p.ID, Period: period, Action: retention.Erase,
			Basis: "declared retention of purpose " + p.ID})
	}
	return rules, nil
}

func (k *Kit) openRetention(ctx context.Context, cfg *Config) error {
	rules, err := PurposeRules(k.register.Purposes()...)
	if err != nil {
		return err
	}
	if k.policy, err = retention.NewPolicy(append(rules, cfg.Rules...)...); err != nil {
		return fmt.Errorf("gdprkit: retention policy: %w", err)
	}
	if k.retStore, err = retention.NewSQLStore(ctx, k.db); err != nil {
		return fmt.Errorf("gdprkit: retention store: %w", err)
	}
	k.holds, err = retention.NewHolds(retention.HoldsConfig{Store: k.retStore, Auditor: audit.RetentionAuditor(k.journal), Now: cfg.Now})
	return err
}

func (k *Kit) openSweeper(ctx context.Context, cfg *Config) error {
	if len(cfg.Subjects) == 0 && len(cfg.Records) == 0 {
		return nil
	}
	subjects := make(map[string]retention.SubjectSource, len(cfg.Subjects))
	for name, s := range cfg.Subjects {
		subjects[name] = unerased{k, s}
	}
	var err error
	k.sweeper, err = retention.NewSweeper(retention.SweeperConfig{
		Policy: k.policy, Sources: cfg.Records, Subjects: subjects, Eraser: k.Eraser(),
		Holds: k.retStore, Checkpoints: k.retStore, Auditor: audit.RetentionAuditor(k.journal), Now: cfg.Now,
	})
	return err
}

// Sweep runs one retention sweep (see retention.Sweeper.Sweep): records
// past their rules are erased by their sources, and subjects inactive
// beyond every rule are erased through Kit.Erase, each once. It fails when
// Config named no Subjects and no Records.
func (k *Kit) Sweep(ctx context.Context) (*retention.Report, error) {
	if k.sweeper == nil {
		return nil, fmt.Errorf("gdprkit: Sweep: Config names no Subjects and no Records: %w", ErrInvalidConfig)
	}
	return k.sweeper.Sweep(ctx)
}
