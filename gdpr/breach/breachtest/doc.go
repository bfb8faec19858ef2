// Package breachtest checks that a breach.Store keeps the guarantees the
// breach.Log relies on: breaches read back as written, to the nanosecond and
// with every notification; IDs that are unique; updates that are atomic, so
// that a failed one changes nothing and concurrent ones lose nothing. Run it
// from the store's own tests:
//
//	func TestStore(t *testing.T) {
//		breachtest.Run(t, func(t *testing.T) breach.Store {
//			return newStoreForTest(t)
//		})
//	}
//
// breach's MemoryStore and SQLStore (on SQLite and PostgreSQL) pass it.
package breachtest
