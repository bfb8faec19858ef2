package handler

import (
	"io"
	"log/slog"

	"github.com/gdprkit/gdprkit/pii"
	"model"
)

// service keeps a logger that writes through pii.NewHandler in a field.
type service struct {
	log  *slog.Logger
	Open *slog.Logger // exported: any importer may set it
}

func newService(w io.Writer) *service {
	return &service{log: slog.New(pii.NewHandler(slog.NewJSONHandler(w, nil), nil))}
}

func (s *service) signup(u model.User) {
	s.log.Info("signed up", "user", u)
	s.log.With("op", "signup").Info("again", "user", &u)
	audit(s.log, u)
	s.Open.Info("x", "user", u) // want `slog.Logger.Info: u \(model.User\)`
}

// audit is only ever passed loggers that redact.
func audit(log *slog.Logger, u model.User) {
	log.Info("audit", "user", u)
}

// newLogger returns nothing but a redacting logger.
func newLogger(w io.Writer) *slog.Logger {
	h := pii.NewHandler(slog.NewTextHandler(w, nil), nil)
	return slog.New(h)
}

func fromFunc(w io.Writer, u model.User) {
	newLogger(w).Info("x", "user", u)
	mixed(slog.New(slog.NewTextHandler(w, nil)), u)
	mixed(newLogger(w), u)
	keep := auditor{}
	keep.log = slog.New(slog.NewTextHandler(w, nil))
	keep.log.Info("x", "user", u) // want `slog.Logger.Info: u \(model.User\)`
}

// mixed is passed a plain logger at one call: not trusted.
func mixed(log *slog.Logger, u model.User) {
	log.Info("x", "user", u) // want `slog.Logger.Info: u \(model.User\)`
}

// auditor's field is set to a plain logger somewhere: not trusted.
type auditor struct{ log *slog.Logger }

// Exported functions may be called from anywhere: not trusted.
func ExportedFunc(log *slog.Logger, u model.User) {
	log.Info("x", "user", u) // want `slog.Logger.Info: u \(model.User\)`
}

// escapes is used as a value: its callers are not all known.
func escapes(log *slog.Logger, u model.User) {
	log.Info("x", "user", u) // want `slog.Logger.Info: u \(model.User\)`
}

var _ = escapes
