// Package piitest holds test assertions about personal data: that nothing
// personal reaches a log buffer or an HTTP response, that a value is sealed
// at rest, that it is redacted wherever the library promises, and that a
// type's personal-looking fields are all tagged.
//
// The assertions take a testing.TB and work like testify's assert
// functions: they report a failure with t.Errorf (through testify, in its
// layout), return whether they held, and take optional msgAndArgs.
//
//	func TestSignupLogsNothingPersonal(t *testing.T) {
//		var logs bytes.Buffer
//		user := User{ID: "u-1", Email: "ada@example.org", Name: "Ada Lovelace"}
//		signup(slog.New(slog.NewJSONHandler(&logs, nil)), user)
//
//		piitest.NoPersonalValues(t, logs.String(), user)
//		piitest.NoDetectedPII(t, logs.Bytes())
//	}
//
// To stop the test at a failure, as testify's require does:
//
//	if !piitest.Sealed(t, &record) {
//		t.FailNow()
//	}
//
// # The assertions
//
//   - NoPersonalValues: none of the personal values of a value occur in a
//     text. Values are those of its pii-tagged personal fields, found with
//     pii.Walk, in every form they may be written in: text as is, JSON- and
//     Go-quoted, phone numbers also as '+' and digits; bytes as text,
//     base64 and hex; numbers in decimal; times to the second in RFC 3339
//     and Go's layout, and dates of birth as dates; net.IP and netip.Addr
//     as text. ASCII letters match regardless of case. Values shorter than
//     MinValueLen characters are not looked for.
//   - NoDetectedPII: package pii/detect finds no e-mail address, phone
//     number, IP address (loopback and unspecified ones aside), payment
//     card, IBAN or MAC address in a text.
//   - Sealed: every personal, non-plain field holds a ciphertext of the
//     form shred.IsSealed recognises, or nothing.
//   - Redacted: pii.Redact(v) shows none of v's personal values in fmt
//     (%v, %+v, %#v, %s), encoding/json and slog's JSON and text handlers,
//     nor does v logged through pii.NewHandler.
//   - PersonalFieldsTagged: every exported field of a type, and of the
//     struct types its fields lead to, whose name looks personal carries a
//     pii tag, by the same rules as the piicheck analyzer.
//
// An assertion that would check nothing fails: NoPersonalValues, Redacted
// and Sealed need a value with at least one non-empty personal field.
//
// # Failure messages do not leak
//
// A failure names the field at fault, the byte offset of what was found
// and an excerpt of the text around it, in which the personal values — and
// anything else package detect recognises nearby — are masked with
// a shape-keeping mask:
//
//	output holds 1 personal value of app.User:
//		User.Email (user.contact.email) at byte 31: ...,"note":"contact a**@e******.org now"}...
//
// # Form
//
// The assertions come in one form, returning bool, rather than in assert
// and require pairs: the require form is the one-line "if !... {
// t.FailNow() }" above. PersonalFieldsTagged uses the same word list as the
// piicheck analyzer, so that the build-time check and the test agree, and
// the free-text checks use [github.com/gdprkit/gdprkit/pii/detect].
package piitest
