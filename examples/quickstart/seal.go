package main

import (
	"fmt"
)

// seal stores a customer through the customers table, which seals the
// personal fields under the customer's own key, and an event payload
// sealed the same way; then reads the customer back by e-mail address.
func (t *tour) seal() error {
	heading("Seal at rest: each customer's fields under their own key")
	c := ada()
	if err := t.customers.Insert(t.ctx, &c); err != nil {
		return err
	}
	payload, err := t.kit.Shredder("shop").Marshal(t.ctx, ada()) // an event for the outbox
	if err != nil {
		return err
	}
	if _, err := t.db.ExecContext(t.ctx, "INSERT INTO events (payload) VALUES (?)", string(payload)); err != nil {
		return err
	}
	var name, email, country string
	if err := t.db.QueryRowContext(t.ctx, "SELECT name, email, country FROM customers WHERE id = ?", c.ID).
		Scan(&name, &email, &country); err != nil {
		return err
	}
	fmt.Printf("   stored row:  name=%.24s…  email=%.24s…  country=%s\n", name, email, country)
	fmt.Printf("   event:       %.96s…\n", payload)

	found, err := t.customers.Lookup(t.ctx, "Email", "ada@example.org") // by its blind index
	if err != nil {
		return err
	}
	//piicheck:ignore the tour shows that the owner of the key can read the data
	fmt.Printf("   found by e-mail address, opened: %s <%s>\n", found[0].Name, found[0].Email)
	return nil
}
