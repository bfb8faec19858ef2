// Package gdpr makes a service ask before it processes personal data, and
// keep an answer it can prove later.
//
// # Purposes and the register
//
// A [Purpose] declares why data is processed: its lawful basis ([Basis],
// Art. 6(1)(a)–(f)), the Art. 9(2) [Condition] when it touches special
// categories, the Union or Member State law relied on where the GDPR
// requires one (Art. 9(2)(b), (g)–(j), 22(2)(b)), the [pii.Category] values
// it may touch, its retention as an ISO 8601 period (read with
// [retention.ParsePeriod], so that a retention rule counts time the same
// way) or, where no period can be given, the criteria that determine it
// (Art. 13(2)(a); such a purpose gives no automatic retention rule), its
// recipients with country and transfer safeguard ([Recipient],
// [Safeguard]), and whether it is direct marketing, automated
// decision-making (Art. 22, with the information of Art. 15(1)(h) in
// [DecisionInfo]), about children (Art. 8), or one of the purposes Art.
// 18(2) lets go on under a restriction (storage, legal claims, the
// protection of others, important public interest). [NewRegister] and
// [Register.Add] refuse a declaration that is incomplete or inconsistent
// and say why, field by field ([PurposeError]): special categories without
// an Art. 9 condition, a condition resting on law without the law, a
// transfer outside the EEA without a safeguard or with an adequacy
// decision the country does not have ([Adequate], [InEEA]), standard
// clauses or binding corporate rules without a reference or a transfer
// impact assessment, an Art. 49 derogation as a standing ground,
// legitimate interests without a balancing test, direct marketing on a
// basis other than consent or legitimate interests, automated decisions on
// plain consent (Art. 22(2)(c) needs explicit consent) or without the
// information about them, and more (see [Purpose.Check]).
//
// Country codes are ISO 3166-1 alpha-2; "UK" is read as "GB" and the EU's
// "EL" as "GR" everywhere, as consent.AgeOfConsent does. The outermost
// regions and the other parts of member states with codes of their own
// (GF, GP, MQ, RE, YT, MF, IC, EA, AX) are in the EEA; the overseas
// countries and territories are not. An international organisation can be
// a recipient ([Recipient].InternationalOrganisation): disclosing data to
// it is always a transfer.
//
// [Register.Record] writes the record of processing activities of Art.
// 30(1), exported with [Record.WriteJSON] and [Record.WriteCSV].
//
// # The Guard
//
// [Guard.Allow] decides, before processing, whether a lawful basis holds for
// a subject and a purpose at this instant, and returns a [Decision] with the
// basis and the [Reason]. A denial is a [*DenialError] matching
// [ErrNoLawfulBasis] and a specific sentinel ([ErrUnknownPurpose],
// [ErrRestricted], [ErrObjected], [ErrNoConsent], [ErrUnderAge],
// [ErrNoContract]); any other
// error means the Guard could not decide, and processing must not go ahead
// either. The checks, in order:
//
//   - the purpose is registered;
//   - processing of the subject's data is not restricted (Art. 18), unless
//     Art. 18(2) allows the purpose: storage, legal claims, the protection
//     of another person's rights, important public interest, or consent
//     the subject gave after the restriction took effect (consent given
//     before it does not count: it is what the restriction suspends);
//   - the subject has not objected (Art. 21) to the purpose when it rests
//     on public task or legitimate interests, unless it serves legal claims
//     (Art. 21(1)), nor to direct marketing — that purpose or
//     [AllDirectMarketing] — which is absolute;
//   - consent holds, read from the consent ledger ([ConsentReader]), when
//     the purpose rests on consent or on explicit consent (Art. 9(2)(a),
//     22(2)(c)); for a purpose about children, the consent record must
//     show the subject at the age of digital consent of their country
//     (consent.AgeOfConsent, raised by [Purpose].ConsentAge) or the consent
//     of a holder of parental responsibility (Art. 8(1), [ErrUnderAge]);
//   - the caller's [ContractFunc] confirms a contract when the purpose
//     rests on one. Legal obligation, vital interests and public task hold
//     as declared.
//
// Nothing is cached: a withdrawal, objection ([Guard.Object]) or restriction
// ([Guard.Restrict]) takes effect on the next call, on every instance that
// shares the stores. Consent is read for "now" in the ledger's sequence
// order, so a withdrawal that returned holds on every instance from the
// next call, whatever their clocks. An allowed call does not allocate.
//
// # Campaigns: the Guard in bulk
//
// [Guard.AllowEach] and [Guard.Allowed] decide for a stream of subjects
// (an iter.Seq), and [Guard.Audience] for every subject whose consent to a
// purpose holds, read from the ledger ([ConsentAudience]): in batches
// ([BulkOptions]), with one read of each store per batch
// ([BatchConsentReader], [BatchObjectionStore], [BatchRestrictionStore],
// [BatchContractFunc]; one query each on the SQL stores), and by the very
// rules of Allow, through the same decision function, so the answers agree
// subject by subject. Each batch is journalled as one content-free entry
// holding the root of a Merkle tree over its decisions
// ([audit.Journal.RecordBatch]); its [BatchReceipt] proves any one
// subject's decision ([audit.VerifyInclusion]). Reading the next batch
// overlaps with deciding and journalling the last; memory stays flat.
//
// [Minimize] hands a purpose only the fields within its categories.
// [AllowValue] does that too and asks the Guard about every subject in the
// value (a group= subject, a nested contact): the personal fields of a
// subject who is not allowed, and of values whose subject is unknown, are
// cleared in the copy it returns. Both are functions, not methods, because
// they are generic; neither changes the caller's value.
//
// # Design choices
//
//   - Allow returns (Decision, error): the error carries the denial for
//     errors.Is, the Decision carries the basis, reason, instant and, for
//     consent, the notice version the consent was given under (Art. 7(1)).
//   - Art. 9(2) conditions and the Art. 10 authority are part of a purpose;
//     explicit consent makes the Guard read the ledger whatever the Art. 6
//     basis.
//   - Objections and restrictions are recorded through the Guard, which
//     checks that the right to object applies and journals the change.
//   - Purposes can be added but not changed or removed: a running Guard
//     never sees a purpose change under it. The register is copy-on-write,
//     so lookups take no lock.
//
// # Stores
//
// Objections and restrictions live in a [MemoryStore] or a [SQLStore]. The
// SQL store takes a *sql.DB on SQLite or PostgreSQL, creates its tables
// (prefixed gdprkit_) and holds across instances. What callers use (the
// Guard) is kept apart from what stores implement ([ObjectionStore],
// [RestrictionStore], checked by the conformance suites of
// [github.com/gdprkit/gdprkit/gdpr/gdprtest]), and from what the
// application implements: the hooks [ConsentReader] and [ContractFunc].
//
// # The other packages
//
//   - [github.com/gdprkit/gdprkit/gdpr/audit]: the append-only,
//     hash-chained, content-free audit journal the Guard and every other
//     part record their events in.
//   - [github.com/gdprkit/gdprkit/gdpr/rights]: data-subject requests
//     (Arts. 15–22) with their time limits, portable exports and erasure
//     across the application's data sources.
//   - [github.com/gdprkit/gdprkit/gdpr/breach]: the breach log, its
//     72-hour notification clock (Art. 33) and the communication to the
//     subjects (Art. 34).
package gdpr
