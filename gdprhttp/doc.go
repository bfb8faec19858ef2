// Package gdprhttp is the HTTP surface of a service that uses gdprkit: the
// net/http handlers and middleware every such service needs, mounted under
// any prefix and usable with any router.
//
//	h, err := gdprhttp.New(gdprhttp.Config{Kit: kit, Sender: mailer, Lookup: byEmail, Subject: fromSession})
//	mux.Handle("/privacy/", http.StripPrefix("/privacy", h))
//	srv := &http.Server{Handler: h.Middleware(mux)}
//
// What the Handler serves:
//
//   - Data-subject requests (access, portability, erasure, rectification,
//     restriction, objection). The requester gives an e-mail address; a
//     one-time code is sent through the service's [Sender]. Codes expire,
//     allow a few attempts, are compared in constant time and are used
//     once. An address no subject has gets the same answer, of the same
//     shape, as a known one: the response never tells whether an address
//     is known, and codes are sent in the background so that the time it
//     takes does not tell either. Once the code is entered the request is
//     received by the kit's desk as verified (see [Verifier]) and answered:
//     an export is written in full to an encrypted spool file first, then
//     served with Content-Length and Content-Disposition through a link
//     that works once and expires soon; an erasure runs the kit's one
//     erasure path. Each request has a status page under its ticket.
//   - Consent preferences: the consents of the subject a request belongs
//     to (Config.Subject), per purpose resting on consent, with the
//     current notice version; a change is recorded under that version with
//     its proof (time, user agent and IP address, observed personal data
//     sealed by the ledger).
//   - The privacy center, an HTML page (html/template, embedded style
//     sheet, no script and no request to any other site) in English,
//     German or French after Accept-Language, where a person does all of
//     the above with a keyboard and a screen reader.
//   - A JSON API under api/ for the same, with RFC 9457 problem details
//     (application/problem+json) for every error.
//
// Security: every state-changing form carries a CSRF token bound to a
// cookie, and cross-origin browser requests are refused
// (http.CrossOriginProtection); requests are limited per client IP and per
// address, ticket or subject (token buckets); request bodies are bounded;
// POST bodies must be application/json (API) or
// application/x-www-form-urlencoded (forms); no personal data appears in a
// URL, and the handlers log through pii.NewHandler.
//
// [Handler.Middleware] puts on the request's context the subject it belongs
// to ([SubjectFrom]), the decoded IAB TCF euconsent-v2 cookie ([TCF]; an
// invalid string counts as no consent, never as an error) and the Global
// Privacy Control signal ([GPC]), which it records once per subject as an
// objection to the purposes Config.GPCPurposes names.
package gdprhttp
