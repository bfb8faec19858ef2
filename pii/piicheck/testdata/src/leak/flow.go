package leak

import (
	"errors"
	"fmt"
	"log"
	"log/slog"
	"strings"

	"github.com/gdprkit/gdprkit/pii"
	"model"
)

// flows: a personal field reaches a sink through a local, concatenation,
// fmt.Sprintf, a string function and map, slice and struct literals.
func flows(u model.User, l *slog.Logger) {
	email := u.Email
	log.Println(email) // want `log.Println: email carries personal field model.User.Email \(user.contact.email\) through local email`
	again := email
	slog.Info("x", "to", again)                              // want `slog.Info: again carries personal field model.User.Email .* through local email`
	slog.Info("welcome mail sent to " + u.Email)             // want `slog.Info: .* carries personal field model.User.Email .* through concatenation`
	msg := fmt.Sprintf("mail to %s", email)                  //
	l.Info(msg)                                              // want `slog.Logger.Info: msg carries personal field model.User.Email`
	l.Info("x", "body", map[string]string{"email": u.Email}) // want `slog.Logger.Info: map\[string\]string\{.* carries personal field model.User.Email .* through a literal`
	l.Info("x", "to", []string{"a", email})                  // want `carries personal field model.User.Email .* through local email`
	type envelope struct{ To, Subject string }
	l.Info("x", "env", envelope{To: email, Subject: "hi"})      // want `carries personal field model.User.Email`
	l.Info("x", "env", &envelope{To: strings.ToLower(u.Email)}) // want `carries personal field model.User.Email .* through strings.ToLower`
	_ = errors.New("no mailbox " + email)                       // want `errors.New: .* carries personal field model.User.Email`
	_ = fmt.Errorf("insert %s: %w", email, errors.New("dup"))   // want `fmt.Errorf: email carries personal field model.User.Email`
	var list []string
	list = append(list, email)
	_ = list

	// Not reported: what is logged is not the value, or is redacted.
	n := len(email)
	ok := strings.Contains(email, "@")
	slog.Info("x", "n", n, "ok", ok, "domain?", email == "")
	id := u.ID
	slog.Info("x", "id", id, "plan", "p-"+u.Plan)
	slog.Info("x", "user", pii.Redact(email))
	body := fmt.Sprintf("Hello %s", email) // text for the mail, not for the log
	_ = body
	slog.Info("x", "type", fmt.Sprintf("%T", u))
}
