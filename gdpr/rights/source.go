package rights

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/internal/safe"
	"github.com/gdprkit/gdprkit/pii"
)

// Source is a place that holds personal data: a table, a service, a bucket.
// The application registers each one with DeskConfig.Sources, and
// requests are fulfilled across all of them. Records are pii-tagged values
// (structs or pointers to structs) whose pii:"subject" field names the
// subject.
//
// A source may also implement Rectifier, Restricter, Objector and Retainer.
type Source interface {
	// Describe says what the source is. NewDesk calls it once.
	Describe() SourceInfo
	// Export calls emit once for each record the source holds about the
	// subject, and stops with emit's error when it returns one. Records are
	// handed over: the export opens sealed fields in place. Emit them one
	// by one as they are read; the export keeps none in memory.
	Export(ctx context.Context, subject string, emit func(record any) error) error
	// Erase deletes every record the source holds about the subject, and
	// returns nil only once they are gone. It must be idempotent: it is
	// called again after a failure, and erasing what is gone succeeds.
	// Sealed copies the source cannot reach (backups, replicas, event logs)
	// become unreadable when the subject's keys are shredded.
	Erase(ctx context.Context, subject string) error
}

// SourceInfo describes a Source: what it holds and why, as the subject is
// told in an export (Art. 15(1)) and as the erasure certificate names it.
type SourceInfo struct {
	// Name identifies the source in exports, journals and certificates: a
	// code (lower-case letters, digits and ". _ -"), such as "crm".
	Name string
	// Description says where the data came from (Art. 15(1)(g)), such as
	// "provided by you when you signed up" or "received from our payment
	// provider".
	Description string
	// Purposes are the IDs of the registered purposes the source's data
	// serves. They decide the Art. 15(1) information in an export, whether
	// the source takes part in portability (consent or contract, Art.
	// 20(1)(a)), which sources an objection reaches, and which categories
	// a legal hold is checked for.
	Purposes []string
	// Namespace names the entry of DeskConfig.Namespaces whose keys seal
	// the source's records; "" when they hold nothing sealed. An export
	// opens the sealed fields with those keys, and when the source's data
	// is kept under an Art. 17(3) exception, the namespace's key is kept
	// too.
	Namespace string
}

// Rectifier is implemented by a source that can correct a subject's data
// (Art. 16). Rectify applies each correction to every field of the
// correction's category (or a category within it) in the subject's
// records, ignoring categories it does not hold, and must be idempotent.
type Rectifier interface {
	Rectify(ctx context.Context, subject string, corrections []Correction) error
}

// Correction is the accurate value of a category of the subject's data, as
// the subject supplies it.
type Correction struct {
	Category pii.Category // the category corrected, such as pii.Email
	Value    string       // the accurate value
}

// String shows the category and hides the value.
func (c Correction) String() string { return string(c.Category) + "=[redacted]" }

// LogValue implements slog.LogValuer: the category, not the value.
func (c Correction) LogValue() slog.Value {
	return slog.GroupValue(slog.String("category", string(c.Category)), slog.String("value", "[redacted]"))
}

// Restricter is implemented by a source that can mark a subject's data as
// restricted (Art. 18), so that only storage and legal claims still use it,
// and lift the mark. It must be idempotent.
type Restricter interface {
	Restrict(ctx context.Context, subject string, restricted bool) error
}

// Objector is implemented by a source that must act on an objection (Art.
// 21): stop using the subject's data for purpose (a purpose ID, or
// AllDirectMarketing for every direct-marketing purpose). It must be
// idempotent. The Guard denies the purpose from the moment the objection
// is recorded; Object is for what the source does on its own, such as
// leaving a mailing list.
type Objector interface {
	Object(ctx context.Context, subject, purpose string) error
}

// Retainer is implemented by a source that must keep a subject's data
// despite an erasure request, under an exception of Art. 17(3), such as
// invoices kept for the tax office. Retain reports the exception, if one
// applies to this subject now. When only part of the data is kept, name
// its categories in Exemption.Categories and implement PartEraser, so
// that the rest is erased (Art. 17(3) spares data only to the extent the
// exception needs it); otherwise the whole source is kept.
type Retainer interface {
	Retain(ctx context.Context, subject string) (Exemption, bool, error)
}

// ErrInvalidSource is matched by errors about a source that cannot be
// registered.
var ErrInvalidSource = errors.New("rights: invalid source")

// SourceError reports a source's failure in a request.
type SourceError struct {
	Source string // the source's name
	Op     string // what it was asked: "export", "erase", "rectify", …
	Err    error  // the source's failure
}

// Error names the source, the operation and the failure.
func (e *SourceError) Error() string {
	return fmt.Sprintf("rights: source %q: %s: %v", e.Source, e.Op, e.Err)
}

// Unwrap returns the failure.
func (e *SourceError) Unwrap() error { return e.Err }

// source is a registered Source with its description.
type source struct {
	Source
	info   SourceInfo
	opener gdpr.Opener // the keys of info.Namespace; nil when it names none
}

// checkSources checks the sources' descriptions against the register and
// the namespaces.
func checkSources(reg *gdpr.Register, sources []Source, namespaces []gdpr.Namespace) ([]*source, error) {
	var errs []error
	out := make([]*source, 0, len(sources))
	seen := map[string]bool{}
	for i, s := range sources {
		if s == nil {
			errs = append(errs, fmt.Errorf("rights: DeskConfig.Sources[%d] is nil: %w", i, ErrInvalidSource))
			continue
		}
		info := s.Describe()
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("rights: source %q (Sources[%d]): %s: %w", info.Name, i, fmt.Sprintf(format, args...), ErrInvalidSource))
		}
		if !safe.Code(info.Name, false) || !isAlnum(info.Name[0]) {
			bad("Name is not a code (1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit)")
		} else if seen[info.Name] {
			bad("Name is used by another source")
		}
		seen[info.Name] = true
		if info.Description == "" {
			bad("Description is empty: say where the data came from (Art. 15(1)(g))")
		}
		if len(info.Purposes) == 0 {
			bad("Purposes is empty: name the purposes the data serves (Art. 15(1)(a))")
		}
		for _, p := range info.Purposes {
			if _, ok := reg.Purpose(p); !ok {
				bad("purpose %q is not registered", p)
			}
		}
		src := &source{Source: s, info: info}
		if info.Namespace != "" {
			for _, ns := range namespaces {
				if ns.Name == info.Namespace {
					src.opener = ns.Keys
				}
			}
			if src.opener == nil {
				bad("Namespace %q is not in DeskConfig.Namespaces", info.Namespace)
			}
		}
		out = append(out, src)
	}
	return out, errors.Join(errs...)
}

// isAlnum reports whether c is a lower-case letter or a digit: a source's
// name starts with one, so that no name makes a path such as "..".
func isAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// purposes returns the registered purposes the source serves.
func (s *source) purposes(reg *gdpr.Register) []*gdpr.Purpose {
	out := make([]*gdpr.Purpose, 0, len(s.info.Purposes))
	for _, id := range s.info.Purposes {
		if p, ok := reg.Purpose(id); ok {
			out = append(out, &p)
		}
	}
	return out
}

// categories returns the categories of the purposes the source serves,
// each once.
func (s *source) categories(reg *gdpr.Register) []pii.Category {
	var out []pii.Category
	for _, p := range s.purposes(reg) {
		for _, c := range p.Categories {
			if !containsCategory(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

func containsCategory(list []pii.Category, c pii.Category) bool {
	for _, x := range list {
		if x == c {
			return true
		}
	}
	return false
}

// portable reports whether the source takes part in a portability export:
// one of its purposes rests on consent or on a contract (Art. 20(1)(a)).
func (s *source) portable(reg *gdpr.Register) bool {
	for _, p := range s.purposes(reg) {
		if portableBasis(p) {
			return true
		}
	}
	return false
}

// portableBasis reports whether data processed for p falls under Art.
// 20(1)(a): p rests on consent (Art. 6(1)(a) or 9(2)(a)) or on a
// contract (Art. 6(1)(b)).
func portableBasis(p *gdpr.Purpose) bool {
	return p.Basis == gdpr.Consent || p.Basis == gdpr.Contract || p.Condition == gdpr.ExplicitConsent
}

// portablePart returns, for a source that serves purposes on consent or
// a contract and purposes on other bases, whether a personal field's
// category belongs to the part a portability export takes: it overlaps
// (lies within, or holds) a category of a consent or contract purpose
// (Art. 20(1)(a)). Nil when every purpose of the source is of one kind,
// so that nothing is filtered by category.
func (s *source) portablePart(reg *gdpr.Register) func(pii.Category) bool {
	var cats []pii.Category
	mixed := false
	for _, p := range s.purposes(reg) {
		if !portableBasis(p) {
			mixed = true
			continue
		}
		for _, c := range p.Categories {
			if key, ok := pii.LookupCategory(string(c)); ok {
				c = key
			}
			cats = append(cats, c)
		}
	}
	if !mixed || len(cats) == 0 {
		return nil
	}
	return func(c pii.Category) bool {
		if key, ok := pii.LookupCategory(string(c)); ok {
			c = key
		}
		for _, k := range cats {
			if c.Within(k) || k.Within(c) {
				return true
			}
		}
		return false
	}
}

// serves reports whether an objection to purpose reaches the source.
func (s *source) serves(reg *gdpr.Register, purpose string) bool {
	for _, p := range s.purposes(reg) {
		if p.ID == purpose || purpose == gdpr.AllDirectMarketing && p.DirectMarketing {
			return true
		}
	}
	return false
}
