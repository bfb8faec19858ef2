// Package schema declares the ent schema from which entgo.io/ent generates
// the customer entity, with gdprkit tags set through StructTag.
package schema

import (
	"entgo.io/ent"
	"entgo.io/ent/schema/field"
)

// Customer holds the schema definition for the Customer entity.
type Customer struct {
	ent.Schema
}

// Fields of the Customer. StructTag adds the pii tag beside the json tag
// ent writes itself.
func (Customer) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").StructTag(`pii:"subject"`),
		field.String("email").Unique().StructTag(`pii:"email,redact=mask"`),
		field.String("name").StructTag(`pii:"name,replace=Former customer"`),
		field.String("phone").Optional().StructTag(`pii:"phone,redact=last4"`),
		field.String("plan").Default("free"),
	}
}
