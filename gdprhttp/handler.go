package gdprhttp

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"

	"github.com/gdprkit/gdprkit"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/detect"
)

// Handler serves the privacy center and its API. Mount it under any
// prefix with http.StripPrefix; it serves:
//
//	GET  /                         the privacy center page
//	POST /request                  form: make a request; the page asks for the code
//	POST /verify                   form: enter the code
//	GET  /status/{ticket}          the request's status
//	POST /link                     form: a new download link
//	POST /consents                 form: change consents
//	GET  /download/{token}         the export, once
//	GET  /assets/style.css         the page's style sheet
//	POST /api/requests             {"right","email","purpose","ground"} → 202 {"ticket","expires"}
//	POST /api/requests/{ticket}/verify   {"code"} → the request's status
//	GET  /api/requests/{ticket}          the request's status
//	POST /api/requests/{ticket}/link     a new download link
//	GET  /api/consents             the subject's consents
//	POST /api/consents             {"consents":{"purpose":true}} → the subject's consents
//
// It is safe for concurrent use, and any number of instances may share
// Config.DB: the requests that wait for their codes are kept there, so
// that attempts are counted and codes used once across instances. Written
// exports and their download links are kept by the instance that wrote
// them (a file encrypted under a key in its memory): route a request's
// download link to that instance, or ask another for a new link, which
// writes the export again while the request is not completed.
type Handler struct {
	cfg        Config
	kit        *gdprkit.Kit
	log        *slog.Logger
	challenges *challenges
	exports    *exports
	byIP       *limiter
	bySubject  *limiter
	mux        *http.ServeMux
	cop        *http.CrossOriginProtection
	page       *pages
	sends      chan struct{} // bounds the codes being sent at once
	gpc        gpcDone
}

// New returns a Handler over the kit. It creates or migrates, in
// Config.DB, the table of the requests that wait for their codes.
func New(ctx context.Context, cfg Config) (*Handler, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	h := &Handler{
		cfg: cfg, kit: cfg.Kit,
		log:       slog.New(pii.NewHandler(cfg.Logger.Handler(), &pii.HandlerOptions{Text: detect.NewTextRedactor(detect.TextRedactorConfig{})})).With("component", "gdprhttp"),
		byIP:      newLimiter(cfg.RateIP, cfg.Now),
		bySubject: newLimiter(cfg.RateSubject, cfg.Now),
		mux:       http.NewServeMux(),
		cop:       http.NewCrossOriginProtection(),
		sends:     make(chan struct{}, 64),
	}
	var err error
	if h.challenges, err = newChallenges(ctx, cfg.DB); err != nil {
		return nil, err
	}
	if h.exports, err = newExports(cfg.TempDir, cfg.Now, cfg.SpoolTTL); err != nil {
		return nil, err
	}
	if h.page, err = newPages(); err != nil {
		return nil, err
	}
	h.routes()
	return h, nil
}

// Close removes the exports waiting to be downloaded.
func (h *Handler) Close() error { return h.exports.close() }

func (h *Handler) routes() {
	m := h.mux
	m.HandleFunc("GET /{$}", h.pageHome)
	m.HandleFunc("POST /request", h.form(h.pageRequest))
	m.HandleFunc("POST /verify", h.form(h.pageVerify))
	m.HandleFunc("GET /status/{ticket}", h.pageStatus)
	m.HandleFunc("POST /link", h.form(h.pageLink))
	m.HandleFunc("POST /consents", h.form(h.pageConsents))
	m.HandleFunc("GET /download/{token}", h.download)
	m.HandleFunc("GET /assets/style.css", serveStyle)
	m.HandleFunc("POST /api/requests", h.api(h.apiSubmit))
	m.HandleFunc("POST /api/requests/{ticket}/verify", h.api(h.apiVerify))
	m.HandleFunc("GET /api/requests/{ticket}", h.apiStatus)
	m.HandleFunc("POST /api/requests/{ticket}/link", h.api(h.apiLink))
	m.HandleFunc("GET /api/consents", h.apiConsents)
	m.HandleFunc("POST /api/consents", h.api(h.apiChangeConsents))
}

// ServeHTTP refuses cross-origin browser requests and requests beyond the
// client IP's rate, then serves the request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	isAPI := strings.HasPrefix(r.URL.Path, "/api/")
	if err := h.cop.Check(r); err != nil {
		h.fail(w, r, isAPI, errCSRF)
		return
	}
	if ok, wait := h.byIP.allow("ip:" + h.cfg.ClientIP(r)); !ok {
		h.fail(w, r, isAPI, rateLimited(wait))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, h.cfg.MaxBody)
	h.mux.ServeHTTP(w, r)
}

// fail answers with p: problem details for the API, the page otherwise.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, isAPI bool, p *Problem) {
	if isAPI {
		writeProblem(w, p)
		return
	}
	h.render(w, r, p.Status, view{Problem: p})
}

// internal logs err and returns the problem to answer with.
func (h *Handler) internal(ctx context.Context, what string, err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	h.log.ErrorContext(ctx, what, "err", err)
	return errInternal
}

// mediaType checks the request's Content-Type.
func mediaType(r *http.Request, want string) *Problem {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != want {
		return errContentType("send " + want)
	}
	for k, v := range params {
		if k != "charset" || !strings.EqualFold(v, "utf-8") {
			return errContentType("only the charset parameter, utf-8, is accepted")
		}
	}
	return nil
}

// bodyProblem turns an error reading the body into a problem.
func bodyProblem(err error) *Problem {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return errTooLarge
	}
	return errBadJSON("the body cannot be read")
}

// api wraps a JSON API call: a JSON body, decoded strictly.
func (h *Handler) api(next func(http.ResponseWriter, *http.Request, *json.Decoder)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if p := mediaType(r, "application/json"); p != nil {
			writeProblem(w, p)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			writeProblem(w, bodyProblem(err))
			return
		}
		dec := json.NewDecoder(strings.NewReader(string(body)))
		dec.DisallowUnknownFields()
		next(w, r, dec)
	}
}

// decode reads one JSON value into v and nothing after it.
func decode(dec *json.Decoder, v any) *Problem {
	if err := dec.Decode(v); err != nil {
		return errBadJSON("the body is not the JSON object expected")
	}
	if dec.More() {
		return errBadJSON("one JSON object only")
	}
	return nil
}

// form wraps a form post: a url-encoded body with the CSRF token.
func (h *Handler) form(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if p := mediaType(r, "application/x-www-form-urlencoded"); p != nil {
			h.render(w, r, p.Status, view{Problem: p})
			return
		}
		if err := r.ParseForm(); err != nil {
			p := bodyProblem(err)
			h.render(w, r, p.Status, view{Problem: p})
			return
		}
		if !checkCSRF(r) {
			h.render(w, r, errCSRF.Status, view{Problem: errCSRF})
			return
		}
		next(w, r)
	}
}
