// Package clean has nothing to report.
package clean

import (
	"fmt"

	"github.com/gdprkit/gdprkit/pii"
	"model"
)

func show(u model.User) string { return fmt.Sprint(pii.Redact(u), u.ID) }
