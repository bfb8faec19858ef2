package pii_test

import (
	"testing"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type eraseAddress struct {
	Street string `pii:"address"`
	City   string `pii:"city"`
}

type eraseOrder struct {
	ID       string
	Customer string `pii:"subject"`
	Email    string `pii:"email"`
	Phone    string `pii:"phone"`
	IP       string `pii:"ip"`
	Total    int
	Shipping *eraseAddress
	Notes    []eraseAddress
}

func newEraseOrder() eraseOrder {
	return eraseOrder{ID: "o1", Customer: "alice", Email: "alice@example.com", IP: "192.0.2.1", Total: 42,
		Shipping: &eraseAddress{Street: "1 Main St", City: "Springfield"}}
}

func TestCategoriesOf(t *testing.T) {
	o := newEraseOrder()
	cats, err := pii.CategoriesOf(o)
	require.NoError(t, err)
	assert.Equal(t, []pii.Category{pii.Email, pii.IPAddress, pii.Address, pii.City}, cats, "the empty phone is left out")

	_, err = pii.CategoriesOf(struct {
		X string `pii:"no-such-category"`
	}{"x"})
	assert.ErrorIs(t, err, pii.ErrInvalidTag)
}

func TestEraseFields(t *testing.T) {
	o := newEraseOrder()
	n, err := pii.EraseFields(&o, "user.contact")
	require.NoError(t, err)
	assert.Equal(t, 3, n, "e-mail, street and city; the phone was empty")
	assert.Equal(t, "", o.Email)
	assert.Equal(t, eraseAddress{}, *o.Shipping)
	assert.Equal(t, "192.0.2.1", o.IP, "not within user.contact")
	assert.Equal(t, "alice", o.Customer, "the subject stays")
	assert.Equal(t, 42, o.Total)

	n, err = pii.EraseFields(&o, "user.contact")
	require.NoError(t, err)
	assert.Zero(t, n, "erasing again changes nothing")

	cats, err := pii.CategoriesOf(o)
	require.NoError(t, err)
	assert.Equal(t, []pii.Category{pii.IPAddress}, cats)

	n, err = pii.EraseFields(&o)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "no categories: every personal field")
	assert.Equal(t, "", o.IP)

	_, err = pii.EraseFields(o, pii.Email)
	assert.ErrorContains(t, err, "needs a non-nil pointer")
	_, err = pii.EraseFields((*eraseOrder)(nil))
	assert.ErrorContains(t, err, "needs a non-nil pointer")
}
