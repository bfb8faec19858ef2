// Package shredtest checks that a shred.Store and a shred.ErasureLog keep
// the guarantees the shred.Shredder relies on. For a Store: records read
// back as written, namespaces apart, Create refused when any record (key or
// tombstone) exists, even under concurrent creates, Update a
// compare-and-swap on Version, Erase turning a record into a tombstone with
// no key material, and List in reference order. For an ErasureLog: entries
// read back in sequence order per namespace, a repeated erasure recorded
// once. Run it from the store's own tests:
//
//	func TestStore(t *testing.T) {
//		shredtest.RunStore(t, func(t *testing.T) shred.Store {
//			return newStoreForTest(t)
//		})
//	}
//
// and likewise RunErasureLog. shred's MemoryStore and SQLStore, and its
// MemoryErasureLog and SQLErasureLog (on SQLite and PostgreSQL), pass them.
package shredtest
