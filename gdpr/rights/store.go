package rights

import (
	"context"
)

// Store keeps data-subject requests. What callers use is a Desk;
// stores implement this. MemoryStore and SQLStore implement it; both pass
// package rightstest, which checks another implementation.
type Store interface {
	// CreateRequest stores a new request; an existing ID is
	// ErrRequestExists.
	CreateRequest(ctx context.Context, r Request) error
	// Request returns the request with the ID, or ErrUnknownRequest.
	Request(ctx context.Context, id string) (Request, error)
	// UpdateRequest calls fn on the stored request and stores the result,
	// as one atomic step across every instance sharing the store (a row
	// lock); an error from fn leaves the request as it was and is
	// returned. fn may be called again if the step is retried.
	UpdateRequest(ctx context.Context, id string, fn func(*Request) error) (Request, error)
	// OpenRequests returns the requests that are neither completed nor
	// refused, in no particular order.
	OpenRequests(ctx context.Context) ([]Request, error)
}
