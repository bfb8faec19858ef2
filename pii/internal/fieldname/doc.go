// Package fieldname decides whether a Go identifier looks like it names
// personal data, such as "Email", "BillingAddress" or "DateOfBirth", while
// leaving alone the many names that merely contain a personal-sounding word:
// "FileName", "TypeName", "HostName", "ListenAddress", "ServerIP",
// "EmailTemplate".
//
// It is internal to the module: it is shared by package piicheck (the analyzer reports personal-looking
// struct fields without a pii tag) and package piitest (the
// PersonalFieldsTagged assertion), so that the build-time check and the test
// agree. It imports nothing from this module and nothing outside the
// standard library.
//
// # How a name is read
//
// The identifier is split into lower-case words at case changes, digits,
// underscores and hyphens: "IPAddress" is "ip address", "userIPs" is
// "user ips", "E_Mail" and "EMail" are "email". Trailing words that only
// transform a value (hash, hashed, digest, lower, normalized, normalised,
// encrypted, sealed, masked, raw, str, text, value) are set aside, and plural
// forms are read as singular. What remains ends in the head noun, the word
// that says what the field holds, and only the head and the word just before
// it (its qualifier) decide:
//
//   - A head that is personal on its own: email, phone, telephone, mobile,
//     fax, msisdn,
//     surname, forename, firstname, lastname, fullname, username, nickname,
//     birthday, birthdate, birthplace, birth (as in DateOfBirth), dob, iban,
//     ssn, passport, gender, nationality, ethnicity, religion, postcode,
//     zipcode, street.
//   - "address": personal bare, or after email, mail, home, postal, post,
//     street, billing, shipping, delivery, mailing, residential, contact,
//     user, customer, client, remote, invoice, or after a personal ip.
//     "addr" counts only with one of those qualifiers (ListenAddr does not).
//   - "ip": personal bare or after client, user, customer, visitor, remote,
//     real, forwarded, subscriber, member, caller, last, login.
//   - "name": personal only after first, last, full, given, family, middle,
//     maiden, nick, display, legal, real, birth, user, customer, person,
//     contact, holder, cardholder, patient, employee, member, sender,
//     recipient, applicant, guardian, parent, spouse, subscriber, buyer,
//     street. A bare "Name" is not reported: it names products, plans and
//     files as often as people.
//   - "number", "no", "num", "nr": after phone, telephone, mobile, cell, fax,
//     passport, ssn, card, account, licence, license, id, insurance, tax,
//     security, house.
//   - "code": after postal, post, zip. "line": after address, street.
//   - "date", "day", "place", "year": after birth.
//   - "id": after national, tax, passport. Other identifiers (UserID,
//     OrderID) are left alone: a data subject's ID is marked pii:"subject"
//     where it matters, and requiring a tag on every foreign key would bury
//     the real findings.
//
// Any other head is not personal, whatever comes before it: "EmailTemplate",
// "PhoneVerified" and "NameServer" are not reported.
package fieldname
