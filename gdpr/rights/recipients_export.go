package rights

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/gdprkit/gdprkit/gdpr"
)

// RecipientsName is the file name of the list of recipients in an export
// whose subject asked for it (Request.Recipients).
const RecipientsName = "recipients.json"

// disclosedTo adds to an access export the recipients the subject's data
// was disclosed to, when the subject asked (Art. 19, last sentence, and
// Art. 15(1)(c) as the Court of Justice read it in C-154/21: the
// recipients themselves, not only their categories). A subject who asked
// is never answered with silence: without DeskConfig.Recipients the
// export fails.
func (x *exporter) disclosedTo(ctx context.Context) error {
	if !x.req.Recipients {
		return nil
	}
	if x.rt.recipients == nil {
		return fmt.Errorf("the subject asked for the recipients of their data, and DeskConfig.Recipients is nil: %w", gdpr.ErrNotConfigured)
	}
	ds, err := x.rt.recipients.Disclosures(ctx, x.req.SubjectToken)
	if err != nil {
		return fmt.Errorf("recipients: %w", err)
	}
	x.m.DisclosedTo = x.rt.disclosedRecipients(ds)
	return x.file(RecipientsName, "application/json", func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Recipients []DisclosedRecipient `json:"recipients"`
		}{x.m.DisclosedTo})
	})
}
