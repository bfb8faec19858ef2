package main

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/retention"
)

// Visit is a log-in record: the IP address is kept for 30 days.
type Visit struct {
	ID      string    `pii:"-"`
	Subject string    `pii:"subject"`
	IP      string    `pii:"ip,origin=observed"`
	At      time.Time `pii:"-"`
}

// visits is a retention.RecordSource over an in-memory table: records in key
// order, the key as cursor, erasure per field.
type visits map[string]*Visit

func (vs visits) Candidates(_ context.Context, after retention.Cursor, limit int) ([]retention.Candidate, retention.Cursor, error) {
	var ids []string
	for id := range vs {
		if id > string(after) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	next := retention.Cursor("")
	if len(ids) > limit {
		ids, next = ids[:limit], retention.Cursor(ids[limit-1])
	}
	var out []retention.Candidate
	for _, id := range ids {
		cats, err := pii.CategoriesOf(vs[id])
		if err != nil {
			return nil, "", err
		}
		if len(cats) > 0 {
			out = append(out, retention.Candidate{Subject: vs[id].Subject, Record: id, Categories: cats, Collected: vs[id].At})
		}
	}
	return out, next, nil
}

func (vs visits) Erase(_ context.Context, items []retention.Item) error {
	for _, it := range items {
		if _, err := pii.EraseFields(vs[it.Record], it.Categories...); err != nil {
			return err
		}
	}
	return nil
}

// retain shows a retention rule expiring data and a legal hold protecting
// it. The kit's policy holds the purposes' declared retention and the extra
// rule of kit.go; holds and sweeps join the one audit journal.
func (t *tour) retain() error {
	heading("Retention: a rule expires data, a legal hold protects it")
	t.visits["v1"] = &Visit{ID: "v1", Subject: "cus_1815", IP: "203.0.113.7", At: t.now.AddDate(0, -2, 0)}
	t.visits["v2"] = &Visit{ID: "v2", Subject: "cus_2001", IP: "198.51.100.4", At: t.now.AddDate(0, -2, 0)}
	t.visits["v3"] = &Visit{ID: "v3", Subject: "cus_1815", IP: "203.0.113.8", At: t.now.AddDate(0, 0, -3)}
	if _, err := t.kit.Holds().Place(t.ctx, retention.Hold{Case: "LIT-7", Subject: "cus_2001", Reason: "pending litigation"}); err != nil {
		return err
	}
	report, err := t.kit.Sweep(t.ctx)
	if err != nil {
		return err
	}
	fmt.Printf("   policy: %d rules, one per purpose's declared retention and ip-30-days\n", len(t.kit.Policy().Rules()))
	for _, id := range []string{"v1", "v2", "v3"} {
		v := t.visits[id]
		fmt.Printf("   visit %s of %s on %s: ip %q\n", id, v.Subject, v.At.Format(time.DateOnly), v.IP) //piicheck:ignore the tour shows what the sweep left
	}
	fmt.Printf("   sweep: erased %d, held %d, retained %d\n", report.Acted(retention.Erase), report.Verdicts.Held, report.Verdicts.Retained)
	return nil
}
