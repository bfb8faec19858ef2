package handler

import (
	"context"
	"log/slog"

	"github.com/gdprkit/gdprkit/pii"
	"model"
)

var shared = slog.New(pii.NewHandler(slog.Default().Handler(), nil))

// Exported may be replaced by any importer: not trusted.
var Exported = slog.New(pii.NewHandler(slog.Default().Handler(), nil))

func logs(ctx context.Context, u model.User, next slog.Handler) {
	log := slog.New(pii.NewHandler(next, nil))
	// Not reported: the handler redacts values of types with personal fields.
	log.Info("signed up", "user", u, slog.Group("g", "u", u, slog.Group("h", slog.Any("u", &u))))
	log.With("user", u).Info("again", "user", u)
	child := log.WithGroup("g")
	child.InfoContext(ctx, "x", "user", u)
	slog.New(pii.NewHandler(next, nil)).Info("x", "user", u)
	shared.Info("x", "user", u)
	func() { log.Warn("in a closure", "user", u) }()

	// A field read out of its struct is a bare string to the handler.
	log.Info("x", "email", u.Email)                              // want `slog.Logger.Info: personal field model.User.Email`
	log.Info("x", slog.String("email", u.Email))                 // want `slog.String: personal field model.User.Email`
	slog.New(slog.NewJSONHandler(nil, nil)).Info("x", "user", u) // want `slog.Logger.Info: u \(model.User\) holds personal field Email`
	plain := slog.New(next)
	plain.Info("x", "user", u) // want `slog.Logger.Info: u \(model.User\)`
	reassigned := slog.New(pii.NewHandler(next, nil))
	reassigned = slog.New(next)
	reassigned.Info("x", "user", u)           // want `slog.Logger.Info: u \(model.User\)`
	Exported.Info("x", "user", u)             // want `slog.Logger.Info: u \(model.User\)`
	attrs := []slog.Attr{slog.Any("user", u)} // want `slog.Any: u \(model.User\)`
	log.LogAttrs(ctx, slog.LevelInfo, "x", attrs...)
	slog.Info("x", "user", u) // want `slog.Info: u \(model.User\)`
}
