package audit

import (
	"errors"
	"fmt"
)

// ErrInvalidConfig is matched by errors about a JournalConfig that cannot
// work.
var ErrInvalidConfig = errors.New("audit: invalid config")

func configError(what, msg string) error {
	return fmt.Errorf("audit: %s: %s: %w", what, msg, ErrInvalidConfig)
}
