package breach_test

import (
	"context"
	"fmt"
	"time"

	"github.com/gdprkit/gdprkit/gdpr/breach"
	"github.com/gdprkit/gdprkit/pii"
)

// ExampleLog_Overdue keeps the 72-hour clock.
func ExampleLog_Overdue() {
	ctx := context.Background()
	aware := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	breaches, _ := breach.NewLog(breach.LogConfig{
		Store: breach.NewMemoryStore(),
		Now:   func() time.Time { return aware },
	})
	b, _ := breaches.Report(ctx, breach.Breach{
		ID: "inc-7", Nature: breach.Confidentiality, Description: "mailing list sent in CC",
		Categories: []pii.Category{pii.Email}, Subjects: 300, Records: 300, Risk: breach.RiskLikely,
	})
	fmt.Println("notify the authority by", b.Deadline, "- tell the subjects:", b.NotifySubjects())

	for _, at := range []time.Duration{71 * time.Hour, 73 * time.Hour} {
		late, _ := breaches.Overdue(ctx, aware.Add(at))
		fmt.Println(at, len(late))
	}
	// Output:
	// notify the authority by 2025-03-13 09:00:00 +0000 UTC - tell the subjects: false
	// 71h0m0s 0
	// 73h0m0s 1
}
