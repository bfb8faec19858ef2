// Package retentiontest checks that a retention.HoldStore and a
// retention.CheckpointStore keep the guarantees the retention.Holds and the
// retention.Sweeper rely on, across instances sharing one storage as
// processes do.
//
// For a HoldStore: holds read back as placed, IDs unique, holds in force
// from placement to expiry or release, ordered by placement, a release
// visible to every instance, and RemoveHold and UnreleaseHold undoing only
// what they may. For a CheckpointStore: a lease per source that is not
// re-entrant, that exactly one of many racing instances gets, and that
// fences off a holder whose lease ran out; a cursor that moves only from
// where its holder thinks it is.
//
// A suite takes a function that makes new, empty storage for one subtest
// and returns a function opening another instance on that storage (a
// memory store returns itself; a SQL store opens the database again):
//
//	func TestHoldStore(t *testing.T) {
//		retentiontest.RunHoldStore(t, func(t *testing.T) func() retention.HoldStore {
//			dsn := newDatabaseForTest(t)
//			return func() retention.HoldStore { return openStoreForTest(t, dsn) }
//		})
//	}
//
// retention's MemoryStore and SQLStore (on SQLite and PostgreSQL) pass both.
package retentiontest
