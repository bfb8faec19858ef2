package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func keysCmd(o *options) *cobra.Command {
	c := &cobra.Command{
		Use:   "keys",
		Short: "The crypto-shredding keys: replay erasures, rotate the KEK",
		Long:  "Commands on the key store that holds every subject's keys, wrapped by the KEK.",
	}
	var fromJournal bool
	replay := &cobra.Command{
		Use:   "replay --from-journal",
		Short: "Destroy again every key the erasure journal says was erased",
		Long: `Replay is for after the key store was restored from a backup: the backup
holds keys of subjects erased since it was taken. Replay reads the erasure
journal, which lives in the data database, and destroys again, in every
namespace, each key it names, unless the store holds a newer generation of
it. Running it again destroys none.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if !fromJournal {
				return failf(exitUsage, "keys replay: say where the erasures come from: --from-journal")
			}
			e, err := o.open(c.Context(), openOpts{changes: true})
			if err != nil {
				return err
			}
			defer e.Close()
			n, err := e.kit.Replay(c.Context())
			if o.json {
				if jerr := o.printJSON(map[string]int{"destroyed": n}); jerr != nil {
					return jerr
				}
			} else {
				fmt.Fprintf(o.stdout, "destroyed %d key(s) again\n", n)
			}
			if err != nil {
				return fail(exitCheck, fmt.Errorf("keys replay: %w (run it again to go on)", err))
			}
			return nil
		},
	}
	replay.Flags().BoolVar(&fromJournal, "from-journal", false, "replay the erasures of the erasure journal (required)")

	var newFile, newID string
	var batch int
	rotate := &cobra.Command{
		Use:   "rotate-kek --new-kek-file FILE --new-kek-id ID",
		Short: "Re-wrap every key under a new KEK; resumable",
		Long: `Rotate-kek re-wraps every key of every namespace that the current KEK
(--kek-file, --kek-id) wrapped with the new one (--new-kek-file,
--new-kek-id), key by key, while the service runs. Before, give every
instance of the service the new KEK as its KEK, with the new ID, and the
current one as an old KEK, so that each can unwrap keys of both. An
interrupted rotation resumes where it stopped when run again. Once it
succeeds, drop the old KEK from the service's configuration and use the new
one with this command.`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			switch {
			case newFile == "":
				return failf(exitUsage, "keys rotate-kek: --new-kek-file is required")
			case newID == "" || newID == o.kekID:
				return failf(exitUsage, "keys rotate-kek: --new-kek-id is required and must differ from --kek-id")
			}
			e, err := o.open(c.Context(), openOpts{newKEKFile: newFile, newKEKID: newID, changes: true})
			if err != nil {
				return err
			}
			defer e.Close()
			n, err := e.kit.RotateKEK(c.Context(), batch)
			if o.json {
				if jerr := o.printJSON(map[string]any{"rewrapped": n, "done": err == nil}); jerr != nil {
					return jerr
				}
			} else {
				fmt.Fprintf(o.stdout, "re-wrapped %d key(s) under KEK %q\n", n, newID)
			}
			if err != nil {
				return fail(exitCheck, fmt.Errorf("keys rotate-kek: %w (run it again to resume)", err))
			}
			if !o.json {
				fmt.Fprintf(o.stdout, "done: every key is wrapped by %q; the old KEK may now be retired\n", newID)
			}
			return nil
		},
	}
	rotate.Flags().StringVar(&newFile, "new-kek-file", "", "the new key-encryption key file (required)")
	rotate.Flags().StringVar(&newID, "new-kek-id", "", "the new KEK's ID (required, not --kek-id)")
	rotate.Flags().IntVar(&batch, "batch", 100, "keys read at a time")
	c.AddCommand(replay, rotate)
	return c
}
