// Package breach keeps the log of personal data breaches and their
// notification clock.
//
// [Log] documents breaches (Art. 33(5)) with what a notification
// must say (Art. 33(3)), starts the notification clock at awareness (72
// hours by default, [LogConfig].Deadline), tells whether the authority
// and the subjects must be notified ([Breach.NotifyAuthority],
// [Breach.NotifySubjects]), refuses a late notification without reasons for
// the delay, and lists the overdue ones ([Log.Overdue]).
//
// Breaches live in a [MemoryStore] or a [SQLStore] (SQLite or PostgreSQL,
// holding across instances: an update locks the breach's row); another
// [Store] runs the conformance suite
// [github.com/gdprkit/gdprkit/gdpr/breach/breachtest]. Every
// notification is kept; the first is the one that counts. Reports and
// notifications are recorded in the audit journal when one is configured.
package breach
