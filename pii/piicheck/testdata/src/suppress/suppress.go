package suppress

import (
	"fmt"
	"log/slog"

	"model"
)

type Settings struct {
	Email string //piicheck:ignore the shop's own support address, not a person's
	//piicheck:ignore a company switchboard number
	Phone string
	Fax   string // want `field Settings.Fax looks personal`
}

// FaxNumber is reported: the directive above Fax two lines up does not reach it.
type Later struct {
	//piicheck:ignore reviewed
	X         int
	FaxNumber string // want `field Later.FaxNumber looks personal`
}

func f(u model.User) {
	fmt.Println(u) //piicheck:ignore demo output of a made-up user
	//piicheck:ignore the address is printed on the user's own invoice
	fmt.Println(u.Contact.Address)
	//piicheck:ignore a call spread over lines is covered from above
	slog.Info("signed up",
		"user", u)

	// want +1 `piicheck:ignore needs a reason`
	//piicheck:ignore
	fmt.Println(u.Email) // want `personal field model.User.Email`

	//piicheck:ignored is not the directive
	fmt.Println(u.Email) // want `personal field model.User.Email`

	// A directive with its reason as a block continuation is still a reason.
	fmt.Println(u.Email) /* want `personal field model.User.Email` */ // piicheck:ignore with a space is not the directive
}
