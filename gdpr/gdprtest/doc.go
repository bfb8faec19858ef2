// Package gdprtest checks that a gdpr.ObjectionStore and a
// gdpr.RestrictionStore keep the guarantees the gdpr.Guard relies on:
// objections kept per subject and purpose, the first one kept when one is
// added twice; one restriction per subject, the latest replacing the
// earlier; removals that report whether there was something to remove and
// may be repeated. Run it from the store's own tests:
//
//	func TestObjectionStore(t *testing.T) {
//		gdprtest.RunObjections(t, func(t *testing.T) gdpr.ObjectionStore {
//			return newStoreForTest(t)
//		})
//	}
//
// and likewise RunRestrictions. gdpr's MemoryStore and SQLStore (on SQLite
// and PostgreSQL) pass both. Times need to be kept to the microsecond.
package gdprtest
