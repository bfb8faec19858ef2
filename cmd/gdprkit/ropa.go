package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

func ropaCmd(o *options) *cobra.Command {
	c := &cobra.Command{
		Use:   "ropa",
		Short: "The record of processing activities (Art. 30)",
		Long:  "Commands on the record of processing activities, written from the purposes of --config.",
	}
	var format, out string
	export := &cobra.Command{
		Use:   "export",
		Short: "Write the Art. 30 record as JSON or CSV",
		Long: `Export writes the record of processing activities (Art. 30(1)): the
controller and one activity per purpose of the --config file, as JSON or CSV,
to standard output or to the file named by --out.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if format != "json" && format != "csv" {
				return failf(exitUsage, "ropa export: --format must be json or csv")
			}
			e, err := o.open(c.Context(), openOpts{needConfig: true})
			if err != nil {
				return err
			}
			defer e.Close()
			rec := e.kit.Register().Record()
			var w io.Writer = o.stdout
			var f *os.File
			if out != "" {
				if f, err = os.Create(out); err != nil {
					return failf(exitFailed, "ropa export: --out: %s", statError(err))
				}
				w = f
			}
			if format == "json" {
				err = rec.WriteJSON(w)
			} else {
				err = rec.WriteCSV(w)
			}
			if f != nil {
				if cerr := f.Close(); err == nil {
					err = cerr
				}
			}
			if err != nil {
				return failed("ropa export", err)
			}
			if f != nil {
				fmt.Fprintf(o.stderr, "wrote the record of %d activities to %s\n", len(rec.Activities), out)
			}
			return nil
		},
	}
	export.Flags().StringVar(&format, "format", "json", "json or csv")
	export.Flags().StringVarP(&out, "out", "o", "", "write to this file instead of standard output")
	c.AddCommand(export)
	return c
}
