package gdpr_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/gdpr"
	"github.com/gdprkit/gdprkit/gdpr/audit"
	"github.com/gdprkit/gdprkit/internal/dbtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// campaignPurpose is the campaign's purpose: consent, direct marketing.
const campaignPurpose = "offers"

// campaignSubject names subject i so that the names sort as the numbers.
func campaignSubject(i int) string { return fmt.Sprintf("sub-%07d", i) }

// seedCampaign fills db with n subscribers of a realistic mix, written
// straight into the tables in large statements (recording them one by one
// would take longer than the runs measured): of every 20 subjects, 14
// granted consent (70%), 4 granted and withdrew it (20%), one granted and
// objected to direct marketing (5%), one granted and had processing
// restricted (5%). It returns the Guard on those tables, journalling to a
// journal in db, and the number of subjects a campaign may reach.
func seedCampaign(tb testing.TB, db *sql.DB, n int) (*gdpr.Guard, int) {
	tb.Helper()
	ctx := context.Background()
	cstore, err := consent.NewSQLStore(ctx, db)
	require.NoError(tb, err)
	gstore, err := gdpr.NewSQLStore(ctx, db)
	require.NoError(tb, err)
	jstore, err := audit.NewSQLStore(ctx, db)
	require.NoError(tb, err)
	postgres := !strings.Contains(fmt.Sprintf("%T", db.Driver()), "sqlite")

	tx, err := db.BeginTx(ctx, nil)
	require.NoError(tb, err)
	at := t0.Add(-24 * time.Hour).UnixMicro()
	insert := func(table, cols string, width int, rows [][]any) {
		if len(rows) == 0 {
			return
		}
		var b strings.Builder
		fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", table, cols)
		args := make([]any, 0, len(rows)*width)
		for i, r := range rows {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j := range width {
				if j > 0 {
					b.WriteString(", ")
				}
				if postgres {
					fmt.Fprintf(&b, "$%d", len(args)+j+1)
				} else {
					b.WriteByte('?')
				}
			}
			b.WriteByte(')')
			args = append(args, r...)
		}
		_, err := tx.ExecContext(ctx, b.String(), args...)
		require.NoError(tb, err)
	}
	const chunk = 500
	const eventCols = `subject, seq, purpose, kind, at_us, expires_us, notice, language, method, source, proof_ip, proof_user_agent, proof_artifact`
	var events, objections, restrictions [][]any
	flush := func(force bool) {
		if force || len(events) >= chunk {
			insert("gdprkit_consent_events", eventCols, 13, events)
			events = events[:0]
		}
		if force || len(objections) >= chunk {
			insert("gdprkit_objections", "subject, purpose, at_us", 3, objections)
			objections = objections[:0]
		}
		if force || len(restrictions) >= chunk {
			insert("gdprkit_restrictions", "subject, ground, at_us", 3, restrictions)
			restrictions = restrictions[:0]
		}
	}
	reach := 0
	for i := range n {
		s := campaignSubject(i)
		event := func(seq int, kind string) []any {
			return []any{s, seq, campaignPurpose, kind, at + int64(seq), nil, "v1", "en", "checkbox", "web/signup", "", "", ""}
		}
		events = append(events, event(1, "grant"))
		switch i % 20 {
		case 14, 15, 16, 17:
			events = append(events, event(2, "withdrawal"))
		case 18:
			objections = append(objections, []any{s, gdpr.AllDirectMarketing, at})
		case 19:
			// restricted after the grant: consent given after a
			// restriction would lift it for its purpose (Art. 18(2))
			restrictions = append(restrictions, []any{s, int(gdpr.Accuracy), at + 10})
		default:
			reach++
		}
		flush(false)
	}
	flush(true)
	require.NoError(tb, tx.Commit())
	if postgres {
		_, err := db.ExecContext(ctx, `ANALYZE`)
		require.NoError(tb, err)
	}

	ledger, err := consent.New(consent.LedgerConfig{Store: cstore, Now: func() time.Time { return t0 }})
	require.NoError(tb, err)
	journal, err := audit.NewJournal(audit.JournalConfig{Store: jstore, Tokenizer: newTokenizer(tb), Actor: "svc:campaign", Now: func() time.Time { return t0 }})
	require.NoError(tb, err)
	g, err := gdpr.NewGuard(gdpr.GuardConfig{
		Register: newRegister(tb, purposes()...), Consent: ledger, Contract: (&contracts{}).hook,
		Objections: gstore, Restrictions: gstore, Journal: journal, Now: func() time.Time { return t0 },
	})
	require.NoError(tb, err)
	return g, reach
}

// campaignQuery is the hand-written ideal: one query selecting the
// subjects whose latest consent event for the purpose is a grant that has
// not expired, who did not object to the purpose or to direct marketing
// and whose processing is not restricted.
const campaignQuery = `SELECT e.subject FROM gdprkit_consent_events e
	WHERE e.purpose = ? AND e.kind = 'grant'
	AND e.seq = (SELECT MAX(m.seq) FROM gdprkit_consent_events m WHERE m.subject = e.subject AND m.purpose = e.purpose)
	AND (e.expires_us IS NULL OR e.expires_us > ?)
	AND NOT EXISTS (SELECT 1 FROM gdprkit_objections o WHERE o.subject = e.subject AND o.purpose IN (?, ?))
	AND NOT EXISTS (SELECT 1 FROM gdprkit_restrictions r WHERE r.subject = e.subject)
	ORDER BY e.subject`

// handWritten runs campaignQuery and calls fn for each subject.
func handWritten(tb testing.TB, db *sql.DB, fn func(string)) {
	tb.Helper()
	q := campaignQuery
	if !strings.Contains(fmt.Sprintf("%T", db.Driver()), "sqlite") {
		for i := 1; strings.Contains(q, "?"); i++ {
			q = strings.Replace(q, "?", fmt.Sprintf("$%d", i), 1)
		}
	}
	rows, err := db.QueryContext(context.Background(), q, campaignPurpose, t0.UnixMicro(), campaignPurpose, gdpr.AllDirectMarketing)
	require.NoError(tb, err)
	defer rows.Close()
	var s string
	for rows.Next() {
		require.NoError(tb, rows.Scan(&s))
		fn(s)
	}
	require.NoError(tb, rows.Err())
}

// BenchmarkCampaign sends one campaign to 100,000 subscribers on SQLite
// (70% granted, 20% withdrawn, 5% objected, 5% restricted): "guard" walks
// them with Guard.Audience, journal on (one entry per batch of 1,000);
// "sql" runs the hand-written single query. Each reports the allowed
// subjects per run.
func BenchmarkCampaign(b *testing.B) {
	db, _ := dbtest.SQLite(b)
	g, reach := seedCampaign(b, db, 100_000)
	ctx := context.Background()
	b.Run("guard", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			for _, err := range g.Audience(ctx, campaignPurpose, gdpr.BulkOptions{}) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != reach {
				b.Fatalf("reached %d, want %d", n, reach)
			}
		}
		b.ReportMetric(float64(reach), "subjects/op")
	})
	b.Run("sql", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			handWritten(b, db, func(string) { n++ })
			if n != reach {
				b.Fatalf("reached %d, want %d", n, reach)
			}
		}
		b.ReportMetric(float64(reach), "subjects/op")
	})
}

// runCampaign sends a campaign to n subscribers on db through
// Guard.Audience and checks it against the hand-written query: the same
// subjects, and at most one journal row per batch (plus a constant). It
// logs the time and the peak heap of the bulk run.
func runCampaign(t *testing.T, db *sql.DB, n int) {
	ctx := context.Background()
	start := time.Now()
	g, reach := seedCampaign(t, db, n)
	t.Logf("%d subscribers seeded in %v", n, time.Since(start).Round(time.Millisecond))

	const size = gdpr.DefaultBatch
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapAlloc, ms.HeapAlloc
	sample := func() {
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapAlloc)
	}
	var got []string
	start = time.Now()
	batches := 0
	for s, err := range g.Audience(ctx, campaignPurpose, gdpr.BulkOptions{Batch: size, OnBatch: func(context.Context, gdpr.BatchReceipt) error {
		batches++
		if batches%10 == 0 {
			sample()
		}
		return nil
	}}) {
		require.NoError(t, err)
		got = append(got, s)
	}
	elapsed := time.Since(start)
	sample()
	// got holds every allowed subject, to compare below: its share of the
	// peak is counted apart.
	held := uint64(cap(got))*16 + uint64(len(got))*uint64(len(campaignSubject(0)))
	t.Logf("guard: %d of %d subjects allowed in %v (%d batches); peak heap %.1f MiB above the start, of which %.1f MiB the allowed list the test keeps",
		len(got), n, elapsed.Round(time.Millisecond), batches, float64(peak-base)/(1<<20), float64(held)/(1<<20))

	start = time.Now()
	var want []string
	handWritten(t, db, func(s string) { want = append(want, s) })
	t.Logf("sql: %d subjects in %v", len(want), time.Since(start).Round(time.Millisecond))
	require.Len(t, want, reach)
	slices.Sort(got)
	slices.Sort(want)
	assert.True(t, slices.Equal(want, got), "the allowed sets differ: %d from the Guard, %d from the query", len(got), len(want))

	var rows int
	require.NoError(t, db.QueryRowContext(ctx, `SELECT COUNT(*) FROM gdprkit_journal`).Scan(&rows))
	assert.LessOrEqual(t, rows, n/size+2, "journal rows")
	t.Logf("journal: %d rows for %d subjects", rows, n)
}

// TestCampaign sends a campaign to 2,000 subscribers on SQLite and
// PostgreSQL through the bulk API and checks it against the hand-written
// query. TestCampaignLong does the same with a million.
func TestCampaign(t *testing.T) {
	dbtest.EachNew(t, func(t *testing.T, open func(testing.TB) *sql.DB) {
		runCampaign(t, open(t), 2000)
	})
}

// TestCampaignLong sends a campaign to 1,000,000 subscribers on SQLite and
// PostgreSQL; it runs with GDPRKIT_LONG=1 only.
func TestCampaignLong(t *testing.T) {
	if os.Getenv("GDPRKIT_LONG") != "1" {
		t.Skip("set GDPRKIT_LONG=1 to send a campaign to a million subscribers")
	}
	dbtest.EachNew(t, func(t *testing.T, open func(testing.TB) *sql.DB) {
		runCampaign(t, open(t), 1_000_000)
	})
}

// TestCampaignKeepsItsConnections: a bulk run holds at most two
// connections at once, as many as database/sql keeps idle by default, so
// that it does not open and close a connection per batch (on PostgreSQL,
// a new server process each time).
func TestCampaignKeepsItsConnections(t *testing.T) {
	dbtest.EachNew(t, func(t *testing.T, open func(testing.TB) *sql.DB) {
		db := open(t)
		g, reach := seedCampaign(t, db, 500)
		before := db.Stats()
		n := 0
		for _, err := range g.Audience(context.Background(), campaignPurpose, gdpr.BulkOptions{Batch: 20}) {
			require.NoError(t, err)
			n++
		}
		require.Equal(t, reach, n)
		after := db.Stats()
		assert.Equal(t, before.MaxIdleClosed, after.MaxIdleClosed, "connections closed for want of idle slots")
		assert.LessOrEqual(t, after.OpenConnections, 2)
	})
}
