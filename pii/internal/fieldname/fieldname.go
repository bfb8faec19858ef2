package fieldname

import (
	"strings"
	"unicode"
)

// LooksPersonal reports whether the Go identifier name looks like it names
// personal data, and the words that made it look so, such as "email" or
// "billing address". The rules are in the package documentation.
func LooksPersonal(name string) (reason string, ok bool) {
	words := split(name)
	for len(words) > 0 && transforms[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	return judge(words)
}

// LooksPersonalKey is LooksPersonal for the key of a log attribute, such
// as "email", "user_email", "userEmail", "user-email" or "ip_address". It
// reads the key by the same rules, and also takes a bare "name" or "card"
// as personal: in a log line, unlike in a struct, a value keyed "name" is
// most often a person's.
func LooksPersonalKey(key string) (reason string, ok bool) {
	if reason, ok := LooksPersonal(key); ok {
		return reason, true
	}
	words := split(key)
	for len(words) > 0 && transforms[words[len(words)-1]] {
		words = words[:len(words)-1]
	}
	if len(words) == 1 && bareKeyHeads[singular(words[0])] {
		return singular(words[0]), true
	}
	return "", false
}

// bareKeyHeads are heads personal in a log attribute's key on their own.
var bareKeyHeads = set("name", "card")

// Aliases returns the category aliases Category may suggest, for a test
// that keeps them in step with the categories package pii knows.
func Aliases() []string {
	var out []string
	for _, table := range []map[string]string{byHead, byQualifier, byQualifiedHead} {
		for _, alias := range table {
			out = append(out, alias)
		}
	}
	return out
}

// judge applies the head-noun rules to words, which end in the head.
func judge(words []string) (string, bool) {
	n := len(words)
	if n == 0 {
		return "", false
	}
	head := singular(words[n-1])
	if personalHeads[head] {
		return head, true
	}
	rule, ok := qualifiedHeads[head]
	if !ok {
		return "", false
	}
	if n == 1 {
		if !rule.bare {
			return "", false
		}
		return head, true
	}
	q := singular(words[n-2])
	if !rule.after[q] {
		return "", false
	}
	// A qualifier that is itself personal only in context ("ip" in
	// "ServerIPAddress") must pass on its own terms.
	if inner, ok := qualifiedHeads[q]; ok && inner.bare {
		if _, ok := judge(words[:n-1]); !ok {
			return "", false
		}
	}
	return q + " " + head, true
}

// personalHeads are head nouns personal on their own.
var personalHeads = set(
	"email", "phone", "telephone", "mobile", "fax", "msisdn",
	"surname", "forename", "firstname", "lastname", "fullname", "username", "nickname",
	"birthday", "birthdate", "birthplace", "birth", "dob",
	"iban", "ssn", "passport",
	"gender", "nationality", "ethnicity", "religion",
	"postcode", "zipcode", "street",
)

// qualifiedRule says when a head noun is personal: bare (with no word
// before it) and after which qualifiers.
type qualifiedRule struct {
	bare  bool
	after map[string]bool
}

var addressQualifiers = set("email", "mail", "home", "postal", "post", "street", "billing",
	"shipping", "delivery", "mailing", "residential", "contact", "user", "customer", "client",
	"remote", "invoice", "ip")

var numberRule = qualifiedRule{after: set("phone", "telephone", "mobile", "cell", "fax", "passport",
	"ssn", "card", "account", "licence", "license", "id", "insurance", "tax", "security", "house")}

var birthRule = qualifiedRule{after: set("birth")}

// qualifiedHeads are head nouns personal only in context.
var qualifiedHeads = map[string]qualifiedRule{
	"address": {bare: true, after: addressQualifiers},
	"addr":    {after: addressQualifiers},
	"ip": {bare: true, after: set("client", "user", "customer", "visitor", "remote", "real",
		"forwarded", "subscriber", "member", "caller", "last", "login")},
	"name": {after: set("first", "last", "full", "given", "family", "middle", "maiden", "nick",
		"display", "legal", "real", "birth", "user", "customer", "person", "contact", "holder",
		"cardholder", "patient", "employee", "member", "sender", "recipient", "applicant",
		"guardian", "parent", "spouse", "subscriber", "buyer", "street")},
	"number": numberRule,
	"no":     numberRule,
	"num":    numberRule,
	"nr":     numberRule,
	"code":   {after: set("postal", "post", "zip")},
	"line":   {after: set("address", "street")},
	"date":   birthRule,
	"day":    birthRule,
	"place":  birthRule,
	"year":   birthRule,
	"id":     {after: set("national", "tax", "passport")},
}

// transforms are trailing words that change how a value is held, not what
// it is: an "EmailHash" is still about an e-mail address.
var transforms = set("hash", "hashed", "digest", "lower", "normalized", "normalised",
	"encrypted", "sealed", "masked", "raw", "str", "text", "value")

// singular returns the known word that w is the plural of, or w.
func singular(w string) string {
	if known(w) {
		return w
	}
	if s, ok := strings.CutSuffix(w, "es"); ok && known(s) {
		return s
	}
	if s, ok := strings.CutSuffix(w, "s"); ok && known(s) {
		return s
	}
	return w
}

func known(w string) bool {
	if personalHeads[w] {
		return true
	}
	if _, ok := qualifiedHeads[w]; ok {
		return true
	}
	for _, rule := range qualifiedHeads {
		if rule.after[w] {
			return true
		}
	}
	return false
}

// split breaks an identifier into lower-case words at case changes, digits,
// underscores and hyphens. An upper-case run keeps a trailing plural "s"
// ("IPs" is one word), and "e" followed by "mail" is read as "email".
func split(name string) []string {
	runes := []rune(name)
	var words []string
	start := -1
	flush := func(end int) {
		if start >= 0 && end > start {
			w := strings.ToLower(string(runes[start:end]))
			if n := len(words); w == "mail" && n > 0 && words[n-1] == "e" {
				words[n-1] = "email"
			} else {
				words = append(words, w)
			}
		}
		start = -1
	}
	for i, r := range runes {
		switch {
		case !unicode.IsLetter(r):
			flush(i)
		case start < 0:
			start = i
		case unicode.IsUpper(r):
			prev := runes[i-1]
			if unicode.IsLower(prev) {
				flush(i)
				start = i
			} else if i+1 < len(runes) && unicode.IsLower(runes[i+1]) && !pluralS(runes, i+1) {
				// "IPAddress": the run "IP" ends before "Address".
				flush(i)
				start = i
			}
		}
	}
	flush(len(runes))
	return words
}

// pluralS reports whether runes[j] is a lone "s" closing an upper-case run.
func pluralS(runes []rune, j int) bool {
	return runes[j] == 's' && (j+1 == len(runes) || !unicode.IsLower(runes[j+1]))
}

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// Category suggests a pii tag category alias for a reason returned by
// LooksPersonal, such as "email" for "email address" or "postal_code" for
// "zip code", or "" when the words do not settle it.
func Category(reason string) string {
	words := strings.Fields(reason)
	if len(words) == 0 {
		return ""
	}
	head := words[len(words)-1]
	if alias, ok := byQualifiedHead[head]; ok {
		return alias
	}
	if alias, ok := byHead[head]; ok && (len(words) == 1 || !generic[head]) {
		return alias
	}
	if alias, ok := byQualifier[words[0]]; ok {
		return alias
	}
	return byHead[head]
}

// byQualifiedHead settles the category from the head alone, whatever
// qualifies it: a "zip code" and a "postal code" are both postal codes.
var byQualifiedHead = map[string]string{
	"code": "postal_code", "line": "address", "date": "dob", "day": "dob", "year": "dob",
	"place": "location",
}

// byQualifier settles the category from the qualifier: an "email address"
// is an e-mail address, a "card number" a payment card.
var byQualifier = map[string]string{
	"email": "email", "mail": "email",
	"phone": "phone", "telephone": "phone", "mobile": "phone", "cell": "phone", "fax": "phone",
	"ip": "ip", "remote": "ip", "client": "ip",
	"first": "first_name", "given": "first_name", "last": "last_name", "family": "last_name",
	"birth": "dob", "house": "address", "street": "address",
	"passport": "passport", "ssn": "ssn", "security": "ssn", "insurance": "national_id",
	"national": "national_id", "tax": "tax_id", "card": "card", "account": "bank_account",
}

// generic heads leave the category to their qualifier: a "billing address"
// is an address, an "email address" an e-mail address.
var generic = set("address", "addr", "name")

// byHead settles the category from the head noun.
var byHead = map[string]string{
	"email": "email", "phone": "phone", "telephone": "phone", "mobile": "phone", "fax": "phone",
	"msisdn":  "phone",
	"surname": "last_name", "lastname": "last_name", "forename": "first_name",
	"firstname": "first_name", "fullname": "name", "name": "name", "nickname": "name",
	"username": "username",
	"birthday": "dob", "birthdate": "dob", "birth": "dob", "dob": "dob", "birthplace": "location",
	"iban": "iban", "ssn": "ssn", "passport": "passport", "gender": "gender",
	"ethnicity": "ethnicity", "religion": "religion",
	"postcode": "postal_code", "zipcode": "postal_code",
	"street": "address", "address": "address", "addr": "address", "ip": "ip",
	"card": "card",
}

// Untagged words the report, shared by the piicheck analyzer and package
// piitest, for a field (named "Type.Field" or "Field") whose name looks
// personal for the given reason but that has no pii tag: it names the field
// and suggests a tag.
func Untagged(field, reason string) string {
	suggest := `pii:"<category>"`
	if alias := Category(reason); alias != "" {
		suggest = `pii:"` + alias + `"`
	}
	return "field " + field + " looks personal (" + reason + ") but has no pii tag: tag it " + suggest +
		`, or pii:"-" if it holds no personal data`
}
