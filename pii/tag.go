package pii

import (
	"errors"
	"fmt"
	"strings"
)

// TagKey is the struct tag key this package reads.
const TagKey = "pii"

// Tag is a parsed pii struct tag. The grammar is one key and comma-separated
// options with no inner quotes, so code generators can emit it:
//
//	pii:"subject"                      the data subject's ID (a string field)
//	pii:"subject,group=recipient"      a second subject in the same struct
//	pii:"email"                        personal, by alias
//	pii:"user.contact.email"           personal, by fideslang key
//	pii:"phone,redact=last4"           shown as its last four characters
//	pii:"name,replace=Former customer" shown after erasure
//	pii:"ip,plain,origin=observed"     personal, never sealed; observed
//	pii:"-"                            reviewed: not personal
//
// Options: group=NAME, redact=full|mask|last4|hash|drop, replace=TEXT,
// plain, origin=provided|observed|derived. TEXT may not hold a comma.
type Tag struct {
	Skip      bool     // pii:"-": reviewed, not personal
	Subject   bool     // the field holds the data subject's ID
	Category  Category // the kind of personal data; empty for Subject and Skip
	Group     string   // the subject group; "" is the default group
	Redact    Style    // how the value is shown in logs
	RedactSet bool     // whether redact= was given
	Replace   string   // the value shown after erasure
	Plain     bool     // personal, but never sealed at rest
	Origin    Origin   // how the value came to be held
}

// Personal reports whether the tag marks personal data (not Subject, not Skip).
func (t Tag) Personal() bool { return !t.Skip && !t.Subject }

// ParseTag parses the text of a pii tag (what stands between the quotes).
func ParseTag(text string) (Tag, error) {
	var t Tag
	if text == "" {
		return t, errors.New("empty tag: name a category, subject or -")
	}
	if text == "-" {
		t.Skip = true
		return t, nil
	}
	parts := strings.Split(text, ",")
	head := parts[0]
	switch {
	case head == "subject":
		t.Subject = true
	case head == "-":
		return t, errors.New(`"-" takes no options`)
	case head == "" || strings.Contains(head, "="):
		return t, errors.New("the first element must be a category, subject or -")
	default:
		c, ok := LookupCategory(head)
		if !ok {
			return t, fmt.Errorf("unknown category %q", head)
		}
		t.Category = c
	}
	seen := map[string]bool{}
	for _, opt := range parts[1:] {
		name, value, hasValue := strings.Cut(opt, "=")
		if name == "" {
			return t, errors.New("empty option")
		}
		if seen[name] {
			return t, fmt.Errorf("option %q given twice", name)
		}
		seen[name] = true
		if wantsValue := name != "plain"; wantsValue != hasValue {
			if hasValue {
				return t, fmt.Errorf("option %q takes no value", name)
			}
			if _, known := knownOptions[name]; known {
				return t, fmt.Errorf("option %q needs a value", name)
			}
		}
		var err error
		switch name {
		case "group":
			if value == "" {
				err = errors.New("group= needs a name")
			}
			t.Group = value
		case "redact":
			t.Redact, err = ParseStyle(value)
			t.RedactSet = true
		case "replace":
			t.Replace = value
		case "plain":
			t.Plain = true
		case "origin":
			t.Origin, err = ParseOrigin(value)
		default:
			if _, cat := LookupCategory(name); cat {
				err = fmt.Errorf("second category %q: a field has one category", name)
			} else {
				err = fmt.Errorf("unknown option %q", name)
			}
		}
		if err != nil {
			return t, err
		}
	}
	if t.Subject {
		for _, bad := range []string{"replace", "plain", "origin"} {
			if seen[bad] {
				return t, fmt.Errorf("subject takes no %s option", bad)
			}
		}
	}
	return t, nil
}

var knownOptions = map[string]struct{}{"group": {}, "redact": {}, "replace": {}, "origin": {}}

// String formats t back into tag text that ParseTag reads to the same Tag.
func (t Tag) String() string {
	if t.Skip {
		return "-"
	}
	var b strings.Builder
	if t.Subject {
		b.WriteString("subject")
	} else {
		b.WriteString(string(t.Category))
	}
	if t.Group != "" {
		b.WriteString(",group=" + t.Group)
	}
	if t.RedactSet {
		b.WriteString(",redact=" + t.Redact.String())
	}
	if t.Replace != "" {
		b.WriteString(",replace=" + t.Replace)
	}
	if t.Plain {
		b.WriteString(",plain")
	}
	if t.Origin != Provided {
		b.WriteString(",origin=" + t.Origin.String())
	}
	return b.String()
}
