package rights

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
)

// Right is a right of the data subject that a request invokes, Arts. 15–22
// GDPR.
type Right uint8

// The rights a data subject can exercise by request.
const (
	// RightAccess, Art. 15: a copy of the data and the information of Art.
	// 15(1). Answered with Desk.Export.
	RightAccess Right = iota + 1
	// RightRectification, Art. 16: inaccurate data corrected, incomplete
	// data completed. Answered with Desk.Rectify.
	RightRectification
	// RightErasure, Art. 17: the data erased. Answered with Desk.Erase.
	RightErasure
	// RightRestriction, Art. 18: processing restricted. Answered with
	// Desk.Restrict.
	RightRestriction
	// RightPortability, Art. 20: the data the subject provided, in a
	// structured, machine-readable format. Answered with Desk.Export.
	RightPortability
	// RightObjection, Art. 21: processing for a purpose stopped. Answered
	// with Desk.Object.
	RightObjection
	// RightReview, Art. 22(3): human intervention in an automated decision,
	// to express a point of view and contest it. People answer it; record
	// the end with Desk.Complete.
	RightReview
)

var rightInfo = [...]struct{ code, article, title string }{
	RightAccess:        {"access", "Art. 15", "right of access"},
	RightRectification: {"rectification", "Art. 16", "right to rectification"},
	RightErasure:       {"erasure", "Art. 17", "right to erasure"},
	RightRestriction:   {"restriction", "Art. 18", "right to restriction of processing"},
	RightPortability:   {"portability", "Art. 20", "right to data portability"},
	RightObjection:     {"objection", "Art. 21", "right to object"},
	RightReview:        {"review", "Art. 22(3)", "right to human review of an automated decision"},
}

// Valid reports whether r is one of the seven rights.
func (r Right) Valid() bool { return r >= RightAccess && r <= RightReview }

// String returns the right's code, such as "erasure".
func (r Right) String() string {
	if r.Valid() {
		return rightInfo[r].code
	}
	return fmt.Sprintf("Right(%d)", uint8(r))
}

// Article returns the article that grants the right, such as "Art. 17".
func (r Right) Article() string {
	if r.Valid() {
		return rightInfo[r].article
	}
	return r.String()
}

// Title returns the right's English name, such as "right to erasure".
func (r Right) Title() string {
	if r.Valid() {
		return rightInfo[r].title
	}
	return r.String()
}

// MarshalText encodes the right as its code.
func (r Right) MarshalText() ([]byte, error) {
	if !r.Valid() {
		return nil, fmt.Errorf("rights: cannot encode %v: not a right", r)
	}
	return []byte(r.String()), nil
}

// UnmarshalText decodes a right's code.
func (r *Right) UnmarshalText(text []byte) error {
	for v := RightAccess; v <= RightReview; v++ {
		if rightInfo[v].code == string(text) {
			*r = v
			return nil
		}
	}
	return fmt.Errorf("rights: unknown right %q (want access, rectification, erasure, restriction, portability, objection or review)", text)
}

// RequestState is where a request stands.
type RequestState uint8

// Request states, in the order a request normally passes them.
const (
	// RequestUnverified: received, but the requester's identity is not
	// verified yet (Art. 12(6)). The time limit runs from receipt (see
	// IdentityClock).
	RequestUnverified RequestState = iota + 1
	// RequestOpen: verified; the time limit runs and nothing is done yet.
	RequestOpen
	// RequestInProgress: being fulfilled; some steps are done, others
	// pending or failed (see Request.Sources and Request.Keys).
	RequestInProgress
	// RequestCompleted: fulfilled.
	RequestCompleted
	// RequestRefused: refused (Art. 12(5): manifestly unfounded or
	// excessive; Art. 12(2): the requester could not be identified).
	RequestRefused
)

var requestStateCodes = [...]string{
	RequestUnverified: "unverified", RequestOpen: "open", RequestInProgress: "in-progress",
	RequestCompleted: "completed", RequestRefused: "refused",
}

// Valid reports whether s is one of the five states.
func (s RequestState) Valid() bool { return s >= RequestUnverified && s <= RequestRefused }

// Closed reports whether the request is completed or refused: nothing more
// happens to it.
func (s RequestState) Closed() bool { return s == RequestCompleted || s == RequestRefused }

// String returns the state's code, such as "in-progress".
func (s RequestState) String() string {
	if s.Valid() {
		return requestStateCodes[s]
	}
	return fmt.Sprintf("RequestState(%d)", uint8(s))
}

// MarshalText encodes the state as its code.
func (s RequestState) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, fmt.Errorf("rights: cannot encode %v: not a request state", s)
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes a state's code.
func (s *RequestState) UnmarshalText(text []byte) error {
	i := slices.Index(requestStateCodes[:], string(text))
	if i <= 0 {
		return fmt.Errorf("rights: unknown request state %q", text)
	}
	*s = RequestState(i)
	return nil
}

// Request is a data subject's request to exercise a right, with its
// deadline and, while it is fulfilled, the progress of each step. It holds
// the subject's ID while it is open; an erasure request forgets it when it
// completes and keeps only the subject's token.
type Request struct {
	// ID identifies the request; Desk.Receive assigns one when empty. A
	// code: letters, digits and ". _ - : /".
	ID    string `json:"id"`
	Right Right  `json:"right"` // the right invoked
	// Subject is the data subject's ID, as the sources know it. Emptied
	// when an erasure completes.
	Subject string `json:"subject,omitempty"`
	// SubjectToken is the subject's pseudonymous token, as the journal
	// records it (Journal.Token).
	SubjectToken string `json:"subject_token"`
	// Language is the subject's language as a BCP 47 tag, such as "de" or
	// "fr-CH"; the README of an export is written in the closest language
	// available (English, German or French), English when none is close or
	// Language is empty. Desk.Receive also takes an HTTP Accept-Language
	// value ("de-CH,de;q=0.9,en;q=0.8") and keeps the supported language
	// that matches it best; it refuses only text that is neither.
	Language string `json:"language,omitempty"`
	// Purpose is, for an objection, the purpose ID objected to or
	// AllDirectMarketing.
	Purpose string `json:"purpose,omitempty"`
	// Ground is, for a restriction, why processing is restricted.
	Ground gdpr.Ground `json:"ground,omitempty"`
	// Recipients is set when the subject asks to be told the recipients
	// their data was disclosed to (Art. 19, last sentence; Art. 15(1)(c)):
	// an access export then lists them (DeskConfig.Recipients).
	Recipients bool `json:"recipients,omitempty"`

	State RequestState `json:"state"` // where the request stands
	// ReceivedAt is when the request arrived (the clock when zero);
	// VerifiedAt when the requester's identity was established: the
	// arrival of the request when it was verified on receipt, otherwise
	// the arrival of the information asked for.
	ReceivedAt time.Time `json:"received_at"`
	VerifiedAt time.Time `json:"verified_at,omitzero"`
	// IdentityRequestedAt is when more information to identify the
	// requester was last asked for (Art. 12(6)); zero when none was.
	IdentityRequestedAt time.Time `json:"identity_requested_at,omitzero"`
	// ClockStart is when the time limit runs from: ReceivedAt, or under
	// ClockFromVerification VerifiedAt once the requester is identified.
	ClockStart time.Time `json:"clock_start,omitzero"`
	// Due is the last instant to answer: the end of the day one month
	// after ClockStart (see Deadline), moved by any extension. A request
	// waiting for identity information has one too (see IdentityClock).
	Due time.Time `json:"due,omitzero"`
	// Extension is the extension of the time limit, if any (Art. 12(3)).
	Extension *Extension `json:"extension,omitempty"`
	// CompletedAt is when the request was completed or refused.
	CompletedAt time.Time `json:"completed_at,omitzero"`
	// Refusal is the reason code of a refusal, such as "manifestly-excessive".
	Refusal string `json:"refusal,omitempty"`
	// Notice is the notice of a refusal the subject was given (Art.
	// 12(4)), marked Late when it came after its time limit.
	Notice *RefusalNotice `json:"notice,omitempty"`

	// Sources is the progress per data source, in the order of
	// DeskConfig.Sources.
	Sources []Step `json:"sources,omitempty"`
	// Keys is the progress of an erasure per key namespace.
	Keys []Step `json:"keys,omitempty"`
	// Consents is the progress of an erasure's withdrawal of the subject's
	// consents (DeskConfig.Consents): one step, named "consent-ledger",
	// when a consent ledger is configured.
	Consents []Step `json:"consents,omitempty"`
	// Journal is the journal's head right after the request was
	// completed: the entry that records the completion.
	Journal audit.Head `json:"journal,omitzero"`

	// Lease is held by the instance fulfilling the request, so that two
	// instances never work on it at once.
	Lease *Lease `json:"lease,omitempty"`
}

// Overdue reports whether the request is still open after its deadline, at
// instant now.
func (r *Request) Overdue(now time.Time) bool {
	return !r.State.Closed() && !r.Due.IsZero() && now.After(r.Due)
}

// Source returns the progress of the named source, and whether the request
// has one.
func (r *Request) Source(name string) (Step, bool) {
	for _, s := range r.Sources {
		if s.Name == name {
			return s, true
		}
	}
	return Step{}, false
}

// clone returns a copy of r that shares nothing with it.
func (r Request) clone() Request {
	r.Sources = slices.Clone(r.Sources)
	for i := range r.Sources {
		r.Sources[i].Kept = cloneExemptions(r.Sources[i].Kept)
	}
	r.Keys = slices.Clone(r.Keys)
	r.Consents = slices.Clone(r.Consents)
	if r.Extension != nil {
		e := *r.Extension
		r.Extension = &e
	}
	if r.Notice != nil {
		n := *r.Notice
		r.Notice = &n
	}
	if r.Lease != nil {
		l := *r.Lease
		r.Lease = &l
	}
	return r
}

// cloneExemptions returns a copy of kept that shares nothing with it.
func cloneExemptions(kept []Exemption) []Exemption {
	if kept == nil {
		return nil
	}
	out := make([]Exemption, len(kept))
	for i, ex := range kept {
		ex.Categories, ex.Purposes = slices.Clone(ex.Categories), slices.Clone(ex.Purposes)
		out[i] = ex
	}
	return out
}

// step returns the step of the named source or namespace in steps, adding a
// pending one when there is none.
func step(steps *[]Step, name string) *Step {
	for i := range *steps {
		if (*steps)[i].Name == name {
			return &(*steps)[i]
		}
	}
	*steps = append(*steps, Step{Name: name, State: StepPending})
	return &(*steps)[len(*steps)-1]
}

// Extension is an extension of a request's time limit by one or two further
// months (Art. 12(3)), given with its reasons within the first month.
type Extension struct {
	// Months is the total extension: 1 or 2.
	Months int `json:"months"`
	// Reason is what the subject is told about the delay. Describe the
	// request's complexity or number, not the person.
	Reason string    `json:"reason"`
	At     time.Time `json:"at"` // when the latest extension was given
}

// Lease marks a request as being worked on by one instance until Until.
type Lease struct {
	Owner string    `json:"owner"` // the run that holds it, a random ID
	Until time.Time `json:"until"` // when another run may take it over
}

// Step is the progress of one part of a request: a data source asked to
// export, erase, rectify or restrict, a key namespace shredded, or the
// subject's consents withdrawn.
type Step struct {
	// Name is the source's name, the namespace, or "consent-ledger".
	Name  string    `json:"name"`
	State StepState `json:"state"` // where the step stands
	// Attempts counts the tries, across runs.
	Attempts int `json:"attempts,omitempty"`
	// Error is the last failure, with e-mail addresses, phone numbers,
	// IP addresses, card numbers and the subject's ID masked.
	Error string `json:"error,omitempty"`
	// Exemption is the Art. 17(3) exception that keeps the data, when State
	// is StepExempt: the first of Kept, for a source.
	Exemption *Exemption `json:"exemption,omitempty"`
	// Kept lists, for a source of an erasure, every exception of Art.
	// 17(3) that keeps some of its data, with the categories it keeps: all
	// of it when State is StepExempt, otherwise (StepDone) the part the
	// source kept when it erased the rest (PartEraser).
	Kept []Exemption `json:"kept,omitempty"`
	// Records counts the records exported.
	Records int `json:"records,omitempty"`
	// Withdrawn counts the purposes whose consent the step withdrew,
	// across runs.
	Withdrawn int `json:"withdrawn,omitempty"`
	// At is when the step ended (done, exempt or skipped) or last failed.
	At time.Time `json:"at,omitzero"`
}

// settled reports whether the step needs no more work.
func (s Step) settled() bool {
	return s.State == StepDone || s.State == StepExempt || s.State == StepSkipped
}

// StepState is where a Step stands.
type StepState uint8

// Step states.
const (
	// StepPending: not tried yet.
	StepPending StepState = iota + 1
	// StepDone: the source (or key store, or consent ledger) confirmed.
	StepDone
	// StepFailed: the last try failed; the next run tries again.
	StepFailed
	// StepExempt: kept under an exception of Art. 17(3) (see Exemption).
	StepExempt
	// StepSkipped: the source has no part in the request, such as a source
	// that cannot rectify (it does not implement Rectifier).
	StepSkipped
)

var stepStateCodes = [...]string{StepPending: "pending", StepDone: "done", StepFailed: "failed", StepExempt: "exempt", StepSkipped: "skipped"}

// String returns the state's code, such as "failed".
func (s StepState) String() string {
	if s >= StepPending && s <= StepSkipped {
		return stepStateCodes[s]
	}
	return fmt.Sprintf("StepState(%d)", uint8(s))
}

// MarshalText encodes the state as its code.
func (s StepState) MarshalText() ([]byte, error) {
	if s < StepPending || s > StepSkipped {
		return nil, fmt.Errorf("rights: cannot encode %v: not a step state", s)
	}
	return []byte(s.String()), nil
}

// UnmarshalText decodes a state's code.
func (s *StepState) UnmarshalText(text []byte) error {
	i := slices.Index(stepStateCodes[:], string(text))
	if i <= 0 {
		return fmt.Errorf("rights: unknown step state %q", text)
	}
	*s = StepState(i)
	return nil
}

// Errors about requests.
var (
	// ErrUnknownRequest: no request has the ID.
	ErrUnknownRequest = errors.New("rights: unknown request")
	// ErrRequestExists: a request with the ID is already recorded.
	ErrRequestExists = errors.New("rights: request ID already used")
	// ErrInvalidRequest is matched by errors about a request that is
	// incomplete or inconsistent, or an operation that does not fit it.
	ErrInvalidRequest = errors.New("rights: invalid request")
	// ErrNotVerified: the requester's identity is not verified yet, so the
	// request cannot be fulfilled (Art. 12(6)).
	ErrNotVerified = errors.New("rights: identity not verified")
	// ErrRequestClosed: the request is completed or refused.
	ErrRequestClosed = errors.New("rights: request closed")
	// ErrRequestBusy: another instance is working on the request; try
	// again after its lease ends.
	ErrRequestBusy = errors.New("rights: request busy")
	// ErrExtension is matched by every refused extension.
	ErrExtension = errors.New("rights: extension refused")
	// ErrExtensionLate: the first month is over; an extension must be
	// given within it (Art. 12(3)).
	ErrExtensionLate = fmt.Errorf("%w: the first month is over", ErrExtension)
	// ErrExtensionTooLong: more than two further months in all.
	ErrExtensionTooLong = fmt.Errorf("%w: at most two further months", ErrExtension)
)

// RequestError reports an operation on a request that failed: which
// request, which operation, and why.
type RequestError struct {
	ID  string // the request's ID
	Op  string // the operation, such as "Extend"
	Err error  // what went wrong
}

// Error names the request, the operation and the fault.
func (e *RequestError) Error() string {
	return fmt.Sprintf("rights: request %s: %s: %v", e.ID, e.Op, e.Err)
}

// Unwrap returns the fault.
func (e *RequestError) Unwrap() error { return e.Err }
