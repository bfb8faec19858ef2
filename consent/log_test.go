package consent_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"testing"

	"github.com/gdprkit/gdprkit/consent"
	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testArtifact = "form-submission-7f3a"

func recordedEvent(t *testing.T) consent.Event {
	t.Helper()
	r := grantRecord("alice", "newsletter")
	r.Proof.Artifact = testArtifact
	events, err := newLedger(t, consent.LedgerConfig{Now: newClock().Now}).Grant(context.Background(), r)
	require.NoError(t, err)
	require.Equal(t, testIP, events[0].Proof.IP, "precondition: the event holds the proof in clear")
	return events[0]
}

func assertNoProofDetails(t *testing.T, out, how string) {
	t.Helper()
	assert.NotContains(t, out, testIP, how)
	assert.NotContains(t, out, "203.0.113", how)
	assert.NotContains(t, out, "Firefox", how)
	assert.NotContains(t, out, testArtifact, how)
}

func TestLogLinesHoldNoProofDetails(t *testing.T) {
	e := recordedEvent(t)
	for _, tc := range []struct {
		name string
		log  func(*slog.Logger)
	}{
		{"event as a LogValuer", func(l *slog.Logger) { l.Info("consent recorded", "event", e) }},
		{"through pii.Redact", func(l *slog.Logger) { l.Info("consent recorded", "event", pii.Redact(e)) }},
		{"proof alone", func(l *slog.Logger) { l.Info("consent recorded", "proof", e.Proof) }},
		{"pointer to the event", func(l *slog.Logger) { l.Info("consent recorded", slog.Any("event", &e)) }},
	} {
		var buf bytes.Buffer
		tc.log(slog.New(slog.NewJSONHandler(&buf, nil)))
		out := buf.String()
		assertNoProofDetails(t, out, tc.name)
		var line map[string]any
		require.NoError(t, json.Unmarshal(buf.Bytes(), &line), "%s: one JSON line: %s", tc.name, out)
		if tc.name != "proof alone" {
			assert.Contains(t, out, `"purpose":"newsletter"`, "%s: the content-free facts are logged", tc.name)
			assert.Contains(t, out, `"notice":"v1"`, tc.name)
		}
		assert.Contains(t, out, `"subject":"alice"`, "%s: the subject ties the line to erasure requests", tc.name)
		assert.Contains(t, out, `"ip":"[redacted`, "%s: the field is there, redacted", tc.name)
	}

	var buf bytes.Buffer
	slog.New(pii.NewHandler(slog.NewJSONHandler(&buf, nil), nil)).Info("consent recorded", "event", e)
	assertNoProofDetails(t, buf.String(), "through pii.NewHandler")
	assert.Contains(t, buf.String(), `"purpose":"newsletter"`)
}

func TestPrintedEventsHoldNoProofDetails(t *testing.T) {
	e := recordedEvent(t)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		assertNoProofDetails(t, fmt.Sprintf(verb, e), "event "+verb)
		assertNoProofDetails(t, fmt.Sprintf(verb, e.Proof), "proof "+verb)
		assertNoProofDetails(t, fmt.Sprintf(verb, &e), "pointer "+verb)
	}
	assert.Contains(t, fmt.Sprintf("%+v", e), "newsletter")
	out, err := json.Marshal(pii.Redact(e))
	require.NoError(t, err)
	assertNoProofDetails(t, string(out), "JSON through pii.Redact")

	full, err := json.Marshal(e)
	require.NoError(t, err)
	assert.Contains(t, string(full), testIP, "plain JSON is the full record, for exports")
}

// TestEveryPersonalProofFieldIsRedacted guards fields added to Proof later:
// whatever holds personal data must be tagged, so that it never reaches a
// log line.
func TestEveryPersonalProofFieldIsRedacted(t *testing.T) {
	schema, err := pii.SchemaFor[consent.Proof]()
	require.NoError(t, err)
	want := map[string]pii.Category{"IP": pii.IPAddress, "UserAgent": pii.DeviceID, "Artifact": pii.Content, "ParentalResponsibility": pii.Name}
	var p consent.Proof
	pv := reflect.ValueOf(&p).Elem()
	for _, f := range schema.Fields() {
		switch {
		case f.Subject():
			assert.Equal(t, "Subject", f.Name)
			pv.Field(f.Index).SetString("alice")
		case f.Personal():
			assert.Equal(t, want[f.Name], f.Category(), f.Name)
			delete(want, f.Name)
			require.Equal(t, reflect.String, f.Type.Kind(), "%s: sealing works on text", f.Name)
			pv.Field(f.Index).SetString("MARKER-" + f.Name)
		}
	}
	assert.Empty(t, want, "tagged fields missing from the schema")

	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("proof", "proof", p)
	assert.NotContains(t, buf.String(), "MARKER-")
	assert.NotContains(t, fmt.Sprintf("%+v", p), "MARKER-")
}
