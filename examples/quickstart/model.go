package main

import "time"

// Customer is an application model marked with pii tags; a row of the
// customers table, whose e-mail addresses are unique (a blind index).
type Customer struct {
	ID      string    `pii:"subject" json:"id"`
	Name    string    `pii:"name,replace=Former customer" json:"name"`
	Email   string    `pii:"email,redact=mask" json:"email" db:"email,unique"`
	Phone   string    `pii:"phone,redact=last4" json:"phone"`
	Country string    `json:"country"`
	Joined  time.Time `json:"joined"`
}

func ada() Customer {
	return Customer{ID: "cus_1815", Name: "Ada Lovelace", Email: "ada@example.org", Phone: "+44 20 7946 0958",
		Country: "GB", Joined: time.Date(2026, 2, 1, 9, 0, 0, 0, time.UTC)}
}
