package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gdprkit/gdprkit/gdpr/audit"
)

func journalCmd(o *options) *cobra.Command {
	c := &cobra.Command{
		Use:   "journal",
		Short: "The audit journal",
		Long:  "Commands on the hash-chained audit journal every part of the service records to.",
	}
	var trusted string
	verify := &cobra.Command{
		Use:   "verify [--head SEQ:HASH]",
		Short: "Verify the journal's hash chain; name the first bad entry",
		Long: `Verify checks every entry of the audit journal: each sequence number present,
each hash matching its entry, each entry linked to the one before, and the
last one matching the recorded head. On failure it names the first bad entry
and exits with 1.

A chain shows changes by anyone who did not also rewrite every later entry
and the head. Keep the head it prints (SEQ:HASH) outside the database and
pass it as --head next time: the journal must still hold that entry with
that hash, which catches the removal of the last entries too.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			var head *audit.Head
			if trusted != "" {
				h, err := parseHead(trusted)
				if err != nil {
					return err
				}
				head = h
			}
			e, err := o.open(c.Context(), openOpts{})
			if err != nil {
				return err
			}
			defer e.Close()
			return verifyJournal(c, e, head)
		},
	}
	verify.Flags().StringVar(&trusted, "head", "", "a head printed by an earlier verify and kept elsewhere (SEQ:HASH)")
	c.AddCommand(verify)
	return c
}

// parseHead parses a head written as SEQ:HASH.
func parseHead(s string) (*audit.Head, error) {
	seq, hash, ok := strings.Cut(s, ":")
	n, err := strconv.ParseUint(seq, 10, 64)
	if !ok || err != nil {
		return nil, failf(exitUsage, "--head: want SEQ:HASH, as journal verify prints it")
	}
	h := &audit.Head{Seq: n}
	if err := h.Hash.UnmarshalText([]byte(hash)); err != nil {
		return nil, failf(exitUsage, "--head: want SEQ:HASH, as journal verify prints it")
	}
	return h, nil
}

// verifyResult is journal verify's --json output.
type verifyResult struct {
	Intact  bool   `json:"intact"`
	Entries uint64 `json:"entries"`
	Head    string `json:"head,omitempty"` // SEQ:HASH, for --head
	// FirstBad and Problem name the first bad entry.
	FirstBad uint64 `json:"first_bad,omitempty"`
	Problem  string `json:"problem,omitempty"`
}

func verifyJournal(c *cobra.Command, e *env, trusted *audit.Head) error {
	ctx := c.Context()
	head, err := e.kit.Journal().Head(ctx)
	if err != nil {
		return failed("journal verify", err)
	}
	res := verifyResult{Entries: head.Seq, Head: fmt.Sprintf("%d:%s", head.Seq, head.Hash)}
	var verr error
	if trusted != nil {
		verr = e.kit.Journal().VerifyHead(ctx, *trusted)
	} else {
		verr = e.kit.Journal().Verify(ctx)
	}
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
