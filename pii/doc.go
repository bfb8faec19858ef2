// Package pii marks personal data once, with struct tags, and keeps it out of
// places it must not reach.
//
// # Tags
//
// One key, comma-separated options, no inner quotes, so that code generators
// (protoc-go-inject-tag, sqlc, oapi-codegen, ent) can emit it:
//
//	type Customer struct {
//		ID    string `pii:"subject"`                  // the data subject's ID
//		Name  string `pii:"name,replace=Former customer"`
//		Email string `pii:"email,redact=mask"`
//		Phone string `pii:"user.contact.phone_number,redact=last4"`
//		IP    string `pii:"ip,plain,origin=observed"`
//		Plan  string                                   // not personal
//		Notes string `pii:"-"`                        // reviewed: not personal
//	}
//
// A category is a fideslang key ("user.contact.email") or one of its short
// aliases ("email"); see Categories for the list and RegisterCategory to add
// your own. Art. 9 special categories and Art. 10 criminal data report
// Special. Options: group=NAME (a second subject in the same struct, such as
// sender and recipient), redact=full|mask|last4|hash|drop, replace=TEXT
// (shown after erasure), plain (personal but never sealed),
// origin=provided|observed|derived (what Art. 20 portability includes;
// provided by default). Types that cannot carry tags are described with
// Register.
//
// A type's tags are parsed and checked once, when its Schema is first built:
// a malformed tag, an unknown category or option, two subjects in one group or
// a subject on a non-string field is a *TagError naming the type, the field
// and the fault. So is tagged data that could only be shown in clear: an
// unexported field, or a field tagged "-", whose type (directly or through
// pointers, slices, arrays and maps) holds pii-tagged fields. Redact and
// NewHandler show a value of a faulty type as an error text, never in
// clear; Walk returns the error. Call Check at start-up or in a test to
// fail early.
//
// # Code generators
//
// Each of these annotations produces `pii:"email,redact=mask"` on the
// generated field (examples/codegen runs all three, with tests):
//
//	# OpenAPI 3, oapi-codegen: a schema property's extension
//	email:
//	  type: string
//	  x-oapi-codegen-extra-tags:
//	    pii: email,redact=mask
//
//	// ent: the field's StructTag (ent adds the json tag itself)
//	field.String("email").StructTag(`pii:"email,redact=mask"`)
//
//	// Protocol Buffers: protoc-gen-go, then protoc-go-inject-tag
//	// @gotags: pii:"email,redact=mask"
//	string email = 2;
//
// A generated type that carries no tags, and cannot be given any, is
// described with Register from an init function beside it.
//
// # Schemas and walking
//
// SchemaOf builds a per-type field plan by reflection once, caches it, and
// serves later lookups without allocating. Walk visits every subject and
// personal field of a value through nested and embedded structs, pointers,
// slices, arrays, maps and interfaces, telling each field's subject: the
// subject field of its group in the same struct (a subject field of an
// embedded struct is promoted, as Go promotes the field), inherited by
// nested values that carry none. Unexported fields are skipped (an unexported
// interface field is not looked into). Each node (the target of a pointer, a
// slice's elements, a map) is visited once per walk, so that cycles end and
// a value whose nodes are shared is walked in time linear in its size;
// redacted output shows a node met again as "<shared>".
//
// The schemas are the one place the module reads a type's fields: JSONTagOf
// reads json tags for every package, and packages that need a plan of their
// own (sealing, exports) keep it with the type's schema through a Memo.
//
// # Redaction
//
// Redact wraps a value so that log/slog, fmt (%v, %+v, %#v, %s) and
// encoding/json show it with personal fields redacted; NewHandler wraps a
// slog.Handler so that, with no options, any attribute holding personal
// fields, any value whose key names personal data ("email", "user_name")
// and any personal data package pii/detect finds in the message or in the
// text of a value is redacted without the call site doing anything.
// HandlerOptions turn parts off, never on. Redaction reads the value by its
// plan: it never changes or deep-copies it, and leaves slog's built-in keys
// alone. Subject IDs are shown unless their tag asks for a redact= style:
// they are what ties a log line to an erasure request.
//
// # Tokens and minimisation
//
// A Tokenizer turns values into keyed pseudonymous tokens (Tink
// HMAC-SHA256 PRF over the NFKC-normalised, case-folded for e-mail, value),
// equal across services that share the key. Minimize returns a copy holding
// only the personal fields whose categories a purpose allows; EraseFields
// clears fields of given categories in place, and CategoriesOf tells which
// categories a value holds.
//
// Free-text detection lives in package pii/detect, crypto-shredding in
// pii/shred, test assertions in pii/piitest and a vet analyzer in
// pii/piicheck.
//
// # Details
//
// Free-text detection is a subpackage, pii/detect, rather than part of pii:
// the scanner needs none of the reflection machinery. pii's slog handler
// uses it by default and takes any other TextRedactor (HandlerOptions.Text). A subject field of an embedded struct is promoted to the
// embedding struct, as Go promotes the field itself. Subject IDs are shown
// in logs unless their tag names a redact= style. Fields tagged json:"-"
// are left out of redacted logs and JSON, as encoding/json leaves them out.
package pii
