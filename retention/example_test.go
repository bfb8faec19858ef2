package retention_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/retention"
)

func ExampleParsePeriod() {
	p, err := retention.ParsePeriod("P1Y2M10DT2H30M")
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Years, p.Months, p.Days, p.Hours, p.Minutes, p)

	_, err = retention.ParsePeriod("P1.5Y")
	fmt.Println(errors.Is(err, retention.ErrInvalidPeriod))
	fmt.Println(err)
	// Output:
	// 1 2 10 2 30 P1Y2M10DT2H30M
	// true
	// retention: period "P1.5Y" at offset 2: fractions are not supported; use a smaller unit
}

func ExamplePeriod_AddTo() {
	month, _ := retention.ParsePeriod("P1M")
	fmt.Println(month.AddTo(time.Date(2025, 1, 31, 9, 0, 0, 0, time.UTC)).Format(time.DateTime))

	berlin, _ := time.LoadLocation("Europe/Berlin")
	day, _ := retention.ParsePeriod("P1D")
	hours, _ := retention.ParsePeriod("PT24H")
	before := time.Date(2025, 3, 29, 12, 0, 0, 0, berlin) // the clocks go forward that night
	fmt.Println(day.AddTo(before).Format(time.DateTime), "P1D keeps the wall clock")
	fmt.Println(hours.AddTo(before).Format(time.DateTime), "PT24H is elapsed time")
	// Output:
	// 2025-02-28 09:00:00
	// 2025-03-30 12:00:00 P1D keeps the wall clock
	// 2025-03-30 13:00:00 PT24H is elapsed time
}

func ExampleNewPolicy() {
	policy, err := retention.NewPolicy(
		retention.Rule{Name: "default", Period: retention.Period{Years: 3}, Action: retention.Review},
		retention.Rule{Name: "marketing", Purpose: "marketing", Period: retention.Period{Years: 1}, Action: retention.Erase},
		retention.Rule{Name: "contact", Category: "user.contact", Period: retention.Period{Months: 6}, Action: retention.Erase},
		retention.Rule{Name: "email-marketing", Category: pii.Email, Purpose: "marketing", Period: retention.Period{Days: 30}, Action: retention.Erase},
	)
	if err != nil {
		panic(err)
	}
	for _, q := range []struct {
		c       pii.Category
		purpose string
	}{{pii.Email, "marketing"}, {pii.Phone, "marketing"}, {pii.Health, "marketing"}, {pii.Health, "care"}} {
		r := policy.Match(q.c, q.purpose)[0]
		fmt.Printf("%s for %s: %s (%s, then %s)\n", q.c, q.purpose, r.Name, r.Period, r.Action)
	}

	_, err = retention.NewPolicy(
		retention.Rule{Name: "a", Category: pii.Email, Period: retention.Period{Days: 30}, Action: retention.Erase},
		retention.Rule{Name: "b", Category: "email", Period: retention.Period{Days: 90}, Action: retention.Erase},
	)
	fmt.Println(err)
	// Output:
	// user.contact.email for marketing: email-marketing (P30D, then erase)
	// user.contact.phone_number for marketing: contact (P6M, then erase)
	// user.health_and_medical for marketing: marketing (P1Y, then erase)
	// user.health_and_medical for care: default (P3Y, then review)
	// retention: rules "a" and "b" both cover user.contact.email for any purpose from collection; merge them into one
}

// Customer is a record of the example's store.
type Customer struct {
	ID        string `pii:"subject"`
	Email     string `pii:"email"`
	IP        string `pii:"ip"`
	Collected time.Time
}

// customers is a RecordSource over an in-memory table, as a service's own table
// would be: records in key order, the key as cursor, erasure per field.
type customers map[string]*Customer

func (cs customers) Candidates(_ context.Context, after retention.Cursor, limit int) ([]retention.Candidate, retention.Cursor, error) {
	var ids []string
	for id := range cs {
		if id > string(after) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	if len(ids) > limit {
		ids = ids[:limit]
	}
	var out []retention.Candidate
	for _, id := range ids {
		cats, err := pii.CategoriesOf(cs[id])
		if err != nil {
			return nil, "", err
		}
		if len(cats) > 0 { // nothing personal left: not a candidate
			out = append(out, retention.Candidate{Subject: id, Record: id, Categories: cats, Collected: cs[id].Collected})
		}
	}
	if len(ids) < limit {
		return out, "", nil // the end
	}
	return out, retention.Cursor(ids[len(ids)-1]), nil
}

func (cs customers) Erase(_ context.Context, items []retention.Item) error {
	for _, it := range items {
		if _, err := pii.EraseFields(cs[it.Record], it.Categories...); err != nil {
			return err
		}
	}
	return nil
}

// Example shows the quickstart: a rule that expires IP addresses after
// thirty days, and a legal hold that protects one customer's data.
func Example() {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) }
	old := now().AddDate(0, -2, 0)
	table := customers{
		"c1": {ID: "c1", Email: "ann@example.com", IP: "192.0.2.1", Collected: old},
		"c2": {ID: "c2", Email: "bob@example.com", IP: "192.0.2.2", Collected: old},
	}

	policy, err := retention.NewPolicy(retention.Rule{
		Name: "ip-30-days", Category: pii.IPAddress, Period: retention.Period{Days: 30}, Action: retention.Erase,
	})
	if err != nil {
		panic(err)
	}
	store := retention.NewMemoryStore() // retention.NewSQLStore(ctx, db) in production
	journal := retention.NewMemoryAuditor()
	holds, err := retention.NewHolds(retention.HoldsConfig{Store: store, Auditor: journal, Now: now})
	if err != nil {
		panic(err)
	}
	if _, err := holds.Place(ctx, retention.Hold{Case: "LIT-7", Subject: "c2", Reason: "pending litigation"}); err != nil {
		panic(err)
	}

	sweeper, err := retention.NewSweeper(retention.SweeperConfig{
		Policy: policy, Sources: map[string]retention.RecordSource{"customers": table},
		Holds: store, Checkpoints: store, Auditor: journal, Now: now,
	})
	if err != nil {
		panic(err)
	}
	report, err := sweeper.Sweep(ctx)
	if err != nil {
		panic(err)
	}
	fmt.Printf("c1: email %q, ip %q\n", table["c1"].Email, table["c1"].IP)        //piicheck:ignore the example shows what the sweep left
	fmt.Printf("c2: email %q, ip %q (held)\n", table["c2"].Email, table["c2"].IP) //piicheck:ignore the example shows what the sweep left
	fmt.Printf("erased %d, held %d\n", report.Acted(retention.Erase), report.Verdicts.Held)
	// Output:
	// c1: email "ann@example.com", ip ""
	// c2: email "bob@example.com", ip "192.0.2.2" (held)
	// erased 1, held 1
}

func ExampleSweeper_DryRun() {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) }
	table := customers{"c1": {ID: "c1", Email: "ann@example.com", IP: "192.0.2.1", Collected: now().AddDate(-1, 0, 0)}}
	policy, _ := retention.NewPolicy(
		retention.Rule{Name: "ip", Category: pii.IPAddress, Period: retention.Period{Days: 30}, Action: retention.Erase},
		retention.Rule{Name: "contact", Category: "user.contact", Period: retention.Period{Years: 2}, Action: retention.Erase},
	)
	store := retention.NewMemoryStore()
	sweeper, _ := retention.NewSweeper(retention.SweeperConfig{
		Policy: policy, Sources: map[string]retention.RecordSource{"customers": table},
		Holds: store, Checkpoints: store, Auditor: retention.NewMemoryAuditor(), Now: now,
	})
	report, err := sweeper.DryRun(ctx)
	if err != nil {
		panic(err)
	}
	for _, t := range report.Tallies {
		fmt.Printf("would %s %d record(s) under %q\n", t.Action, t.Items, t.Rule)
	}
	fmt.Println("retained:", report.Verdicts.Retained, "ip still there:", table["c1"].IP != "")
	// Output:
	// would erase 1 record(s) under "ip"
	// retained: 1 ip still there: true
}
