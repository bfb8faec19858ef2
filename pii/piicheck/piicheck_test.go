package piicheck_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gdprkit/gdprkit/pii/piicheck"
)

func TestLeaks(t *testing.T) {
	analyze(t, "leak", "model")
}

func TestUntaggedFields(t *testing.T) {
	analyze(t, "untagged")
}

func TestSuppressions(t *testing.T) {
	analyze(t, "suppress")
}

func TestRedactingHandler(t *testing.T) {
	analyze(t, "handler")
}

func TestSlogHandlerFlag(t *testing.T) {
	require.NoError(t, piicheck.Analyzer.Flags.Set("slog-handler", "true"))
	t.Cleanup(func() { _ = piicheck.Analyzer.Flags.Set("slog-handler", "false") })
	analyze(t, "handlerflag")
}
