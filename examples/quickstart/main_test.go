package main

import (
	"bytes"
	"log/slog"
	"testing"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/gdprkit/gdprkit/pii/piitest"
)

func TestLogsHoldNothingPersonal(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(pii.NewHandler(slog.NewJSONHandler(&logs, nil), nil))
	c := ada()
	log.Info("signed up", "customer", c)

	piitest.PersonalFieldsTagged(t, Customer{})
	piitest.PersonalFieldsTagged(t, Visit{})
	piitest.Redacted(t, c)
	piitest.NoPersonalValues(t, logs.String(), c)
	piitest.NoDetectedPII(t, logs.String())
}
