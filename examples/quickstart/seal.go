package main

import (
	"fmt"
)

// seal stores a customer with the personal fields sealed under the
// customer's own key: in the customers table and in an event payload.
func (t *tour) seal() error {
	heading("Seal at rest: each customer's fields under their own key")
	shredder := t.kit.Shredder("shop") // its keys live in keys.db, wrapped by the KEK
	if _, err := t.db.ExecContext(t.ctx, `CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT, email TEXT, phone TEXT, country TEXT, joined TEXT);
		CREATE TABLE events (id INTEGER PRIMARY KEY, payload TEXT)`); err != nil {
		return err
	}
	c := ada()
	if err := shredder.Seal(t.ctx, &c); err != nil {
		return err
	}
	if _, err := t.db.ExecContext(t.ctx, "INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?)",
		c.ID, c.Name, c.Email, c.Phone, c.Country, c.Joined.Format("2006-01-02")); err != nil {
		return err
	}
	payload, err := shredder.Marshal(t.ctx, ada()) // an event for the outbox, sealed the same way
	if err != nil {
		return err
	}
	if _, err := t.db.ExecContext(t.ctx, "INSERT INTO events (payload) VALUES (?)", string(payload)); err != nil {
		return err
	}
	//piicheck:ignore the fields hold ciphertext here: the tour shows what is stored
	fmt.Printf("   stored row:  name=%.24s…  email=%.24s…  country=%s\n", c.Name, c.Email, c.Country)
	fmt.Printf("   event:       %.96s…\n", payload)

	stored, err := t.loadCustomer("cus_1815")
	if err != nil {
		return err
	}
	if err := shredder.Open(t.ctx, &stored); err != nil {
		return err
	}
	fmt.Printf("   opened:      %s <%s>\n", stored.Name, stored.Email) //piicheck:ignore the tour shows that the owner of the key can read the data
	return nil
}

// loadCustomer reads a customer row as stored: sealed.
func (t *tour) loadCustomer(id string) (Customer, error) {
	var c Customer
	var joined string
	err := t.db.QueryRowContext(t.ctx, "SELECT id, name, email, phone, country, joined FROM customers WHERE id = ?", id).
		Scan(&c.ID, &c.Name, &c.Email, &c.Phone, &c.Country, &joined)
	return c, err
}
