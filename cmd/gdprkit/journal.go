package main

import (
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/gdprkit/gdprkit/gdpr/audit"
)

func journalCmd(o *options) *cobra.Command {
	c := &cobra.Command{
		Use:   "journal",
		Short: "The audit journal",
		Long:  "Commands on the hash-chained audit journal every part of the service records to.",
	}
	c.AddCommand(&cobra.Command{
		Use:   "verify",
		Short: "Verify the journal's hash chain; name the first bad entry",
		Long: `Verify checks every entry of the audit journal: each sequence number present,
each hash matching its entry, each entry linked to the one before, and the
last one matching the recorded head. On failure it names the first bad entry
and exits with 1.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			e, err := o.open(c.Context(), openOpts{})
			if err != nil {
				return err
			}
			defer e.Close()
			return verifyJournal(c, e)
		},
	})
	return c
}

// verifyResult is journal verify's --json output.
type verifyResult struct {
	Intact  bool   `json:"intact"`
	Entries uint64 `json:"entries"`
	Head    string `json:"head,omitempty"` // the head's hash, hex
	// FirstBad and Problem name the first bad entry.
	FirstBad uint64 `json:"first_bad,omitempty"`
	Problem  string `json:"problem,omitempty"`
}

func verifyJournal(c *cobra.Command, e *env) error {
	ctx := c.Context()
	head, err := e.kit.Journal().Head(ctx)
	if err != nil {
		return failed("journal verify", err)
	}
	res := verifyResult{Entries: head.Seq, Head: hex.EncodeToString(head.Hash[:])}
	verr := e.kit.Journal().Verify(ctx)
	var ce *audit.ChainError
	switch {
	case verr == nil:
		res.Intact = true
	case errors.As(verr, &ce):
		res.FirstBad, res.Problem = ce.Seq, ce.Problem.String()
	default:
		return failed("journal verify", verr)
	}
	if e.o.json {
		if err := e.o.printJSON(res); err != nil {
			return err
		}
	} else if res.Intact {
		fmt.Fprintf(e.o.stdout, "journal intact: %d entries, head %s\n", res.Entries, res.Head)
	}
	if !res.Intact {
		return failf(exitCheck, "journal broken: entry %d %s (the first bad entry)", res.FirstBad, res.Problem)
	}
	return nil
}
