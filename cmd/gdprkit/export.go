package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/gdprkit/gdprkit/gdpr/rights"
)

func exportCmd(o *options) *cobra.Command {
	var subject, out string
	var verified bool
	c := &cobra.Command{
		Use:   "export --subject ID --out FILE.zip",
		Short: "Write an access export (Art. 15) for a verified request",
		Long: `Export answers a verified access request of the subject (Art. 15): the ZIP
archive holds, per table of --config and for the consent history, the
subject's records as JSON and CSV, a README, and manifest.json with the
information of Art. 15(1) and (2). The request completes when the archive
is written.

The request is the subject's open, verified access request with the
earliest deadline. When the subject has none, --verified makes one: the
operator attests, by passing it, that the requester's identity was
established (Art. 12(6)); the request is received as verified and
journalled. Without either, export exits with 4.

Only the subject's token is printed. Tables' sealed values are exported as
stored.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			switch {
			case subject == "":
				return failf(exitUsage, "export: --subject is required")
			case out == "":
				return failf(exitUsage, "export: --out is required")
			}
			e, err := o.open(c.Context(), openOpts{needConfig: true, changes: true})
			if err != nil {
				return err
			}
			defer e.Close()
			ctx, desk := c.Context(), e.kit.Desk()
			token := e.kit.Journal().Token(subject)
			open, err := desk.Open(ctx)
			if err != nil {
				return failed("export", err)
			}
			var req *rights.Request
			for i := range open { // earliest deadline first
				r := &open[i]
				if r.Right == rights.RightAccess && r.SubjectToken == token && r.State != rights.RequestUnverified {
					req = r
					break
				}
			}
			if req == nil {
				if !verified {
					return failf(exitNotFound, "export: subject %s has no verified access request; pass --verified to attest the requester's identity and make one", token)
				}
				r, err := desk.Receive(ctx, rights.Request{Right: rights.RightAccess, Subject: subject})
				if err != nil {
					return failed("export: receive the request", err)
				}
				req = &r
			}
			tmp, err := os.CreateTemp(filepath.Dir(out), ".gdprkit-export-*")
			if err != nil {
				return failf(exitFailed, "export: --out: %s", statError(err))
			}
			defer os.Remove(tmp.Name())
			m, err := desk.Export(ctx, req.ID, tmp)
			if cerr := tmp.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return failed("export: request "+req.ID, err)
			}
			if err := os.Rename(tmp.Name(), out); err != nil {
				return failf(exitFailed, "export: --out: %s", statError(err))
			}
			records := 0
			for _, s := range m.Sources {
				records += s.Records
			}
			if o.json {
				return o.printJSON(map[string]any{"request": req.ID, "subject_token": token, "files": len(m.Files), "records": records, "out": out})
			}
			fmt.Fprintf(o.stdout, "request %s (subject %s): wrote %d record(s) in %d file(s) to %s\n", req.ID, token, records, len(m.Files), out)
			return nil
		},
	}
	c.Flags().StringVar(&subject, "subject", "", "the subject's ID, as the service's tables know it (required)")
	c.Flags().StringVarP(&out, "out", "o", "", "the ZIP file to write (required)")
	c.Flags().BoolVar(&verified, "verified", false, "attest that the requester's identity was verified, and make the request")
	return c
}
