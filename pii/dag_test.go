package pii_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/gdprkit/gdprkit/pii"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dagNode makes a DAG when L and R point to the same next node: followed
// path by path, a value of n levels has 2^n paths.
type dagNode struct {
	Name string `pii:"name" json:"name"`
	Note string `json:"note"`
	L, R *dagNode
}

func pointerDAG(levels int) *dagNode {
	var next *dagNode
	for i := levels - 1; i >= 0; i-- {
		next = &dagNode{Name: "Dora Shared", Note: fmt.Sprintf("level-%d.", i), L: next, R: next}
	}
	return next
}

// dagSlices shares slices rather than pointers: A and B are one slice.
type dagSlices struct {
	Name string `pii:"name" json:"name"`
	Note string `json:"note"`
	A, B []dagSlices
}

func sliceDAG(levels int) dagSlices {
	var next []dagSlices
	for i := levels - 1; i > 0; i-- {
		next = []dagSlices{{Name: "Dora Shared", Note: fmt.Sprintf("level-%d.", i), A: next, B: next}}
	}
	return dagSlices{Name: "Dora Shared", Note: "level-0.", A: next, B: next}
}

// renderings returns v as every redactor shows it.
func renderings(t *testing.T, v any) map[string]string {
	t.Helper()
	out := map[string]string{
		"fmt %v":  fmt.Sprintf("%v", pii.Redact(v)),
		"fmt %+v": fmt.Sprintf("%+v", pii.Redact(v)),
		"fmt %#v": fmt.Sprintf("%#v", pii.Redact(v)),
	}
	b, err := json.Marshal(pii.Redact(v))
	require.NoError(t, err, "a DAG is not a cycle")
	out["json"] = string(b)
	for name, h := range map[string]func(io.Writer) slog.Handler{
		"json": func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, nil) },
		"text": func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, nil) },
	} {
		var buf bytes.Buffer
		slog.New(pii.NewHandler(h(&buf), nil)).Info("dag", "v", v)
		out["handler "+name] = buf.String()
		buf.Reset()
		slog.New(h(&buf)).Info("dag", "v", pii.Redact(v))
		out["logvaluer "+name] = buf.String()
	}
	return out
}

// TestDAGIsWalkedOncePerNode checks that the work stays linear in the size
// of a value whose nodes are shared: each node is visited, and rendered,
// once per call. Followed path by path, the 64-level DAG would take 2^64
// visits.
func TestDAGIsWalkedOncePerNode(t *testing.T) {
	for name, tc := range map[string]struct {
		v      any
		levels int
	}{
		"pointers": {pointerDAG(64), 64},
		"slices":   {sliceDAG(30), 30},
	} {
		t.Run(name, func(t *testing.T) {
			visits := 0
			require.NoError(t, pii.Walk(tc.v, func(*pii.Visit) error { visits++; return nil }))
			assert.Equal(t, tc.levels, visits, "Walk visits each shared node once")

			for how, out := range renderings(t, tc.v) {
				// Short checks: the outputs are long.
				assert.False(t, strings.Contains(out, "Dora"), "%s leaks a name", how)
				assert.Equal(t, tc.levels, strings.Count(out, "[redacted:name]"), "%s renders each node once", how)
				assert.Equal(t, tc.levels, strings.Count(out, "level-"), "%s shows each node's ordinary fields", how)
				assert.True(t, strings.Contains(out, "shared"), "%s marks a node met again", how) // JSON escapes <>
			}
		})
	}
}

func TestMinimizeKeepsSharing(t *testing.T) {
	root := pointerDAG(64)
	m, err := pii.Minimize(root)
	require.NoError(t, err)
	n := 0
	for p := m; p != nil; p = p.L {
		assert.Same(t, p.L, p.R, "a shared node is copied once")
		assert.Empty(t, p.Name)
		n++
	}
	assert.Equal(t, 64, n)
	assert.Equal(t, "Dora Shared", root.Name, "the original is unchanged")
}

func BenchmarkRedactDAG(b *testing.B) {
	root := pointerDAG(64)
	b.Run("walk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = pii.Walk(root, func(*pii.Visit) error { return nil })
		}
	})
	b.Run("fmt", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = pii.Redact(root).String()
		}
	})
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = json.Marshal(pii.Redact(root))
		}
	})
	b.Run("handler", func(b *testing.B) {
		log := slog.New(pii.NewHandler(slog.NewJSONHandler(io.Discard, nil), nil))
		b.ReportAllocs()
		for b.Loop() {
			log.Info("dag", "v", root)
		}
	})
	b.Run("minimize", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = pii.Minimize(root)
		}
	})
}
