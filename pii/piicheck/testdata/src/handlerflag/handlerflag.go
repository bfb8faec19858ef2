// Package handlerflag is analyzed with -slog-handler: the program's
// loggers all write through pii.NewHandler.
package handlerflag

import (
	"fmt"
	"log/slog"

	"model"
)

func logs(u model.User, l *slog.Logger) {
	slog.Info("x", "user", u, slog.Any("u", &u))
	l.Info("x", "user", u)
	slog.Info("x", "email", u.Email) // want `slog.Info: personal field model.User.Email`
	fmt.Println(u)                   // want `fmt.Println: u \(model.User\)`
}
