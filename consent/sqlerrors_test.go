package consent_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// failedStatements counts the statements the PostgreSQL server refused. A
// refused statement is logged by the server with its error detail, which,
// for a key violation, quotes the key: the subject's ID.
type failedStatements struct {
	n     atomic.Int64
	codes sync.Map // SQLSTATE → true, for the failure message
}

func (f *failedStatements) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	return ctx
}

func (f *failedStatements) TraceQueryEnd(_ context.Context, _ *pgx.Conn, data pgx.TraceQueryEndData) {
	var pg *pgconn.PgError
	if errors.As(data.Err, &pg) {
		f.n.Add(1)
		f.codes.Store(pg.Code, true)
	}
}

func (f *failedStatements) list() []string {
	var out []string
	f.codes.Range(func(k, _ any) bool { out = append(out, k.(string)); return true })
	return out
}

// openTraced opens dsn with every statement's outcome reported to f.
func openTraced(t *testing.T, dsn string, f *failedStatements) *sql.DB {
	t.Helper()
	cfg, err := pgx.ParseConfig(dsn)
	require.NoError(t, err)
	cfg.Tracer = f
	db := stdlib.OpenDB(*cfg)
	t.Cleanup(func() { db.Close() })
	require.NoError(t, db.Ping())
	return db
}

// TestSQLAppendRaceIssuesNoFailingStatement races appends for one subject
// from two instances on PostgreSQL, and publishes one notice from both:
// the server must refuse no statement, so that nothing about the subject
// reaches its error log, and the sequence must still run without gaps.
func TestSQLAppendRaceIssuesNoFailingStatement(t *testing.T) {
	_, dsn := dbtest.Postgres(t)
	var failed failedStatements
	stores := []consent.Store{
		newSQLStore(t, openTraced(t, dsn, &failed)),
		newSQLStore(t, openTraced(t, dsn, &failed)),
	}
	ctx := context.Background()
	const goroutines, each = 8, 12
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*(each+1))
	for g := range goroutines {
		l := newLedger(t, consent.LedgerConfig{Store: stores[g%2], Now: newClock().Now})
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- l.Publish(ctx, consent.Notice{Purpose: "other", Version: "v1"})
			for range each {
				_, err := l.Grant(ctx, grantRecord("subject-in-clear", "news", "ads"))
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Zero(t, failed.n.Load(), "statements refused by the server, SQLSTATE %v", failed.list())

	events, err := stores[0].Events(ctx, "subject-in-clear", "")
	require.NoError(t, err)
	require.Len(t, events, goroutines*each*2)
	for i, e := range events {
		assert.Equal(t, int64(i+1), e.Seq)
	}
}

// TestSQLStoreConcurrentStarts constructs the store from eight instances at
// once on an empty database, each with its own connection pool: every one
// succeeds and the server refuses no statement.
func TestSQLStoreConcurrentStarts(t *testing.T) {
	_, dsn := dbtest.Postgres(t)
	var failed failedStatements
	const instances = 8
	dbs := make([]*sql.DB, instances)
	for i := range dbs {
		dbs[i] = openTraced(t, dsn, &failed)
	}
	start := make(chan struct{})
	errs := make(chan error, instances)
	for _, db := range dbs {
		go func() {
			<-start
			_, err := consent.NewSQLStore(context.Background(), db)
			errs <- err
		}()
	}
	close(start)
	for range dbs {
		assert.NoError(t, <-errs)
	}
	assert.Zero(t, failed.n.Load(), "statements refused by the server, SQLSTATE %v", failed.list())
}
