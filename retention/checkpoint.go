package retention

import (
	"context"
	"time"
)

// Checkpoint is where the sweep of one source stands, and which sweeper
// holds its lease.
type Checkpoint struct {
	Source string
	// Cursor is where the next batch starts; zero at the start of a pass.
	Cursor Cursor
	// Owner is the sweeper holding the lease ("" when none), Until when the
	// lease ends unless renewed.
	Owner string
	Until time.Time
	// Updated is when the holder last moved the cursor or renewed its lease
	// (zero when never).
	Updated time.Time
}

// CheckpointLease names a sweeper's claim on a source's checkpoint: the source, the
// sweeper (Owner), the instant of the request (Now) and the end of the
// claim (Until).
type CheckpointLease struct {
	Source, Owner string
	Now, Until    time.Time
}

// CheckpointStore keeps a cursor per source, guarded by a lease so that one
// sweeper at a time works on a source, across processes. Implementations:
// MemoryStore and SQLStore (which makes each step one conditional UPDATE,
// so the database arbitrates); package retentiontest checks another.
//
//   - Checkpoint returns the source's checkpoint (a zero Cursor when the
//     source was never swept).
//   - AcquireLease gives l.Owner the lease until l.Until when nobody holds
//     it or its holder's lease ended by l.Now; it returns the cursor.
//     Otherwise — even when l.Owner holds it already — it fails with a
//     *LeaseError (ErrLeased): a lease is not re-entrant, so two passes
//     under one name cannot both act. The sweeper gives each pass its own
//     Owner token.
//   - AdvanceCursor moves the cursor from from to to, renewing the lease
//     until l.Until, only while l.Owner holds the lease and the cursor is
//     still from; otherwise it fails with ErrLeaseLost. This is the fence:
//     a sweeper whose lease lapsed and was taken over cannot move the
//     cursor back. With from equal to to it only renews the lease, which
//     the sweeper does right before acting on a batch.
//   - ReleaseLease gives the lease up when l.Owner holds it, and does
//     nothing otherwise.
type CheckpointStore interface {
	Checkpoint(ctx context.Context, source string) (Checkpoint, error)
	AcquireLease(ctx context.Context, l CheckpointLease) (Cursor, error)
	AdvanceCursor(ctx context.Context, l CheckpointLease, from, to Cursor) error
	ReleaseLease(ctx context.Context, l CheckpointLease) error
}
