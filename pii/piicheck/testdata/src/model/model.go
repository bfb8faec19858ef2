// Package model declares the types the leak tests log.
package model

import (
	"fmt"
	"log/slog"
)

type User struct {
	ID      string   `pii:"subject"`
	Email   string   `pii:"email"`
	Phone   *string  `pii:"phone,redact=last4"`
	Aliases []string `pii:"name"`
	Tags    []string `pii:"-"`
	Contact Contact
	Plan    string
}

type Contact struct {
	Address string `pii:"address"`
}

// Account holds a subject ID and nothing personal.
type Account struct {
	ID   string `pii:"subject"`
	Plan string
}

// Reviewed was looked at: its Email is a role address, not a person's.
type Reviewed struct {
	Email string `pii:"-"`
}

// Loyalty uses a category registered at run time, unknown to the analyzer.
type Loyalty struct {
	Tier string `pii:"loyalty,plain"`
}

// Node is recursive.
type Node struct {
	Next *Node
	Name string `pii:"name"`
}

// Ring is recursive without any personal field.
type Ring struct {
	Next *Ring
	Size int
}

// Order holds users behind a pointer and a map.
type Order struct {
	Buyer  *User
	ByRole map[string]User
}

// Box is generic.
type Box[T any] struct{ V T }

// SelfLogging redacts itself for log/slog.
type SelfLogging struct {
	Email string `pii:"email"`
}

func (SelfLogging) LogValue() slog.Value { return slog.StringValue("[user]") }

// SelfFormatting redacts itself for fmt.
type SelfFormatting struct {
	Email string `pii:"email"`
}

func (SelfFormatting) Format(s fmt.State, verb rune) { fmt.Fprint(s, "[user]") }

// Stringer has a String method, which the analyzer does not trust.
type Stringer struct {
	Email string `pii:"email"`
}

func (s Stringer) String() string { return "<" + s.Email + ">" }

// Leaky logs through LogValue, and the analyzer reads the method's body.
type Leaky struct {
	Email string `pii:"email"`
}

func (l Leaky) LogValue() slog.Value {
	return slog.StringValue(l.Email) // want `slog.StringValue: personal field Leaky.Email \(user.contact.email\) is passed unredacted`
}

// List is generic and recursive.
type List[T any] struct {
	Next *List[T]
	V    T
}
