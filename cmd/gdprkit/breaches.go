package main

import (
	"fmt"
	"sort"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/gdprkit/gdprkit/gdpr/breach"
)

func breachesCmd(o *options) *cobra.Command {
	c := &cobra.Command{
		Use:   "breaches",
		Short: "Personal data breaches and their 72-hour clocks",
		Long:  "Commands on the breach log (Art. 33(5)) and its notification clock.",
	}
	var overdue bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List the breaches with their notification deadlines",
		Long: `List shows every breach in the log, the earliest notification deadline
first: when the controller became aware, the deadline for notifying the
supervisory authority (72 hours later unless configured otherwise), when it
was notified, the assessed risk and the approximate numbers of subjects and
records. --overdue keeps those the authority must be told of and was not
by the deadline.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			e, err := o.open(c.Context(), openOpts{})
			if err != nil {
				return err
			}
			defer e.Close()
			now := e.now()
			var all []breach.Breach
			if overdue {
				all, err = e.kit.Breaches().Overdue(c.Context(), now)
			} else {
				all, err = e.kit.Breaches().Breaches(c.Context())
			}
			if err != nil {
				return failed("breaches list", err)
			}
			sort.SliceStable(all, func(i, j int) bool {
				if !all[i].Deadline.Equal(all[j].Deadline) {
					return all[i].Deadline.Before(all[j].Deadline)
				}
				return all[i].ID < all[j].ID
			})
			views := make([]breachView, 0, len(all))
			for i := range all {
				views = append(views, viewBreach(&all[i], now))
			}
			if o.json {
				return o.printJSON(views)
			}
			printBreaches(o, views)
			return nil
		},
	}
	list.Flags().BoolVar(&overdue, "overdue", false, "only breaches whose authority notification is overdue")
	c.AddCommand(list)
	return c
}

// breachView is a breach as listed: its clock, not its description.
type breachView struct {
	ID                  string    `json:"id"`
	AwareAt             time.Time `json:"aware_at"`
	Deadline            time.Time `json:"deadline"`
	AuthorityNotifiedAt time.Time `json:"authority_notified_at,omitzero"`
	SubjectsNotifiedAt  time.Time `json:"subjects_notified_at,omitzero"`
	NotifyAuthority     bool      `json:"notify_authority"`
	NotifySubjects      bool      `json:"notify_subjects"`
	Overdue             bool      `json:"overdue"`
	Remaining           string    `json:"remaining,omitempty"` // until the deadline, while it runs
	Risk                string    `json:"risk"`
	Nature              string    `json:"nature"`
	Subjects            int       `json:"subjects"`
	Records             int       `json:"records"`
}

func viewBreach(b *breach.Breach, now time.Time) breachView {
	v := breachView{ID: b.ID, AwareAt: b.AwareAt, Deadline: b.Deadline, AuthorityNotifiedAt: b.AuthorityNotifiedAt,
		SubjectsNotifiedAt: b.SubjectsNotifiedAt, NotifyAuthority: b.NotifyAuthority(), NotifySubjects: b.NotifySubjects(),
		Overdue: b.Overdue(now), Risk: b.Risk.String(), Nature: b.Nature.String(), Subjects: b.Subjects, Records: b.Records}
	if b.AuthorityNotifiedAt.IsZero() && now.Before(b.Deadline) {
		v.Remaining = b.Deadline.Sub(now).Truncate(time.Minute).String()
	}
	return v
}

func printBreaches(o *options, views []breachView) {
	if len(views) == 0 {
		fmt.Fprintln(o.stdout, "no breaches")
		return
	}
	w := tabwriter.NewWriter(o.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tAWARE\tDEADLINE\tAUTHORITY NOTIFIED\tRISK\tSUBJECTS\tRECORDS")
	for _, v := range views {
		deadline := stamp(v.Deadline)
		switch {
		case v.Overdue:
			deadline += " OVERDUE"
		case v.Remaining != "":
			deadline += " (in " + v.Remaining + ")"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%d\t%d\n", v.ID, stamp(v.AwareAt), deadline, stamp(v.AuthorityNotifiedAt), v.Risk, v.Subjects, v.Records)
	}
	w.Flush()
}
