// Package breach keeps the log of personal data breaches and their
// notification clock.
//
// [Log] documents breaches (Art. 33(5)) with what a notification
// must say (Art. 33(3)), starts the notification clock at awareness (72
// hours, the legal maximum of Art. 33(1); [LogConfig].Deadline may set a
// shorter internal target, never a longer one), tells whether the authority
// and the subjects must be notified ([Breach.NotifyAuthority],
// [Breach.NotifySubjects]), refuses a notification more than 72 hours after
// awareness without reasons for the delay, and lists the overdue ones
// ([Log.Overdue]).
//
// A high-risk breach must be communicated to the subjects without undue
// delay (Art. 34(1)): the Log keeps an internal deadline for it
// ([LogConfig].CommunicationDeadline), lists the late ones
// ([Log.CommunicationOverdue]), records an exemption of Art. 34(3)(a)–(c)
// with its reasons ([Log.Exempt]), and refuses a communication that lacks
// the content of Art. 34(2): the nature of the breach, the DPO or contact
// point of Art. 33(3)(b) ([Breach].Contact, or [LogConfig].Contact), the
// likely consequences and the measures taken.
//
// Breaches live in a [MemoryStore] or a [SQLStore] (SQLite or PostgreSQL,
// holding across instances: an update locks the breach's row); another
// [Store] runs the conformance suite
// [github.com/gdprkit/gdprkit/gdpr/breach/breachtest]. Every
// notification is kept; the first is the one that counts. Reports and
// notifications are recorded in the audit journal when one is configured.
package breach
