package gdpr

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Party is a controller, joint controller, representative or data protection
// officer, as the record of processing names them (Art. 30(1)(a)).
type Party struct {
	Name    string `json:"name"`
	Contact string `json:"contact,omitempty"` // postal address, e-mail or phone of the office
}

// RegisterConfig holds the controller's details for the record of
// processing.
type RegisterConfig struct {
	// Controller is required.
	Controller Party
	// JointControllers, Representative (Art. 27) and DPO (Art. 37) are
	// named where applicable.
	JointControllers []Party
	Representative   Party
	DPO              Party
	// SecurityMeasures describe the technical and organisational security
	// measures of Art. 32(1) that apply to every purpose (Art. 30(1)(g)).
	SecurityMeasures []string
	// Now stamps exported records; time.Now when nil.
	Now func() time.Time
}

// Register is the purpose register: every purpose the controller processes
// personal data for, checked for consistency when added. It is safe for
// concurrent use; lookups take no lock and do not allocate.
type Register struct {
	cfg   RegisterConfig
	mu    sync.Mutex // serialises Add
	table atomic.Pointer[purposeTable]
}

// purposeTable is an immutable snapshot of the register, replaced on Add.
type purposeTable struct {
	byID map[string]*Purpose
}

// NewRegister returns a register for the controller in cfg holding the
// given purposes. It fails when the controller is not named or when a
// purpose fails Purpose.Check or repeats an ID.
func NewRegister(cfg RegisterConfig, purposes ...Purpose) (*Register, error) {
	if cfg.Controller.Name == "" {
		return nil, configError("NewRegister", "RegisterConfig.Controller.Name is empty: the record of processing names the controller (Art. 30(1)(a))")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.JointControllers = slices.Clone(cfg.JointControllers)
	cfg.SecurityMeasures = slices.Clone(cfg.SecurityMeasures)
	r := &Register{cfg: cfg}
	r.table.Store(&purposeTable{byID: map[string]*Purpose{}})
	if err := r.Add(purposes...); err != nil {
		return nil, err
	}
	return r, nil
}

// Add registers purposes, all or none: when one fails Purpose.Check or its
// ID is already taken, the error names each fault and nothing is added.
func (r *Register) Add(purposes ...Purpose) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.table.Load().byID
	next := make(map[string]*Purpose, len(old)+len(purposes))
	for id, p := range old {
		next[id] = p
	}
	var errs []error
	for i := range purposes {
		p := purposes[i].clone()
		if err := p.Check(); err != nil {
			errs = append(errs, err)
			continue
		}
		if _, dup := next[p.ID]; dup {
			errs = append(errs, &PurposeError{Purpose: p.ID, Field: "ID", Err: ErrDuplicatePurpose})
			continue
		}
		next[p.ID] = &p
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	r.table.Store(&purposeTable{byID: next})
	return nil
}

// lookup returns the registered purpose, shared: callers must not change it.
func (r *Register) lookup(id string) *Purpose { return r.table.Load().byID[id] }

// Purpose returns a copy of the purpose registered under id.
func (r *Register) Purpose(id string) (Purpose, bool) {
	p := r.lookup(id)
	if p == nil {
		return Purpose{}, false
	}
	return p.clone(), true
}

// Purposes returns copies of every registered purpose, sorted by ID.
func (r *Register) Purposes() []Purpose {
	t := r.table.Load()
	out := make([]Purpose, 0, len(t.byID))
	for _, p := range t.byID {
		out = append(out, p.clone())
	}
	slices.SortFunc(out, func(a, b Purpose) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Controller returns the controller's details the register was created with.
func (r *Register) Controller() Party { return r.cfg.Controller }

// Representative returns the controller's representative in the Union
// (Art. 27), or the zero Party.
func (r *Register) Representative() Party { return r.cfg.Representative }

// DPO returns the data protection officer (Art. 37), or the zero Party.
func (r *Register) DPO() Party { return r.cfg.DPO }
