// Package rightstest checks that a rights.Store keeps the guarantees the
// rights.Desk relies on: requests read back as written, to the nanosecond
// and with every step, exemption, extension and lease; returned requests
// that share nothing with the store; IDs that are unique and cannot change;
// updates that are atomic, so that a failed one changes nothing and
// concurrent ones lose nothing; and the list of open requests following
// each request's state. Run it from the store's own tests:
//
//	func TestStore(t *testing.T) {
//		rightstest.Run(t, func(t *testing.T) rights.Store {
//			return newStoreForTest(t)
//		})
//	}
//
// rights' MemoryStore and SQLStore (on SQLite and PostgreSQL) pass it.
package rightstest
