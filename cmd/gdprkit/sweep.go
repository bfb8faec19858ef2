package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/gdprkit/gdprkit/retention"
)

func sweepCmd(o *options) *cobra.Command {
	var dry bool
	c := &cobra.Command{
		Use:   "sweep [--dry-run]",
		Short: "Run or preview the retention sweep",
		Long: `Sweep runs the retention sweep over the tables of --config that name a
last_active_column: each subject inactive beyond every rule that applies
(the purposes' declared retention) is erased through the service's one
erasure path: consents withdrawn, keys shredded in every namespace, rows
deleted from every table, legal holds honoured, each step journalled. A
subject is erased once. --dry-run reports what the sweep would do and
changes nothing.

Progress goes to standard error: a bar with an ETA on a terminal, plain
lines otherwise. A summary table follows on standard output. A sweep that
reports failures exits with 1.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			e, err := o.open(c.Context(), openOpts{needConfig: true, changes: !dry})
			if err != nil {
				return err
			}
			defer e.Close()
			s, err := e.sweeper()
			if err != nil {
				return err
			}
			total := 0
			for _, t := range e.tables {
				if t.cfg.LastActiveColumn == "" {
					continue
				}
				n, err := t.count(c.Context())
				if err != nil {
					return failed("sweep: table "+t.cfg.Name, err)
				}
				total += n
			}
			label := "sweep"
			if dry {
				label = "dry run"
			}
			p := newProgress(o.stderr, label+": subjects", total)
			for _, t := range e.tables {
				t.onRead = p.add
			}
			var rep *retention.Report
			if dry {
				rep, err = s.DryRun(c.Context())
			} else {
				rep, err = s.Sweep(c.Context())
			}
			p.finish()
			if err != nil {
				return failed(label, err)
			}
			v := viewReport(rep)
			if o.json {
				if err := o.printJSON(v); err != nil {
					return err
				}
			} else {
				printReport(o, v)
			}
			if len(v.Errors) > 0 {
				return failf(exitCheck, "%s: %d source(s) failed: %s", label, len(v.Errors), v.Errors[0])
			}
			return nil
		},
	}
	c.Flags().BoolVar(&dry, "dry-run", false, "report what the sweep would do; change nothing")
	return c
}

// reportView is a sweep's report as the command shows it.
type reportView struct {
	DryRun          bool        `json:"dry_run"`
	Started         time.Time   `json:"started"`
	Finished        time.Time   `json:"finished"`
	Subjects        int         `json:"subjects"`
	SubjectVerdicts countsView  `json:"subject_verdicts"`
	Records         int         `json:"records"`
	Verdicts        countsView  `json:"verdicts"`
	Tallies         []tallyView `json:"tallies"`
	Busy            []string    `json:"busy,omitempty"`
	Errors          []string    `json:"errors,omitempty"`
}

type countsView struct {
	Due          int `json:"due"`
	Held         int `json:"held"`
	Retained     int `json:"retained"`
	Undetermined int `json:"undetermined"`
	Unruled      int `json:"unruled"`
	Unknown      int `json:"unknown"`
}

type tallyView struct {
	Source string `json:"source"`
	Rule   string `json:"rule"`
	Action string `json:"action"`
	Items  int    `json:"items"`
	Held   int    `json:"held"`
}

func counts(c retention.Counts) countsView {
	return countsView{Due: c.Due, Held: c.Held, Retained: c.Retained, Undetermined: c.Undetermined, Unruled: c.Unruled, Unknown: c.Unknown}
}

func viewReport(r *retention.Report) reportView {
	v := reportView{DryRun: r.DryRun, Started: r.Started, Finished: r.Finished, Subjects: r.Subjects,
		SubjectVerdicts: counts(r.SubjectVerdicts), Records: r.Records, Verdicts: counts(r.Verdicts),
		Tallies: []tallyView{}, Busy: r.Busy}
	for _, t := range r.Tallies {
		v.Tallies = append(v.Tallies, tallyView{Source: t.Source, Rule: t.Rule, Action: t.Action.String(), Items: t.Items, Held: t.Held})
	}
	for _, err := range r.Errors {
		v.Errors = append(v.Errors, oneLine(err.Error()))
	}
	return v
}

func printReport(o *options, v reportView) {
	if v.DryRun {
		fmt.Fprintln(o.stdout, "dry run: nothing was changed; the sweep would act as follows")
	}
	c := v.SubjectVerdicts
	fmt.Fprintf(o.stdout, "subjects read: %d (due %d, held %d, retained %d, undetermined %d, unruled %d, unknown %d)\n",
		v.Subjects, c.Due, c.Held, c.Retained, c.Undetermined, c.Unruled, c.Unknown)
	w := tabwriter.NewWriter(o.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "SOURCE\tRULE\tACTION\tITEMS\tHELD")
	for _, t := range v.Tallies {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\n", t.Source, t.Rule, t.Action, t.Items, t.Held)
	}
	if len(v.Tallies) == 0 {
		fmt.Fprintln(w, "-\t-\t-\t0\t0")
	}
	w.Flush()
	for _, b := range v.Busy {
		fmt.Fprintf(o.stdout, "skipped %s: another sweeper holds it\n", b)
	}
	for _, e := range v.Errors {
		fmt.Fprintf(o.stdout, "failed: %s\n", e)
	}
}
