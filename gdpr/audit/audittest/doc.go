// Package audittest checks that an audit.Store keeps the guarantees the
// audit.Journal relies on: entries read back as recorded, in order and
// linked; a head that follows the last append; appends that are atomic and
// serialised, so that concurrent ones leave one unbroken chain and a failed
// one leaves nothing; and scans that may run while entries are appended.
// Run it from the store's own tests:
//
//	func TestStore(t *testing.T) {
//		audittest.Run(t, func(t *testing.T) audit.Store {
//			return newStoreForTest(t)
//		})
//	}
//
// audit's MemoryStore and SQLStore (on SQLite and PostgreSQL) pass it.
package audittest
