package fieldname

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSplit(t *testing.T) {
	cases := map[string][]string{
		"Email":           {"email"},
		"EMail":           {"email"},
		"E_Mail":          {"email"},
		"IPAddress":       {"ip", "address"},
		"userIPs":         {"user", "ips"},
		"ClientIPs":       {"client", "ips"},
		"AddressLine1":    {"address", "line"},
		"date_of_birth":   {"date", "of", "birth"},
		"HTTPServer":      {"http", "server"},
		"X":               {"x"},
		"":                nil,
		"_":               nil,
		"NamensÄnderung":  {"namens", "änderung"},
		"first-name":      {"first", "name"},
		"DOB":             {"dob"},
		"ServerIPAddress": {"server", "ip", "address"},
	}
	for in, want := range cases {
		assert.Equal(t, want, split(in), "split(%q)", in)
	}
}

func TestLooksPersonal(t *testing.T) {
	personal := map[string]string{
		"Email":           "email",
		"EMail":           "email",
		"email":           "email",
		"Emails":          "email",
		"SupportEmail":    "email",
		"EmailAddress":    "email address",
		"EmailHash":       "email",
		"Phone":           "phone",
		"PhoneNumber":     "phone number",
		"MobileNumber":    "mobile number",
		"FirstName":       "first name",
		"Firstname":       "firstname",
		"LastName":        "last name",
		"Surname":         "surname",
		"DisplayName":     "display name",
		"UserName":        "user name",
		"StreetName":      "street name",
		"Address":         "address",
		"Addresses":       "address",
		"BillingAddress":  "billing address",
		"HomeAddr":        "home addr",
		"RemoteAddr":      "remote addr",
		"AddressLine1":    "address line",
		"IP":              "ip",
		"ClientIP":        "client ip",
		"ClientIPs":       "client ip",
		"IPAddress":       "ip address",
		"DateOfBirth":     "birth",
		"BirthDate":       "birth date",
		"Birthday":        "birthday",
		"DOB":             "dob",
		"IBAN":            "iban",
		"SSN":             "ssn",
		"PassportNumber":  "passport number",
		"NationalID":      "national id",
		"PostalCode":      "postal code",
		"ZipCode":         "zip code",
		"Gender":          "gender",
		"HouseNumber":     "house number",
		"CardNumber":      "card number",
		"IDNumber":        "id number",
		"EmailNormalized": "email",
	}
	for name, reason := range personal {
		got, ok := LooksPersonal(name)
		assert.True(t, ok, "LooksPersonal(%q)", name)
		assert.Equal(t, reason, got, "LooksPersonal(%q)", name)
	}

	notPersonal := []string{
		"Name", "FileName", "TypeName", "HostName", "Hostname", "ServerName", "TableName",
		"NameServer", "Key", "ID", "UserID", "OrderID", "Addr", "ListenAddr", "ListenAddress",
		"ServerAddress", "MACAddress", "ServerIP", "ServerIPAddress", "BindIP", "EmailTemplate",
		"EmailVerified", "PhoneVerified", "EmailSubject", "CountryCode", "Zip", "Title",
		"AddressNormal", "Number", "Code", "Date", "Line", "Version", "Skip", "", "_", "Shipping",
	}
	for _, name := range notPersonal {
		reason, ok := LooksPersonal(name)
		assert.False(t, ok, "LooksPersonal(%q)", name)
		assert.Empty(t, reason, "LooksPersonal(%q) gives no reason", name)
	}
}

func TestCategory(t *testing.T) {
	cases := map[string]string{
		"Email":          "email",
		"EmailAddress":   "email",
		"BillingAddress": "address",
		"PostalAddress":  "address",
		"ZipCode":        "postal_code",
		"PostalCode":     "postal_code",
		"IPAddress":      "ip",
		"RemoteAddr":     "ip",
		"FirstName":      "first_name",
		"Surname":        "last_name",
		"DisplayName":    "name",
		"DateOfBirth":    "dob",
		"BirthDate":      "dob",
		"PhoneNumber":    "phone",
		"CardNumber":     "card",
		"IBAN":           "iban",
		"NationalID":     "national_id",
		"AddressLine1":   "address",
		"Nationality":    "",
		"LastIP":         "ip",
		"ClientIP":       "ip",
		"Fax":            "phone",
	}
	for name, want := range cases {
		reason, ok := LooksPersonal(name)
		if assert.True(t, ok, "LooksPersonal(%q)", name) {
			assert.Equal(t, want, Category(reason), "Category(%q) for %s", reason, name)
		}
	}
	assert.Empty(t, Category(""))
}

func TestUntagged(t *testing.T) {
	assert.Equal(t, `field User.Email looks personal (email address) but has no pii tag: tag it pii:"email", or pii:"-" if it holds no personal data`,
		Untagged("User.Email", "email address"))
	assert.Equal(t, `field Nationality looks personal (nationality) but has no pii tag: tag it pii:"<category>", or pii:"-" if it holds no personal data`,
		Untagged("Nationality", "nationality"))
}

func TestLooksPersonalKey(t *testing.T) {
	personal := map[string]string{
		"email": "email", "e_mail": "email", "e-mail": "email", "user_email": "email", "userEmail": "email",
		"user-email": "email", "EMAIL": "email", "phone": "phone", "ip": "ip", "ip_address": "ip address",
		"client_ip": "client ip", "name": "name", "first_name": "first name", "firstName": "first name",
		"address": "address", "dob": "dob", "iban": "iban", "card": "card", "card_number": "card number",
		"names": "name", "email_hash": "email",
	}
	for key, want := range personal {
		reason, ok := LooksPersonalKey(key)
		assert.True(t, ok, "LooksPersonalKey(%q)", key)
		assert.Equal(t, want, reason, "LooksPersonalKey(%q)", key)
	}
	for _, key := range []string{"user", "user_id", "hostname", "file_name", "listen_addr", "server_ip", "plan",
		"email_verified", "msg", "card_type", "count", ""} {
		_, ok := LooksPersonalKey(key)
		assert.False(t, ok, "LooksPersonalKey(%q)", key)
	}
}
