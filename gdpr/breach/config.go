package breach

import (
	"fmt"

	"github.com/gdprkit/gdprkit/gdpr"
)

// configError reports a configuration that cannot work; it matches
// gdpr.ErrInvalidConfig.
func configError(what, msg string) error {
	return fmt.Errorf("breach: %s: %s: %w", what, msg, gdpr.ErrInvalidConfig)
}
