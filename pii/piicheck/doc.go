// Package piicheck is a go/analysis analyzer that keeps personal data out of
// logs and error messages, and keeps personal-looking fields from going
// unmarked. Its command, cmd/piicheck, runs it under go vet or on its own:
//
//	go install github.com/gdprkit/gdprkit/pii/piicheck/cmd/piicheck
//	go vet -vettool=$(which piicheck) ./...
//	piicheck ./...
//
// # What it reports
//
// Leaks: a personal value passed, unredacted, to
//
//   - fmt: Print, Printf, Println, Fprint*, Errorf;
//   - log: Print*, Fatal*, Panic*, Output, and the same *log.Logger methods;
//   - log/slog: Debug, Info, Warn, Error (and their Context forms), Log,
//     LogAttrs, the same *slog.Logger methods and With, Record.Add and
//     AddAttrs, and the attribute and value constructors (Any, String, Int,
//     Group, AnyValue, StringValue, ...), wherever the attribute is built;
//   - errors.New.
//
// A value is personal when its type holds a personal field, directly or
// through nested structs, pointers, slices, arrays and maps, or when the
// expression reads a personal field itself (u.Email, *u.Phone,
// u.Aliases[0], string(u.Email)), or derives from one: a local variable
// assigned from one, a string concatenation, fmt.Sprint, Sprintf, Sprintln
// or Append* (which build text without showing it, and are followed to the
// sink their result reaches), a function of package strings that returns
// text, strconv.Quote, and a map, slice, array or struct literal holding
// one. A personal field is one whose pii tag is
// neither "-" nor "subject"; tags are read from the types (export data keeps
// them), so types from other packages count. A tag pii.ParseTag rejects,
// such as a category registered at run time, still counts as personal.
//
// Unsealed writes: a personal field whose tag does not say plain, or a
// value derived from one, passed to database/sql (Exec, Query, QueryRow
// and their Context forms on *sql.DB, *sql.Tx, *sql.Conn and *sql.Stmt),
// unless the enclosing function passes the value it was read from to a Seal
// or Reseal method of package pii/shred.
//
// Untagged fields: an exported struct field whose name looks personal
// (Email, BillingAddress, DateOfBirth, ClientIP; see package fieldname for
// the words and the care taken over FileName, HostName, ServerIP and the
// like) and whose type holds a value itself (text, a number, bytes,
// time.Time, netip.Addr, sql.NullString, or a pointer, slice, array or map
// of them) but that has no pii tag. Tag it with its category, or pii:"-"
// once reviewed. Files marked "Code generated ... DO NOT EDIT." are not
// checked for this: describe generated types with pii.Register.
//
// The word list that decides whether a field name looks personal lives in
// package fieldname, shared with package piitest, so that the build-time
// check and the test assertion agree.
//
// # What passes
//
//   - An argument a constant printf format prints with %T or %p: only its
//     type or address shows.
//   - pii.Redact(v): its result redacts itself. So does any type of this
//     module with a LogValue, Format or MarshalJSON method.
//   - For log/slog, a type with its own LogValue method; for fmt, log and
//     errors, a type with its own Format method. The analyzer checks the
//     bodies of those methods like any other code. String and Error methods
//     are not trusted: they build text with string operations the analyzer
//     does not follow.
//   - Values of types with personal fields logged through a *slog.Logger
//     that writes through pii.NewHandler, as far as the package shows it:
//     slog.New(pii.NewHandler(...)) (or slog.New(h) with h a variable
//     assigned only that), With or WithGroup of such a logger, a call of a
//     function of the package that returns nothing else, a variable or an
//     unexported struct field assigned nothing else, or a parameter of an
//     unexported function that is passed nothing else at every call (and
//     is not used as a value). When every logger of the program writes
//     through pii.NewHandler (slog.SetDefault at start-up), say so with
//     the -slog-handler flag, which go vet passes on to the tool
//     (go vet -vettool=$(which piicheck) -slog-handler ./...).
//     A personal field read out of its struct (slog.String("email",
//     u.Email)) is reported either way: the handler sees a bare string,
//     which it hides only when its key names personal data or its text has
//     a recognisable form.
//
// # Silencing a report
//
// A comment "//piicheck:ignore <reason>" on the reported line, or on the
// line before it, silences the reports there; for a call spread over several
// lines, the line of the call counts too. The reason is required: a
// directive without one is reported and silences nothing.
//
//	fmt.Println(u) //piicheck:ignore fixture data, printed by the demo on purpose
//
// # Limits
//
// Values are followed within a package, through local variables
// (whatever the order of assignments), not through function calls other
// than those named above, fields, channels or values stored in interfaces;
// wrappers of the sinks written by the program are not sinks. The check of
// database/sql writes cannot see whether a value was sealed elsewhere: say
// so with a directive. Types described with pii.Register carry no tags and
// are not seen.
//
// # Running it
//
// The command is built on singlechecker. Given package patterns it loads
// them itself (piicheck ./...); run by go vet, it checks the unit go vet
// describes to it, reading the types of its imports from the compiler's
// export data, and does no work for the dependencies go vet also hands it
// (the analyzer needs no facts from them). Both forms print the same reports and take the same
// flags, under the same names. The tests run the analyzer with analysistest
// over testdata/src, whose files state their expected reports in
// "// want" comments, and run the built command both ways over the same
// packages.
package piicheck
