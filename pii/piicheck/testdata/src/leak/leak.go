package leak

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"

	"github.com/gdprkit/gdprkit/pii"
	"model"
)

type Customer struct {
	model.User
	Since int
}

func fmtSinks(u model.User, up *model.User, w io.Writer) {
	fmt.Println(u)                                // want `fmt.Println: u \(model.User\) holds personal field Email \(user.contact.email\) and is passed unredacted; pass pii.Redact\(u\) instead`
	fmt.Printf("%+v\n", up)                       // want `fmt.Printf: up \(\*model.User\) holds personal field Email`
	fmt.Fprintln(w, &u)                           // want `fmt.Fprintln: &u \(\*model.User\) holds personal field Email`
	log.Print(fmt.Sprint([]model.User{}))         // want `log.Print: fmt.Sprint.* carries personal field \[\]model.User.Email \(user.contact.email\) through fmt.Sprint`
	log.Print(fmt.Sprintf("%s", u.Email))         // want `log.Print: fmt.Sprintf.* carries personal field model.User.Email \(user.contact.email\) through fmt.Sprintf`
	log.Print(fmt.Sprintf("%s", *u.Phone))        // want `personal field model.User.Phone \(user.contact.phone_number\)`
	log.Print(fmt.Sprintf("%s", u.Aliases[0]))    // want `personal field model.User.Aliases \(user.name\)`
	log.Print(fmt.Sprintf("%s", []byte(u.Email))) // want `personal field model.User.Email`
	fmt.Println(u.Contact)                        // want `u.Contact \(model.Contact\) holds personal field Address \(user.contact.address\)`
	fmt.Println(u.Contact.Address)                // want `personal field model.Contact.Address \(user.contact.address\)`
	fmt.Println(model.Order{})                    // want `holds personal field Buyer.Email`
	fmt.Println(model.Node{})                     // want `holds personal field Name \(user.name\)`
	fmt.Println(model.Loyalty{})                  // want `holds personal field Tier \(loyalty\)`
	fmt.Println(model.Box[model.User]{})          // want `holds personal field V.Email`
	fmt.Println(model.List[model.User]{})         // want `holds personal field V.Email`
	fmt.Println(model.List[int]{})
	fmt.Println(Customer{})               // want `holds personal field User.Email`
	fmt.Println(Customer{}.Email)         // want `personal field model.User.Email`
	_ = fmt.Errorf("no user %s", u.Email) // want `fmt.Errorf: personal field model.User.Email`
	_ = errors.New(u.Email)               // want `errors.New: personal field model.User.Email`
	_ = fmt.Append(nil, u)                // built, not shown: followed to where it goes
	fmt.Println(model.Stringer{})         // want `holds personal field Email`
	fmt.Println(model.SelfLogging{})      // want `holds personal field Email`

	fmt.Printf("%T %v\n", u, u)               // want `fmt.Printf: u \(model.User\)`
	fmt.Printf("%[1]T\n", u)                  // want `fmt.Printf: u \(model.User\)`
	_ = fmt.Errorf("%d%% %*d %v", 1, 2, 3, u) // want `fmt.Errorf: u \(model.User\)`
	log.Printf("%-8T|%p|%v", u, &u, u.ID)

	// Not reported.
	fmt.Printf("%T at %p\n", u, &u)
	_ = fmt.Errorf("100%%: unexpected %T", u)
	fmt.Println(pii.Redact(u))
	fmt.Printf("%v %+v\n", pii.Redact(up), pii.Redact(u.Email))
	fmt.Println(u.ID, u.Plan, u.Tags, len(u.Email))
	fmt.Println(model.Account{}, model.Reviewed{}, model.Ring{})
	fmt.Println(model.SelfFormatting{})
	fmt.Println(pii.Envelope{})
	var v any = u
	fmt.Println(v)
	args := []any{u}
	fmt.Println(args...)
}

func logSinks(u model.User, l *log.Logger) {
	log.Print(u)                 // want `log.Print: u \(model.User\) holds personal field Email`
	log.Fatalf("%s", u.Email)    // want `log.Fatalf: personal field model.User.Email`
	l.Println(u.Contact.Address) // want `log.Logger.Println: personal field model.Contact.Address`
	l.Panic(u)                   // want `log.Logger.Panic: u \(model.User\)`
	log.Println(pii.Redact(u), u.ID)
}

func slogSinks(ctx context.Context, u model.User, logger *slog.Logger) {
	slog.Info("signed up", "user", u)                                  // want `slog.Info: u \(model.User\) holds personal field Email`
	slog.ErrorContext(ctx, "failed", "email", u.Email)                 // want `slog.ErrorContext: personal field model.User.Email`
	slog.Info("signed up", slog.Any("user", u))                        // want `slog.Any: u \(model.User\) holds personal field Email`
	slog.Info("signed up", slog.String("email", u.Email))              // want `slog.String: personal field model.User.Email`
	logger.Warn("x", "user", &u)                                       // want `slog.Logger.Warn: &u \(\*model.User\)`
	_ = logger.With("user", u)                                         // want `slog.Logger.With: u \(model.User\)`
	logger.LogAttrs(ctx, slog.LevelInfo, "x", slog.Group("g", "u", u)) // want `slog.Group: u \(model.User\)`
	_ = slog.GroupValue(slog.Attr{Key: "u", Value: slog.AnyValue(u)})  // want `slog.AnyValue: u \(model.User\)`
	slog.Info(u.Email)                                                 // want `slog.Info: personal field model.User.Email`
	slog.Info("x", "u", model.SelfFormatting{})                        // want `holds personal field Email`

	// Not reported.
	slog.Info("signed up", "user", pii.Redact(u), "id", u.ID)
	logger.InfoContext(ctx, "x", slog.Any("user", pii.Redact(u)))
	slog.Info("x", "u", model.SelfLogging{}, "l", model.Leaky{})
	slog.Info("x", "u", pii.Envelope{})
}
