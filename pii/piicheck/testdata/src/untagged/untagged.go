package untagged

import (
	"database/sql"
	"net"
	"net/netip"
	"time"
)

type PhoneConfig struct{ Region string }

type Customer struct {
	Email        string         // want `field Customer.Email looks personal \(email\) but has no pii tag: tag it pii:"email", or pii:"-" if it holds no personal data`
	FirstName    string         // want `field Customer.FirstName looks personal \(first name\) but has no pii tag: tag it pii:"first_name"`
	BirthDate    time.Time      // want `field Customer.BirthDate looks personal \(birth date\).*pii:"dob"`
	ClientIP     net.IP         // want `field Customer.ClientIP looks personal \(client ip\).*pii:"ip"`
	LastIP       *netip.Addr    // want `field Customer.LastIP looks personal \(last ip\).*pii:"ip"`
	Phones       []string       // want `field Customer.Phones looks personal \(phone\)`
	Nationality  string         // want `field Customer.Nationality looks personal \(nationality\).*pii:"<category>"`
	ZipCode      sql.NullString // want `field Customer.ZipCode looks personal \(zip code\).*pii:"postal_code"`
	Street, City string         // want `field Customer.Street looks personal \(street\)`

	// Not reported.
	Tagged        string `pii:"email"`
	Reviewed      string `pii:"-"`
	ID            string `pii:"subject"`
	Name          string
	FileName      string
	TypeName      string
	HostName      string
	ListenAddr    string
	ServerIP      string
	EmailVerified bool
	EmailTemplate string
	Phone         PhoneConfig
	Callback      func(email string)
	email         string
	Note          string `json:"note"`
}

var literal = struct {
	Email string // want `field Email looks personal \(email\)`
}{}

func local() any {
	type row struct {
		Surname string `json:"surname"` // want `field row.Surname looks personal \(surname\).*pii:"last_name"`
		name    string
	}
	return row{}
}
