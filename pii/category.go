package pii

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Category is a kind of personal data, named by its fideslang key such as
// "user.contact.email". The zero Category means "personal, kind unknown" and is
// never produced by the tag parser.
type Category string

// Built-in categories. Keys follow the fideslang taxonomy; a key marked
// "extension" is not in fideslang and belongs to this package.
const (
	Name          Category = "user.name"
	FirstName     Category = "user.name.first"
	LastName      Category = "user.name.last"
	Email         Category = "user.contact.email"
	Phone         Category = "user.contact.phone_number"
	Address       Category = "user.contact.address"
	PostalCode    Category = "user.contact.address.postal_code"
	City          Category = "user.contact.address.city"
	Country       Category = "user.contact.address.country"
	URL           Category = "user.contact.url"
	IPAddress     Category = "user.device.ip_address"
	DeviceID      Category = "user.device.device_id"
	CookieID      Category = "user.device.cookie_id"
	Location      Category = "user.location"
	PreciseLoc    Category = "user.location.precise"
	Gender        Category = "user.demographic.gender"
	DateOfBirth   Category = "user.demographic.date_of_birth"
	AgeRange      Category = "user.demographic.age_range"
	Language      Category = "user.demographic.language"
	JobTitle      Category = "user.job_title"
	Workplace     Category = "user.workplace"
	Browsing      Category = "user.behavior.browsing_history"
	Purchases     Category = "user.behavior.purchase_history"
	SocialMedia   Category = "user.social" // extension
	Account       Category = "user.account"
	UniqueID      Category = "user.unique_id"
	Financial     Category = "user.financial"
	BankAccount   Category = "user.financial.bank_account"
	PaymentCard   Category = "user.financial.credit_card"
	Billing       Category = "user.financial.billing" // extension
	GovernmentID  Category = "user.government_id"
	Passport      Category = "user.government_id.passport_number"
	NationalID    Category = "user.government_id.national_identification_number"
	Credentials   Category = "user.authorization.credentials"
	Content       Category = "user.content"
	Health        Category = "user.health_and_medical"
	Genetic       Category = "user.health_and_medical.genetic"
	Biometric     Category = "user.biometric"
	RacialEthnic  Category = "user.demographic.race_ethnicity"
	Political     Category = "user.demographic.political_opinion"
	Religious     Category = "user.demographic.religious_belief"
	TradeUnion    Category = "user.demographic.trade_union_membership" // extension
	SexualOrient  Category = "user.demographic.sexual_orientation"
	SexLife       Category = "user.demographic.sex_life" // extension
	CriminalData  Category = "user.criminal_history"
	ChildrenData  Category = "user.childrens"
	Observational Category = "user.behavior" // parent of observed behaviour
)

// Sensitivity says whether a category needs the extra care of Art. 9 or
// Art. 10 GDPR.
type Sensitivity uint8

const (
	// Ordinary personal data (Art. 6 alone).
	Ordinary Sensitivity = iota
	// SpecialCategory is Art. 9 data: health, genetic, biometric, racial or
	// ethnic origin, political opinions, religious or philosophical beliefs,
	// trade-union membership, sex life or sexual orientation.
	SpecialCategory
	// CriminalOffence is Art. 10 data: criminal convictions and offences.
	CriminalOffence
)

// CategoryInfo describes a category: its key, its short aliases, a
// human-readable title and its sensitivity. RegisterCategory takes one.
type CategoryInfo struct {
	Key         Category
	Aliases     []string
	Title       string
	Sensitivity Sensitivity
}

type categoryRegistry struct {
	mu     sync.RWMutex // guards byKey and byName
	byKey  map[Category]CategoryInfo
	byName map[string]Category // keys and aliases
}

var registry = newCategoryRegistry()

func newCategoryRegistry() *categoryRegistry {
	r := &categoryRegistry{byKey: map[Category]CategoryInfo{}, byName: map[string]Category{}}
	for _, info := range builtinCategories {
		if err := r.add(info); err != nil {
			panic(err) // the table above is fixed; a clash is a bug in this package
		}
	}
	return r
}

var builtinCategories = []CategoryInfo{
	{Name, []string{"name", "fullname"}, "Name", Ordinary},
	{FirstName, []string{"first_name", "given_name"}, "First name", Ordinary},
	{LastName, []string{"last_name", "family_name", "surname"}, "Last name", Ordinary},
	{Email, []string{"email", "e-mail"}, "E-mail address", Ordinary},
	{Phone, []string{"phone", "telephone", "mobile"}, "Phone number", Ordinary},
	{Address, []string{"address", "postal_address"}, "Postal address", Ordinary},
	{PostalCode, []string{"postal_code", "zip"}, "Postal code", Ordinary},
	{City, []string{"city"}, "City", Ordinary},
	{Country, []string{"country"}, "Country", Ordinary},
	{URL, []string{"url", "website"}, "Personal URL", Ordinary},
	{IPAddress, []string{"ip", "ip_address"}, "IP address", Ordinary},
	{DeviceID, []string{"device", "device_id", "browser_id"}, "Device or browser identifier", Ordinary},
	{CookieID, []string{"cookie", "cookie_id"}, "Cookie identifier", Ordinary},
	{Location, []string{"location"}, "Location", Ordinary},
	{PreciseLoc, []string{"precise_location", "geo"}, "Precise location", Ordinary},
	{Gender, []string{"gender"}, "Gender", Ordinary},
	{DateOfBirth, []string{"dob", "birthdate", "date_of_birth"}, "Date of birth", Ordinary},
	{AgeRange, []string{"age", "age_range"}, "Age range", Ordinary},
	{Language, []string{"language"}, "Preferred language", Ordinary},
	{JobTitle, []string{"occupation", "job_title"}, "Occupation", Ordinary},
	{Workplace, []string{"workplace", "employer"}, "Workplace", Ordinary},
	{Observational, []string{"behavior", "behaviour"}, "Behaviour", Ordinary},
	{Browsing, []string{"browsing", "browsing_history"}, "Browsing activity", Ordinary},
	{Purchases, []string{"purchases", "purchase_history"}, "Purchase history", Ordinary},
	{SocialMedia, []string{"social", "social_media", "handle"}, "Social-media handle", Ordinary},
	{Account, []string{"account", "username"}, "Account data", Ordinary},
	{UniqueID, []string{"user_id", "unique_id", "customer_id"}, "Unique identifier", Ordinary},
	{Financial, []string{"financial"}, "Financial data", Ordinary},
	{BankAccount, []string{"iban", "bank_account"}, "Bank account", Ordinary},
	{PaymentCard, []string{"card", "payment_card", "credit_card"}, "Payment card", Ordinary},
	{Billing, []string{"billing", "payment"}, "Billing and payment data", Ordinary},
	{GovernmentID, []string{"government_id"}, "Government identifier", Ordinary},
	{Passport, []string{"passport"}, "Passport number", Ordinary},
	{NationalID, []string{"national_id", "ssn", "tax_id"}, "National identification number", Ordinary},
	{Credentials, []string{"credentials", "password"}, "Credentials", Ordinary},
	{Content, []string{"content", "message"}, "User content", Ordinary},
	{ChildrenData, []string{"children"}, "Data about children", Ordinary},
	{Health, []string{"health", "medical"}, "Health data", SpecialCategory},
	{Genetic, []string{"genetic"}, "Genetic data", SpecialCategory},
	{Biometric, []string{"biometric"}, "Biometric data", SpecialCategory},
	{RacialEthnic, []string{"race", "ethnicity", "racial_origin"}, "Racial or ethnic origin", SpecialCategory},
	{Political, []string{"political", "political_opinion"}, "Political opinions", SpecialCategory},
	{Religious, []string{"religion", "religious", "beliefs"}, "Religious or philosophical beliefs", SpecialCategory},
	{TradeUnion, []string{"trade_union"}, "Trade-union membership", SpecialCategory},
	{SexualOrient, []string{"sexual_orientation"}, "Sexual orientation", SpecialCategory},
	{SexLife, []string{"sex_life"}, "Sex life", SpecialCategory},
	{CriminalData, []string{"criminal", "criminal_history"}, "Criminal convictions and offences", CriminalOffence},
}

// validKey reports whether s looks like a dotted category key: lower-case
// ASCII letters, digits and underscores between dots.
func validKey(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '-':
		case c == '.':
			if s[i-1] == '.' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

func (r *categoryRegistry) add(info CategoryInfo) error {
	if !validKey(string(info.Key)) {
		return fmt.Errorf("pii: category key %q: want lower-case words joined by dots", info.Key)
	}
	if _, dup := r.byName[string(info.Key)]; dup {
		return fmt.Errorf("pii: category %q is already registered", info.Key)
	}
	for _, a := range info.Aliases {
		if !validKey(a) || strings.Contains(a, ".") {
			return fmt.Errorf("pii: category alias %q: want one lower-case word", a)
		}
		if _, dup := r.byName[a]; dup {
			return fmt.Errorf("pii: category alias %q is already registered", a)
		}
	}
	if info.Title == "" {
		info.Title = string(info.Key)
	}
	info.Aliases = append([]string(nil), info.Aliases...)
	r.byKey[info.Key] = info
	r.byName[string(info.Key)] = info.Key
	for _, a := range info.Aliases {
		r.byName[a] = info.Key
	}
	return nil
}

// RegisterCategory adds a category of the caller's own (for example
// "user.loyalty.tier" with alias "loyalty") so that tags may name it. Keys and
// aliases must be new. Register categories before the types that use them
// are first described.
func RegisterCategory(info CategoryInfo) error {
	registry.mu.Lock()
	defer registry.mu.Unlock()
	return registry.add(info)
}

// LookupCategory resolves a key or alias to its category.
func LookupCategory(name string) (Category, bool) {
	registry.mu.RLock()
	c, ok := registry.byName[name]
	registry.mu.RUnlock()
	return c, ok
}

// Categories lists every registered category, sorted by key.
func Categories() []CategoryInfo {
	registry.mu.RLock()
	out := make([]CategoryInfo, 0, len(registry.byKey))
	for _, info := range registry.byKey {
		out = append(out, info)
	}
	registry.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// Info returns the registered description of c. An unregistered category
// gets a description with its key as title and ordinary sensitivity.
func (c Category) Info() CategoryInfo {
	registry.mu.RLock()
	info, ok := registry.byKey[c]
	registry.mu.RUnlock()
	if !ok {
		return CategoryInfo{Key: c, Title: string(c)}
	}
	return info
}

// Sensitivity returns whether c is ordinary, Art. 9 or Art. 10 data.
func (c Category) Sensitivity() Sensitivity { return c.Info().Sensitivity }

// Special reports whether c needs the extra care of Art. 9 (special
// categories) or Art. 10 (criminal data).
func (c Category) Special() bool { return c.Sensitivity() != Ordinary }

// Title returns the human-readable name of c, in English.
func (c Category) Title() string { return c.Info().Title }

// Within reports whether c equals parent or lies below it in the taxonomy:
// "user.contact.email" is within "user.contact" and "user".
func (c Category) Within(parent Category) bool {
	return c == parent || (len(c) > len(parent) && strings.HasPrefix(string(c), string(parent)) && c[len(parent)] == '.')
}

// String returns the category key.
func (c Category) String() string { return string(c) }
