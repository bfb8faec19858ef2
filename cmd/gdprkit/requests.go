package main

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/gdprkit/gdprkit/gdpr/rights"
)

func requestsCmd(o *options) *cobra.Command {
	c := &cobra.Command{
		Use:   "requests",
		Short: "Data-subject requests and their deadlines",
		Long:  "Commands on the data-subject requests (Arts. 15–22) the service has received.",
	}
	var overdue bool
	var within string
	list := &cobra.Command{
		Use:   "list",
		Short: "List the open requests, the earliest deadline first",
		Long: `List shows the open requests (neither completed nor refused), the earliest
deadline first and the unverified ones, whose time limit has not started,
last: ID, right, state, the subject's token, the deadline and any extension,
and the progress per source. --overdue keeps those past their deadline;
--due-within keeps those due within a duration (such as 7d or 36h),
overdue ones included.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			var horizon time.Duration
			if within != "" {
				d, err := parseDays(within)
				if err != nil {
					return failf(exitUsage, "--due-within: %s", err)
				}
				horizon = d
			}
			e, err := o.open(c.Context(), openOpts{})
			if err != nil {
				return err
			}
			defer e.Close()
			reqs, err := e.kit.Desk().Open(c.Context())
			if err != nil {
				return failed("requests list", err)
			}
			now := e.now()
			views := make([]requestView, 0, len(reqs))
			for i := range reqs {
				r := &reqs[i]
				switch {
				case overdue && !r.Overdue(now):
					continue
				case within != "" && (r.Due.IsZero() || r.Due.After(now.Add(horizon))):
					continue
				}
				views = append(views, viewRequest(r, now))
			}
			if o.json {
				return o.printJSON(views)
			}
			printRequests(o, views)
			return nil
		},
	}
	list.Flags().BoolVar(&overdue, "overdue", false, "only requests past their deadline")
	list.Flags().StringVar(&within, "due-within", "", "only requests due within this duration (7d, 36h)")
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Show one request: state, deadline, extension, each step",
		Long: `Show prints one request, open or closed: its right, state, the subject's
token, when it was received, verified and is due, any extension and refusal,
and each step per source, key namespace and consent ledger. An unknown ID
exits with 4.`,
		Args: cobra.ExactArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			e, err := o.open(c.Context(), openOpts{})
			if err != nil {
				return err
			}
			defer e.Close()
			r, err := e.kit.Desk().Request(c.Context(), args[0])
			if errors.Is(err, rights.ErrUnknownRequest) {
				return failf(exitNotFound, "requests show: no request %q", args[0])
			}
			if err != nil {
				return failed("requests show", err)
			}
			v := viewRequest(&r, e.now())
			if o.json {
				return o.printJSON(v)
			}
			printRequest(o, v)
			return nil
		},
	}
	c.AddCommand(list, show)
	return c
}

// parseDays parses a duration that may count days ("7d") as well as what
// time.ParseDuration takes.
func parseDays(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		var days int
		if _, err := fmt.Sscanf(n, "%d", &days); err != nil || days < 0 || fmt.Sprint(days) != n {
			return 0, fmt.Errorf("%q is not a duration (7d, 36h)", s)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a duration (7d, 36h)", s)
	}
	return d, nil
}

// requestView is a request as the command shows it: the subject's token,
// never the subject's ID.
type requestView struct {
	ID           string     `json:"id"`
	Right        string     `json:"right"`
	State        string     `json:"state"`
	SubjectToken string     `json:"subject_token"`
	ReceivedAt   time.Time  `json:"received_at"`
	VerifiedAt   time.Time  `json:"verified_at,omitzero"`
	Due          time.Time  `json:"due,omitzero"`
	Overdue      bool       `json:"overdue"`
	Extension    *extension `json:"extension,omitempty"`
	CompletedAt  time.Time  `json:"completed_at,omitzero"`
	Refusal      string     `json:"refusal,omitempty"`
	Steps        []stepView `json:"steps,omitempty"`
}

type extension struct {
	Months int       `json:"months"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// stepView is one step: "source", "keys" or "consents", its name and state.
type stepView struct {
	Part     string    `json:"part"`
	Name     string    `json:"name"`
	State    string    `json:"state"`
	Attempts int       `json:"attempts,omitempty"`
	Records  int       `json:"records,omitempty"`
	Error    string    `json:"error,omitempty"` // masked by the desk
	At       time.Time `json:"at,omitzero"`
}

func viewRequest(r *rights.Request, now time.Time) requestView {
	v := requestView{ID: r.ID, Right: r.Right.String(), State: r.State.String(), SubjectToken: r.SubjectToken,
		ReceivedAt: r.ReceivedAt, VerifiedAt: r.VerifiedAt, Due: r.Due, Overdue: r.Overdue(now),
		CompletedAt: r.CompletedAt, Refusal: r.Refusal}
	if x := r.Extension; x != nil {
		v.Extension = &extension{Months: x.Months, Reason: x.Reason, At: x.At}
	}
	for _, part := range []struct {
		name  string
		steps []rights.Step
	}{{"source", r.Sources}, {"keys", r.Keys}, {"consents", r.Consents}} {
		for _, s := range part.steps {
			v.Steps = append(v.Steps, stepView{Part: part.name, Name: s.Name, State: s.State.String(),
				Attempts: s.Attempts, Records: s.Records, Error: s.Error, At: s.At})
		}
	}
	return v
}

func printRequests(o *options, views []requestView) {
	if len(views) == 0 {
		fmt.Fprintln(o.stdout, "no requests")
		return
	}
	w := tabwriter.NewWriter(o.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tRIGHT\tSTATE\tSUBJECT TOKEN\tDUE\tEXTENDED\tSOURCES")
	for _, v := range views {
		due := stamp(v.Due)
		if v.Overdue {
			due += " OVERDUE"
		}
		ext := "-"
		if v.Extension != nil {
			ext = fmt.Sprintf("+%dm", v.Extension.Months)
		}
		var parts []string
		for _, s := range v.Steps {
			if s.Part == "source" {
				parts = append(parts, s.Name+":"+s.State)
			}
		}
		sources := strings.Join(parts, ",")
		if sources == "" {
			sources = "-"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", v.ID, v.Right, v.State, v.SubjectToken, due, ext, sources)
	}
	w.Flush()
}

func printRequest(o *options, v requestView) {
	w := tabwriter.NewWriter(o.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "ID\t%s\n", v.ID)
	fmt.Fprintf(w, "Right\t%s\n", v.Right)
	fmt.Fprintf(w, "State\t%s\n", v.State)
	fmt.Fprintf(w, "Subject token\t%s\n", v.SubjectToken)
	fmt.Fprintf(w, "Received\t%s\n", stamp(v.ReceivedAt))
	fmt.Fprintf(w, "Verified\t%s\n", stamp(v.VerifiedAt))
	due := stamp(v.Due)
	if v.Overdue {
		due += " (overdue)"
	}
	fmt.Fprintf(w, "Due\t%s\n", due)
	if v.Extension != nil {
		fmt.Fprintf(w, "Extension\t+%d month(s) on %s: %s\n", v.Extension.Months, stamp(v.Extension.At), v.Extension.Reason)
	}
	if !v.CompletedAt.IsZero() {
		fmt.Fprintf(w, "Closed\t%s\n", stamp(v.CompletedAt))
	}
	if v.Refusal != "" {
		fmt.Fprintf(w, "Refusal\t%s\n", v.Refusal)
	}
	w.Flush()
	if len(v.Steps) == 0 {
		return
	}
	fmt.Fprintln(o.stdout)
	w = tabwriter.NewWriter(o.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "PART\tNAME\tSTATE\tATTEMPTS\tRECORDS\tAT\tERROR")
	for _, s := range v.Steps {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\t%s\t%s\n", s.Part, s.Name, s.State, s.Attempts, s.Records, stamp(s.At), s.Error)
	}
	w.Flush()
}
