package gdprhttp

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// ProblemType prefixes the type of every problem this package reports,
// followed by its code, such as "urn:gdprkit:problem:wrong-code".
const ProblemType = "urn:gdprkit:problem:"

// Problem is an RFC 9457 problem details object, as the API answers every
// error with (application/problem+json). Code is the stable, machine
// readable name of the problem; Type is ProblemType followed by it.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	Code   string `json:"code"`
	// AttemptsLeft is, for a wrong code, how many tries remain.
	AttemptsLeft *int `json:"attempts_left,omitempty"`
	// RetryAfter is, when rate limited, the seconds to wait.
	RetryAfter int `json:"retry_after,omitempty"`
}

// Error returns the title and the detail.
func (p *Problem) Error() string {
	if p.Detail == "" {
		return "gdprhttp: " + p.Title
	}
	return "gdprhttp: " + p.Title + ": " + p.Detail
}

func problem(status int, code, title, detail string) *Problem {
	return &Problem{Type: ProblemType + code, Title: title, Status: status, Detail: detail, Code: code}
}

// The problems the handlers report. Details never hold personal data.
var (
	errBadJSON = func(d string) *Problem {
		return problem(http.StatusBadRequest, "bad-request", "The request is malformed", d)
	}
	errContentType = func(d string) *Problem {
		return problem(http.StatusUnsupportedMediaType, "unsupported-media-type", "Unsupported content type", d)
	}
	errTooLarge      = problem(http.StatusRequestEntityTooLarge, "body-too-large", "The request body is too large", "")
	errCSRF          = problem(http.StatusForbidden, "csrf", "The form is stale or was sent from another site", "reload the page and try again")
	errUnknownTicket = problem(http.StatusNotFound, "unknown-ticket", "No request has this ticket", "it may have expired: make a new request")
	errCodeExpired   = problem(http.StatusGone, "code-expired", "The code has expired", "make a new request")
	errCodeUsed      = problem(http.StatusConflict, "code-used", "The code was used already", "")
	errLocked        = problem(http.StatusForbidden, "attempts-exhausted", "Too many wrong codes", "make a new request")
	errNoSubject     = problem(http.StatusUnauthorized, "no-subject", "Sign in to manage your consents", "")
	errUnknownLink   = problem(http.StatusGone, "link-gone", "The download link was used or has expired", "ask for a new link on the request's status page")
	errExportGone    = problem(http.StatusGone, "export-gone", "The export was downloaded or has expired", "make a new request")
	errNotExport     = problem(http.StatusConflict, "not-an-export", "The request has no export", "")
	errNotVerified   = problem(http.StatusConflict, "not-verified", "The request is not verified yet", "enter the code first")
	errInternal      = problem(http.StatusInternalServerError, "internal", "Something went wrong on our side", "try again later")
)

func wrongCode(left int) *Problem {
	p := problem(http.StatusUnprocessableEntity, "wrong-code", "The code is wrong", "")
	p.AttemptsLeft = &left
	return p
}

func rateLimited(wait int) *Problem {
	p := problem(http.StatusTooManyRequests, "rate-limited", "Too many requests", "try again later")
	p.RetryAfter = wait
	return p
}

func invalid(detail string) *Problem {
	return problem(http.StatusUnprocessableEntity, "invalid", "The request is invalid", detail)
}

// writeProblem answers with p as application/problem+json.
func writeProblem(w http.ResponseWriter, p *Problem) {
	if p.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(p.RetryAfter))
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// writeJSON answers with v as application/json.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
